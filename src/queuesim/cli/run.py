"""``queuesim run``, ``validate`` and ``schema``: one scenario at a time."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.table import Table

from queuesim.cli.common import (
    ExecutorOption,
    ReplicationsOption,
    SeedOption,
    SetOption,
    TableFormat,
    WorkersOption,
    console,
    errors,
    fail,
    format_summary_row,
    simulate_from_options,
)
from queuesim.experiment.executors import ExecutorKind
from queuesim.plotting import result_figures, save_figures
from queuesim.results import ALL, SimulationResult
from queuesim.scenario import ScenarioError, load_scenario, scenario_json_schema

HEADLINE_CUSTOMER_METRICS = (
    "offered",
    "answered",
    "abandoned",
    "blocked",
    "closed_out",
    "pending",
    "abandon_rate",
    "asa",
    "wait_p90",
    "sl_all",
)
FEATURE_CUSTOMER_METRICS = (
    "balked",
    "contained",
    "handed_over",
    "containment_rate",
    "callbacks_accepted",
    "callback_answer_rate",
    "deadline_met",
    "breaches",
    "fcr",
    "escalations",
    "errors",
    "repeats",
    "concession_cost",
    "cost_per_resolution",
    "csat_mean",
    "nps",
    "reported_nps",
    "detractor_follow_ups",
)
"""Shown when the scenario uses the feature (some channel has a value other than zero)."""
HEADLINE_AGENT_METRICS = ("occupancy", "slot_occupancy", "utilisation", "overtime", "staff_cost")


def _cell(row: pd.Series, stacked: bool) -> str:
    text = format_summary_row(row)
    return text.replace("  [", "\n[") if stacked else text


def _used(summary: pd.DataFrame, metric: str) -> bool:
    values = summary.loc[summary.metric == metric, "mean"]
    return bool((values.fillna(0) != 0).any())


def _summary_table(result: SimulationResult) -> Table:
    summary = result.summary
    thresholds = result.scenario.service_level.thresholds
    table = Table(
        title=f"{result.scenario.name} — mean [95% CI] over {int(summary.n_reps.max())} "
        f"replications (service level within {thresholds[0]:g} s)",
        title_justify="left",
    )
    table.add_column("metric")
    channels = [*result.scenario.channels, ALL] if len(result.scenario.channels) > 1 else [ALL]
    stacked = len(channels) > 2
    for channel in channels:
        table.add_column(channel if channel != ALL else "all channels", justify="right")
    extra = [m for m in FEATURE_CUSTOMER_METRICS if _used(summary, m)]
    present = set(zip(summary.metric, summary.channel, strict=True))
    for metric in [*HEADLINE_CUSTOMER_METRICS, *extra]:
        cells = [  # run-level figures (satisfaction) have no row per channel
            _cell(result.kpi(metric, channel=channel), stacked)
            if (metric, channel) in present
            else ""
            for channel in channels
        ]
        table.add_row(metric, *cells)
    groups = (
        [*result.scenario.agent_groups, ALL] if len(result.scenario.agent_groups) > 1 else [ALL]
    )
    chat = any(channel.kind == "chat" for channel in result.scenario.channels.values())
    shown = [m for m in HEADLINE_AGENT_METRICS if m != "slot_occupancy" or chat]
    if _used(summary, "training_time"):
        shown.append("training_time")
    for group in groups:
        label = "all agents" if group == ALL else f"agents: {group}"
        for metric in shown:
            cell = _cell(result.kpi(metric, agent_group=group), stacked)
            table.add_row(f"{metric} ({label})", cell, *[""] * (len(channels) - 1))
    return table


def run(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    replications: ReplicationsOption = None,
    seed: SeedOption = None,
    set_: SetOption = None,
    out: Annotated[
        Path | None, typer.Option(help="Write the result tables to this folder.")
    ] = None,
    records: Annotated[bool, typer.Option(help="Also keep one row per contact.")] = False,
    format: Annotated[
        TableFormat, typer.Option("--format", help="File format of the tables.")
    ] = TableFormat.csv,
    plots: Annotated[
        Path | None, typer.Option(help="Write the standard figures as PNG files to this folder.")
    ] = None,
    executor: ExecutorOption = ExecutorKind.serial,
    workers: WorkersOption = None,
) -> None:
    """Simulate a scenario and print its key figures with 95% confidence intervals."""
    result = simulate_from_options(
        scenario, replications, seed, set_, records=records, executor=executor, workers=workers
    )
    console.print(_summary_table(result))
    if out is not None:
        written = result.write(out, format.value)
        console.print(f"Wrote {', '.join(str(p) for p in written)}")
    if plots is not None:
        try:
            written = save_figures(result_figures(result), plots)
        except OSError as error:
            raise fail(f"--plots: cannot write to {str(plots)!r}: {error.strerror}") from None
        console.print(f"Wrote {', '.join(str(p) for p in written)}")


def validate(
    scenarios: Annotated[list[Path], typer.Argument(help="Scenario YAML files.")],
    set_: SetOption = None,
) -> None:
    """Check scenario files and each of their variants without running them; exit 2 if any
    is invalid."""
    failed = False
    for path in scenarios:
        try:
            loaded = load_scenario(path, list(set_ or []))
            for variant in loaded.variants:
                load_scenario(path, list(set_ or []), variant)
        except ScenarioError as error:
            errors.print(str(error), style="red", markup=False, highlight=False, soft_wrap=True)
            failed = True
        else:
            variants = f", variants {', '.join(loaded.variants)}" if loaded.variants else ""
            console.print(
                f"{path}: ok ({loaded.name}{variants})",
                markup=False,
                highlight=False,
                soft_wrap=True,
            )
    if failed:
        raise typer.Exit(2)


def schema() -> None:
    """Print the JSON Schema of scenario files (for editors that complete and check YAML)."""
    typer.echo(json.dumps(scenario_json_schema(), indent=2))

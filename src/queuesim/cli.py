"""The ``queuesim`` command line: run, validate, erlang, schema."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Literal, TypeVar

import pandas as pd
import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from queuesim import analytic
from queuesim.experiment.runner import simulate
from queuesim.results import ALL, SimulationResult
from queuesim.scenario import ScenarioError, load_scenario, scenario_json_schema
from queuesim.scenario.units import parse_duration, parse_rate

app = typer.Typer(
    help="Simulate service operations: waits, staffing and service quality with confidence "
    "intervals.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
erlang_app = typer.Typer(
    help="Analytic queueing formulas (Erlang B, C and A).", no_args_is_help=True
)
app.add_typer(erlang_app, name="erlang")

T = TypeVar("T")


class TableFormat(StrEnum):
    """File formats of the result tables."""

    csv = "csv"
    parquet = "parquet"


console = Console()
errors = Console(stderr=True)

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
HEADLINE_AGENT_METRICS = ("occupancy", "utilisation", "overtime", "staff_cost")


def _fail(message: str, code: int = 2) -> typer.Exit:
    errors.print(message, style="red", markup=False, highlight=False, soft_wrap=True)
    return typer.Exit(code)


def _format(value: float, unit: str) -> str:
    if isinstance(value, float) and math.isnan(value):
        return "–"
    if unit == "ratio":
        return f"{value:.1%}"
    if unit == "s":
        return f"{value:,.1f} s"
    return f"{value:,.1f}"


def _cell(row: pd.Series) -> str:
    mean = _format(row["mean"], row["unit"])
    if math.isnan(row["ci_low"]):
        return mean
    return (
        f"{mean}  [{_format(row['ci_low'], row['unit'])}, {_format(row['ci_high'], row['unit'])}]"
    )


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
    for channel in channels:
        table.add_column(channel if channel != ALL else "all channels", justify="right")
    for metric in HEADLINE_CUSTOMER_METRICS:
        cells = [_cell(result.kpi(metric, channel=channel)) for channel in channels]
        table.add_row(metric, *cells)
    groups = (
        [*result.scenario.agent_groups, ALL] if len(result.scenario.agent_groups) > 1 else [ALL]
    )
    for group in groups:
        label = "all agents" if group == ALL else f"agents: {group}"
        for metric in HEADLINE_AGENT_METRICS:
            cell = _cell(result.kpi(metric, agent_group=group))
            table.add_row(f"{metric} ({label})", cell, *[""] * (len(channels) - 1))
    return table


@app.command()
def run(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    replications: Annotated[
        int | None, typer.Option("--replications", "-n", help="Override the scenario's count.")
    ] = None,
    seed: Annotated[int | None, typer.Option(help="Override the scenario's seed.")] = None,
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", help="Override a field: dotted.path=VALUE (repeatable)."),
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="Write the result tables to this folder.")
    ] = None,
    records: Annotated[bool, typer.Option(help="Also keep one row per contact.")] = False,
    format: Annotated[
        TableFormat, typer.Option("--format", help="File format of the tables.")
    ] = TableFormat.csv,
) -> None:
    """Simulate a scenario and print its key figures with 95% confidence intervals."""
    if replications is not None and replications < 1:
        raise _fail(f"--replications: expected a positive integer, got {replications}")
    if seed is not None and seed < 0:
        raise _fail(f"--seed: expected a non-negative integer, got {seed}")
    overrides = list(set_ or [])
    try:
        loaded = load_scenario(scenario, overrides)
    except ScenarioError as error:
        raise _fail(str(error)) from None
    total = loaded.replications if replications is None else replications
    with Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeRemainingColumn(),
        console=errors,
        transient=True,
    ) as progress:
        task = progress.add_task("replications", total=total)
        result = simulate(
            loaded,
            replications,
            seed,
            records=records,
            overrides=dict(item.split("=", 1) for item in overrides),
            progress=lambda done, _total: progress.update(task, completed=done),
        )
    console.print(_summary_table(result))
    if out is not None:
        written = result.write(out, format.value)
        console.print(f"Wrote {', '.join(str(p) for p in written)}")


@app.command()
def validate(
    scenarios: Annotated[list[Path], typer.Argument(help="Scenario YAML files.")],
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", help="Override a field: dotted.path=VALUE (repeatable)."),
    ] = None,
) -> None:
    """Check scenario files without running them; exit 2 if any is invalid."""
    failed = False
    for path in scenarios:
        try:
            loaded = load_scenario(path, list(set_ or []))
        except ScenarioError as error:
            errors.print(str(error), style="red", markup=False, highlight=False, soft_wrap=True)
            failed = True
        else:
            console.print(
                f"{path}: ok ({loaded.name})", markup=False, highlight=False, soft_wrap=True
            )
    if failed:
        raise typer.Exit(2)


@app.command()
def schema() -> None:
    """Print the JSON Schema of scenario files (for editors that complete and check YAML)."""
    typer.echo(json.dumps(scenario_json_schema(), indent=2))


def _parse_option(name: str, value: str, kind: Literal["duration", "rate"]) -> float:
    try:
        return parse_duration(value) if kind == "duration" else parse_rate(value)
    except ValueError as error:
        raise _fail(f"{name}: {error}") from None


def _analytic_table(title: str, rows: dict[str, str]) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column("figure")
    table.add_column("value", justify="right")
    for name, value in rows.items():
        table.add_row(name, value)
    return table


RateOption = Annotated[str, typer.Option("--rate", help="Arrival rate, e.g. '10/min'.")]
AhtOption = Annotated[str, typer.Option("--aht", help="Mean handle time, e.g. '4 min'.")]
AgentsOption = Annotated[int, typer.Option("--agents", help="Number of agents.")]
ThresholdOption = Annotated[
    str | None, typer.Option("--threshold", help="Service-level threshold, e.g. '20 s'.")
]


def _queue_inputs(rate: str, aht: str, threshold: str | None) -> tuple[float, float, float | None]:
    arrival_rate = _parse_option("--rate", rate, "rate")
    service_time = _parse_option("--aht", aht, "duration")
    limit = None if threshold is None else _parse_option("--threshold", threshold, "duration")
    return arrival_rate, service_time, limit


def _seconds(value: float) -> str:
    return "∞" if math.isinf(value) else f"{value:,.2f} s"


OPTION_OF_ARGUMENT = {
    "arrival_rate": "--rate",
    "service_time": "--aht",
    "servers": "--agents",
    "load": "--load",
    "patience": "--patience",
    "threshold": "--threshold",
}


def _run_analytic(call: Callable[[], T]) -> T:
    """Call an analytic formula; its errors name the option the user typed, not the argument."""
    try:
        return call()
    except ValueError as error:
        message = str(error)
        argument = message.split(" ", 1)[0]
        if argument in OPTION_OF_ARGUMENT:
            message = f"{OPTION_OF_ARGUMENT[argument]}: {message.split(' ', 1)[1]}"
        raise _fail(message) from None


@erlang_app.command("b")
def erlang_b(
    load: Annotated[float, typer.Option("--load", help="Offered load in Erlangs.")],
    agents: AgentsOption,
) -> None:
    """Blocking probability of a loss system (M/G/c/c)."""
    blocking = _run_analytic(lambda: analytic.erlang_b(load, agents))
    console.print(_analytic_table("Erlang B", {"blocking probability": f"{blocking:.4%}"}))


@erlang_app.command("c")
def erlang_c(
    rate: RateOption, aht: AhtOption, agents: AgentsOption, threshold: ThresholdOption = None
) -> None:
    """Waiting figures of M/M/c without abandonment."""
    arrival_rate, service_time, limit = _queue_inputs(rate, aht, threshold)
    r = _run_analytic(lambda: analytic.erlang_c(arrival_rate, service_time, agents, limit))
    rows = {
        "offered load": f"{r.load:.2f} Erlangs",
        "stable": str(r.stable),
        "p_wait": f"{r.p_wait:.2%}",
        "asa": _seconds(r.asa),
        "occupancy": f"{r.occupancy:.2%}",
    }
    if limit is not None:
        rows[f"service level ({limit:g} s)"] = f"{r.service_level:.2%}"
    console.print(_analytic_table("Erlang C (M/M/c)", rows))


@erlang_app.command("a")
def erlang_a(
    rate: RateOption,
    aht: AhtOption,
    agents: AgentsOption,
    patience: Annotated[str, typer.Option("--patience", help="Mean patience, e.g. '2 min'.")],
    threshold: ThresholdOption = None,
) -> None:
    """Waiting and abandonment figures of M/M/c+M (exponential patience)."""
    arrival_rate, service_time, limit = _queue_inputs(rate, aht, threshold)
    mean_patience = _parse_option("--patience", patience, "duration")
    r = _run_analytic(
        lambda: analytic.erlang_a(arrival_rate, service_time, agents, mean_patience, limit)
    )
    rows = {
        "offered load": f"{r.load:.2f} Erlangs",
        "p_wait": f"{r.p_wait:.2%}",
        "abandon_rate": f"{r.p_abandon:.2%}",
        "asa": _seconds(r.asa),
        "mean_wait (all arrivals)": _seconds(r.mean_wait),
        "occupancy": f"{r.occupancy:.2%}",
    }
    if limit is not None:
        rows[f"service level ({limit:g} s)"] = f"{r.service_level:.2%}"
    console.print(_analytic_table("Erlang A (M/M/c+M)", rows))

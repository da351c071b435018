"""``queuesim staff``: the least staffing meeting targets, found by simulation, then rostered."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.table import Table

from queuesim.cli.common import (
    TARGET_HELP,
    ExecutorOption,
    ReplicationsOption,
    SchedulerOption,
    SeedOption,
    SetOption,
    check_run_options,
    console,
    duration_option,
    errors,
    executor_from_options,
    fail,
    format_value,
    parse_targets,
    write_csv,
)
from queuesim.experiment.executors import ExecutorKind
from queuesim.experiment.staffing import StaffingPlan, generated_patterns
from queuesim.experiment.staffing import staff as run_staff
from queuesim.scenario import ScenarioError, load_scenario


def _show(plan: StaffingPlan) -> None:
    table = Table(
        title=f"Agents on duty for {plan.group} per interval, validated on fresh seeds",
        title_justify="left",
    )
    for column in (
        "interval",
        "Erlang",
        "required",
        "rostered",
        "offered",
        "SL",
        "ASA",
        "aband.",
        "met",
    ):
        table.add_column(column, justify="right")
    rows = plan.validation.join(plan.requirement[["analytic"]])
    for row in rows[rows.offered > 0].itertuples():
        table.add_row(
            row.time,
            str(row.analytic),
            str(row.required),
            str(int(row.rostered)),
            f"{row.offered:,.1f}",
            format_value(row.sl_all, "ratio"),
            format_value(row.asa, "s"),
            format_value(row.abandon_rate, "ratio"),
            "yes" if row.met else "NO",
        )
    console.print(table)
    roster = Table(
        title=f"Roster: {plan.roster.agents.sum()} agents, cost {plan.cost:,.2f} per day",
        title_justify="left",
    )
    for column in plan.roster.columns:
        roster.add_column(column, justify="right")
    for row in plan.roster.itertuples(index=False):
        roster.add_row(
            *[f"{value:,.2f}" if isinstance(value, float) else str(value) for value in row]
        )
    console.print(roster)
    if not plan.validation.met.all():
        missed = plan.validation[~plan.validation.met].time.tolist()
        errors.print(f"targets missed on fresh seeds in {', '.join(missed)}", style="yellow")


def staff(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    target: Annotated[list[str] | None, typer.Option("--target", help=TARGET_HELP)] = None,
    group: Annotated[str | None, typer.Option(help="Agent group to staff.")] = None,
    per: Annotated[
        str, typer.Option(help="'interval' (default) or 'horizon' (one headcount).")
    ] = "interval",
    shift_length: Annotated[
        list[str] | None,
        typer.Option("--shift-length", help="Allowed shift length, e.g. '8 h' (repeatable)."),
    ] = None,
    start_step: Annotated[
        str, typer.Option(help="Shift starts every this long (with --shift-length).")
    ] = "30 min",
    replications: ReplicationsOption = None,
    seed: SeedOption = None,
    set_: SetOption = None,
    out: Annotated[Path | None, typer.Option(help="Write requirement, roster, validation.")] = None,
    executor: ExecutorOption = ExecutorKind.serial,
    workers: Annotated[int | None, typer.Option(help="Worker processes.")] = None,
    scheduler: SchedulerOption = None,
) -> None:
    """Find the least agents per interval meeting the targets, roster them, validate them."""
    overrides = check_run_options(replications, seed, set_)
    if per not in ("interval", "horizon"):
        raise fail(f"--per: expected 'interval' or 'horizon', got {per!r}")
    targets = parse_targets(target)
    try:
        loaded = load_scenario(scenario, overrides)
    except ScenarioError as error:
        raise fail(str(error)) from None
    patterns = None
    if shift_length:
        lengths = [duration_option("--shift-length", text) for text in shift_length]
        patterns = generated_patterns(lengths, duration_option("--start-step", start_step))
    mode: Literal["interval", "horizon"] = "horizon" if per == "horizon" else "interval"
    with executor_from_options(executor, workers, scheduler) as pool:
        try:
            with console.status("searching (one simulation per step)..."):
                plan = run_staff(
                    loaded,
                    targets,
                    group=group,
                    per=mode,
                    patterns=patterns,
                    replications=replications,
                    seed=seed,
                    executor=pool,
                )
        except (ValueError, RuntimeError) as error:
            raise fail(str(error)) from None
    _show(plan)
    if out is not None:
        written = [
            write_csv(plan.requirement, out, "requirement"),
            write_csv(plan.roster, out, "roster"),
            write_csv(plan.validation, out, "validation"),
        ]
        console.print(f"Wrote {', '.join(map(str, written))}")

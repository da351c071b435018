"""``queuesim compare``, ``sweep`` and ``sensitivity``: many scenarios on common random numbers."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from queuesim import plotting
from queuesim.cli.common import (
    ExecutorOption,
    MetricOption,
    ReplicationsOption,
    ScenarioArgument,
    SchedulerOption,
    SeedOption,
    SetOption,
    WorkersOption,
    check_run_options,
    console,
    fail,
    format_estimate,
    format_value,
    running,
    write_csv,
)
from queuesim.experiment.compare import compare as run_compare
from queuesim.experiment.design import (
    DesignError,
    Factor,
    Range,
    Sampling,
    factorial,
    points_from_csv,
    sample,
)
from queuesim.experiment.executors import ExecutorKind
from queuesim.experiment.sensitivity import parse_variation
from queuesim.experiment.sensitivity import sensitivity as run_sensitivity
from queuesim.experiment.store import StoreMismatchError
from queuesim.experiment.sweep import sweep as run_sweep
from queuesim.results import ALL
from queuesim.scenario import ScenarioError

PlotsOption = Annotated[Path | None, typer.Option(help="Write the figures as PNGs here.")]

HEADLINE = ("answered", "abandon_rate", "asa", "wait_p90", "sl_all", "occupancy", "staff_cost")
HEADLINE_WHEN_PRESENT = (
    "fcr",
    "escalations",
    "errors",
    "training_time",
    "concession_cost",
    "total_cost",
    "cost_per_resolution",
    "journey_fcr",
    "csat_mean",
    "nps",
    "reported_csat_mean",
    "reported_nps",
)
"""Added to the headline of scenarios that report them (empowerment, journeys, satisfaction)."""


def compare(
    scenario: ScenarioArgument,
    variant: Annotated[
        list[str] | None,
        typer.Option("--variant", help="A variant declared in the scenario (default: all)."),
    ] = None,
    replications: ReplicationsOption = None,
    seed: SeedOption = None,
    set_: SetOption = None,
    metric: MetricOption = None,
    out: Annotated[Path | None, typer.Option(help="Write summary.csv and differences.csv.")] = None,
    plots: PlotsOption = None,
    executor: ExecutorOption = ExecutorKind.serial,
    workers: WorkersOption = None,
    scheduler: SchedulerOption = None,
) -> None:
    """Compare the scenario's variants with its base on the same seeds (paired 95% CIs)."""
    overrides = check_run_options(replications, seed, set_)
    with running(executor, workers, scheduler) as (pool, bar):
        try:
            result = run_compare(
                scenario,
                variant or None,
                replications=replications,
                seed=seed,
                overrides=overrides,
                executor=pool,
                progress=bar,
            )
        except (ScenarioError, ValueError, RuntimeError) as error:
            raise fail(str(error)) from None
    differences = result.differences
    totals = differences[
        (differences.channel == ALL)
        & (differences.contact_type == ALL)
        & (differences.agent_group == ALL)
    ]
    present = set(totals.metric)
    wanted = list(metric or [*HEADLINE, *(m for m in HEADLINE_WHEN_PRESENT if m in present)])
    unknown = sorted(set(wanted) - present)
    if unknown:
        raise fail(
            f"--metric: expected names from {', '.join(totals.metric.unique())}, got {unknown}"
        )
    n = int(totals.n_reps.max())
    for name, rows in totals.groupby("variant", sort=False):
        table = Table(
            title=f"{name} vs base — paired over {n} replications (same seeds), 95% CIs",
            title_justify="left",
        )
        for column in ("metric", "base", name, "difference [95% CI]", "CI narrower by"):
            table.add_column(column, justify="left" if column == "metric" else "right")
        for m in wanted:
            row = rows[rows.metric == m].iloc[0]
            table.add_row(
                m,
                format_value(row["base"], row["unit"]),
                format_value(row["value"], row["unit"]),
                format_estimate(row["difference"], row["ci_low"], row["ci_high"], row["unit"]),
                format_value(row["ci_narrowing"], "ratio"),
            )
        console.print(table)
    if out is not None:
        written = [
            write_csv(result.summary, out, "summary"),
            write_csv(differences, out, "differences"),
        ]
        console.print(f"Wrote {', '.join(map(str, written))}")
    if plots is not None:
        figures = {"differences": plotting.difference_bars(differences, wanted)}
        figures.update({f"variants_{m}": plotting.variant_bars(result.summary, m) for m in wanted})
        _wrote(plotting.save_figures(figures, plots))


def _design(
    factor: list[str] | None,
    points: Path | None,
    range_: list[str] | None,
    lhs: int | None,
    sobol: int | None,
    seed: int,
) -> list[dict[str, object]]:
    kinds = [bool(factor), points is not None, lhs is not None or sobol is not None]
    if sum(kinds) != 1 or (lhs is not None and sobol is not None):
        raise DesignError(
            "expected one design: --factor (full factorial), --points FILE.csv, or --lhs N / "
            "--sobol N with --range"
        )
    if range_ and lhs is None and sobol is None:
        raise DesignError("--range: expected --lhs N or --sobol N to sample the ranges")
    if factor:
        return factorial([Factor.parse(text) for text in factor])
    if points is not None:
        return points_from_csv(points)
    method, n = (Sampling.lhs, lhs) if lhs is not None else (Sampling.sobol, sobol)
    return sample([Range.parse(text) for text in range_ or []], int(n or 0), method, seed)


def sweep(
    scenario: ScenarioArgument,
    out: Annotated[Path, typer.Option(help="Result folder (Parquet + manifest); resumable.")],
    factor: Annotated[
        list[str] | None,
        typer.Option("--factor", help="PATH=v1,v2,...: full factorial over all factors."),
    ] = None,
    points: Annotated[
        Path | None, typer.Option("--points", help="CSV of design points, columns = paths.")
    ] = None,
    range_: Annotated[
        list[str] | None,
        typer.Option("--range", help="PATH=LOW:HIGH to sample, e.g. '2 min:5 min'."),
    ] = None,
    lhs: Annotated[int | None, typer.Option("--lhs", help="Latin hypercube of N points.")] = None,
    sobol: Annotated[
        int | None, typer.Option("--sobol", help="Scrambled Sobol design of N (2^k) points.")
    ] = None,
    replications: ReplicationsOption = None,
    seed: SeedOption = None,
    set_: SetOption = None,
    plots: PlotsOption = None,
    executor: Annotated[
        ExecutorKind, typer.Option("--executor", help="Where replications run.")
    ] = ExecutorKind.processes,
    workers: WorkersOption = None,
    scheduler: SchedulerOption = None,
) -> None:
    """Run a design of points (factorial, listed, LHS or Sobol), storing each as it finishes.

    Re-running the same command resumes: finished points are skipped, failed ones retried.
    """
    overrides = check_run_options(replications, seed, set_)
    try:
        design = _design(factor, points, range_, lhs, sobol, 0 if seed is None else seed)
    except DesignError as error:
        raise fail(str(error)) from None
    with running(executor, workers, scheduler) as (pool, bar):
        try:
            result = run_sweep(
                scenario,
                design,
                out=out,
                replications=replications,
                seed=seed,
                overrides=overrides,
                executor=pool,
                progress=bar,
            )
        except (ScenarioError, StoreMismatchError, ValueError) as error:
            raise fail(str(error)) from None
        except KeyboardInterrupt:
            raise fail(
                f"interrupted: every finished point is stored in {out}; run the same command "
                "again to resume",
                code=130,
            ) from None
    runs = result.runs
    written = write_csv(runs, out, "runs"), write_csv(result.summary, out, "summary")
    failed = result.failures["point"].nunique() if not runs.empty else 0
    console.print(
        f"{len(design)} points × {runs['replication'].nunique() if not runs.empty else 0} "
        f"replications; {failed} point{'s' * (failed != 1)} failed. "
        f"Wrote {', '.join(map(str, written))} and Parquet files under {out / 'points'}"
    )
    for _, row in result.failures.drop_duplicates("point").iterrows():
        console.print(f"point {row['point']}: {row['error']}", style="red", markup=False)
    if plots is not None and not result.summary.empty:
        figure = plotting.sweep_tradeoff(result.summary)
        _wrote(plotting.save_figures({"tradeoff": figure}, plots))


def sensitivity(
    scenario: ScenarioArgument,
    vary: Annotated[
        list[str],
        typer.Option("--vary", help="PATH=LOW,HIGH or PATH=±10% (repeatable)."),
    ],
    replications: ReplicationsOption = None,
    seed: SeedOption = None,
    set_: SetOption = None,
    metric: MetricOption = None,
    out: Annotated[Path | None, typer.Option(help="Write sensitivity.csv here.")] = None,
    plots: PlotsOption = None,
    executor: ExecutorOption = ExecutorKind.serial,
    workers: WorkersOption = None,
    scheduler: SchedulerOption = None,
) -> None:
    """Move each parameter down and up alone (same seeds) and show how the KPIs swing."""
    overrides = check_run_options(replications, seed, set_)
    try:
        variations = [parse_variation(text, scenario, overrides) for text in vary]
    except (DesignError, ScenarioError, OSError) as error:
        raise fail(str(error)) from None
    with running(executor, workers, scheduler) as (pool, bar):
        try:
            table = run_sensitivity(
                scenario,
                variations,
                replications=replications,
                seed=seed,
                overrides=overrides,
                executor=pool,
                progress=bar,
            )
        except (ScenarioError, ValueError, RuntimeError) as error:
            raise fail(str(error)) from None
    present = set(table.metric)
    journeys = ("fcr", "errors", "journey_fcr", "csat_mean", "nps", "cost_per_resolution")
    default = ("asa", "sl_all", "abandon_rate", "occupancy", *(m for m in journeys if m in present))
    wanted = list(metric or default)
    shown = Table(title="One-at-a-time sensitivity (means, same seeds)", title_justify="left")
    for column in ("metric", "parameter", "low → high", "at low", "base", "at high"):
        shown.add_column(column, justify="left" if column in ("metric", "parameter") else "right")
    for row in table[table.metric.isin(wanted)].itertuples():
        shown.add_row(
            row.metric,
            row.parameter,
            f"{row.low_value} → {row.high_value}",
            format_value(row.low, row.unit),
            format_value(row.base, row.unit),
            format_value(row.high, row.unit),
        )
    console.print(shown)
    if out is not None:
        console.print(f"Wrote {write_csv(table, out, 'sensitivity')}")
    if plots is not None:
        figures = {f"tornado_{m}": plotting.tornado_chart(table, m) for m in wanted}
        _wrote(plotting.save_figures(figures, plots))


def _wrote(paths: list[Path]) -> None:
    console.print(f"Wrote {', '.join(map(str, paths))}")

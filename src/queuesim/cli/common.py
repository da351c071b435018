"""What every command shares: consoles, the error exit, number formatting and progress bars."""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

from queuesim.analytic import StaffingTargets
from queuesim.experiment.executors import Executor, ExecutorKind, make_executor
from queuesim.experiment.runner import ProgressCallback, simulate
from queuesim.results import SimulationResult
from queuesim.scenario import ScenarioError, load_scenario
from queuesim.scenario.overrides import parse_assignments
from queuesim.scenario.units import parse_duration


class TableFormat(StrEnum):
    """File formats of the result tables."""

    csv = "csv"
    parquet = "parquet"


console = Console()
errors = Console(stderr=True)


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print ``message`` in red on stderr and return the exit to raise (no traceback)."""
    errors.print(message, style="red", markup=False, highlight=False, soft_wrap=True)
    return typer.Exit(code)


def duration_option(option: str, text: str) -> float:
    """Seconds from an option's duration text such as ``'20 s'``; a clear exit if invalid."""
    try:
        return parse_duration(text)
    except ValueError as error:
        raise fail(f"{option}: {error}") from None


def ratio_option(option: str, text: str) -> float:
    """A ratio written ``0.8`` or ``80%``; a clear exit if invalid."""
    try:
        return float(text[:-1]) / 100 if text.strip().endswith("%") else float(text)
    except ValueError:
        raise fail(f"{option}: expected a ratio such as 0.8 or 80%, got {text!r}") from None


TARGET_KINDS = ("service_level", "threshold", "asa", "abandon_rate", "max_occupancy")
TARGET_HELP = (
    "KIND=VALUE, KIND one of service_level, threshold, asa, abandon_rate, max_occupancy "
    "(e.g. service_level=0.8, threshold='20 s', asa='30 s'); repeatable."
)


def parse_targets(items: list[str] | None) -> StaffingTargets:
    """``--target KIND=VALUE`` options as staffing targets; a clear exit if invalid."""
    values: dict[str, float] = {}
    for item in items or []:
        kind, sep, text = item.partition("=")
        kind, text = kind.strip(), text.strip()
        if not sep or kind not in TARGET_KINDS:
            raise fail(
                f"--target: expected KIND=VALUE with KIND one of {', '.join(TARGET_KINDS)}, "
                f"got {item!r}"
            )
        if kind in ("threshold", "asa"):
            values[kind] = duration_option(f"--target {kind}", text)
        else:
            values[kind] = ratio_option(f"--target {kind}", text)
    try:
        return StaffingTargets(**values)
    except ValueError as error:
        raise fail(
            f"--target: {error} (such as --target service_level=0.8 --target threshold='20 s')"
        ) from None


def format_value(value: float, unit: str) -> str:
    """A number for a table cell: ratios as percentages, seconds with their unit, scores
    (CSAT) with two decimals."""
    if isinstance(value, float) and math.isnan(value):
        return "–"
    if unit == "ratio":
        return f"{value:.1%}"
    if unit == "s":
        return f"{value:,.1f} s"
    if unit == "score":
        return f"{value:.2f}"
    return f"{value:,.1f}"


def format_estimate(mean: float, low: float, high: float, unit: str) -> str:
    """``mean  [low, high]``, or the mean alone when the interval is undefined."""
    if math.isnan(low):
        return format_value(mean, unit)
    return f"{format_value(mean, unit)}  [{format_value(low, unit)}, {format_value(high, unit)}]"


def format_summary_row(row: pd.Series) -> str:
    """The cell of one ``summary`` row: mean with its 95% confidence interval."""
    return format_estimate(row["mean"], row["ci_low"], row["ci_high"], row["unit"])


@contextmanager
def progress_bar(description: str, total: int) -> Iterator[ProgressCallback]:
    """A transient progress bar with ETA on stderr; yields a ``progress(done, total)`` callback."""
    with Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeRemainingColumn(),
        console=errors,
        transient=True,
    ) as progress:
        task = progress.add_task(description, total=total)
        yield lambda done, all_: progress.update(task, completed=done, total=all_)


ScenarioArgument = Annotated[Path, typer.Argument(help="Scenario YAML file.")]
ReplicationsOption = Annotated[
    int | None, typer.Option("--replications", "-n", help="Override the scenario's count.")
]
SeedOption = Annotated[int | None, typer.Option(help="Override the scenario's seed.")]
SetOption = Annotated[
    list[str] | None,
    typer.Option("--set", help="Override a field: dotted.path=VALUE (repeatable)."),
]
ExecutorOption = Annotated[ExecutorKind, typer.Option("--executor", help="Where replications run.")]
WorkersOption = Annotated[
    int | None, typer.Option("--workers", help="Worker processes (default: all cores).")
]
SchedulerOption = Annotated[
    str | None,
    typer.Option(
        "--scheduler", help="Dask scheduler address, e.g. tcp://host:8786 (implies dask)."
    ),
]
MetricOption = Annotated[
    list[str] | None, typer.Option("--metric", help="KPI to show (repeatable).")
]


@contextmanager
def executor_from_options(
    kind: ExecutorKind, workers: int | None, scheduler: str | None
) -> Iterator[Executor]:
    """The executor the options ask for, closed on exit; a clear exit if it cannot start."""
    try:
        executor = make_executor(kind, workers, scheduler)
    except (RuntimeError, ValueError, OSError) as error:
        raise fail(f"--executor {kind.value}: {error}") from None
    with executor:
        yield executor


def check_run_options(
    replications: int | None, seed: int | None, set_: list[str] | None
) -> dict[str, object]:
    """Check ``-n`` and ``--seed``; return the ``--set`` overrides as a mapping."""
    if replications is not None and replications < 1:
        raise fail(f"--replications: expected a positive integer, got {replications}")
    if seed is not None and seed < 0:
        raise fail(f"--seed: expected a non-negative integer, got {seed}")
    try:
        return parse_assignments(list(set_ or []))
    except ScenarioError as error:
        raise fail(str(error)) from None


def write_csv(table: pd.DataFrame, out: Path, name: str) -> Path:
    """Write ``table`` to ``out/name.csv`` (folder created); return the path."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{name}.csv"
    table.to_csv(path, index=False)
    return path


@contextmanager
def running(
    kind: ExecutorKind, workers: int | None, scheduler: str | None
) -> Iterator[tuple[Executor, ProgressCallback]]:
    """The executor the options ask for, and a progress bar of its replications."""
    with (
        executor_from_options(kind, workers, scheduler) as pool,
        progress_bar("replications", 0) as progress,
    ):
        yield pool, progress


def simulate_from_options(
    scenario: Path,
    replications: int | None,
    seed: int | None,
    set_: list[str] | None,
    *,
    records: bool = False,
    executor: ExecutorKind = ExecutorKind.serial,
    workers: int | None = None,
) -> SimulationResult:
    """Load ``scenario`` with its ``--set`` overrides and simulate it with a progress bar;
    every problem is a clear exit."""
    overrides = check_run_options(replications, seed, set_)
    try:
        loaded = load_scenario(scenario, overrides)
    except ScenarioError as error:
        raise fail(str(error)) from None
    with running(executor, workers, None) as (pool, progress):
        return simulate(
            loaded,
            replications,
            seed,
            records=records,
            overrides=overrides,
            progress=progress,
            executor=pool,
        )

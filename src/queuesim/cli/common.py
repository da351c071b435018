"""What every command shares: consoles, the error exit, number formatting and progress bars."""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum

import pandas as pd
import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

from queuesim.experiment.runner import ProgressCallback


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


def format_value(value: float, unit: str) -> str:
    """A number for a table cell: ratios as percentages, seconds with their unit."""
    if isinstance(value, float) and math.isnan(value):
        return "–"
    if unit == "ratio":
        return f"{value:.1%}"
    if unit == "s":
        return f"{value:,.1f} s"
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

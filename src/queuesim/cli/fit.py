"""``queuesim fit``: a scenario and its estimates from a contact log or interval reports."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from queuesim.cli.common import console, fail, format_estimate
from queuesim.fitting.calibration import FitResult, fit_contact_log, fit_interval_report
from queuesim.fitting.logs import (
    DURATION_UNITS,
    LOG_COLUMNS,
    REPORT_COLUMNS,
    LogLayout,
    read_contact_log,
    read_interval_report,
)
from queuesim.fitting.plots import write_fit_plots
from queuesim.scenario import ScenarioError
from queuesim.scenario.units import SECONDS_PER_DAY, parse_duration


def _layout(
    columns: list[str], time_format: str, duration_unit: str, known: Sequence[str]
) -> LogLayout:
    mapping = {}
    for item in columns:
        standard, sep, header = item.partition("=")
        if not sep or not header.strip() or standard.strip() not in known:
            raise fail(
                f"--column: expected STANDARD=HEADER with STANDARD one of {', '.join(known)}, "
                f"got {item!r}"
            )
        mapping[standard.strip()] = header.strip()
    if duration_unit not in DURATION_UNITS:
        raise fail(f"--duration-unit: expected s or min, got {duration_unit!r}")
    return LogLayout(mapping, time_format, duration_unit)


def _interval(text: str) -> float:
    try:
        seconds = parse_duration(text)
    except ValueError as error:
        raise fail(f"--interval: {error}") from None
    if seconds <= 0 or SECONDS_PER_DAY % seconds:
        raise fail(f"--interval: expected an interval that divides a day, got {text!r}")
    return seconds


def _estimates_table(result: FitResult) -> Table:
    table = Table(title=f"Estimates from {result.source} [95% CI]", title_justify="left")
    for column in ("quantity", "channel", "type", "estimate", "method"):
        table.add_column(column, justify="right" if column == "estimate" else "left")
    for row in result.estimates.itertuples():
        unit = "s" if row.unit == "s" else ("ratio" if row.unit == "ratio" else "")
        cell = format_estimate(row.estimate, row.ci_low, row.ci_high, unit)
        if math.isnan(row.ci_low) or math.isnan(row.ci_high):
            cell = format_estimate(row.estimate, math.nan, math.nan, unit)
        table.add_row(row.quantity, row.channel, row.contact_type, cell, row.method)
    return table


def fit(
    data: Annotated[Path, typer.Argument(help="Contact log CSV (or interval report, --report).")],
    out: Annotated[Path, typer.Option(help="Folder for the scenario, tables and plots.")],
    report: Annotated[
        bool, typer.Option("--report", help="DATA is an interval report, not a contact log.")
    ] = False,
    interval: Annotated[str, typer.Option(help="Reporting interval.")] = "30 min",
    column: Annotated[
        list[str] | None,
        typer.Option(help="Map a standard column to the file's header: arrival=call_start."),
    ] = None,
    time_format: Annotated[
        str, typer.Option(help="'iso' or a strptime format such as '%d/%m/%Y %H:%M:%S'.")
    ] = "iso",
    duration_unit: Annotated[
        str, typer.Option(help="Unit of the plain numbers in duration columns: s or min.")
    ] = "s",
) -> None:
    """Fit arrivals, handle times and patience; write a scenario, estimates and plots."""
    seconds = _interval(interval)
    known = REPORT_COLUMNS if report else LOG_COLUMNS
    layout = _layout(list(column or []), time_format, duration_unit, known)
    try:
        if report:
            result = fit_interval_report(read_interval_report(data, layout), seconds, str(data))
        else:
            log = read_contact_log(data, layout)
            result = fit_contact_log(log, seconds, str(data))
    except (ScenarioError, ValueError) as error:
        raise fail(str(error)) from None
    console.print(_estimates_table(result))
    for note in result.notes:
        console.print(f"Note: {note}", style="yellow", markup=False, highlight=False)
    written = result.write(out)
    if not report:
        written += write_fit_plots(log, result.tables, out)
    console.print(f"Wrote {', '.join(str(p) for p in written)}", markup=False, highlight=False)

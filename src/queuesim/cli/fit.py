"""``queuesim fit``: a scenario and its estimates from a contact log or interval reports."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from queuesim.cli.common import console, duration_option, fail, format_estimate
from queuesim.fitting.calibration import FitResult, fit_contact_log, fit_interval_report
from queuesim.fitting.logs import (
    DURATION_UNITS,
    LOG_COLUMNS,
    REPORT_COLUMNS,
    LogLayout,
    read_contact_log,
    read_interval_report,
    zone,
)
from queuesim.fitting.plots import write_fit_plots
from queuesim.scenario import ScenarioError
from queuesim.scenario.units import SECONDS_PER_DAY

ColumnOption = Annotated[
    list[str] | None,
    typer.Option(help="Map a standard column to the file's header: arrival=call_start."),
]
TimeFormatOption = Annotated[
    str, typer.Option(help="'iso' or a strptime format such as '%d/%m/%Y %H:%M:%S'.")
]
DurationUnitOption = Annotated[
    str, typer.Option(help="Unit of the plain numbers in duration columns: s or min.")
]
TimeZoneOption = Annotated[
    str | None,
    typer.Option(
        help="IANA time zone (Europe/Paris) to convert date-times written with an offset to; "
        "without it they keep the clock time written."
    ),
]


def log_layout(
    columns: list[str] | None,
    time_format: str,
    duration_unit: str,
    time_zone: str | None,
    known: Sequence[str],
) -> LogLayout:
    """The layout given by ``--column``, ``--time-format``, ``--duration-unit`` and
    ``--time-zone``; a clear exit naming the option if one is invalid."""
    mapping = {}
    for item in columns or []:
        standard, sep, header = item.partition("=")
        if not sep or not header.strip() or standard.strip() not in known:
            raise fail(
                f"--column: expected STANDARD=HEADER with STANDARD one of {', '.join(known)}, "
                f"got {item!r}"
            )
        mapping[standard.strip()] = header.strip()
    if duration_unit not in DURATION_UNITS:
        raise fail(f"--duration-unit: expected s or min, got {duration_unit!r}")
    if time_zone is not None:
        try:
            zone(time_zone)
        except ValueError as error:
            raise fail(f"--time-zone: {error}") from None
    return LogLayout(mapping, time_format, duration_unit, time_zone)


def interval_option(text: str) -> float:
    """Seconds of ``--interval``; a clear exit unless it is a duration that divides a day."""
    seconds = duration_option("--interval", text)
    if seconds <= 0 or SECONDS_PER_DAY % seconds:
        raise fail(f"--interval: expected an interval that divides a day, got {text!r}")
    return seconds


def _estimates_table(result: FitResult) -> Table:
    table = Table(title=f"Estimates from {result.source} [95% CI]", title_justify="left")
    for column in ("quantity", "channel", "type", "estimate", "method"):
        table.add_column(column, justify="right" if column == "estimate" else "left")
    for row in result.estimates.itertuples():
        unit = row.unit if row.unit in ("s", "ratio") else ""
        cell = format_estimate(row.estimate, row.ci_low, row.ci_high, unit)
        table.add_row(row.quantity, row.channel, row.contact_type, cell, row.method)
    return table


def fit(
    data: Annotated[Path, typer.Argument(help="Contact log CSV (or interval report, --report).")],
    out: Annotated[Path, typer.Option(help="Folder for the scenario, tables and plots.")],
    report: Annotated[
        bool, typer.Option("--report", help="DATA is an interval report, not a contact log.")
    ] = False,
    interval: Annotated[str, typer.Option(help="Reporting interval.")] = "30 min",
    column: ColumnOption = None,
    time_format: TimeFormatOption = "iso",
    duration_unit: DurationUnitOption = "s",
    time_zone: TimeZoneOption = None,
) -> None:
    """Fit arrivals, handle times and patience; write a scenario, estimates and plots."""
    seconds = interval_option(interval)
    known = REPORT_COLUMNS if report else LOG_COLUMNS
    layout = log_layout(column, time_format, duration_unit, time_zone, known)
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

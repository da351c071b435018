"""``queuesim staffing``, ``queuesim backtest`` and ``queuesim intraday``: from forecasts and
actuals to decisions."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer
from rich.table import Table

from queuesim.analytic import StaffingTargets
from queuesim.cli.common import (
    console,
    duration_option,
    fail,
    format_estimate,
    format_value,
    parse_targets,
    progress_bar,
)
from queuesim.cli.fit import (
    ColumnOption,
    DurationUnitOption,
    TimeFormatOption,
    TimeZoneOption,
    interval_option,
    log_layout,
)
from queuesim.fitting.logs import REPORT_COLUMNS, read_interval_report
from queuesim.planning.backtest import backtest as run_backtest
from queuesim.planning.backtest import band_rank
from queuesim.planning.intraday import IntradayResult, parse_change
from queuesim.planning.intraday import intraday as run_intraday
from queuesim.planning.plots import backtest_plot
from queuesim.planning.staffing_table import (
    read_forecast,
    simulate_staffing,
    staffing_table,
)
from queuesim.scenario import ScenarioError

SL_METRICS = ("sl_all", "sl_answered", "sl_excl_short_abandons")


def staffing(
    forecast: Annotated[
        Path, typer.Argument(help="Forecast CSV: interval_start, volume[, aht] per interval.")
    ],
    target: Annotated[
        list[str],
        typer.Option(
            help="KIND=VALUE, repeatable: service_level=0.8, threshold='20 s', asa='30 s', "
            "abandon_rate=5%, max_occupancy=0.85."
        ),
    ],
    patience: Annotated[
        str | None, typer.Option(help="Mean patience, e.g. '3 min': Erlang A instead of C.")
    ] = None,
    shrinkage: Annotated[float, typer.Option(help="Share of paid time off the phones.")] = 0.0,
    aht: Annotated[str | None, typer.Option(help="AHT for intervals without one.")] = None,
    interval: Annotated[str, typer.Option(help="Length of the forecast's intervals.")] = "30 min",
    channel: Annotated[
        str, typer.Option(help="Keep this channel's rows of a forecast with a channel column.")
    ] = "phone",
    simulate: Annotated[
        bool, typer.Option("--simulate", help="Check the staffing by simulating the day.")
    ] = False,
    replications: Annotated[int, typer.Option("--replications", "-n")] = 20,
    seed: Annotated[int, typer.Option()] = 1,
    out: Annotated[Path | None, typer.Option(help="Write the table to this CSV file.")] = None,
) -> None:
    """Agents needed per interval (Erlang C or A), net and gross of shrinkage."""
    targets = parse_targets(target)
    if targets.service_level is not None and targets.threshold is None:
        raise fail("--target: service_level needs a threshold, such as --target threshold='20 s'")
    seconds = interval_option(interval)
    mean_patience = None if patience is None else duration_option("--patience", patience)
    if mean_patience is not None and mean_patience <= 0:
        raise fail(f"--patience: expected a mean patience greater than 0 s, got {patience!r}")
    if targets.abandon_rate is not None and mean_patience is None:
        raise fail("--target: abandon_rate needs --patience (Erlang C has no abandonment)")
    default_aht = None if aht is None else duration_option("--aht", aht)
    if default_aht is not None and default_aht <= 0:
        raise fail(f"--aht: expected a handle time greater than 0 s, got {aht!r}")
    if not 0.0 <= shrinkage < 1.0:
        raise fail(f"--shrinkage: expected a share from 0 up to (not including) 1, got {shrinkage}")
    if replications < 2:
        raise fail(f"--replications: expected at least 2, got {replications}")
    try:
        table = staffing_table(
            read_forecast(forecast, channel, seconds),
            seconds,
            targets,
            patience=mean_patience,
            shrinkage=shrinkage,
            aht=default_aht,
        )
        if simulate:
            with progress_bar("simulating the day", replications):
                table = simulate_staffing(
                    table,
                    seconds,
                    patience=mean_patience,
                    threshold=targets.threshold if targets.threshold is not None else 20.0,
                    replications=replications,
                    seed=seed,
                )
    except (ScenarioError, ValueError) as error:
        raise fail(str(error)) from None
    console.print(_staffing_view(table, forecast, targets, mean_patience, simulate, replications))
    if targets.threshold is not None:
        console.print(f"SL = answered within {targets.threshold:g} s / offered.")
    if simulate:
        console.print("The simulated ASA is in the CSV (--out).")
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        table.to_csv(out, index=False)
        console.print(f"Wrote {out}", markup=False, highlight=False)


def _staffing_view(
    table: pd.DataFrame,
    forecast: Path,
    targets: StaffingTargets,
    patience: float | None,
    simulate: bool,
    replications: int,
) -> Table:
    """The staffing table for the terminal: the measures the targets and model make relevant
    (service level with a threshold, ASA with an ASA target, abandonment with a patience)."""
    columns: list[tuple[str, Callable[[Any], str]]] = [
        ("time", lambda r: r.time),
        ("volume", lambda r: f"{r.volume:g}"),
        ("AHT", lambda r: f"{r.aht:.0f} s"),
        ("agents", lambda r: str(r.agents)),
        ("gross", lambda r: str(r.agents_gross)),
    ]
    if targets.threshold is not None:
        columns.append(("SL", lambda r: format_value(r.service_level, "ratio")))
    if targets.asa is not None:
        columns.append(("ASA", lambda r: format_value(r.asa, "s")))
    if patience is not None:
        columns.append(("abandon", lambda r: format_value(r.abandon_rate, "ratio")))
    columns.append(("occupancy", lambda r: format_value(r.occupancy, "ratio")))
    if simulate:
        if targets.threshold is not None:
            columns.append(
                (
                    "simulated SL",
                    lambda r: format_estimate(
                        r.sim_sl_all, r.sim_sl_all_low, r.sim_sl_all_high, "ratio"
                    ),
                )
            )
        if patience is not None:
            columns.append(
                (
                    "simulated abandon",
                    lambda r: format_estimate(
                        r.sim_abandon_rate, r.sim_abandon_rate_low, r.sim_abandon_rate_high, "ratio"
                    ),
                )
            )
    title = f"Staffing for {forecast} ({table['model'].iloc[0]} per interval"
    if simulate:
        title += f"; simulated day, mean [95% CI] over {replications} replications"
    view = Table(title=title + ")", title_justify="left")
    for name, _ in columns:
        view.add_column(name, justify="right")
    for row in table.itertuples():
        view.add_row(*(cell(row) for _, cell in columns))
    return view


def _check_band_options(sl_metric: str, band: float, replications: int) -> None:
    """The options ``backtest`` and ``intraday`` share: service level shown, band, count."""
    if sl_metric not in SL_METRICS:
        raise fail(f"--sl-metric: expected one of {', '.join(SL_METRICS)}, got {sl_metric!r}")
    if not 0 < band < 1:
        raise fail(f"--band: expected a share between 0 and 1, got {band}")
    if replications < 2:
        raise fail(f"--replications: expected at least 2, got {replications}")


def backtest(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    actuals: Annotated[Path, typer.Option(help="Interval report of what happened.")],
    replications: Annotated[int, typer.Option("--replications", "-n")] = 39,
    seed: Annotated[int, typer.Option()] = 1,
    band: Annotated[float, typer.Option(help="Nominal coverage of the prediction bands.")] = 0.9,
    sl_metric: Annotated[
        str, typer.Option(help="Simulated service level the report's sl is compared with.")
    ] = "sl_all",
    column: ColumnOption = None,
    time_format: TimeFormatOption = "iso",
    duration_unit: DurationUnitOption = "s",
    time_zone: TimeZoneOption = None,
    out: Annotated[Path | None, typer.Option(help="Folder for the tables and the plot.")] = None,
) -> None:
    """Compare a scenario's predictions with actual intervals: bands, coverage, bias."""
    _check_band_options(sl_metric, band, replications)
    layout = log_layout(column, time_format, duration_unit, time_zone, REPORT_COLUMNS)
    try:
        report = read_interval_report(actuals, layout)
        result = run_backtest(
            scenario,
            report,
            replications=replications,
            seed=seed,
            band=band,
            sl_metric=sl_metric,
            actuals_source=str(actuals),
        )
    except (ScenarioError, ValueError) as error:
        raise fail(str(error)) from None
    view = Table(
        title=f"Back-test of {scenario} against {actuals}: {result.band:.0%} prediction bands "
        f"from {replications} replications per day",
        title_justify="left",
    )
    for name in ("channel", "metric", "intervals", "coverage [95% CI]", "bias", "MAE", "RMSE"):
        view.add_column(name, justify="left" if name in ("channel", "metric") else "right")
    for row in result.summary.itertuples():
        unit = "s" if row.metric == "asa" else ("" if row.metric == "answered" else "ratio")
        view.add_row(
            row.channel,
            row.metric,
            str(row.intervals),
            format_estimate(row.coverage, row.coverage_low, row.coverage_high, "ratio"),
            _signed(row.bias, unit),
            format_value(row.mae, unit),
            format_value(row.rmse, unit),
        )
    console.print(view)
    if result.band < band - 1e-9:
        wanted = math.ceil(2 / (1 - band) - 1 - 1e-9)
        console.print(
            f"Note: {replications} replications give {result.band:.0%} bands, not {band:.0%}; "
            f"use -n {wanted} or more (k = {band_rank(replications, band)} from each end).",
            style="yellow",
            markup=False,
            highlight=False,
        )
    console.print(
        "bias = mean(predicted − actual). The simulated volume is Poisson around the actual, "
        "so bands of counts are wider than given the actual volume (coverage runs high)."
    )
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        result.intervals.to_csv(out / "backtest_intervals.csv", index=False)
        result.summary.to_csv(out / "backtest_summary.csv", index=False)
        backtest_plot(result).savefig(out / "backtest.png", dpi=110)
        console.print(f"Wrote backtest_intervals.csv, backtest_summary.csv, backtest.png to {out}")


def intraday(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    now: Annotated[str, typer.Option(help="The time now, HH:MM: the rest of the day from it.")],
    state: Annotated[
        Path, typer.Option(help="YAML initial_state: waiting, in service, on duty now.")
    ],
    actuals_so_far: Annotated[
        Path | None, typer.Option(help="Interval report of the day so far: scales the rest.")
    ] = None,
    change: Annotated[
        list[str] | None,
        typer.Option(help="GROUP=+N@HH:MM or GROUP=-N@HH:MM, repeatable: paired what-if."),
    ] = None,
    replications: Annotated[int, typer.Option("--replications", "-n")] = 39,
    seed: Annotated[int, typer.Option()] = 1,
    band: Annotated[float, typer.Option(help="Nominal coverage of the prediction bands.")] = 0.9,
    sl_metric: Annotated[str, typer.Option(help="Service level shown.")] = "sl_all",
    column: ColumnOption = None,
    time_format: TimeFormatOption = "iso",
    duration_unit: DurationUnitOption = "s",
    time_zone: TimeZoneOption = None,
    out: Annotated[Path | None, typer.Option(help="Folder for the tables (CSV).")] = None,
) -> None:
    """Re-forecast the rest of the day from the state now, with what-ifs on staffing."""
    _check_band_options(sl_metric, band, replications)
    try:
        changes = [parse_change(text) for text in change or ()]
    except ValueError as error:
        raise fail(f"--change: {error}") from None
    try:
        report = None
        if actuals_so_far is not None:
            layout = log_layout(column, time_format, duration_unit, time_zone, REPORT_COLUMNS)
            report = read_interval_report(actuals_so_far, layout)
        result = run_intraday(
            scenario,
            state,
            now=now,
            actuals_so_far=report,
            changes=changes,
            replications=replications,
            seed=seed,
            band=band,
            sl_metric=sl_metric,
            actuals_source=str(actuals_so_far),
        )
    except ValueError as error:  # ScenarioError included
        raise fail(str(error)) from None
    if not result.ratios.empty:
        console.print(
            "Volume so far against forecast: every later interval is scaled by the ratio "
            "(90% interval); each replication draws the day's multiplier with that cv."
        )
        for row in result.ratios.itertuples():
            console.print(
                f"  {row.channel}: {row.actual_so_far:g} offered / {row.forecast_so_far:.1f} "
                f"forecast → ratio {row.ratio:.3f} [{row.ratio_low:.3f}, {row.ratio_high:.3f}], "
                f"cv {row.cv:.3f}",
                markup=False,
                highlight=False,
            )
    _intraday_view(result, scenario, now, sl_metric)
    if not result.changes.empty:
        _changes_view(result.changes, sl_metric)
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        result.intervals.to_csv(out / "intraday_intervals.csv", index=False)
        written = ["intraday_intervals.csv"]
        if not result.ratios.empty:
            result.ratios.to_csv(out / "intraday_ratios.csv", index=False)
            written.append("intraday_ratios.csv")
        if not result.changes.empty:
            result.changes.to_csv(out / "intraday_changes.csv", index=False)
            written.append("intraday_changes.csv")
        console.print(f"Wrote {', '.join(written)} to {out}")


def _intraday_view(result: IntradayResult, scenario: Path, now: str, sl_metric: str) -> None:
    view = Table(
        title=f"Rest of the day from {now} ({scenario}): mean and {result.band:.0%} prediction "
        f"band of {result.replications} replications",
        title_justify="left",
    )
    columns = ("channel", "interval", sl_metric, "abandon_rate", "asa", "offered")
    for name in columns:
        view.add_column(name, justify="left" if name in ("channel", "interval") else "right")
    table = result.intervals
    units = {sl_metric: "ratio", "abandon_rate": "ratio", "asa": "s", "offered": ""}
    channels = table["channel"].unique()
    shown = [c for c in channels if c != "all"] if len(channels) > 2 else ["all"]
    for (channel, _), rows in table.groupby(["channel", "interval_start"], sort=False):
        if channel not in shown:
            continue
        cells = []
        by_metric = rows.set_index("metric")
        for metric, unit in units.items():
            if metric not in by_metric.index:
                cells.append("–")
                continue
            row = by_metric.loc[metric]
            cells.append(format_estimate(row.predicted, row.band_low, row.band_high, unit))
        view.add_row(channel, rows["time"].iloc[0], *cells)
    console.print(view)


def _changes_view(changes: pd.DataFrame, sl_metric: str) -> None:
    view = Table(
        title="Staffing changes against the base, same seeds: paired difference [95% CI]",
        title_justify="left",
    )
    for name in ("change", "metric", "base", "changed", "difference [95% CI]"):
        view.add_column(name, justify="left" if name in ("change", "metric") else "right")
    totals = changes[
        (changes["channel"] == "all")
        & (changes["contact_type"] == "all")
        & (changes["agent_group"] == "all")
    ]
    units = {sl_metric: "ratio", "abandon_rate": "ratio", "asa": "s", "answered": ""}
    units |= {"occupancy": "ratio", "overtime": "s"}
    for row in totals.itertuples():
        unit = units.get(row.metric, "")
        view.add_row(
            row.change,
            row.metric,
            format_value(row.base, unit),
            format_value(row.value, unit),
            f"{_signed(row.difference, unit)}  [{_signed(row.ci_low, unit)}, "
            f"{_signed(row.ci_high, unit)}]",
        )
    console.print(view)


def _signed(value: float, unit: str) -> str:
    if math.isnan(value):
        return "–"
    text = format_value(abs(value), unit)
    return ("−" if value < 0 else "+") + text

"""``queuesim staffing`` and ``queuesim backtest``: from forecasts and actuals to decisions."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from queuesim.cli.common import (
    console,
    duration_option,
    fail,
    format_estimate,
    format_value,
    parse_targets,
    progress_bar,
)
from queuesim.fitting.logs import REPORT_COLUMNS, LogLayout, read_interval_report
from queuesim.planning.backtest import backtest as run_backtest
from queuesim.planning.plots import backtest_plot
from queuesim.planning.staffing_table import (
    read_forecast,
    simulate_staffing,
    staffing_table,
)
from queuesim.scenario import ScenarioError
from queuesim.scenario.units import SECONDS_PER_DAY

SL_METRICS = ("sl_all", "sl_answered", "sl_excl_short_abandons")


def _interval(text: str) -> float:
    seconds = duration_option("--interval", text)
    if seconds <= 0 or SECONDS_PER_DAY % seconds:
        raise fail(f"--interval: expected an interval that divides a day, got {text!r}")
    return seconds


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
    seconds = _interval(interval)
    mean_patience = None if patience is None else duration_option("--patience", patience)
    default_aht = None if aht is None else duration_option("--aht", aht)
    if replications < 2:
        raise fail(f"--replications: expected at least 2, got {replications}")
    try:
        table = staffing_table(
            read_forecast(forecast, channel),
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
    model = table["model"].iloc[0]
    title = f"Staffing for {forecast} ({model} per interval"
    if simulate:
        title += f"; simulated day, mean [95% CI] over {replications} replications"
    view = Table(title=title + ")", title_justify="left")
    for name in ("time", "volume", "AHT", "agents", "gross", "SL", "abandon", "occupancy"):
        view.add_column(name, justify="right")
    if simulate:
        for name in ("simulated SL", "simulated abandon"):
            view.add_column(name, justify="right")
    for row in table.itertuples():
        cells = [
            row.time,
            f"{row.volume:g}",
            f"{row.aht:.0f} s",
            str(row.agents),
            str(row.agents_gross),
            format_value(row.service_level, "ratio"),
            format_value(row.abandon_rate, "ratio"),
            format_value(row.occupancy, "ratio"),
        ]
        if simulate:
            cells.append(
                format_estimate(row.sim_sl_all, row.sim_sl_all_low, row.sim_sl_all_high, "ratio")
            )
            cells.append(
                format_estimate(
                    row.sim_abandon_rate,
                    row.sim_abandon_rate_low,
                    row.sim_abandon_rate_high,
                    "ratio",
                )
            )
        view.add_row(*cells)
    console.print(view)
    if targets.threshold is not None:
        console.print(f"SL = answered within {targets.threshold:g} s / offered.")
    console.print("ASA and the simulated ASA are in the CSV (--out).")
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        table.to_csv(out, index=False)
        console.print(f"Wrote {out}", markup=False, highlight=False)


def backtest(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    actuals: Annotated[Path, typer.Option(help="Interval report of what happened.")],
    replications: Annotated[int, typer.Option("--replications", "-n")] = 39,
    seed: Annotated[int, typer.Option()] = 1,
    band: Annotated[float, typer.Option(help="Nominal coverage of the prediction bands.")] = 0.9,
    sl_metric: Annotated[
        str, typer.Option(help="Simulated service level the report's sl is compared with.")
    ] = "sl_all",
    column: Annotated[
        list[str] | None,
        typer.Option(help="Map a standard report column to the file's header: offered=calls."),
    ] = None,
    time_format: Annotated[str, typer.Option(help="'iso' or a strptime format.")] = "iso",
    duration_unit: Annotated[str, typer.Option(help="Unit of asa and aht: s or min.")] = "s",
    out: Annotated[Path | None, typer.Option(help="Folder for the tables and the plot.")] = None,
) -> None:
    """Compare a scenario's predictions with actual intervals: bands, coverage, bias."""
    if sl_metric not in SL_METRICS:
        raise fail(f"--sl-metric: expected one of {', '.join(SL_METRICS)}, got {sl_metric!r}")
    if not 0 < band < 1:
        raise fail(f"--band: expected a share between 0 and 1, got {band}")
    if replications < 2:
        raise fail(f"--replications: expected at least 2, got {replications}")
    mapping = {}
    for item in column or []:
        standard, sep, header = item.partition("=")
        if not sep or standard.strip() not in REPORT_COLUMNS:
            raise fail(
                f"--column: expected STANDARD=HEADER with STANDARD one of "
                f"{', '.join(REPORT_COLUMNS)}, got {item!r}"
            )
        mapping[standard.strip()] = header.strip()
    try:
        report = read_interval_report(actuals, LogLayout(mapping, time_format, duration_unit))
        result = run_backtest(
            scenario,
            report,
            replications=replications,
            seed=seed,
            band=band,
            sl_metric=sl_metric,
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


def _signed(value: float, unit: str) -> str:
    if math.isnan(value):
        return "–"
    text = format_value(abs(value), unit)
    return ("−" if value < 0 else "+") + text

"""Back-tests: how far a scenario's predictions were from what actually happened.

For each day of an interval report (the actuals), the scenario is run with that day's actual
offered volume of each interval as its arrival profile (and the actual AHT of each interval
when the report has one; the forecast dispersion is dropped, since the volume is now known).
Each interval's simulated answered count, abandonment rate, ASA and service level over the
replications give a **90% prediction band**: the spread of single-day outcomes, not the
confidence interval of their mean. With R replications the band runs from the k-th smallest to
the k-th largest value, k = ⌊0.05·(R + 1)⌋; an outcome exchangeable with the replications falls
inside with probability (R + 1 − 2k) / (R + 1), exactly 90% for the default R = 39 (ties,
common in small counts, only raise it). If the model is right, the actual falls inside about
nine times out of ten. The back-test reports per metric the **coverage**
(share of intervals whose actual is inside its band, with a Clopper–Pearson 95% interval), the
**bias** (mean of simulated mean − actual) and the mean absolute and root-mean-square errors.

Approximation: the simulation draws each interval's offered volume as Poisson around the
actual volume instead of fixing it, so the bands of volume-driven metrics (answered above all)
are wider than they would be given the actual volume, and their coverage runs above the
nominal level. Ratios (abandonment rate, service level) and ASA are affected far less.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from queuesim.experiment.runner import simulate
from queuesim.experiment.sources import parse_source
from queuesim.fitting.scenario_file import end_of_day_clock
from queuesim.scenario import Scenario, ScenarioError, scenario_from_dict
from queuesim.scenario.units import format_time_of_day


@dataclass(frozen=True)
class BacktestResult:
    """The back-test of a scenario against actuals.

    Attributes:
        intervals: one row per day × channel × interval × metric: ``actual``, ``predicted``
            (mean over replications), ``band_low``, ``band_high`` and ``inside``.
        summary: one row per channel × metric: ``intervals``, ``coverage`` with its 95%
            interval ``coverage_low``, ``coverage_high``, ``bias``, ``mae`` and ``rmse``.
        band: the coverage of the bands for exchangeable outcomes, (R + 1 − 2k) / (R + 1).
        replications: replications per day.
    """

    intervals: pd.DataFrame
    summary: pd.DataFrame
    band: float
    replications: int


def _day_scenario(data: dict, source: str, base_dir: Path | None, day: pd.DataFrame) -> Scenario:
    """The scenario with the day's actual offered volumes (and AHTs) as its profiles."""
    data = {**data, "horizon": "1 d", "channels": dict(data.get("channels") or {})}
    data.pop("warmup", None)
    for channel, rows in day.groupby("channel"):
        profile = []
        for row in rows[rows["offered"] > 0].itertuples():
            point = {"start": format_time_of_day(row.interval_start), "volume": row.offered}
            aht = getattr(row, "aht", math.nan)
            if not math.isnan(aht) and aht > 0:
                point["aht"] = f"{aht:.6g} s"
            profile.append(point)
        settings = dict(data["channels"][channel] or {})
        settings["arrivals"] = {"profile": profile}
        data["channels"][channel] = settings
    return scenario_from_dict(data, source=source, base_dir=base_dir)


def check_actuals(scenario: Scenario, actuals: pd.DataFrame, source: str) -> None:
    """Raise a ScenarioError naming ``source`` and the first actual interval the scenario
    cannot take: an unknown channel, a start off the scenario's interval grid, or volume
    while the channel is closed."""
    length = f"{scenario.interval / 60:g}-min"
    for row in actuals.itertuples():
        date = "" if row.date is None or pd.isna(row.date) else f"{row.date} "
        where = f"{source} interval {date}{format_time_of_day(row.interval_start)}"
        channel = scenario.channels.get(row.channel)
        if channel is None:
            known = ", ".join(scenario.channels)
            message = f"expected a channel of the scenario ({known}), got {row.channel!r}"
        elif row.interval_start % scenario.interval:
            message = (
                f"expected the start of one of the scenario's {length} intervals, got "
                f"{format_time_of_day(row.interval_start)}"
            )
        elif (
            row.offered > 0
            and not channel.deferred
            and not channel.open <= row.interval_start < channel.close
        ):
            message = (
                f"expected volume only while the scenario's channel {row.channel} is open "
                f"({format_time_of_day(channel.open)}–{end_of_day_clock(channel.close)}), "
                f"got {row.offered:g} offered"
            )
        else:
            continue
        raise ScenarioError.single(where, (), message)


def _pairs(report: pd.DataFrame, sl_metric: str) -> dict[str, str]:
    """Which report columns are compared, and with which simulated metric."""
    pairs = {}
    if "answered" in report:
        pairs["answered"] = "answered"
    if "abandoned" in report:
        pairs["abandon_rate"] = "abandon_rate"
    if "asa" in report:
        pairs["asa"] = "asa"
    if "sl" in report:
        pairs["sl"] = sl_metric
    return pairs


def band_rank(replications: int, band: float = 0.9) -> int:
    """k of the band [k-th smallest, k-th largest] of ``replications`` values: ⌊(1 − band) / 2
    · (R + 1)⌋, at least 1. Raises ValueError for a band outside (0, 1) or R < 2."""
    if not 0 < band < 1:
        raise ValueError(f"band must be between 0 and 1, got {band!r}")
    if replications < 2:
        raise ValueError(f"replications must be at least 2, got {replications}")
    return max(1, math.floor((1 - band) / 2 * (replications + 1) + 1e-9))


BAND_COLUMNS = [
    "date",
    "channel",
    "interval_start",
    "time",
    "metric",
    "actual",
    "predicted",
    "band_low",
    "band_high",
    "inside",
]


def prediction_bands(
    simulated: pd.DataFrame,
    actuals: pd.DataFrame,
    *,
    band: float = 0.9,
    sl_metric: str = "sl_all",
) -> pd.DataFrame:
    """Each actual interval's metrics beside the band of the simulated single-day outcomes.

    ``simulated`` is a simulation's ``intervals`` table for one day (rows of contact type
    ``all`` are used); ``actuals`` that day's rows of an interval report. Metrics compared:
    ``answered``, ``abandon_rate`` (abandoned / offered), ``asa`` and the report's ``sl``
    against ``sl_metric``, those the report has. Returns one row per interval × metric with
    the columns of :class:`BacktestResult` ``intervals``; an interval where the metric is
    undefined in the report or in every replication is left out.
    """
    report = actuals.copy()
    if "abandoned" in report:
        report["abandon_rate"] = report["abandoned"] / report["offered"]
    pairs = _pairs(report, sl_metric)
    if not pairs:
        raise ValueError("the actuals have none of answered, abandoned, asa, sl to compare")
    simulated = simulated[simulated["contact_type"] == "all"]
    k = band_rank(simulated["replication"].nunique(), band)
    records = []
    for row in report.itertuples():
        sims = simulated[
            (simulated["channel"] == row.channel)
            & (simulated["interval_start"] == row.interval_start)
        ]
        for column, metric in pairs.items():
            values = np.sort(sims[metric].to_numpy(dtype=float))
            values = values[~np.isnan(values)]
            actual = float(getattr(row, column))
            if len(values) == 0 or math.isnan(actual):
                continue
            low = values[min(k, len(values)) - 1]
            high = values[max(len(values) - k, 0)]
            records.append(
                (
                    "-" if row.date is None or pd.isna(row.date) else str(row.date),
                    row.channel,
                    row.interval_start,
                    format_time_of_day(row.interval_start),
                    metric,
                    actual,
                    float(values.mean()),
                    float(low),
                    float(high),
                    bool(low <= actual <= high),
                )
            )
    return pd.DataFrame(records, columns=BAND_COLUMNS)


def coverage_summary(intervals: pd.DataFrame) -> pd.DataFrame:
    """Per channel × metric: ``intervals``, ``coverage`` (share of actuals inside their band)
    with its Clopper–Pearson 95% interval, ``bias`` (mean predicted − actual), ``mae`` and
    ``rmse``."""
    rows = []
    for (channel, metric), group in intervals.groupby(["channel", "metric"], sort=False):
        n = len(group)
        hits = int(group["inside"].sum())
        ci = stats.binomtest(hits, n).proportion_ci(0.95)
        error = group["predicted"] - group["actual"]
        rmse = math.sqrt((error**2).mean())
        rows.append(
            (channel, metric, n, hits / n, ci.low, ci.high, error.mean(), error.abs().mean(), rmse)
        )
    columns = ["channel", "metric", "intervals", "coverage", "coverage_low", "coverage_high"]
    return pd.DataFrame(rows, columns=[*columns, "bias", "mae", "rmse"])


def backtest(
    scenario: str | Path | Mapping,
    actuals: pd.DataFrame,
    *,
    replications: int = 39,
    seed: int = 1,
    band: float = 0.9,
    sl_metric: str = "sl_all",
    base_dir: str | Path | None = None,
    actuals_source: str = "actuals",
) -> BacktestResult:
    """Back-test ``scenario`` (a file, or parsed YAML whose CSV files are read relative to
    ``base_dir``) against the interval report ``actuals`` (see the module docstring).

    ``actuals`` as read by :func:`~queuesim.fitting.logs.read_interval_report`: each date (or
    the single undated day) is simulated separately with ``replications`` replications, seeds
    ``seed``, ``seed + 1``, ... per day. ``band`` is the nominal coverage
    (:func:`band_rank`). The report's ``sl`` is compared with the simulated ``sl_metric``
    (``sl_all``, ``sl_answered`` or ``sl_excl_short_abandons``, at the scenario's first
    threshold). Raises :class:`ScenarioError` naming the scenario file for an invalid
    scenario, and naming ``actuals_source`` and the interval for actuals the scenario cannot
    take (an unknown channel, an interval off the scenario's grid, volume while a channel is
    closed).
    """
    k = band_rank(replications, band)
    parsed = parse_source(scenario)
    data, source, file_dir = dict(parsed.data), parsed.source, parsed.base_dir
    directory = file_dir if base_dir is None else Path(base_dir)
    check_actuals(
        scenario_from_dict(data, source=source, base_dir=directory), actuals, actuals_source
    )
    frames = []
    dates = actuals["date"].fillna("-")
    for index, day in enumerate(dates.unique()):
        rows = actuals[dates == day]
        day_scenario = _day_scenario(data, source, directory, rows)
        result = simulate(day_scenario, replications, seed + index)
        frames.append(prediction_bands(result.intervals, rows, band=band, sl_metric=sl_metric))
    intervals = pd.concat(frames, ignore_index=True)
    achieved = (replications + 1 - 2 * k) / (replications + 1)
    return BacktestResult(intervals, coverage_summary(intervals), achieved, replications)


__all__ = [
    "BacktestResult",
    "backtest",
    "band_rank",
    "coverage_summary",
    "prediction_bands",
]

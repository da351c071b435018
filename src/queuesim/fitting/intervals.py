"""What interval reports (offered, answered, abandoned, ASA, AHT, SL per interval) tell.

The arrival profile is the mean offered volume per interval of the day over the report's days,
and the AHT of an interval the answered-weighted mean of its reported AHTs (offered-weighted
when answered counts are missing).

Patience cannot be observed in aggregates; it is **approximated** by inverting Erlang A
(Garnett, Mandelbaum & Reiman 2002; Mandelbaum & Zeltyn 2007) in each interval: the mean
patience for which an M/M/n+M queue with the interval's arrival rate (offered / interval
length), AHT and agents (the report's ``agents``, rounded) abandons at the reported rate. The
approximation assumes a steady state within each interval (no carry-over from the previous
one), Poisson arrivals, exponential handle times and exponential patience. An interval without
abandonments has no estimate, nor has a rate outside what Erlang A can give: above its loss
probability (instant abandonment), or, in an interval whose load exceeds its agents, below the
share 1 − agents / load that abandons however patient callers are. The pooled estimate is
the one mean patience for which the Erlang A abandonments of all usable intervals add up to
the reported total.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import optimize

from queuesim.analytic import erlang_a
from queuesim.scenario.units import format_time_of_day

_LOG_LOW, _LOG_HIGH = math.log(0.1), math.log(1e7)


def check_interval(report: pd.DataFrame, interval: float) -> None:
    """Raise ValueError unless the report's intervals are ``interval`` seconds long: every
    start on that grid, and some two rows of a day and channel one interval apart (a report
    of 30-min rows read as 15-min ones would double every rate)."""
    length = f"{interval / 60:g} min"
    misaligned = report[report["interval_start"] % interval != 0]
    if not misaligned.empty:
        start = format_time_of_day(misaligned["interval_start"].iloc[0])
        raise ValueError(f"expected intervals of {length} starting on its grid, got one at {start}")
    keys = [report["channel"], report["date"].fillna("-")]
    groups = report.groupby(keys)["interval_start"]
    steps = np.concatenate([np.diff(np.sort(starts.to_numpy())) for _, starts in groups])
    if len(steps) and steps.min() > interval:
        raise ValueError(
            f"expected intervals of {length}, got rows at least {steps.min() / 60:g} min apart: "
            "give the report's interval length"
        )


def report_profile(report: pd.DataFrame) -> pd.DataFrame:
    """Mean offered volume and AHT per channel × interval of the day.

    ``report`` as read by :func:`~queuesim.fitting.logs.read_interval_report`. Returns
    ``channel, interval_start, time, days, volume, aht`` (``aht`` NaN without an AHT column).
    """
    rows = []
    for (channel, start), group in report.groupby(["channel", "interval_start"], sort=True):
        aht = math.nan
        if "aht" in group and group["aht"].notna().any():
            known = group[group["aht"].notna()]
            weights = known["answered"] if "answered" in known else known["offered"]
            weights = weights.fillna(0.0).to_numpy()
            values = known["aht"].to_numpy()
            aht = float(np.average(values, weights=weights) if weights.sum() else values.mean())
        rows.append(
            (channel, start, format_time_of_day(start), len(group), group["offered"].mean(), aht)
        )
    return pd.DataFrame(
        rows, columns=["channel", "interval_start", "time", "days", "volume", "aht"]
    )


def _abandon_probability(rate: float, aht: float, agents: int, patience: float) -> float:
    if agents < 1:
        return math.nan
    return erlang_a(rate, aht, agents, patience).p_abandon


def _invert(target: float, rate: float, aht: float, agents: int) -> float:
    """The mean patience giving abandonment probability ``target`` (NaN if none does)."""

    def gap(log_patience: float) -> float:
        return _abandon_probability(rate, aht, agents, math.exp(log_patience)) - target

    low, high = gap(_LOG_LOW), gap(_LOG_HIGH)
    if not (low > 0 > high):
        return math.nan
    return math.exp(optimize.brentq(gap, _LOG_LOW, _LOG_HIGH, xtol=1e-6))


def erlang_a_patience(report: pd.DataFrame, interval: float) -> tuple[pd.DataFrame, float]:
    """Mean patience per interval, and pooled, by inverting Erlang A (approximate).

    ``report`` needs ``offered``, ``abandoned``, ``aht`` and ``agents`` columns; ``interval``
    is the report's interval length in seconds. Returns (one row per report row with
    ``abandon_rate`` and ``patience``, NaN where not estimable; the pooled mean patience).
    Raises ValueError if a needed column is missing.
    """
    missing = [c for c in ("offered", "abandoned", "aht", "agents") if c not in report]
    if missing:
        raise ValueError(
            "inverting Erlang A needs the report columns offered, abandoned, aht and agents; "
            f"missing {', '.join(missing)}"
        )
    table = report[
        ["date", "interval_start", "channel", "offered", "abandoned", "aht", "agents"]
    ].copy()
    table["time"] = [format_time_of_day(s) for s in table["interval_start"]]
    table["abandon_rate"] = table["abandoned"] / table["offered"]
    usable = (
        (table["offered"] > 0)
        & (table["abandoned"] > 0)
        & (table["aht"] > 0)
        & (table["agents"].round() >= 1)
    )
    patience = []
    for row, ok in zip(table.itertuples(), usable, strict=True):
        if not ok:
            patience.append(math.nan)
            continue
        patience.append(
            _invert(row.abandon_rate, row.offered / interval, row.aht, round(row.agents))
        )
    table["patience"] = patience
    table["method"] = "Erlang A inversion (approximate)"
    chosen = table[usable & table["patience"].notna()]
    if chosen.empty:
        return table, math.nan

    def gap(log_patience: float) -> float:
        expected = sum(
            r.offered
            * _abandon_probability(
                r.offered / interval, r.aht, round(r.agents), math.exp(log_patience)
            )
            for r in chosen.itertuples()
        )
        return expected - chosen["abandoned"].sum()

    if not (gap(_LOG_LOW) > 0 > gap(_LOG_HIGH)):
        return table, math.nan
    return table, math.exp(optimize.brentq(gap, _LOG_LOW, _LOG_HIGH, xtol=1e-6))


__all__ = ["check_interval", "erlang_a_patience", "report_profile"]

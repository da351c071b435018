"""Staffing tables: the agents each interval of a forecast needs, and a simulation check.

Per interval, the analytic requirement is :func:`queuesim.analytic.min_agents`: the least
agents meeting every target given (service level within a threshold, ASA, abandonment rate,
maximum occupancy) under Erlang C, or Erlang A when a mean patience is given, treating each
interval as a steady state of its own (the classic per-interval method; Green, Kolesar & Whitt
2007 describe where it fails). The gross requirement adds shrinkage: ⌈net / (1 − shrinkage)⌉.

:func:`simulate_staffing` puts the net staffing on duty as a roster (each maximal run of
intervals needing at least k agents is one shift, so an agent stays on as long as the level
allows) and simulates the whole day with the same assumptions as the formula (Poisson
arrivals, exponential handle times at each interval's AHT, exponential patience). What differs
is the carry-over: customers queued at the end of an interval and agents still busy when their
shift ends, which the per-interval formula ignores. Each interval's simulated service level,
ASA and abandonment rate come with a 95% Student-t interval across replications.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from queuesim.analytic import StaffingTargets, erlang_a, erlang_c, min_agents
from queuesim.experiment.runner import simulate
from queuesim.experiment.staffing import layered_runs
from queuesim.fitting.scenario_file import end_of_day_clock
from queuesim.scenario import ScenarioError, scenario_from_dict
from queuesim.scenario.errors import Problem
from queuesim.scenario.tables import read_profile_table
from queuesim.scenario.units import (
    format_time_of_day,
    parse_duration,
    parse_time_of_day,
)

SIMULATED_METRICS = ("sl_all", "asa", "abandon_rate")


def read_forecast(
    path: str | Path, channel: str = "phone", interval: float | None = None
) -> pd.DataFrame:
    """Read a forecast in the arrival-profile CSV format (``interval_start, volume[, aht]``).

    Returns ``interval_start`` (seconds from midnight), ``volume`` and ``aht`` (seconds, NaN
    when absent). With ``interval`` (seconds), each row must start one interval after the
    row above it, on the interval's grid: a forecast of another interval length would
    otherwise be read with rates off by that ratio. Errors name the file, line and column
    (:class:`ScenarioError`).
    """
    table = read_profile_table(Path(path), channel)
    starts = [parse_time_of_day(row["start"]) for row in table.rows]
    if interval is not None:
        _check_steps(table.source, table.lines, starts, interval)
    return pd.DataFrame(
        {
            "interval_start": starts,
            "volume": [row["volume"] for row in table.rows],
            "aht": [_seconds(row.get("aht")) for row in table.rows],
        }
    )


def _check_steps(source: str, lines: list[int], starts: list[float], interval: float) -> None:
    """Raise a ScenarioError at the first row off the grid or not one interval after the last."""
    length = f"{interval / 60:g}-min"
    for index, (line, start) in enumerate(zip(lines, starts, strict=True)):
        where = f"{source} line {line}, column interval_start"
        if start % interval:
            message = f"expected the start of a {length} interval, got {format_time_of_day(start)}"
        elif index and start != starts[index - 1] + interval:
            message = (
                f"expected {format_time_of_day(starts[index - 1] + interval)}, one {length} "
                f"interval after line {lines[index - 1]}, got {format_time_of_day(start)} "
                "(rows step by the forecast's interval, in order, without gaps)"
            )
        else:
            continue
        raise ScenarioError([Problem(where, (), message)])


def _seconds(text: str | None) -> float:
    return math.nan if text is None else parse_duration(text)


def staffing_table(
    forecast: pd.DataFrame,
    interval: float,
    targets: StaffingTargets,
    *,
    patience: float | None = None,
    shrinkage: float = 0.0,
    aht: float | None = None,
) -> pd.DataFrame:
    """The per-interval staffing requirement of ``forecast`` (see the module docstring).

    ``forecast`` has ``interval_start`` (s), ``volume`` and optionally ``aht`` (s; ``aht``
    given here fills the missing ones). Returns one row per interval: ``time, volume, aht,
    load`` (Erlangs), ``agents`` (net), ``agents_gross`` and the analytic ``service_level``,
    ``asa``, ``abandon_rate`` and ``occupancy`` at that staffing. Raises ValueError for
    invalid targets or shrinkage, or an interval without an AHT.
    """
    if not 0.0 <= shrinkage < 1.0:
        raise ValueError(f"shrinkage must be in [0, 1), got {shrinkage!r}")
    if interval <= 0:
        raise ValueError(f"interval must be greater than 0 s, got {interval!r}")
    table = forecast[["interval_start", "volume"]].copy()
    ahts = forecast["aht"] if "aht" in forecast else pd.Series(np.nan, index=forecast.index)
    table["aht"] = ahts.fillna(aht if aht is not None else np.nan)
    if table["aht"].isna().any():
        first = format_time_of_day(table.loc[table["aht"].isna(), "interval_start"].iloc[0])
        raise ValueError(f"interval {first} has no AHT: give an aht column or --aht")
    table.insert(1, "time", [format_time_of_day(s) for s in table["interval_start"]])
    table["load"] = table["volume"] / interval * table["aht"]
    kwargs = targets.min_agents_arguments()
    rows = []
    for volume, mean_aht in zip(table["volume"], table["aht"], strict=True):
        rate = volume / interval
        n = min_agents(rate, mean_aht, patience=patience, **kwargs)
        if n == 0:
            rows.append((0, 0, math.nan, math.nan, math.nan, math.nan))
            continue
        if patience is None:
            c = erlang_c(rate, mean_aht, n, threshold=targets.threshold)
            measures = (c.service_level, c.asa, 0.0, c.occupancy)
        else:
            a = erlang_a(rate, mean_aht, n, patience, threshold=targets.threshold)
            measures = (a.service_level, a.asa, a.p_abandon, a.occupancy)
        rows.append((n, math.ceil(n / (1.0 - shrinkage) - 1e-9), *measures))
    columns = ["agents", "agents_gross", "service_level", "asa", "abandon_rate", "occupancy"]
    table[columns] = pd.DataFrame(rows, index=table.index, columns=columns)
    table["model"] = "Erlang C" if patience is None else "Erlang A"
    return table


def roster_shifts(starts: list[float], agents: list[int], interval: float) -> list[dict]:
    """Shifts putting ``agents[i]`` on duty from ``starts[i]`` for one interval each, layered
    as :func:`~queuesim.experiment.staffing.layered_runs` does."""
    runs = sorted(layered_runs(agents).items())
    return [
        {
            "name": f"s{index}",
            "start": format_time_of_day(starts[first]),
            "end": end_of_day_clock(starts[end - 1] + interval),
            "agents": n,
        }
        for index, ((first, end), n) in enumerate(runs, start=1)
    ]


def staffing_scenario(
    table: pd.DataFrame, interval: float, patience: float | None, threshold: float
) -> dict:
    """A one-day scenario (as parsed YAML) with the table's forecast and net staffing."""
    active = table[table["volume"] > 0]
    first = active["interval_start"].min()
    last = active["interval_start"].max()
    span = table[table["interval_start"].between(first, last)]
    mean_aht = float(np.average(span["aht"], weights=span["volume"]))
    channel = {
        "kind": "phone",
        "open": format_time_of_day(first),
        "close": end_of_day_clock(last + interval),
        "at_close": "wait",
        "arrivals": {
            "profile": [
                {
                    "start": format_time_of_day(s),
                    "volume": float(v),
                    "aht": f"{a:.6g} s",
                }
                for s, v, a in zip(span["interval_start"], span["volume"], span["aht"], strict=True)
            ]
        },
        "mix": {"calls": 1.0},
        "patience": "none"
        if patience is None
        else {"dist": "exponential", "mean": f"{patience:.6g} s"},
    }
    return {
        "version": 1,
        "name": "Staffing table check",
        "horizon": "1 d",
        "interval": f"{interval:g} s",
        "service_level": {"thresholds": [f"{threshold:g} s"]},
        "channels": {"phone": channel},
        "contact_types": {
            "calls": {"handle_time": {"dist": "exponential", "mean": f"{mean_aht:.6g} s"}}
        },
        "agent_groups": {
            "team": {
                "channels": ["phone"],
                "shifts": roster_shifts(
                    list(table["interval_start"]), list(table["agents"]), interval
                ),
            }
        },
    }


def _mean_ci(values: np.ndarray) -> tuple[float, float, float]:
    values = values[~np.isnan(values)]
    n = len(values)
    if n == 0:
        return math.nan, math.nan, math.nan
    mean = float(values.mean())
    if n < 2:
        return mean, math.nan, math.nan
    half = stats.t.ppf(0.975, n - 1) * values.std(ddof=1) / math.sqrt(n)
    return mean, mean - half, mean + half


def simulate_staffing(
    table: pd.DataFrame,
    interval: float,
    *,
    patience: float | None = None,
    threshold: float = 20.0,
    replications: int = 20,
    seed: int = 1,
) -> pd.DataFrame:
    """Simulate the table's net staffing over the day (module docstring) and add, per
    interval, ``sim_<metric>``, ``sim_<metric>_low`` and ``sim_<metric>_high`` (95% CI) for
    ``sl_all`` (answered within ``threshold`` / offered), ``asa`` and ``abandon_rate``."""
    if table["agents"].sum() == 0:
        raise ValueError("the staffing table has no agents to simulate")
    scenario = scenario_from_dict(
        staffing_scenario(table, interval, patience, threshold), source="staffing table"
    )
    result = simulate(scenario, replications, seed)
    rows = result.intervals
    rows = rows[(rows["channel"] == "phone") & (rows["contact_type"] == "all")]
    out = table.copy()
    for metric in SIMULATED_METRICS:
        estimates = [
            _mean_ci(rows.loc[rows["interval_start"] == start, metric].to_numpy(dtype=float))
            for start in table["interval_start"]
        ]
        out[f"sim_{metric}"], out[f"sim_{metric}_low"], out[f"sim_{metric}_high"] = zip(
            *estimates, strict=True
        )
    return out


__all__ = [
    "StaffingTargets",
    "read_forecast",
    "roster_shifts",
    "simulate_staffing",
    "staffing_scenario",
    "staffing_table",
]

"""Intraday re-forecast: the rest of the day from where it stands now.

The scenario is started from the state now (an ``initial_state``: customers waiting with their
elapsed waits, contacts in service with their remaining work, agents on shift) and run to the
end of that day; statistics start with the interval holding *now* (customers already waiting
count there). Each later interval's service level, abandonment rate, ASA and answered count is
shown with its mean and a 90% **prediction band** over the replications (the spread of
single-day outcomes, as in :mod:`queuesim.planning.backtest`).

**Re-forecast rule.** With an interval report of the day so far, the rest-of-day volume of
each channel is scaled by the ratio of what arrived to what was forecast so far. The ratio's
uncertainty is a gamma distribution for the day's volume multiplier: with A contacts offered
against F forecast in the intervals before now, and a scenario whose forecast error is a
day-level gamma multiplier with coefficient of variation cv (k = 1 / cv², mean 1), the updated
multiplier is gamma with mean (k + A) / (k + F) and cv 1 / √(k + A) (the conjugate update of
that prior by a Poisson count); without a day-level dispersion (k = 0) it is A / F with cv
1 / √A. Every later interval's forecast is multiplied by the mean, and the run draws each
replication's multiplier around it with that cv, so the bands carry the ratio's uncertainty.
An interval-level dispersion is kept as it is. The ratio table gives A, F, the ratio and its
90% interval.

**Staffing changes.** ``GROUP=+2@13:00`` adds two agents to a group from 13:00 to the end of
the last of its shifts on then (to the end of the day for a fixed-size group);
``GROUP=-1@15:00`` sends one home at 15:00, taken from the shift on then that ends last.
Each change is simulated on the same seeds as the base (common random numbers: the same
customers arrive and bring the same handle times and patience) and compared with it by paired
differences of the rest-of-day metrics (:func:`queuesim.experiment.compare.paired_differences`).
With absenteeism the absences of a split shift are drawn again, so the pairing of absences is
approximate.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml
from scipy import stats

from queuesim.experiment.compare import paired_differences
from queuesim.experiment.runner import simulate
from queuesim.experiment.sources import parse_source
from queuesim.model.arrivals import expected_volumes
from queuesim.planning.backtest import band_rank, check_actuals
from queuesim.scenario import Scenario, ScenarioError, scenario_from_dict
from queuesim.scenario.errors import Problem
from queuesim.scenario.schema import Shift
from queuesim.scenario.units import SECONDS_PER_DAY, format_time_of_day, parse_time_of_day

METRICS = ("offered", "answered", "abandon_rate", "asa")
"""Per-interval metrics shown besides the service level."""

CHANGE_METRICS = ("answered", "abandoned", "abandon_rate", "asa", "occupancy", "overtime")
"""Rest-of-day metrics compared between a staffing change and the base."""

_CHANGE = re.compile(r"^\s*([A-Za-z][A-Za-z0-9_-]*)\s*=\s*([+-]\d+)\s*@\s*(\d{1,2}:\d{2})\s*$")


@dataclass(frozen=True)
class StaffingChange:
    """``agents`` more (negative: fewer) in ``group`` from ``at`` (seconds after midnight)."""

    group: str
    agents: int
    at: float

    @property
    def label(self) -> str:
        """The change as written: ``tier1=+2@13:00``."""
        return f"{self.group}={self.agents:+d}@{format_time_of_day(self.at)}"


def parse_change(text: str) -> StaffingChange:
    """Parse ``GROUP=+N@HH:MM`` or ``GROUP=-N@HH:MM``; raises ValueError saying what is
    expected."""
    match = _CHANGE.match(text)
    if match is None or int(match.group(2)) == 0:
        raise ValueError(f"expected GROUP=+N@HH:MM or GROUP=-N@HH:MM (N > 0), got {text!r}")
    return StaffingChange(match.group(1), int(match.group(2)), parse_time_of_day(match.group(3)))


@dataclass(frozen=True)
class IntradayResult:
    """The rest-of-day forecast from a state.

    Attributes:
        intervals: one row per channel × interval × metric from the interval holding now
            (intervals where no replication has an arrival are left out):
            ``predicted`` (mean over replications), ``band_low`` and ``band_high``.
        ratios: one row per channel: ``forecast_so_far`` (F), ``actual_so_far`` (A),
            ``ratio`` applied to the rest of the day, its 90% interval ``ratio_low``,
            ``ratio_high`` and the ``cv`` of the multiplier drawn per replication (empty
            without actuals).
        changes: one row per change × KPI (rest of day): the base and changed means, their
            paired ``difference`` with its 95% CI ``ci_low``, ``ci_high`` and ``n_reps``.
        band: the coverage of the bands for exchangeable outcomes, (R + 1 − 2k) / (R + 1).
        replications: replications per variant.
    """

    intervals: pd.DataFrame
    ratios: pd.DataFrame
    changes: pd.DataFrame
    band: float
    replications: int


def read_state(state: str | Path | Mapping[str, Any]) -> dict[str, Any]:
    """The ``initial_state`` section from a YAML file or a mapping: either the section itself
    or a document holding it under ``initial_state``."""
    if isinstance(state, Mapping):
        data: Any = dict(state)
        source = "<state>"
    else:
        source = str(state)
        try:
            data = yaml.safe_load(Path(state).read_text(encoding="utf-8"))
        except OSError as error:
            raise ScenarioError.single(
                source, (), f"expected a readable file, got {error}"
            ) from None
        except yaml.YAMLError as error:
            raise ScenarioError.single(source, (), f"expected valid YAML, got {error}") from None
    if isinstance(data, Mapping) and "initial_state" in data:
        data = data["initial_state"]
    if not isinstance(data, Mapping):
        raise ScenarioError.single(source, (), "expected a mapping: the initial_state section")
    return dict(data)


def _state_problems(error: ScenarioError, source: str) -> list[Problem]:
    """The problems of a scenario with a state, those of the state named by its own file."""
    problems = []
    for problem in error.problems:
        in_state = problem.path.startswith("initial_state") or problem.message.startswith(
            "initial_state"
        )
        problems.append(replace(problem, source=source) if in_state else problem)
    return problems


def _ratio(a: float, f: float, cv: float | None) -> tuple[float, float, float, float]:
    """Mean, 90% interval and cv of the updated day multiplier (module docstring)."""
    k = 0.0 if cv is None else 1.0 / cv**2
    shape, rate = k + a, k + f
    if shape <= 0 or rate <= 0:
        raise ValueError(
            f"expected contacts offered and forecast before now to scale the forecast, got "
            f"{a:g} offered against {f:g} forecast"
        )
    low, high = stats.gamma.ppf([0.05, 0.95], shape, scale=1.0 / rate)
    return shape / rate, float(low), float(high), 1.0 / math.sqrt(shape)


def _scaled_channels(
    scenario: Scenario, data: dict, actuals: pd.DataFrame, now: float
) -> tuple[dict, pd.DataFrame]:
    """The raw channel settings with rest-of-day volumes scaled, and the ratio table."""
    channels = {name: dict(settings or {}) for name, settings in data["channels"].items()}
    dates = actuals["date"].dropna()
    if len(dates):
        actuals = actuals[actuals["date"] == dates.max()]
    before = actuals[actuals["interval_start"] + scenario.interval <= now % SECONDS_PER_DAY]
    rows = []
    for name, channel in scenario.channels.items():
        if channel.deferred:
            continue
        volumes = expected_volumes(channel, scenario.interval)
        done = int(now % SECONDS_PER_DAY // scenario.interval)
        forecast = float(volumes[:done].sum())
        actual = float(before.loc[before["channel"] == name, "offered"].sum())
        dispersion = channel.arrivals.dispersion
        day_cv = dispersion.cv if dispersion is not None and dispersion.level == "day" else None
        ratio, low, high, cv = _ratio(actual, forecast, day_cv)
        rows.append((name, forecast, actual, ratio, low, high, cv))
        profile = []
        for point in channel.arrivals.profile or ():
            entry: dict[str, Any] = {
                "start": format_time_of_day(point.start),
                "volume": point.volume * ratio,
            }
            if point.aht is not None:
                entry["aht"] = f"{point.aht:.9g} s"
            profile.append(entry)
        arrivals: dict[str, Any] = (
            {"profile": profile}
            if channel.arrivals.profile is not None
            else {"rate": f"{channel.arrivals.rate * ratio * 3600:.9g}/h"}
        )
        if dispersion is not None and dispersion.level == "interval":
            arrivals["dispersion"] = {"cv": dispersion.cv, "level": "interval"}
        else:
            arrivals["dispersion"] = {"cv": cv, "level": "day"}
        channels[name]["arrivals"] = arrivals
    columns = ["channel", "forecast_so_far", "actual_so_far", "ratio", "ratio_low", "ratio_high"]
    return channels, pd.DataFrame(rows, columns=[*columns, "cv"])


def _shift_entry(shift: Shift) -> dict[str, Any]:
    return {
        "name": shift.name,
        "start": format_time_of_day(shift.start),
        "end": format_time_of_day(shift.end),
        "agents": shift.agents,
        "breaks": [
            {"start": format_time_of_day(b.start), "duration": f"{b.duration:.9g} s"}
            for b in shift.breaks
        ],
    }


def _covers(shift: Shift, at: float) -> bool:
    return (at - shift.start) % SECONDS_PER_DAY < shift.length


def _changed_group(scenario: Scenario, data: dict, change: StaffingChange) -> dict:
    """The raw settings of the changed group (its shifts spelled out)."""
    group = scenario.agent_groups.get(change.group)
    if group is None:
        raise ValueError(
            f"expected one of the agent groups {sorted(scenario.agent_groups)}, got "
            f"{change.group!r}"
        )
    settings = {
        k: v for k, v in dict(data["agent_groups"][change.group] or {}).items() if k != "size"
    }
    settings.pop("roster_csv", None)
    at = format_time_of_day(change.at)
    if group.size is not None:
        shifts = [{"name": "on_duty", "start": "00:00", "end": "00:00", "agents": group.size}]
        if change.agents > 0:
            shifts.append({"name": "added", "start": at, "end": "00:00", "agents": change.agents})
        elif -change.agents > group.size:
            raise ValueError(
                f"expected at most {group.size} agents to send home, got {-change.agents}"
            )
        else:
            shifts[0]["agents"] = group.size + change.agents
            shifts.append(
                {"name": "sent_home", "start": "00:00", "end": at, "agents": -change.agents}
            )
        settings["shifts"] = shifts
        return settings
    on = [s for s in group.shifts or () if _covers(s, change.at)]
    entries = [_shift_entry(s) for s in group.shifts or ()]
    if not on:
        raise ValueError(f"expected a shift of {change.group} on at {at}, got none")
    last = max(on, key=lambda s: s.length - (change.at - s.start) % SECONDS_PER_DAY)
    if change.agents > 0:
        entries.append(
            {
                "name": "added",
                "start": at,
                "end": format_time_of_day(last.end),
                "agents": change.agents,
            }
        )
    else:
        sent = -change.agents
        if sent > last.agents:
            raise ValueError(
                f"expected at most {last.agents} agents to send home from shift {last.name} "
                f"(on until {format_time_of_day(last.end)}), got {sent}"
            )
        index = [s.name for s in group.shifts or ()].index(last.name)
        entries[index]["agents"] = last.agents - sent
        if change.at == last.start:
            settings["shifts"] = entries
            return settings
        home = _shift_entry(last)
        home.update(name=f"{last.name}_sent_home", end=at, agents=sent)
        home["breaks"] = [
            b
            for b, spec in zip(home["breaks"], last.breaks, strict=True)
            if (spec.start - last.start) % SECONDS_PER_DAY + spec.duration
            <= (change.at - last.start) % SECONDS_PER_DAY
        ]
        entries.append(home)
    settings["shifts"] = entries
    return settings


def _rest_of_day(intervals: pd.DataFrame, sl_metric: str, band: float) -> pd.DataFrame:
    """Mean and prediction band per channel × interval × metric (rows of type ``all``)."""
    table = intervals[intervals["contact_type"] == "all"]
    k = band_rank(table["replication"].nunique(), band)
    rows = []
    for (channel, start), group in table.groupby(["channel", "interval_start"], sort=True):
        if not (group["offered"] > 0).any():  # closed: nobody arrives in any replication
            continue
        for metric in (sl_metric, *METRICS):
            values = np.sort(group[metric].to_numpy(dtype=float))
            values = values[~np.isnan(values)]
            if len(values) == 0:
                continue
            low = values[min(k, len(values)) - 1]
            high = values[max(len(values) - k, 0)]
            rows.append(
                (channel, start, format_time_of_day(start), metric, values.mean(), low, high)
            )
    columns = ["channel", "interval_start", "time", "metric", "predicted", "band_low"]
    return pd.DataFrame(rows, columns=[*columns, "band_high"])


def intraday(
    scenario: str | Path | Mapping,
    state: str | Path | Mapping[str, Any],
    *,
    now: str | None = None,
    actuals_so_far: pd.DataFrame | None = None,
    changes: Sequence[StaffingChange | str] = (),
    replications: int = 39,
    seed: int = 1,
    band: float = 0.9,
    sl_metric: str = "sl_all",
    base_dir: str | Path | None = None,
    actuals_source: str = "actuals so far",
) -> IntradayResult:
    """Re-forecast the rest of the day from ``state`` (see the module docstring).

    ``scenario`` is a file or parsed YAML (CSV files read relative to ``base_dir``); ``state``
    the ``initial_state`` section (a file or a mapping); ``now`` (``"HH:MM"``) replaces its
    time; ``actuals_so_far`` an interval report (as read by
    :func:`~queuesim.fitting.logs.read_interval_report`; of a dated report, the last date is
    today) whose intervals ending by now scale the rest of the day; ``changes`` staffing
    changes (``"tier1=+2@13:00"`` or :class:`StaffingChange`), each compared with the base
    on the same seeds. Raises :class:`ScenarioError` for an invalid scenario or state (naming
    the state's file for its fields) or actuals the scenario cannot take (naming
    ``actuals_source``), and ValueError for a change the scenario cannot take.
    """
    parsed = parse_source(scenario)
    data, source, file_dir = dict(parsed.data), parsed.source, parsed.base_dir
    directory = file_dir if base_dir is None else Path(base_dir)
    base = scenario_from_dict(data, source=source, base_dir=directory)
    initial = read_state(state)
    state_source = "<state>" if isinstance(state, Mapping) else str(state)
    if now is not None:
        initial["time"] = now
    if "time" not in initial:
        raise ScenarioError.single(state_source, "time", "expected the time now, got none")
    data = {**data, "initial_state": initial, "channels": dict(data.get("channels") or {})}
    try:
        started = scenario_from_dict(data, source=source, base_dir=directory)
    except ScenarioError as error:
        raise ScenarioError(_state_problems(error, state_source)) from None
    assert started.initial_state is not None
    start = started.initial_state.start
    end = min(base.horizon, (start // SECONDS_PER_DAY + 1) * SECONDS_PER_DAY)
    data["horizon"] = f"{end:.9g} s"
    data["warmup"] = f"{start // base.interval * base.interval:.9g} s"
    ratios = pd.DataFrame()
    if actuals_so_far is not None:
        check_actuals(base, actuals_so_far, actuals_source)
        data["channels"], ratios = _scaled_channels(base, data, actuals_so_far, start)
    data["agent_groups"] = dict(data.get("agent_groups") or {})
    forecast = scenario_from_dict(data, source=source, base_dir=directory)
    variants = []
    for change in changes:
        parsed = parse_change(change) if isinstance(change, str) else change
        if parsed.at < start % SECONDS_PER_DAY:
            raise ValueError(
                f"{parsed.label}: expected a time from now ({format_time_of_day(start)}) on"
            )
        try:
            group = _changed_group(forecast, data, parsed)
        except ValueError as error:
            raise ValueError(f"{parsed.label}: {error}") from None
        changed = {**data, "agent_groups": {**data["agent_groups"], parsed.group: group}}
        variants.append((parsed, scenario_from_dict(changed, source=source, base_dir=directory)))
    result = simulate(forecast, replications, seed)
    compared = []
    for parsed, variant in variants:
        other = simulate(variant, replications, seed)
        paired = paired_differences(result.run_metrics, other.run_metrics)
        paired = paired[paired["metric"].isin((sl_metric, *CHANGE_METRICS))]
        paired.insert(0, "change", parsed.label)
        compared.append(paired)
    k = band_rank(replications, band)
    return IntradayResult(
        _rest_of_day(result.intervals, sl_metric, band),
        ratios,
        pd.concat(compared, ignore_index=True) if compared else pd.DataFrame(),
        (replications + 1 - 2 * k) / (replications + 1),
        replications,
    )


__all__ = ["IntradayResult", "StaffingChange", "intraday", "parse_change", "read_state"]

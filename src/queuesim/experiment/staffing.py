"""Staffing search by simulation, and the cheapest roster of shifts that covers it.

1. **Requirement per interval of the day.** Start from the analytic minimum of each interval
   (Erlang A with the channel's mean patience, Erlang C without patience; the square-root
   staffing rule lies behind it), simulate the whole horizon with that staffing, add an agent to
   every interval that misses a target and simulate again, until every interval meets every
   target; then take an agent away from every interval with room to spare, keeping each removal
   only if all targets still hold. All steps use the same seeds (common random numbers), so a
   change of staffing, not luck, moves the figures. Interval figures pool all replications and
   days: service level and abandonment are ratios of totals, ASA is over answered contacts.
   ``per="horizon"`` instead searches one headcount for the whole horizon.
2. **Roster.** Choose how many agents start each allowed shift (start time, length, breaks) so
   that, after shrinkage, every interval has its requirement, at least cost: an integer program
   solved with :func:`scipy.optimize.milp`. An interval counts as covered by a shift only if the
   shift spans it and no break touches it.
3. **Validation.** The roster is simulated again on fresh seeds and each interval's figures are
   reported beside the targets.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp

from queuesim.analytic.staffing import StaffingTargets, min_agents
from queuesim.experiment.executors import Executor
from queuesim.experiment.runner import simulate
from queuesim.model.arrivals import aht_factors, expected_volumes
from queuesim.results import ALL, SimulationResult
from queuesim.scenario.schema import AgentGroup, Scenario, Shift
from queuesim.scenario.units import SECONDS_PER_DAY, format_time_of_day

VALIDATION_SEED_OFFSET = 1_000_003
"""Validation runs use ``seed + VALIDATION_SEED_OFFSET``: seeds the search never saw."""


def targets_met(targets: StaffingTargets, figures: pd.DataFrame) -> np.ndarray:
    """Per row of ``figures`` (see :func:`interval_figures`): is every target met?

    Service level is read at the scenario's first threshold (:func:`staff` sets it to
    ``targets.threshold`` when given); an undefined figure (nobody answered) does not fail.
    """
    ok = np.ones(len(figures), dtype=bool)
    if targets.service_level is not None:
        ok &= ~(figures["sl_all"].to_numpy() < targets.service_level)
    if targets.asa is not None:
        ok &= ~(figures["asa"].to_numpy() > targets.asa)
    if targets.abandon_rate is not None:
        ok &= ~(figures["abandon_rate"].to_numpy() > targets.abandon_rate)
    if targets.max_occupancy is not None:
        ok &= ~(figures["occupancy"].to_numpy() > targets.max_occupancy)
    return ok


@dataclass(frozen=True)
class StaffingPlan:
    """The outcome of :func:`staff`.

    * ``requirement``: per interval of the day: ``time``, ``analytic`` (Erlang guess),
      ``agents`` (found by simulation), the pooled ``offered, sl_all, asa, abandon_rate`` at
      that staffing and ``met``;
    * ``roster``: per allowed shift with agents: ``shift, start, end, agents, paid_hours,
      cost``;
    * ``validation``: the roster's per-interval figures on fresh seeds, with ``rostered``
      (agents on duty after shrinkage) and ``met``;
    * ``result``: the validation run itself; ``iterations``: simulations the search used.
    """

    group: str
    targets: StaffingTargets
    requirement: pd.DataFrame
    roster: pd.DataFrame
    validation: pd.DataFrame
    result: SimulationResult
    iterations: int

    @property
    def cost(self) -> float:
        """Paid cost of the roster per day."""
        return float(self.roster["cost"].sum())


def _served_channels(scenario: Scenario, group: str) -> list[str]:
    return list(scenario.agent_groups[group].channels)


def analytic_requirement(scenario: Scenario, group: str, targets: StaffingTargets) -> np.ndarray:
    """Per interval of the day, the Erlang minimum for the channels ``group`` serves.

    Handle time is the mix-weighted mean of talk plus after-contact work, scaled by a
    profile's AHT; patience is the channel's mean (Erlang A), absent patience gives Erlang C.
    """
    interval = scenario.interval
    per_day = round(SECONDS_PER_DAY / interval)
    volume = np.zeros(per_day)
    work = np.zeros(per_day)
    patience_weight = np.zeros(per_day)
    impatient = False
    for name in _served_channels(scenario, group):
        channel = scenario.channels[name]
        volumes = expected_volumes(channel, interval)
        total = sum(channel.mix.values())
        mean_work = sum(
            share
            / total
            * (
                scenario.contact_types[t].handle_time.expected
                + scenario.contact_types[t].after_contact_work.expected
            )
            for t, share in channel.mix.items()
        )
        factors = aht_factors(scenario, channel)
        volume += volumes
        work += volumes * mean_work * (1.0 if factors is None else factors)
        if channel.patience.dist != "none":
            impatient = True
            patience_weight += volumes * channel.patience.expected
    needed = np.zeros(per_day, dtype=int)
    threshold = scenario.service_level.thresholds[0]
    for i in np.flatnonzero(volume > 0):
        needed[i] = min_agents(
            volume[i] / interval,
            work[i] / volume[i],
            service_level=targets.service_level,
            threshold=threshold if targets.service_level is not None else None,
            asa=targets.asa,
            abandon_rate=targets.abandon_rate if impatient else None,
            max_occupancy=targets.max_occupancy,
            patience=patience_weight[i] / volume[i] if impatient else None,
        )
    return needed


def layered_runs(agents: Sequence[int]) -> dict[tuple[int, int], int]:
    """Shifts as ``(first interval, end interval) → agents`` putting ``agents[i]`` on duty in
    interval ``i``.

    Agents are layered: the k-th agent of a run of intervals that need at least k works the
    whole run, so nobody leaves and comes back at every interval border.
    """
    counts: dict[tuple[int, int], int] = {}
    levels = [int(a) for a in agents]
    for level in range(1, max(levels, default=0) + 1):
        start = None
        for i, need in enumerate([*levels, 0]):
            if need >= level and start is None:
                start = i
            elif need < level and start is not None:
                counts[(start, i)] = counts.get((start, i), 0) + 1
                start = None
    return counts


def staffing_shifts(agents: Sequence[int], interval: float) -> tuple[Shift, ...]:
    """Shifts that put ``agents[i]`` on duty in interval ``i`` of every day (see
    :func:`layered_runs`)."""
    return tuple(
        Shift.model_validate(
            {
                "name": f"i{start:03d}-{end:03d}",
                "start": format_time_of_day(start * interval),
                "end": format_time_of_day(end * interval % SECONDS_PER_DAY),
                "agents": count,
            }
        )
        for (start, end), count in sorted(layered_runs(agents).items())
    )


def with_group_staffing(scenario: Scenario, group: str, agents: Sequence[int] | int) -> Scenario:
    """``scenario`` with exactly ``agents`` of ``group`` on duty per interval of the day.

    An int is a constant headcount. Shrinkage is set to zero, so the counts are agents on
    duty (absenteeism still applies); :func:`roster` grosses them up again.
    """
    current = scenario.agent_groups[group]
    if isinstance(agents, int | np.integer):
        update: dict[str, object] = {"size": int(agents), "shifts": None}
    else:
        update = {"size": None, "shifts": staffing_shifts(agents, scenario.interval)}
    updated = current.model_copy(update={**update, "roster_csv": None, "shrinkage": 0.0})
    return scenario.model_copy(update={"agent_groups": {**scenario.agent_groups, group: updated}})


def interval_figures(
    result: SimulationResult, group: str, *, whole_run: bool = False
) -> pd.DataFrame:
    """Per interval of the day: pooled ``offered, sl_all, asa, abandon_rate`` of the channels
    ``group`` serves and the group's ``occupancy``.

    Totals over replications and days: service level and abandonment per offered contact,
    ASA per answered contact, occupancy as busy over available time; ``offered`` is per
    replication. With ``whole_run``, one row pooling every interval.
    """
    interval = result.scenario.interval
    per_day = 1 if whole_run else round(SECONDS_PER_DAY / interval)

    def of_day(rows: pd.DataFrame) -> pd.Series:
        index = ((rows["interval_start"] % SECONDS_PER_DAY) // interval).astype(int)
        return index * 0 if whole_run else index

    customers = result.intervals
    customers = customers[
        customers["channel"].isin(_served_channels(result.scenario, group))
        & (customers["contact_type"] == ALL)
    ]
    agents = result.agents[result.agents["agent_group"] == group]
    totals = (
        pd.DataFrame(
            {
                "index": of_day(customers),
                "offered": customers["offered"],
                "answered": customers["answered"],
                "abandoned": customers["abandoned"],
                "within": customers["sl_all"].fillna(0) * customers["offered"],
                "waited": customers["asa"].fillna(0) * customers["answered"],
            }
        )
        .groupby("index")
        .sum()
    )
    time = (
        pd.DataFrame(
            {
                "index": of_day(agents),
                "busy": agents["busy_time"],
                "available": agents["available_time"],
            }
        )
        .groupby("index")
        .sum()
    )
    totals = totals.join(time, how="outer").reindex(range(per_day), fill_value=0.0).fillna(0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        figures = pd.DataFrame(
            {
                "offered": totals["offered"] / max(1, len(result.runs)),
                "sl_all": totals["within"] / totals["offered"],
                "asa": totals["waited"] / totals["answered"],
                "abandon_rate": totals["abandoned"] / totals["offered"],
                "occupancy": totals["busy"] / totals["available"],
            }
        )
    figures.index.name = "interval"
    return figures


def evaluate(
    scenario: Scenario,
    group: str,
    agents: np.ndarray | int | None,
    targets: StaffingTargets,
    replications: int | None,
    seed: int | None,
    executor: Executor | None,
    *,
    whole_run: bool = False,
) -> tuple[pd.DataFrame, np.ndarray, SimulationResult]:
    """Simulate ``scenario`` (with ``agents`` of ``group`` on duty unless None); return the
    interval figures and per interval whether the targets hold: in that interval (intervals
    without contacts pass), or over the whole run when ``whole_run``."""
    trial = scenario if agents is None else with_group_staffing(scenario, group, agents)
    result = simulate(trial, replications, seed, executor=executor)
    figures = interval_figures(result, group)
    met = targets_met(targets, figures) | (figures["offered"].to_numpy() == 0)
    if whole_run:
        overall = interval_figures(result, group, whole_run=True)
        met = np.full(len(figures), targets_met(targets, overall)[0])
    return figures, met, result


def search_requirement(
    scenario: Scenario,
    group: str,
    targets: StaffingTargets,
    *,
    per: Literal["interval", "horizon"] = "interval",
    replications: int | None = None,
    seed: int | None = None,
    executor: Executor | None = None,
    max_iterations: int = 60,
) -> tuple[pd.DataFrame, int]:
    """The least agents on duty per interval of the day (or for the horizon) meeting targets
    (service level at the scenario's first threshold).

    Returns the requirement table (see :class:`StaffingPlan`) and the number of simulations.
    """
    analytic = analytic_requirement(scenario, group, targets)
    horizon = per == "horizon"
    iterations = 0

    def run(agents: np.ndarray | int) -> tuple[pd.DataFrame, np.ndarray]:
        nonlocal iterations
        iterations += 1
        if iterations > max_iterations:
            raise RuntimeError(
                f"staffing search did not settle within {max_iterations} simulations"
            )
        figures, met, _ = evaluate(
            scenario, group, agents, targets, replications, seed, executor, whole_run=horizon
        )
        return figures, met

    if horizon:
        size = int(analytic.max())
        figures, met = run(size)
        while not met.all():
            size += 1
            figures, met = run(size)
        while size > 0:
            lower_figures, lower_met = run(size - 1)
            if not lower_met.all():
                break
            size, figures, met = size - 1, lower_figures, lower_met
        agents = np.full(len(analytic), size)
    else:
        agents = analytic.copy()
        figures, met = run(agents)
        while not met.all():
            agents = agents + ~met
            figures, met = run(agents)
        candidates = (figures["offered"].to_numpy() > 0) & (agents > 0)
        while candidates.any():
            trial_figures, trial_met = run(agents - candidates)
            if trial_met.all():
                agents, figures, met = agents - candidates, trial_figures, trial_met
                candidates &= agents > 0
            elif (candidates & ~trial_met).any():
                candidates &= trial_met
            else:
                # a removal broke a later interval (carry-over): keep the nearest one before it
                first_failure = int(np.argmax(~trial_met))
                before = np.flatnonzero(candidates[:first_failure])
                candidates[before[-1] if len(before) else np.flatnonzero(candidates)] = False
    table = figures.assign(
        time=[format_time_of_day(i * scenario.interval) for i in range(len(analytic))],
        analytic=analytic,
        agents=agents,
        met=met,
    )
    columns = [
        "time", "analytic", "agents", "offered", "sl_all", "asa", "abandon_rate", "occupancy", "met"
    ]  # fmt: skip
    return table[columns], iterations


@dataclass(frozen=True)
class ShiftPattern:
    """A shift the roster may use: its times and breaks (the agents are to be chosen)."""

    name: str
    start: float
    end: float
    breaks: tuple[tuple[float, float], ...] = ()

    @property
    def length(self) -> float:
        """Paid length in seconds (overnight shifts wrap past midnight)."""
        return (self.end - self.start) % SECONDS_PER_DAY or SECONDS_PER_DAY

    def covers(self, interval: float) -> np.ndarray:
        """Per interval of the day: on duty for the whole interval, no break in it."""
        starts = np.arange(0.0, SECONDS_PER_DAY, interval)
        offset = (starts - self.start) % SECONDS_PER_DAY
        covered = offset + interval <= self.length + 1e-9
        for break_offset, duration in self.breaks:
            covered &= ~((offset < break_offset + duration) & (break_offset < offset + interval))
        return covered

    def shift(self, agents: int) -> Shift:
        """This pattern as a scenario shift with ``agents``."""
        return Shift.model_validate(
            {
                "name": self.name,
                "start": format_time_of_day(self.start),
                "end": format_time_of_day(self.end % SECONDS_PER_DAY),
                "agents": agents,
                "breaks": [
                    {
                        "start": format_time_of_day((self.start + offset) % SECONDS_PER_DAY),
                        "duration": f"{duration:g} s",
                    }
                    for offset, duration in self.breaks
                ],
            }
        )


def patterns_from_shifts(shifts: Sequence[Shift]) -> list[ShiftPattern]:
    """The scenario's own shifts as the patterns a roster may use."""
    return [ShiftPattern(s.name, s.start, s.end, tuple(s.break_offsets())) for s in shifts]


def generated_patterns(
    lengths: Sequence[float], step: float, earliest: float = 0.0, latest: float = SECONDS_PER_DAY
) -> list[ShiftPattern]:
    """Shifts of the given ``lengths`` starting every ``step`` from ``earliest`` and ending by
    ``latest`` (seconds after midnight), without breaks."""
    patterns = []
    for length in lengths:
        start = earliest
        while start + length <= latest + 1e-9:
            hours = f"{int(length // 3600)}h{int(length % 3600 // 60):02d}"
            name = f"s{format_time_of_day(start).replace(':', '')}-{hours}"
            patterns.append(ShiftPattern(name, start, (start + length) % SECONDS_PER_DAY))
            start += step
    return patterns


def roster(
    requirement: Sequence[int],
    patterns: Sequence[ShiftPattern],
    group: AgentGroup,
    interval: float,
) -> pd.DataFrame:
    """The cheapest numbers of agents per pattern covering ``requirement`` on duty.

    Decision variables: rostered agents ``x`` per pattern and agents left on duty after
    shrinkage ``y`` (the engine keeps ⌊x(1 − s) + ½⌋, so ``(1 − s)x − y ≥ −½``); every interval
    needs ``Σ covers · y ≥ requirement``. Cost: paid hours × ``cost_per_hour`` (hours alone
    when the group has no cost). Raises ``ValueError`` when no pattern covers an interval
    that needs agents.
    """
    need = np.asarray(requirement, dtype=float)
    cover = np.array([p.covers(interval) for p in patterns], dtype=float).T
    uncovered = (need > 0) & (cover.sum(axis=1) == 0 if len(patterns) else True)
    if np.any(uncovered):
        times = [format_time_of_day(i * interval) for i in np.flatnonzero(uncovered)]
        raise ValueError(f"no allowed shift covers the intervals starting {', '.join(times)}")
    n = len(patterns)
    hours = np.array([p.length / 3600 for p in patterns])
    price = hours * (group.cost_per_hour or 1.0)
    keep = 1.0 - group.shrinkage
    constraints = [
        LinearConstraint(np.hstack([np.zeros((len(need), n)), cover]), lb=need),
        LinearConstraint(np.hstack([np.eye(n) * keep, -np.eye(n)]), lb=-0.5),
    ]
    solution = milp(
        c=np.concatenate([price, np.zeros(n)]),
        constraints=constraints,
        integrality=np.ones(2 * n),
        bounds=Bounds(0, np.inf),
    )
    if not solution.success:
        raise ValueError(f"the roster integer program failed: {solution.message}")
    agents = np.round(solution.x[:n]).astype(int)
    table = pd.DataFrame(
        {
            "shift": [p.name for p in patterns],
            "start": [format_time_of_day(p.start) for p in patterns],
            "end": [format_time_of_day(p.end) for p in patterns],
            "agents": agents,
            "paid_hours": agents * hours,
            "cost": agents * hours * group.cost_per_hour,
        }
    )
    return table[table["agents"] > 0].reset_index(drop=True)


def staff(
    scenario: Scenario,
    targets: StaffingTargets,
    *,
    group: str | None = None,
    per: Literal["interval", "horizon"] = "interval",
    patterns: Sequence[ShiftPattern] | None = None,
    replications: int | None = None,
    seed: int | None = None,
    executor: Executor | None = None,
) -> StaffingPlan:
    """Find the staffing ``group`` needs to meet ``targets``, roster it, and validate it.

    ``group`` may be omitted when the scenario has one agent group. Service level is
    measured at ``targets.threshold``, or at the scenario's first threshold when it is None.
    ``patterns`` are the shifts the roster may use (default: the group's own shifts; a group
    staffed by ``size`` needs patterns). The validation simulates the roster, with the group's
    shrinkage, on seeds the search never used.
    """
    if group is None:
        if len(scenario.agent_groups) != 1:
            names = ", ".join(scenario.agent_groups)
            raise ValueError(f"expected a group to staff, one of {names}")
        group = next(iter(scenario.agent_groups))
    if group not in scenario.agent_groups:
        raise ValueError(
            f"expected one of the agent groups {', '.join(scenario.agent_groups)}, got {group!r}"
        )
    if targets.threshold is not None:
        thresholds = (targets.threshold, *scenario.service_level.thresholds[1:])
        level = scenario.service_level.model_copy(update={"thresholds": thresholds})
        scenario = scenario.model_copy(update={"service_level": level})
    current = scenario.agent_groups[group]
    requirement, iterations = search_requirement(
        scenario,
        group,
        targets,
        per=per,
        replications=replications,
        seed=seed,
        executor=executor,
    )
    if patterns is None:
        if current.shifts is None:
            raise ValueError(
                f"agent group {group!r} has no shifts to roster with: give shift patterns "
                "(shift lengths and a start step)"
            )
        patterns = patterns_from_shifts(current.shifts)
    table = roster(requirement["agents"].to_numpy(), patterns, current, scenario.interval)
    by_name = {pattern.name: pattern for pattern in patterns}
    chosen = [
        (by_name[name], int(agents))
        for name, agents in zip(table["shift"], table["agents"], strict=True)
    ]
    shifts = tuple(pattern.shift(agents) for pattern, agents in chosen)
    staffed = current.model_copy(update={"size": None, "shifts": shifts, "roster_csv": None})
    rostered = scenario.model_copy(
        update={"agent_groups": {**scenario.agent_groups, group: staffed}}
    )
    validation_seed = (scenario.seed if seed is None else seed) + VALIDATION_SEED_OFFSET
    figures, met, result = evaluate(
        rostered, group, None, targets, replications, validation_seed, executor
    )
    on_duty = sum(
        pattern.covers(scenario.interval) * math.floor(agents * (1 - current.shrinkage) + 0.5)
        for pattern, agents in chosen
    )
    validation = figures.assign(
        time=requirement["time"], required=requirement["agents"], rostered=on_duty, met=met
    )
    validation = validation[
        [
            "time",
            "required",
            "rostered",
            "offered",
            "sl_all",
            "asa",
            "abandon_rate",
            "occupancy",
            "met",
        ]
    ]
    return StaffingPlan(group, targets, requirement, table, validation, result, iterations)


__all__ = [
    "ShiftPattern",
    "StaffingPlan",
    "analytic_requirement",
    "generated_patterns",
    "interval_figures",
    "layered_runs",
    "patterns_from_shifts",
    "roster",
    "search_requirement",
    "staff",
    "staffing_shifts",
    "targets_met",
    "with_group_staffing",
]

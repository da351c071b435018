"""Agents, the pools they form, and the shifts that bring them on duty.

An agent takes contacts until its shift ends, then finishes the current one and leaves (the
time past the end is overtime). At a break's start (or a training session's) it finishes the
current contact, then takes the full break. ``shrinkage`` scales each shift's agents by
(1 − s), rounded to the nearest integer; ``absenteeism`` removes each remaining agent-shift
with its probability.

With ``standards`` each agent has a speed factor and an error factor (1/q, q its quality
factor). They belong to the seat the agent fills: seat i of a shift is the same person every
day, drawn from the stream ``agents/<group>/<shift>`` (two normal draws per seat, in seat
order), so adding agents to a shift adds people and changes nobody else. With ``learning`` the
group's proficiency follows its learning curve (:meth:`AgentPool.skill`).
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass
from enum import IntEnum
from typing import TYPE_CHECKING

import numpy as np

from queuesim.rng import stream
from queuesim.scenario.schema import AgentGroup, Learning, Scenario, Training
from queuesim.scenario.units import SECONDS_PER_DAY

if TYPE_CHECKING:
    from queuesim.metrics import GroupStats
    from queuesim.model.chat import ChatDesk
    from queuesim.model.customers import Customer
    from queuesim.model.queues import ChannelQueue, SkillQueue
    from queuesim.model.routing import Route


class AgentState(IntEnum):
    IDLE = 0
    BUSY = 1
    ON_BREAK = 2
    GONE = 3


class Agent:
    """One agent on one shift."""

    __slots__ = (
        "available_since",
        "break_due",
        "break_kind",
        "busy_since",
        "desk",
        "error_factor",
        "finishing",
        "idle_since",
        "later_breaks",
        "pool",
        "sessions",
        "shift_end",
        "speed",
        "state",
        "token",
        "updated",
    )

    def __init__(
        self,
        pool: AgentPool,
        shift_end: float,
        now: float,
        person: tuple[float, float] = (1.0, 1.0),
    ) -> None:
        self.pool = pool
        self.shift_end = shift_end
        self.state = AgentState.IDLE
        self.busy_since = now
        self.available_since = now
        self.idle_since = now
        self.break_due = 0.0
        self.break_kind = "on_break"
        """What the break due is counted as: ``on_break`` or ``training``."""
        self.later_breaks: list[tuple[float, str]] = []
        """Breaks or training sessions that came due while another was due or under way:
        (length, kind), taken one after the other."""
        self.speed, self.error_factor = person
        """The agent's speed factor (dividing its work), and the factor (1/q) of its error and
        unresolved probabilities (:class:`~queuesim.scenario.schema.Standards`)."""
        self.sessions: list[Customer] = []
        """Chat sessions held (``desk`` is then the channel's desk, otherwise None)."""
        self.desk: ChatDesk | None = None
        self.updated = now
        """When the sessions' remaining work was last brought up to date."""
        self.token = 0
        """Identifies the agent's one valid pending session end."""
        self.finishing: Customer | None = None


class AgentPool:
    """The agents of one group on duty, with the idle ones in order of how long they waited.

    ``routes`` are the skill queues the group serves (in decreasing priority) and
    ``proficiency`` the factor dividing the work of each; ``scaled`` is false when every
    proficiency is 1 and the group has neither a spread of speed factors nor a learning
    curve (:meth:`work` is then the contact type's work). ``desks`` holds, per chat channel
    served, the agents holding sessions who take more.
    """

    def __init__(
        self,
        name: str,
        group: AgentGroup,
        stats: GroupStats,
        seed: int,
        replication: int,
        horizon: float,
    ) -> None:
        self.name = name
        self.group = group
        self.stats = stats
        self.idle: deque[Agent] = deque()
        self.routes: list[Route] = []
        self.proficiency: dict[SkillQueue, float] = {}
        self.scaled = False
        self.desks: dict[ChannelQueue, ChatDesk] = {}
        self.deferred: list[Route] = []
        """Routes to deferred lines (email, social), worked when no live contact waits."""
        self.edf = group.deferred_order == "edf"
        self.on_duty = 0
        """Agents on shift now (busy, idle or on a break)."""
        self.only_line: SkillQueue | None = None
        """The one plain line the group serves, when the engine may skip the policy."""
        self.seed, self.replication = seed, replication
        self.seats: dict[str, tuple[np.random.Generator, list[tuple[float, float]]]] = {}
        """Per shift name, the stream of its seats and the people drawn so far."""
        standards = group.standards
        self.spreads = (0.0, 0.0)
        """Coefficients of variation of the agents' speed and error factors."""
        if standards is not None:
            self.spreads = (standards.speed_spread, standards.quality_spread)
        self.curve = None if group.learning is None else LearningCurve(group.learning, horizon)

    def people(self, shift: str, n: int) -> list[tuple[float, float]]:
        """The speed and error factors of the first ``n`` seats of ``shift``."""
        if self.spreads == (0.0, 0.0):
            return [(1.0, 1.0)] * n
        if shift not in self.seats:
            rng = stream(self.seed, self.replication, f"agents/{self.name}/{shift}")
            self.seats[shift] = (rng, [])
        rng, drawn = self.seats[shift]
        sigmas = np.sqrt(np.log1p(np.square(self.spreads)))
        while len(drawn) < n:
            z = rng.standard_normal(2)
            factors = np.exp(sigmas * z - sigmas**2 / 2)  # lognormal, mean 1
            drawn.append((float(factors[0]), float(factors[1])))
        return drawn[:n]

    def skill(self, line: SkillQueue, now: float) -> float:
        """The group's proficiency on ``line`` at ``now`` (on its learning curve)."""
        if self.curve is None:
            return self.proficiency[line]
        return self.proficiency[line] * self.curve.level(now, line.skill)

    def work(self, agent: Agent, line: SkillQueue, work: float, now: float) -> float:
        """The time ``agent`` takes at ``now`` for ``work`` seconds of the contact type's work
        on ``line``: divided by the proficiency and by the agent's speed factor."""
        return work / (self.skill(line, now) * agent.speed)


class LearningCurve:
    """A group's proficiency multiplier over time (:class:`~queuesim.scenario.schema.Learning`).

    Experience at time t (seconds from 00:00 of day 1) is t plus ``effect`` times the training
    time each agent has had by then; the group learns as a whole (every agent is taken to
    have attended every session).
    """

    __slots__ = ("curves", "duration", "effect", "first", "starts")

    def __init__(self, learning: Learning, horizon: float) -> None:
        self.curves: dict[str | None, tuple[float, float]] = {
            None: (learning.initial, learning.time_constant),
            **{s: (c.initial, c.time_constant) for s, c in learning.skills.items()},
        }
        """(initial, time constant) per skill; None: the group's curve, for the others."""
        training = learning.training
        self.first = self.duration = self.effect = 0.0
        self.starts: list[float] = []
        """When the training sessions of the run begin."""
        if training is not None:
            self.first, self.duration = training.start, training.duration
            self.effect = training.effect
            self.starts = training_sessions(training, horizon)

    def trained(self, now: float) -> float:
        """Training time each agent has had by ``now``."""
        if not self.starts or now <= self.first:
            return 0.0
        k = int((now - self.first) // SECONDS_PER_DAY)  # sessions 0..k have begun
        if k >= len(self.starts):
            return len(self.starts) * self.duration
        return k * self.duration + min(now - self.first - k * SECONDS_PER_DAY, self.duration)

    def level(self, now: float, skill: str | None = None) -> float:
        """The proficiency multiplier m of ``skill`` at ``now``:
        1 − (1 − initial)·exp(−experience/τ)."""
        initial, tau = self.curves.get(skill, self.curves[None])
        experience = now + self.effect * self.trained(now)
        return 1.0 - (1.0 - initial) * math.exp(-experience / tau)


def training_sessions(training: Training, horizon: float) -> list[float]:
    """The start of every daily training session within the first ``horizon`` seconds (and
    before ``training.until``), in seconds from 00:00 of day 1."""
    end = horizon if training.until is None else min(training.until, horizon)
    starts = (
        day * SECONDS_PER_DAY + training.start
        for day in range(math.ceil(end / SECONDS_PER_DAY) + 1)
    )
    return [at for at in starts if at < end]


@dataclass(frozen=True)
class ShiftDay:
    """One shift on one day, in seconds from the start of the run."""

    start: float
    end: float
    breaks: tuple[tuple[float, float], ...]
    rostered: int
    agents: int
    name: str = ""
    """The shift's name (its seats are the same people every day)."""


def roster(scenario: Scenario, group: AgentGroup, rng: np.random.Generator) -> list[ShiftDay]:
    """Every shift-day of ``group`` over the horizon, with shrinkage and absenteeism applied.

    A fixed-size group is one shift covering the whole run (it never ends). An overnight shift
    that began the evening before the run is on duty from the run's start to its end.
    """
    if group.size is not None:
        plan = [(0.0, math.inf, (), group.size, "")]
    else:
        plan = []
        for day in range(-1, scenario.days):  # day -1: overnight shifts still on at 00:00
            for shift in group.shifts or ():
                start = day * SECONDS_PER_DAY + shift.start
                end = start + shift.length
                if end <= 0 or start >= scenario.horizon:
                    continue
                breaks = tuple(
                    (start + offset, length)
                    for offset, length in shift.break_offsets()
                    if start + offset >= 0
                )
                plan.append((max(start, 0.0), end, breaks, shift.agents, shift.name))
    shifts = []
    for start, end, breaks, rostered, name in plan:
        present = math.floor(rostered * (1.0 - group.shrinkage) + 0.5)
        if group.absenteeism > 0 and present > 0:
            present -= int(rng.binomial(present, group.absenteeism))
        shifts.append(ShiftDay(start, end, breaks, rostered, present, name))
    return shifts

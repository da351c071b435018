"""Agents, the pools they form, and the shifts that bring them on duty.

An agent takes contacts until its shift ends, then finishes the current one and leaves (the
time past the end is overtime). At a break's start it finishes the current contact, then takes
the full break. ``shrinkage`` scales each shift's agents by (1 − s), rounded to the nearest
integer; ``absenteeism`` removes each remaining agent-shift with its probability.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass
from enum import IntEnum
from typing import TYPE_CHECKING

import numpy as np

from queuesim.scenario.schema import AgentGroup, Scenario
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
        "busy_since",
        "desk",
        "finishing",
        "idle_since",
        "pool",
        "sessions",
        "shift_end",
        "state",
        "token",
        "updated",
    )

    def __init__(self, pool: AgentPool, shift_end: float, now: float) -> None:
        self.pool = pool
        self.shift_end = shift_end
        self.state = AgentState.IDLE
        self.busy_since = now
        self.available_since = now
        self.idle_since = now
        self.break_due = 0.0
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
    proficiency is 1. ``desks`` holds, per chat channel served, the agents holding sessions who
    take more.
    """

    def __init__(self, name: str, group: AgentGroup, stats: GroupStats) -> None:
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


@dataclass(frozen=True)
class ShiftDay:
    """One shift on one day, in seconds from the start of the run."""

    start: float
    end: float
    breaks: tuple[tuple[float, float], ...]
    rostered: int
    agents: int


def roster(scenario: Scenario, group: AgentGroup, rng: np.random.Generator) -> list[ShiftDay]:
    """Every shift-day of ``group`` over the horizon, with shrinkage and absenteeism applied.

    A fixed-size group is one shift covering the whole run (it never ends). An overnight shift
    that began the evening before the run is on duty from the run's start to its end.
    """
    if group.size is not None:
        plan = [(0.0, math.inf, (), group.size)]
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
                plan.append((max(start, 0.0), end, breaks, shift.agents))
    shifts = []
    for start, end, breaks, rostered in plan:
        present = math.floor(rostered * (1.0 - group.shrinkage) + 0.5)
        if group.absenteeism > 0 and present > 0:
            present -= int(rng.binomial(present, group.absenteeism))
        shifts.append(ShiftDay(start, end, breaks, rostered, present))
    return shifts

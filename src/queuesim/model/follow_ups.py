"""Detractor follow-up during the run: agent time spent, score recovered.

With a ``detractor_follow_up`` section (:class:`queuesim.scenario.schema.DetractorFollowUp`),
every reporting interval, or every ``delay`` when that is longer (so that a task is never
created later than it is due), the simulation takes the journeys that
closed since the last check, builds their rows with
:func:`~queuesim.model.journeys.journeys_table`, scores them and samples their survey answers
with the draws indexed by journey id that the end of the run uses too
(:class:`~queuesim.satisfaction.JourneyDraws` from the replication's ``satisfaction`` stream,
so the scores seen here are exactly the final table's scores before follow-up), and picks
the detractors the policy targets (``whom``: the surveyed ones, or all). Each becomes,
``delay`` after the journey's end (its latest contact's work ended, or it left the queue) but
not before the check, and only before the horizon, a task of the policy's
contact type on its deferred channel: an item of that channel's backlog, worked by the agents
who serve it, taking the place of other work. Its handle time and after-contact work come
from the streams ``follow_up/<channel>/<type>/service`` and ``.../acw``; whether it reaches
the customer from ``follow_up/reach`` (one uniform per task, drawn when it is scheduled). A
task worked to its end by the horizon that reaches the customer follows the journey up
(its row's resolution :data:`~queuesim.model.journeys.FOLLOWED_UP`; otherwise
:data:`~queuesim.model.journeys.FOLLOW_UP`). Tasks carry negative ids, their own numbering,
so the customers' ids, and the journeys' draws, are those of the run without the policy.

A journey is **closed** when nothing more can happen to it: none of its contacts waits (in a
queue or with a chatbot), no return (retrial, repeat contact) is scheduled and its latest
contact was not answered (abandoned, balked, blocked, closed out, contained), or was answered
and its work has ended, unless it was escalated (then the journey stays open until the new
contact exists; an escalation due after the horizon keeps it open to the end). A journey still
open at the horizon is never followed up.

Mixed into :class:`queuesim.model.engine.Simulation`; nothing here runs, and nothing is
tracked, in a scenario without the policy.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pandas as pd

from queuesim.model.agents import Agent, AgentState
from queuesim.model.customers import Customer, journey_of
from queuesim.model.events import Call
from queuesim.model.journeys import (
    DECISION_COLUMNS,
    ESCALATED,
    FOLLOW_UP,
    FOLLOWED_UP,
    RESOLVED,
    decided_rows,
    decision_of,
    journeys_table,
)
from queuesim.model.sampling import sampler, uniforms
from queuesim.rng import stream
from queuesim.satisfaction import JourneyDraws, sample_surveys, score_journeys
from queuesim.scenario.schema import Scenario

_ENDED = DECISION_COLUMNS.index("ended")

if TYPE_CHECKING:
    from queuesim.metrics import SegmentStats
    from queuesim.model.queues import SkillQueue


class FollowUpTasks:
    """The policy in one replication: where its tasks go, their draws, the journeys watched."""

    def __init__(
        self,
        scenario: Scenario,
        seed: int,
        rep: int,
        lines: dict[tuple[str, str], SkillQueue],
        segments: dict[tuple[str, str], SegmentStats],
    ) -> None:
        from queuesim.model.engine import CONTACT_COLUMNS

        policy = scenario.detractor_follow_up
        assert policy is not None and scenario.satisfaction is not None
        self.policy = policy
        self.parameters = scenario.satisfaction
        self.line = lines[(policy.channel, policy.contact_type)]
        self.stats = segments[(policy.channel, policy.contact_type)]
        spec = scenario.contact_types[policy.contact_type]
        prefix = f"follow_up/{policy.channel}/{policy.contact_type}/"
        self.handle = sampler(spec.handle_time, stream(seed, rep, f"{prefix}service"))
        self.acw = sampler(spec.after_contact_work, stream(seed, rep, f"{prefix}acw"))
        self.reach: Iterator[float] = uniforms(stream(seed, rep, "follow_up/reach"))
        self.draws = JourneyDraws(stream(seed, rep, "satisfaction"))
        self.kinds = {name: channel.kind for name, channel in scenario.channels.items()}
        self.columns = [*CONTACT_COLUMNS, *DECISION_COLUMNS]
        self.journey_at = CONTACT_COLUMNS.index("journey")
        self.outcome_at = CONTACT_COLUMNS.index("outcome")
        self.left_queue_at = (CONTACT_COLUMNS.index("arrival"), CONTACT_COLUMNS.index("wait"))
        self.seen = 0
        """Rows of the simulation's contacts already looked at."""
        self.rows: dict[int, list[int]] = {}
        """The row positions of every journey not yet closed."""
        self.done: set[int] = set()
        """Journeys closed and looked at."""
        self.tasks: dict[int, bool] = {}
        """Every task made, by id: whether it reaches the customer."""
        self.next_id = -1
        self.period = max(scenario.interval, policy.delay)
        """Time between checks: a journey closing just after one is found at the next, no
        later than its task is due when the delay is at least a reporting interval."""


class FollowUps:
    """The detractor follow-up events of a simulation."""

    follow_ups: FollowUpTasks | None = None
    """The policy's state (None: the scenario has no ``detractor_follow_up``)."""

    def _schedule_follow_ups(self) -> None:
        """With the policy: track returns and schedule the first check."""
        policy = self.scenario.detractor_follow_up
        if policy is None:
            return
        self.follow_ups = FollowUpTasks(
            self.scenario, self.seed, self.replication, self.lines, self.segments
        )
        self.returns_pending = defaultdict(int)
        period = self.follow_ups.period
        if period < self.scenario.horizon:
            Call(self.env, period - self.start % period, self._on_check, None)

    def _on_check(self, event: Call) -> None:
        """A check is due: follow up the detractors among the journeys closed since the last."""
        self._follow_up_closed()
        period = self.follow_ups.period
        if self.env._now + period < self.scenario.horizon:
            Call(self.env, period, self._on_check, None)

    def _waiting_journeys(self) -> set[int]:
        """Journeys with a contact waiting in a queue or talking to a chatbot."""
        waiting = {
            journey_of(customer)
            for queue in self.queues.values()
            for line in queue.lines
            for customer in line.customers
            if customer.waiting
        }
        waiting.update(journey_of(customer) for customer in self.in_bot.values())
        return waiting

    def _is_closed(self, rows: list[int], now: float) -> bool:
        """Whether a journey whose latest contact is the row at ``rows[-1]``, with no contact
        waiting and no return due, is closed at ``now`` (module docstring)."""
        tasks = self.follow_ups
        row = self.contacts[rows[-1]]
        outcome = row[tasks.outcome_at]
        if outcome == "handed_over":
            return False
        if outcome != "answered":
            return True
        decision = decision_of(row, self.decisions)
        resolution, ended = decision[0], decision[_ENDED]
        if resolution == ESCALATED:
            return False
        if resolution == RESOLVED:
            return ended <= now
        return ended < now  # a return, if any, is decided when the work ends

    def _ended(self, row: tuple[Any, ...]) -> float:
        """When a closed journey whose latest contact is ``row`` ended: the end of the
        agent's work on it, or when it left the queue."""
        tasks = self.follow_ups
        if row[tasks.outcome_at] == "answered":
            return decision_of(row, self.decisions)[_ENDED]
        arrival, wait = tasks.left_queue_at
        return row[arrival] + row[wait]

    def _follow_up_closed(self) -> None:
        """Find the journeys closed since the last check and follow up their detractors."""
        tasks = self.follow_ups
        contacts = self.contacts
        for position in range(tasks.seen, len(contacts)):
            row = contacts[position]
            journey = row[tasks.journey_at]
            if row[0] < 0 or journey in tasks.done:  # a task, or a journey already closed
                continue
            tasks.rows.setdefault(journey, []).append(position)
        tasks.seen = len(contacts)
        now = self.env._now
        waiting = self._waiting_journeys()
        pending = self.returns_pending
        closed = sorted(
            journey
            for journey, rows in tasks.rows.items()
            if not pending.get(journey) and journey not in waiting and self._is_closed(rows, now)
        )
        if not closed:
            return
        rows, ends = [], {}
        for journey in closed:
            positions = tasks.rows.pop(journey)
            rows += [contacts[i] for i in positions]
            ends[journey] = self._ended(contacts[positions[-1]])
        tasks.done.update(closed)
        frame = pd.DataFrame(decided_rows(rows, self.decisions), columns=tasks.columns)
        frame.insert(0, "replication", self.replication)
        journeys = journeys_table(frame, self.scenario.horizon, self.scenario.warmup)
        if journeys.empty:
            return
        scored = score_journeys(journeys, tasks.parameters, tasks.draws, channel_kinds=tasks.kinds)
        chosen = (scored["nps_group"] == "detractor").to_numpy()
        if tasks.policy.whom == "surveyed":
            surveyed = sample_surveys(scored, tasks.parameters, tasks.draws)
            chosen = chosen & scored["journey"].isin(surveyed["journey"]).to_numpy()
        policy = tasks.policy
        for journey in scored["journey"].to_numpy()[chosen]:
            reaches = next(tasks.reach) < policy.reach
            due = max(0.0, ends[journey] + policy.delay - now)
            Call(self.env, due, self._on_task_due, (int(journey), reaches))

    def _on_task_due(self, event: Call) -> None:
        """A follow-up task enters the backlog of the policy's channel (none at the horizon)."""
        now = self.env._now
        if now >= self.scenario.horizon:
            return
        journey, reaches = event._value
        tasks = self.follow_ups
        task = Customer(
            tasks.next_id,
            tasks.line,
            tasks.policy.contact_type,
            now,
            int(now // self.interval),
            next(tasks.handle),
            next(tasks.acw),
            math.inf,
            tasks.stats,
        )
        task.journey = journey
        tasks.next_id -= 1
        tasks.tasks[task.id] = reaches
        self.decisions[task.id] = (FOLLOW_UP, math.nan, math.nan, math.nan)
        tasks.stats.offered[task.interval] += 1
        self._admit(task)

    def _start_task(self, agent: Agent, customer: Customer, work: float) -> None:
        """An agent took a follow-up task (a negative id): it is worked, neither resolved nor
        escalated."""
        reaches = self.follow_ups.tasks[customer.id]
        now = self.env._now
        agent.state = AgentState.BUSY
        agent.busy_since = now
        resolution = FOLLOWED_UP if reaches else FOLLOW_UP
        self.decisions[customer.id] = (resolution, math.nan, math.nan, now + work)
        Call(self.env, work, self._on_contact_end, agent)


__all__ = ["FollowUpTasks", "FollowUps"]

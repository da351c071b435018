"""The simulation of one replication, on SimPy events with callbacks.

No generator process per customer: customers are plain records, agents and queues small
objects, and every event (an arrival, an abandonment, the end of a contact, a shift or break
boundary, an overflow delay, a session end, a retry) is a SimPy event whose single callback
moves them on (:class:`queuesim.model.events.Call`). Abandonment is scheduled only
for customers who must wait, and cancelled lazily: when it fires for a customer already
answered it does nothing, so a customer abandons at most once and never after service began.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from heapq import heappush
from typing import Any

import simpy
from simpy.events import NORMAL

from queuesim.metrics import GroupStats, SegmentStats
from queuesim.model.agents import Agent, AgentPool, AgentState, ShiftDay, roster
from queuesim.model.chat import ChatSessions
from queuesim.model.chatbot import Chatbots
from queuesim.model.customers import (
    DECLINES,
    MISSES,
    Customer,
    accepted_callback,
    journey_of,
    prior_of,
)
from queuesim.model.deferred import DeferredWork
from queuesim.model.empowerment import EmpowermentRules, Escalations
from queuesim.model.events import Call
from queuesim.model.follow_ups import FollowUps
from queuesim.model.initial import StartUp, shifts_from
from queuesim.model.journeys import JourneyTracking
from queuesim.model.queues import ChannelQueue, SkillQueue
from queuesim.model.retrials import Retrials
from queuesim.model.routing import (
    PriorityRouting,
    Route,
    RoutingPolicy,
    build_lines,
    connect,
    mark_fast_paths,
)
from queuesim.model.sources import ChannelSource, RetrialSource
from queuesim.rng import stream
from queuesim.scenario.schema import Scenario
from queuesim.scenario.units import SECONDS_PER_DAY

IDLE, BUSY = AgentState.IDLE, AgentState.BUSY

CONTACT_COLUMNS = (
    "customer",
    "channel",
    "contact_type",
    "arrival",
    "outcome",
    "wait",
    "handle_time",
    "after_contact_work",
    "patience",
    "agent_group",
    "callback",
    "journey",
    "prior_time",
)
"""Columns of a per-contact record (``--records``): ``callback``, whether the customer accepted
a call-back; ``journey``, the id of the journey's first contact (a hand-over or a retrial
keeps it); ``prior_time``, the time the journey had already taken before this contact (the
conversation with a chatbot before a hand-over). For a chatbot contact ``handle_time`` is the
time with the bot."""


@dataclass
class ReplicationOutput:
    """What one replication leaves behind: accumulated statistics, never customers."""

    replication: int
    segments: dict[tuple[str, str], SegmentStats]
    groups: dict[str, GroupStats]
    end_time: float
    wall_seconds: float
    contacts: list[tuple[Any, ...]] = field(default_factory=list)
    journeys: Any = None
    """With empowerment, the journeys table (:func:`queuesim.model.journeys.journeys_table`),
    scored when the scenario has a ``satisfaction`` section."""
    satisfaction: Any = None
    """With a ``satisfaction`` section, the run's satisfaction summary (tidy rows)."""


class Simulation(
    ChatSessions, DeferredWork, Chatbots, Retrials, StartUp, Escalations, JourneyTracking, FollowUps
):
    """One replication of a scenario under one seed.

    Streams (SEMANTICS.md): ``arrivals/<channel>``, ``forecast/<channel>``, ``mix/<channel>``,
    ``patience/<channel>``, ``service/<channel>/<contact type>``,
    ``acw/<channel>/<contact type>``, ``shrinkage/<agent group>`` and those of call-backs,
    balking, chatbots and retrials (:mod:`queuesim.model.sources`): one per purpose and place,
    so that adding a channel changes the customers of no other channel.

    ``routing`` is the class of the routing policy (:mod:`queuesim.model.routing`). The events
    of chat sessions, deferred work, chatbots, retrials and the start from an initial state
    (:mod:`queuesim.model.initial`) live in their own modules, mixed in, and so do
    empowerment and escalation (:mod:`queuesim.model.empowerment`), the journeys with their
    repeat contacts (:mod:`queuesim.model.journeys`) and the follow-up of detractors during
    the run (:mod:`queuesim.model.follow_ups`).
    """

    def __init__(
        self,
        scenario: Scenario,
        seed: int,
        replication: int,
        records: bool = False,
        routing: type[RoutingPolicy] = PriorityRouting,
    ) -> None:
        self.scenario = scenario
        self.seed = seed
        self.replication = replication
        self.records = records
        self.keep_records = records
        self.contacts: list[tuple[Any, ...]] = []
        state = scenario.initial_state
        self.start = 0.0 if state is None else state.start
        """When the run starts: 0, or the time of the scenario's initial state."""
        self.env = simpy.Environment(initial_time=self.start)
        self.resuming: dict[str, list[float]] = {}
        self.under_way: list[ShiftDay] = []
        """Shift-days under way at the start, whose agents take the contacts in service."""
        self.interval = scenario.interval
        n = scenario.n_intervals
        thresholds = scenario.service_level.thresholds
        self.segments = {
            (name, contact_type): SegmentStats(n, thresholds, channel.deadline)
            for name, channel in scenario.channels.items()
            for contact_type in scenario.arriving_types(name)
        }
        self.queues = {
            name: ChannelQueue(name, channel, scenario.horizon)
            for name, channel in scenario.channels.items()
        }
        for queue in self.queues.values():
            queue.mean_work = sum(
                share
                * (
                    scenario.contact_types[name].handle_time.expected
                    + scenario.contact_types[name].after_contact_work.expected
                )
                for name, share in queue.channel.mix.items()
            )
        self.lines = build_lines(scenario, self.queues)
        self.empowerment: EmpowermentRules | None = None
        """Authority, resolution and escalation (:mod:`queuesim.model.empowerment`), if used."""
        self.decisions: dict[int, tuple[str, bool, float, float]] = {}
        """With empowerment, what became of each answered contact, by id."""
        if scenario.uses_empowerment:
            self.empowerment = EmpowermentRules(
                scenario, seed, replication, self.lines, self.segments
            )
            self.records = True  # the journeys are built from every contact's row
        for name, queue in self.queues.items():
            if queue.channel.retrial is not None:
                queue.retrial = RetrialSource(
                    scenario, seed, replication, name, self.lines, self.segments
                )
        self.pools: dict[str, AgentPool] = {}
        for name, group in scenario.agent_groups.items():
            stats = GroupStats(n, scenario.interval)
            pool = AgentPool(name, group, stats, seed, replication, scenario.horizon)
            connect(pool, self.queues)
            self.pools[name] = pool
        policy = routing()
        mark_fast_paths(list(self.lines.values()), list(self.pools.values()), policy)
        self._agent_for = policy.agent_for
        self._contact_for = policy.contact_for
        self._deferred_for = policy.deferred_for
        self.deferred_queues = [q for q in self.queues.values() if q.channel.deferred]
        self.agents: list[Agent] = []
        self.next_id = 0
        """The id of the next first contact of a journey (even ids, in arrival order: the
        same customers get the same ids whatever the staffing, so a journey's draws, keyed by
        its id, are common random numbers across variants)."""
        self.next_later = 1
        """The id of the next later contact of a journey (a retry, repeat, transfer,
        follow-up or hand-over: odd ids)."""
        self.in_bot: dict[int, Customer] = {}
        """Contacts talking to a chatbot, by id."""

    # -- set-up -----------------------------------------------------------------------------

    def _schedule_arrivals(self) -> None:
        for queue in self.queues.values():
            handler = self._on_arrival if queue.channel.bot is None else self._on_bot_arrival
            source = ChannelSource(
                self.scenario,
                self.seed,
                self.replication,
                queue,
                self.lines,
                self.segments,
                handler,
            )
            if self.start > 0:
                source.arrival_times = (t for t in source.arrival_times if t >= self.start)
            first = next(source.arrival_times, None)
            if first is not None:
                Call(self.env, first - self.start, handler, source)

    def _schedule_shifts(self) -> None:
        for name, pool in self.pools.items():
            rng = stream(self.seed, self.replication, f"shrinkage/{name}")
            shifts = roster(self.scenario, pool.group, rng)
            state = self.scenario.initial_state
            if state is not None:
                shifts, under_way = shifts_from(shifts, self.start, state.on_duty.get(name))
                self.under_way += under_way
            for shift in shifts:
                end = min(shift.end, self.scenario.horizon)
                pool.stats.add(pool.stats.paid, shift.start, end, shift.rostered)
                Call(self.env, shift.start - self.start, self._on_shift_start, (pool, shift))

    def _schedule_closings(self) -> None:
        for queue in self.queues.values():
            channel = queue.channel
            always_open = channel.open == 0 and channel.close == SECONDS_PER_DAY
            if queue.close_policy != "close" or always_open:
                continue
            for day in range(self.scenario.days):
                at = day * SECONDS_PER_DAY + channel.close
                if self.start <= at < self.scenario.horizon:
                    Call(self.env, at - self.start, self._on_closing, queue)

    # -- customers --------------------------------------------------------------------------

    def _on_arrival(self, event: Call) -> None:
        source: ChannelSource = event._value
        now = self.env._now
        interval = int(now // self.interval)
        k = next(source.mix)
        handle = next(source.handle[k])
        if source.factors is not None:
            handle *= source.factors[interval % len(source.factors)]
        stats = source.stats[k]
        customer = Customer(
            self.next_id,
            source.lines[k],
            source.types[k],
            now,
            interval,
            handle,
            next(source.acw[k]),
            next(source.patience),
            stats,
        )
        source.attributes.add_extras(customer, k)
        self.next_id += 2
        stats.offered[interval] += 1
        self._admit(customer)
        arrival = next(source.arrival_times, None)
        if arrival is not None:  # the processed event object is free: schedule it again
            env = self.env
            event.callbacks = source.callbacks
            heappush(env._queue, (arrival, NORMAL, next(env._eid), event))

    def _admit(self, customer: Customer) -> None:
        line = customer.queue
        pool = line.only_pool
        if pool is not None:  # one group takes the line at once, default routing: kept fast
            idle = pool.idle
            agent = idle.popleft() if idle else None
        elif line.live or line.channel.is_open(self.env._now):
            agent = self._agent_for(line.immediate)
        else:
            agent = None  # deferred work outside business hours waits for the opening
        if agent is not None:
            self._serve(agent, customer, 0.0)
            return
        if line.plain:  # no call-back, balking, retrial or overflow: kept fast
            queue = line.channel
            if queue.capacity is not None and queue.n_waiting >= queue.capacity:
                customer.stats.blocked[customer.interval] += 1
                if self.records:
                    self._record(customer, "blocked", 0.0, None)
            else:
                line.push(customer)
                if customer.patience < math.inf:
                    Call(self.env, customer.patience, self._on_patience_end, customer)
            return
        self._admit_special(customer)

    def _admit_special(self, customer: Customer) -> None:
        """Admit a customer who found no idle agent on a line that is not plain."""
        line = customer.queue
        if line.chat is not None:
            agent = self._loaded_agent(line, line.immediate)
            if agent is not None:
                self._serve(agent, customer, 0.0)
                return
        queue = line.channel
        if queue.capacity is not None and queue.n_waiting - queue.n_callbacks >= queue.capacity:
            customer.stats.blocked[customer.interval] += 1
            if self.records:
                self._record(customer, "blocked", 0.0, None)
            if queue.retrial is not None:
                self._maybe_retry(customer)
        elif (
            queue.balking is not None
            and customer.balk < queue.balking[min(queue.n_waiting, len(queue.balking) - 1)]
        ):
            customer.stats.balked[customer.interval] += 1
            if self.records:
                self._record(customer, "balked", 0.0, None)
            if queue.retrial is not None:
                self._maybe_retry(customer)
        else:
            line.push(customer)
            accepted = False
            if queue.callback is not None and self._offers_callback(line):
                stats = customer.stats
                stats.callbacks_offered[customer.interval] += 1
                if customer.choice != DECLINES:
                    stats.callbacks_accepted[customer.interval] += 1
                    customer.callback = accepted = True
                    queue.n_callbacks += 1
            if customer.patience < math.inf and not accepted:
                Call(self.env, customer.patience, self._on_patience_end, customer)
            if line.overflow:
                Call(self.env, line.overflow[0][0], self._on_overflow, (customer, 0))

    @staticmethod
    def _offers_callback(line: SkillQueue) -> bool:
        """Whether the expected wait of a customer who just joined ``line`` exceeds the
        call-back threshold: their place in the channel's queue × its mean work per contact,
        over the agents on duty in the groups that take the line at once."""
        queue = line.channel
        agents = sum(pool.on_duty for pool in line.immediate)
        if agents == 0:
            return True
        return queue.n_waiting * queue.mean_work / agents > queue.callback.threshold

    def _on_overflow(self, event: Call) -> None:
        """A waiting customer reached an overflow delay: the groups behind it may now serve it.

        Agents of those groups who were idle took nothing they could serve, so if one is idle
        now, this customer is the one to take.
        """
        customer, index = event._value
        if not customer.waiting:
            return
        line: SkillQueue = customer.queue
        delay, pools = line.overflow[index]
        open_now = line.live or line.channel.is_open(self.env._now)
        agent = self._agent_for(pools) if open_now else None
        if agent is None and line.chat is not None:
            agent = self._loaded_agent(line, pools)
        if agent is not None:
            line.take(customer)
            self._serve(agent, customer, self.env._now - customer.arrival)
        elif index + 1 < len(line.overflow):
            Call(
                self.env,
                line.overflow[index + 1][0] - delay,
                self._on_overflow,
                (customer, index + 1),
            )

    def _on_patience_end(self, event: Call) -> None:
        customer: Customer = event._value
        if customer.waiting:
            customer.waiting = False
            queue = customer.queue.channel
            queue.n_waiting -= 1
            customer.stats.abandoned_after(customer.interval, customer.patience)
            if self.records:
                self._record(customer, "abandoned", customer.patience, None)
            if queue.retrial is not None:
                self._maybe_retry(customer)

    def _on_closing(self, event: Call) -> None:
        now = self.env.now
        for customer in event._value.drain():
            customer.stats.closed_out_after(customer.interval, now - customer.arrival)
            if self.records:
                self._record(customer, "closed_out", now - customer.arrival, None)

    def _record(self, customer: Customer, outcome: str, wait: float, group: str | None) -> None:
        """Keep one contact's row (callers check ``self.records`` first: it is the hot path)."""
        self.contacts.append(
            (
                customer.id,
                customer.queue.name,
                customer.contact_type,
                customer.arrival,
                outcome,
                wait,
                customer.handle,
                customer.acw,
                customer.patience,
                group,
                accepted_callback(customer),
                journey_of(customer),
                prior_of(customer),
            )
        )

    # -- agents -----------------------------------------------------------------------------

    def _serve(self, agent: Agent, customer: Customer, wait: float) -> None:
        line = customer.queue
        if line.special:
            self._serve_special(agent, customer, wait)
            return
        customer.stats.answered_after(customer.interval, wait)
        if self.records:
            self._record(customer, "answered", wait, agent.pool.name)
        work = customer.handle + customer.acw
        pool = agent.pool
        if pool.scaled:
            work = pool.work(agent, line, work, self.env._now)
        agent.state = BUSY
        agent.busy_since = self.env._now
        Call(self.env, work, self._on_contact_end, agent)

    def _serve_special(self, agent: Agent, customer: Customer, wait: float) -> None:
        """Serve a customer of a chat or deferred channel, or place a call-back."""
        line = customer.queue
        stats = customer.stats
        interval = customer.interval
        outcome = "answered"
        work = agent.pool.work(agent, line, customer.handle + customer.acw, self.env._now)
        if accepted_callback(customer):
            line.channel.n_callbacks -= 1
            if customer.choice == MISSES:
                outcome = "abandoned"
                stats.abandoned[interval] += 1
                stats.callbacks_missed[interval] += 1
                work = line.channel.callback.attempt
            else:
                stats.answered[interval] += 1
                stats.callbacks_answered[interval] += 1
                stats.callback_wait[interval] += wait
        else:
            stats.answered_after(interval, wait)
            if line.deadline is not None:
                stats.deferred_answered(interval, wait)
        if self.records:
            self._record(customer, outcome, wait, agent.pool.name)
        if line.chat is not None:
            self._open_session(agent, customer, work)
            return
        if line.empowered and outcome == "answered":
            self._start_empowered(agent, customer, work)
            return
        agent.state = BUSY
        agent.busy_since = self.env._now
        Call(self.env, work, self._on_contact_end, agent)

    def _on_contact_end(self, event: Call) -> None:
        agent: Agent = event._value
        stats = agent.pool.stats
        now = self.env._now
        index = int(agent.busy_since // self.interval)
        if now <= (index + 1) * self.interval and index < stats.n_intervals:  # the common case
            stats.busy[index] += now - agent.busy_since
        else:
            stats.add(stats.busy, agent.busy_since, now)
        if agent.break_due:
            self._start_break(agent)
        else:
            self._take_next(agent)

    def _take_next(self, agent: Agent) -> None:
        """Give the agent the contact the routing policy picks, or let it idle or leave.

        Past its shift end an agent only serves the queues of closed channels whose policy is
        ``serve`` (the last customers inside a branch); otherwise it leaves.
        """
        now = self.env._now
        if now < agent.shift_end:
            pool = agent.pool
            line = pool.only_line
            if line is not None:  # one plain line, default routing: kept fast
                head = line.head()
                if head is not None:
                    self._serve(agent, line.pop(), now - head.arrival)
                else:
                    agent.state = IDLE
                    agent.idle_since = now
                    pool.idle.append(agent)
                return
            customer = self._contact_for(pool.routes, now)
            if customer is None and pool.deferred:
                customer = self._deferred_for(pool.deferred, now, pool.edf)
            if customer is not None:
                self._serve(agent, customer, now - customer.arrival)
                if agent.desk is not None:
                    self._fill(agent)
            else:
                agent.state = IDLE
                agent.idle_since = now
                agent.pool.idle.append(agent)
            return
        routes = [r for r in agent.pool.routes if self._serves_overtime(r, now)]
        customer = self._contact_for(routes, now) if routes else None
        if customer is not None:
            self._serve(agent, customer, now - customer.arrival)
        else:
            self._leave(agent)

    @staticmethod
    def _serves_overtime(route: Route, now: float) -> bool:
        """Whether an agent past its shift end serves ``route``: a closed ``serve`` channel."""
        channel = route.queue.channel
        return channel.close_policy == "serve" and not channel.is_open(now)

    # -- shifts and breaks ------------------------------------------------------------------

    def _on_shift_start(self, event: Call) -> None:
        pool, shift = event._value
        now = self.env.now
        shift_agents = [
            Agent(pool, shift.end, now, person) for person in pool.people(shift.name, shift.agents)
        ]
        pool.on_duty += shift.agents
        self.agents.extend(shift_agents)
        resuming = self.resuming.get(pool.name) if self.under_way else None
        if resuming and any(shift is s for s in self.under_way):
            for agent in shift_agents[: len(resuming)]:
                self._resume(agent, resuming.pop(0))
        for agent in shift_agents:
            if agent.state == IDLE:
                self._take_next(agent)
        for at, length in shift.breaks:
            Call(self.env, at - now, self._on_break_due, (shift_agents, length, "on_break"))
        if pool.curve is not None:  # training sessions during the shift
            length = pool.curve.duration
            for at in pool.curve.starts:
                if now <= at < shift.end:
                    Call(self.env, at - now, self._on_break_due, (shift_agents, length, "training"))
        if shift.end < math.inf:
            Call(self.env, shift.end - now, self._on_shift_end, shift_agents)

    def _on_break_due(self, event: Call) -> None:
        """A break or a training session is due (``kind``: ``on_break``, ``training``): an
        idle agent takes it now, a busy one after the current contact, one already due a
        break or on one after that."""
        agents, length, kind = event._value
        for agent in agents:
            if agent.state == AgentState.ON_BREAK or agent.break_due:
                agent.later_breaks.append((length, kind))
            elif agent.state == AgentState.IDLE:
                agent.pool.idle.remove(agent)
                agent.break_due, agent.break_kind = length, kind
                self._start_break(agent)
            elif agent.state == AgentState.BUSY:
                agent.break_due, agent.break_kind = length, kind
                if agent.desk is not None:
                    agent.desk.withdraw(agent, len(agent.sessions))

    def _start_break(self, agent: Agent) -> None:
        now = self.env.now
        stats = agent.pool.stats
        stats.add(stats.available, agent.available_since, now)
        stats.add(getattr(stats, agent.break_kind), now, now + agent.break_due)
        agent.state = AgentState.ON_BREAK
        Call(self.env, agent.break_due, self._on_break_end, agent)
        agent.break_due = 0.0

    def _on_break_end(self, event: Call) -> None:
        agent: Agent = event._value
        agent.available_since = self.env.now
        if agent.later_breaks and self.env.now < agent.shift_end:
            agent.break_due, agent.break_kind = agent.later_breaks.pop(0)
            self._start_break(agent)
        else:
            self._take_next(agent)

    def _on_shift_end(self, event: Call) -> None:
        for agent in event._value:
            if agent.state == AgentState.IDLE:
                agent.pool.idle.remove(agent)
                self._leave(agent)
            elif agent.desk is not None:
                agent.desk.withdraw(agent, len(agent.sessions))

    def _leave(self, agent: Agent) -> None:
        agent.pool.on_duty -= 1
        now = self.env.now
        stats = agent.pool.stats
        stats.add(stats.available, agent.available_since, now)
        stats.add(stats.overtime, agent.shift_end, now)
        agent.state = AgentState.GONE

    # -- run --------------------------------------------------------------------------------

    def _serve_queues_waiting(self) -> bool:
        return any(q.n_waiting for q in self.queues.values() if q.close_policy == "serve")

    def _finish(self) -> None:
        """Account for everyone still present when the run ends."""
        now = self.env.now
        if self.deferred_queues:
            self._count_backlog(self.scenario.n_intervals - 1)
        for customer in self.in_bot.values():
            customer.stats.pending[customer.interval] += 1
            if self.records:
                self._record(customer, "pending", 0.0, None)
        for queue in self.queues.values():
            for customer in queue.drain():
                customer.stats.pending[customer.interval] += 1
                if customer.stats.deadline is not None:
                    customer.stats.deferred_pending(customer.interval, now - customer.arrival)
                if self.records:
                    self._record(customer, "pending", now - customer.arrival, None)
        for agent in self.agents:
            stats = agent.pool.stats
            if agent.state == AgentState.BUSY:
                stats.add(stats.busy, agent.busy_since, now)
                if agent.desk is not None:
                    stats.add(stats.chat_busy, agent.busy_since, now)
                    for session in agent.sessions:
                        weight = 1.0 / agent.desk.rule.sessions
                        stats.add(stats.slot_busy, session.started, now, weight)
            if agent.state in (AgentState.BUSY, AgentState.IDLE):
                stats.add(stats.available, agent.available_since, now)
                stats.add(stats.overtime, agent.shift_end, now)

    def run(self) -> ReplicationOutput:
        """Simulate to the horizon (longer while a ``serve`` channel still has customers)."""
        started = time.perf_counter()
        self._schedule_shifts()
        self._schedule_initial()
        self._schedule_arrivals()
        self._schedule_closings()
        self._schedule_deferred()
        self._schedule_follow_ups()
        env = self.env
        env.run(until=self.scenario.horizon)
        while self._serve_queues_waiting() and env.peek() < math.inf:
            env.step()
        self._finish()
        journeys = satisfaction = None
        if self.empowerment is not None:
            journeys, satisfaction = self._close_journeys(self.keep_records)
        return ReplicationOutput(
            replication=self.replication,
            segments=self.segments,
            groups={name: pool.stats for name, pool in self.pools.items()},
            end_time=env.now,
            wall_seconds=time.perf_counter() - started,
            contacts=self.contacts,
            journeys=journeys,
            satisfaction=satisfaction,
        )


def simulate_replication(
    scenario: Scenario,
    seed: int,
    replication: int,
    records: bool = False,
    routing: type[RoutingPolicy] = PriorityRouting,
) -> ReplicationOutput:
    """Run replication ``replication`` of ``scenario`` under ``seed`` with a routing policy."""
    return Simulation(scenario, seed, replication, records, routing).run()


def state_at(
    scenario: Scenario,
    seed: int,
    replication: int,
    time: float,
    routing: type[RoutingPolicy] = PriorityRouting,
) -> dict[str, Any]:
    """The state of replication ``replication`` of ``scenario`` under ``seed`` just before
    ``time`` (seconds from 00:00 of day 1, a whole minute), as an ``initial_state`` section:
    customers waiting with their elapsed waits, contacts in service with their remaining work
    (``after_shift`` for agents past their shift end, ``break_after`` for agents with a break
    due), agents on a break with the time left, agents on shift per group. Chat sessions and
    chatbot conversations in progress are not part of it (:mod:`queuesim.model.initial`)."""
    simulation = Simulation(scenario, seed, replication, False, routing)
    simulation.capture_state_at(time)
    simulation.run()
    assert simulation.state is not None
    return simulation.state


__all__ = ["CONTACT_COLUMNS", "ReplicationOutput", "Simulation", "simulate_replication", "state_at"]

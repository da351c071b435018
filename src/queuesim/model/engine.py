"""The simulation of one replication, on SimPy events with callbacks.

No generator process per customer: customers are plain records, agents and queues small
objects, and every event (an arrival, an abandonment, the end of a contact, a shift or break
boundary) is a SimPy event whose single callback moves them on. Abandonment is scheduled only
for customers who must wait, and cancelled lazily: when it fires for a customer already
answered it does nothing, so a customer abandons at most once and never after service began.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from heapq import heappush
from typing import Any

import simpy
from simpy.events import NORMAL

from queuesim.metrics import GroupStats, SegmentStats
from queuesim.model.agents import Agent, AgentPool, AgentState, roster
from queuesim.model.arrivals import ArrivalTimes, aht_factors
from queuesim.model.customers import Customer
from queuesim.model.queues import ChannelQueue
from queuesim.model.sampling import choices, sampler
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
)
"""Columns of a per-contact record (``--records``)."""


class _Call:
    """An event that calls ``callback(event)`` after ``delay``; its value is ``arg``.

    The hot path of the engine. It is scheduled in the SimPy environment's event queue and
    processed by ``Environment.step`` like a ``simpy.Timeout``, carrying only what ``step``
    reads (``callbacks``, ``_ok``) in slots, with ``Environment.schedule`` inlined. The engine
    reads the clock as ``env._now`` for the same reason (``env.now`` is a property around it).
    """

    __slots__ = ("_ok", "_value", "callbacks")

    def __init__(
        self, env: simpy.Environment, delay: float, callback: Callable[[Any], None], arg: object
    ) -> None:
        self.callbacks = [callback]
        self._value = arg
        self._ok = True
        heappush(env._queue, (env._now + delay, NORMAL, next(env._eid), self))


@dataclass
class ReplicationOutput:
    """What one replication leaves behind: accumulated statistics, never customers."""

    replication: int
    segments: dict[tuple[str, str], SegmentStats]
    groups: dict[str, GroupStats]
    end_time: float
    wall_seconds: float
    contacts: list[tuple[Any, ...]] = field(default_factory=list)


class _Source:
    """A channel's arrivals and the attributes its customers bring."""

    def __init__(self, sim: Simulation, name: str, queue: ChannelQueue) -> None:
        scenario, seed, rep = sim.scenario, sim.seed, sim.replication
        channel = queue.channel
        self.queue = queue
        self.times = ArrivalTimes(
            scenario,
            channel,
            stream(seed, rep, f"arrivals/{name}"),
            stream(seed, rep, f"forecast/{name}"),
        )
        days = map(self.times.day, range(scenario.days))
        self.arrival_times: Iterator[float] = itertools.chain.from_iterable(days)
        types = list(channel.mix)
        self.types = types
        self.mix = choices([channel.mix[t] for t in types], stream(seed, rep, f"mix/{name}"))
        specs = [scenario.contact_types[t] for t in types]
        self.handle = [
            sampler(spec.handle_time, stream(seed, rep, f"service/{name}/{t}"))
            for spec, t in zip(specs, types, strict=True)
        ]
        self.acw = [
            sampler(spec.after_contact_work, stream(seed, rep, f"acw/{name}/{t}"))
            for spec, t in zip(specs, types, strict=True)
        ]
        self.patience = sampler(channel.patience, stream(seed, rep, f"patience/{name}"))
        self.stats = [sim.segments[(name, t)] for t in types]
        self.factors = aht_factors(scenario, channel)
        self.callbacks = [sim._on_arrival]


class Simulation:
    """One replication of a scenario under one seed.

    Streams (SEMANTICS.md): ``arrivals/<channel>``, ``forecast/<channel>``, ``mix/<channel>``,
    ``patience/<channel>``, ``service/<channel>/<contact type>``,
    ``acw/<channel>/<contact type>`` and ``shrinkage/<agent group>``: one per purpose and
    place, so that adding a channel changes the customers of no other channel.
    """

    def __init__(
        self, scenario: Scenario, seed: int, replication: int, records: bool = False
    ) -> None:
        self.scenario = scenario
        self.seed = seed
        self.replication = replication
        self.records = records
        self.contacts: list[tuple[Any, ...]] = []
        self.env = simpy.Environment()
        self.interval = scenario.interval
        n = scenario.n_intervals
        thresholds = scenario.service_level.thresholds
        self.segments = {
            (name, contact_type): SegmentStats(n, thresholds)
            for name, channel in scenario.channels.items()
            for contact_type in channel.mix
        }
        self.queues = {
            name: ChannelQueue(name, channel, scenario.horizon)
            for name, channel in scenario.channels.items()
        }
        self.pools: dict[str, AgentPool] = {}
        for name, group in scenario.agent_groups.items():
            pool = AgentPool(name, group, GroupStats(n, scenario.interval))
            for channel_name in group.channels:
                pool.queues.append(self.queues[channel_name])
                self.queues[channel_name].pools.append(pool)
            self.pools[name] = pool
        self.agents: list[Agent] = []
        self.next_id = 0

    # -- set-up -----------------------------------------------------------------------------

    def _schedule_arrivals(self) -> None:
        for name, queue in self.queues.items():
            source = _Source(self, name, queue)
            first = next(source.arrival_times, None)
            if first is not None:
                _Call(self.env, first, self._on_arrival, source)

    def _schedule_shifts(self) -> None:
        for name, pool in self.pools.items():
            rng = stream(self.seed, self.replication, f"shrinkage/{name}")
            for shift in roster(self.scenario, pool.group, rng):
                end = min(shift.end, self.scenario.horizon)
                pool.stats.add(pool.stats.paid, shift.start, end, shift.rostered)
                _Call(self.env, shift.start, self._on_shift_start, (pool, shift))

    def _schedule_closings(self) -> None:
        for queue in self.queues.values():
            channel = queue.channel
            always_open = channel.open == 0 and channel.close == SECONDS_PER_DAY
            if queue.close_policy != "close" or always_open:
                continue
            for day in range(self.scenario.days):
                at = day * SECONDS_PER_DAY + channel.close
                if at < self.scenario.horizon:
                    _Call(self.env, at, self._on_closing, queue)

    # -- customers --------------------------------------------------------------------------

    def _on_arrival(self, event: _Call) -> None:
        source: _Source = event._value
        now = self.env._now
        interval = int(now // self.interval)
        k = next(source.mix)
        handle = next(source.handle[k])
        if source.factors is not None:
            handle *= source.factors[interval % len(source.factors)]
        stats = source.stats[k]
        customer = Customer(
            self.next_id,
            source.queue,
            source.types[k],
            now,
            interval,
            handle,
            next(source.acw[k]),
            next(source.patience),
            stats,
        )
        self.next_id += 1
        stats.offered[interval] += 1
        self._admit(customer)
        arrival = next(source.arrival_times, None)
        if arrival is not None:  # the processed event object is free: schedule it again
            env = self.env
            event.callbacks = source.callbacks
            heappush(env._queue, (arrival, NORMAL, next(env._eid), event))

    def _admit(self, customer: Customer) -> None:
        queue = customer.queue
        pools = queue.pools
        if len(pools) == 1:  # the common case, kept fast
            idle = pools[0].idle
            agent = idle.popleft() if idle else None
        else:
            agent = self._idle_agent(pools)
        if agent is not None:
            self._serve(agent, customer, 0.0)
        elif queue.capacity is not None and queue.n_waiting >= queue.capacity:
            customer.stats.blocked[customer.interval] += 1
            if self.records:
                self._record(customer, "blocked", 0.0, None)
        else:
            queue.push(customer)
            if customer.patience < math.inf:
                _Call(self.env, customer.patience, self._on_patience_end, customer)

    def _on_patience_end(self, event: _Call) -> None:
        customer: Customer = event._value
        if customer.waiting:
            customer.waiting = False
            customer.queue.n_waiting -= 1
            customer.stats.abandoned_after(customer.interval, customer.patience)
            if self.records:
                self._record(customer, "abandoned", customer.patience, None)

    def _on_closing(self, event: _Call) -> None:
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
            )
        )

    # -- agents -----------------------------------------------------------------------------

    def _idle_agent(self, pools: list[AgentPool]) -> Agent | None:
        """The agent idle longest among ``pools``, taken off its idle list."""
        best = None
        for pool in pools:
            if pool.idle and (best is None or pool.idle[0].idle_since < best.idle[0].idle_since):
                best = pool
        return best.idle.popleft() if best is not None else None

    def _serve(self, agent: Agent, customer: Customer, wait: float) -> None:
        customer.stats.answered_after(customer.interval, wait)
        agent.state = BUSY
        agent.busy_since = self.env._now
        _Call(self.env, customer.handle + customer.acw, self._on_contact_end, agent)
        if self.records:
            self._record(customer, "answered", wait, agent.pool.name)

    def _on_contact_end(self, event: _Call) -> None:
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
        """Give the agent the customer waiting longest in its queues, or let it idle or leave.

        Past its shift end an agent only serves the queues of closed channels whose policy is
        ``serve`` (the last customers inside a branch); otherwise it leaves.
        """
        now = self.env._now
        past_end = now >= agent.shift_end
        queues = agent.pool.queues
        if len(queues) == 1 and not past_end:  # the common case, kept fast
            customer = queues[0].head()
            if customer is not None:
                self._serve(agent, queues[0].pop(), now - customer.arrival)
            else:
                agent.state = IDLE
                agent.idle_since = now
                agent.pool.idle.append(agent)
            return
        best: ChannelQueue | None = None
        best_arrival = math.inf
        for queue in queues:
            if past_end and (queue.close_policy != "serve" or queue.is_open(now)):
                continue
            head = queue.head()
            if head is not None and head.arrival < best_arrival:
                best, best_arrival = queue, head.arrival
        if best is not None:
            self._serve(agent, best.pop(), now - best_arrival)
        elif past_end:
            self._leave(agent)
        else:
            agent.state = IDLE
            agent.idle_since = now
            agent.pool.idle.append(agent)

    def _on_shift_start(self, event: _Call) -> None:
        pool, shift = event._value
        shift_agents = [Agent(pool, shift.end, self.env.now) for _ in range(shift.agents)]
        self.agents.extend(shift_agents)
        for agent in shift_agents:
            self._take_next(agent)
        for at, length in shift.breaks:
            _Call(self.env, at - self.env.now, self._on_break_due, (shift_agents, length))
        if shift.end < math.inf:
            _Call(self.env, shift.end - self.env.now, self._on_shift_end, shift_agents)

    def _on_break_due(self, event: _Call) -> None:
        agents, length = event._value
        for agent in agents:
            if agent.state == AgentState.IDLE:
                agent.pool.idle.remove(agent)
                agent.break_due = length
                self._start_break(agent)
            elif agent.state == AgentState.BUSY:
                agent.break_due = length

    def _start_break(self, agent: Agent) -> None:
        now = self.env.now
        stats = agent.pool.stats
        stats.add(stats.available, agent.available_since, now)
        stats.add(stats.on_break, now, now + agent.break_due)
        agent.state = AgentState.ON_BREAK
        _Call(self.env, agent.break_due, self._on_break_end, agent)
        agent.break_due = 0.0

    def _on_break_end(self, event: _Call) -> None:
        agent: Agent = event._value
        agent.available_since = self.env.now
        self._take_next(agent)

    def _on_shift_end(self, event: _Call) -> None:
        for agent in event._value:
            if agent.state == AgentState.IDLE:
                agent.pool.idle.remove(agent)
                self._leave(agent)

    def _leave(self, agent: Agent) -> None:
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
        for queue in self.queues.values():
            for customer in queue.drain():
                customer.stats.pending[customer.interval] += 1
                if self.records:
                    self._record(customer, "pending", now - customer.arrival, None)
        for agent in self.agents:
            stats = agent.pool.stats
            if agent.state == AgentState.BUSY:
                stats.add(stats.busy, agent.busy_since, now)
            if agent.state in (AgentState.BUSY, AgentState.IDLE):
                stats.add(stats.available, agent.available_since, now)
                stats.add(stats.overtime, agent.shift_end, now)

    def run(self) -> ReplicationOutput:
        """Simulate to the horizon (longer while a ``serve`` channel still has customers)."""
        started = time.perf_counter()
        self._schedule_shifts()
        self._schedule_arrivals()
        self._schedule_closings()
        env = self.env
        env.run(until=self.scenario.horizon)
        while self._serve_queues_waiting() and env.peek() < math.inf:
            env.step()
        self._finish()
        return ReplicationOutput(
            replication=self.replication,
            segments=self.segments,
            groups={name: pool.stats for name, pool in self.pools.items()},
            end_time=env.now,
            wall_seconds=time.perf_counter() - started,
            contacts=self.contacts,
        )


def simulate_replication(
    scenario: Scenario, seed: int, replication: int, records: bool = False
) -> ReplicationOutput:
    """Run replication ``replication`` of ``scenario`` under ``seed``."""
    return Simulation(scenario, seed, replication, records).run()


__all__ = ["CONTACT_COLUMNS", "ReplicationOutput", "Simulation", "simulate_replication"]

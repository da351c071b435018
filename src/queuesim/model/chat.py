"""Chat concurrency: an agent holds up to k sessions, each slower as they add up.

With n sessions an agent completes work at μ_n = μ_1 · ``rates[n − 1]`` in total, shared
equally, so each session's remaining work (its handle time plus after-contact work, in
seconds at one session, divided by the proficiency) drains at ``rates[n − 1] / n`` seconds per
second (SEMANTICS.md, "Chat concurrency"). The agent has one pending completion event: the
session with the least work left; when the number of sessions changes, the remaining work of
all is brought up to date and a new event replaces the old one (the old one is ignored when
it fires, by its token).

A :class:`ChatDesk` keeps, for one agent pool and one chat channel, the agents holding
between 1 and k − 1 sessions of that channel who still take more, by number of sessions held:
an arriving chat goes to an idle agent first (longest idle), then to the least loaded agent
(longest at that load first).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from queuesim.model.agents import AgentState
from queuesim.model.events import Call
from queuesim.model.journeys import RESOLVED
from queuesim.scenario.schema import Concurrency

if TYPE_CHECKING:
    from queuesim.model.agents import Agent, AgentPool
    from queuesim.model.customers import Customer
    from queuesim.model.queues import SkillQueue
    from queuesim.model.routing import Route


class ChatRule:
    """A chat channel's session limit and drain rate per session count."""

    def __init__(self, concurrency: Concurrency | None) -> None:
        spec = concurrency or Concurrency()
        self.sessions = spec.sessions
        rates = spec.rates()
        self.drain = (0.0, *(rate / n for n, rate in enumerate(rates, start=1)))
        """Work drained per second by each session while n sessions are held (index n)."""


class ChatDesk:
    """The agents of one pool holding sessions of one chat channel who still take more."""

    def __init__(self, rule: ChatRule) -> None:
        self.rule = rule
        self.routes: list[Route] = []
        """The pool's routes to the channel's lines, in decreasing priority."""
        self.by_load: list[dict[Agent, None]] = [{} for _ in range(rule.sessions)]

    def least_loaded(self) -> tuple[int, Agent] | None:
        """The load and agent holding the fewest sessions (longest at that load), or None."""
        for load in range(1, self.rule.sessions):
            agents = self.by_load[load]
            if agents:
                return load, next(iter(agents))
        return None

    def place(self, agent: Agent, load: int) -> None:
        """Offer ``agent`` holding ``load`` sessions (only while below the limit)."""
        if 0 < load < self.rule.sessions:
            self.by_load[load][agent] = None

    def withdraw(self, agent: Agent, load: int) -> None:
        """Stop offering ``agent`` (holding ``load`` sessions); a no-op when not offered."""
        if 0 < load < self.rule.sessions:
            self.by_load[load].pop(agent, None)


def bring_up_to_date(agent: Agent, now: float) -> None:
    """Drain every session of ``agent`` for the time since the last update."""
    sessions = agent.sessions
    if sessions:
        drained = (now - agent.updated) * agent.desk.rule.drain[len(sessions)]
        for session in sessions:
            session.remaining -= drained
    agent.updated = now


def next_completion(agent: Agent) -> tuple[float, Customer]:
    """The delay until the first of ``agent``'s sessions finishes, and that session."""
    first = min(agent.sessions, key=_remaining)
    rate = agent.desk.rule.drain[len(agent.sessions)]
    return max(first.remaining, 0.0) / rate, first


def _remaining(session: Customer) -> float:
    return session.remaining


class ChatSessions:
    """The chat-session events of a simulation (mixed into
    :class:`queuesim.model.engine.Simulation`)."""

    @staticmethod
    def _loaded_agent(line: SkillQueue, pools: list[AgentPool]) -> Agent | None:
        """The agent of ``pools`` holding the fewest sessions of ``line``'s chat channel who
        takes more (longest at that load first), or None; it leaves the desk as the session
        opens."""
        best = None
        best_load = 0
        for pool in pools:
            desk = pool.desks.get(line.channel)
            found = desk.least_loaded() if desk is not None else None
            if found is not None and (best is None or found[0] < best_load):
                best_load, best = found
        return best

    def _accepting(self, agent: Agent) -> bool:
        """Whether an agent holding sessions still takes new ones (no break due, on shift)."""
        return agent.break_due == 0.0 and self.env._now < agent.shift_end

    def _open_session(self, agent: Agent, customer: Customer, work: float) -> None:
        now = self.env._now
        sessions = agent.sessions
        if sessions:
            bring_up_to_date(agent, now)
            agent.desk.withdraw(agent, len(sessions))
        else:
            agent.state = AgentState.BUSY
            agent.busy_since = now
            agent.updated = now
            agent.desk = agent.pool.desks[customer.queue.channel]
        customer.remaining = work
        customer.started = now
        if self.empowerment is not None:  # journeys: resolved when the session ends
            proficiency = agent.pool.skill(customer.queue, now)
            self.decisions[customer.id] = (RESOLVED, True, proficiency, math.inf)
        sessions.append(customer)
        if self._accepting(agent):
            agent.desk.place(agent, len(sessions))
        self._schedule_session_end(agent)

    def _schedule_session_end(self, agent: Agent) -> None:
        agent.token += 1
        delay, agent.finishing = next_completion(agent)
        Call(self.env, delay, self._on_session_end, (agent, agent.token))

    def _fill(self, agent: Agent) -> None:
        """Give an agent holding sessions more waiting chats of its channel, up to the limit."""
        desk = agent.desk
        now = self.env._now
        while len(agent.sessions) < desk.rule.sessions and self._accepting(agent):
            customer = self._contact_for(desk.routes, now)
            if customer is None:
                return
            self._serve(agent, customer, now - customer.arrival)

    def _on_session_end(self, event: Call) -> None:
        agent, token = event._value
        if token != agent.token:
            return  # replaced by a later schedule
        now = self.env._now
        bring_up_to_date(agent, now)
        done = agent.finishing
        sessions = agent.sessions
        desk = agent.desk
        desk.withdraw(agent, len(sessions))
        sessions.remove(done)
        if self.empowerment is not None:
            self.decisions[done.id] = (*self.decisions[done.id][:3], now)
        stats = agent.pool.stats
        stats.add(stats.slot_busy, done.started, now, 1.0 / desk.rule.sessions)
        if sessions:
            if self._accepting(agent):
                desk.place(agent, len(sessions))
            self._schedule_session_end(agent)
            self._fill(agent)
            return
        stats.add(stats.busy, agent.busy_since, now)
        stats.add(stats.chat_busy, agent.busy_since, now)
        agent.desk = None
        if agent.break_due:
            self._start_break(agent)
        else:
            self._take_next(agent)


__all__ = ["ChatDesk", "ChatRule", "ChatSessions", "bring_up_to_date", "next_completion"]

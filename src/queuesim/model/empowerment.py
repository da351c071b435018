"""Empowerment and escalation: whether the agent who answers a contact resolves it.

Each agent group has an authority level and a first-contact resolution probability (its
quality); each contact of a type with an ``escalation`` needs some authority (its complexity,
drawn when the contact is created). When an agent answers a contact:

* within the group's authority, the agent leaves it unresolved with probability
  p_u = (1 − resolution)·g and otherwise serves it with an error with probability p_e =
  error_rate·g (g the agent's error factor, 1 without ``standards``; both capped at 1). One
  uniform number u, drawn when the contact was created (its ``outcome``, from the stream
  ``outcome/<channel>``, or the later attempt's own), decides: unresolved when
  u ≥ 1 − p_u, an error when u < (1 − p_u)·p_e, resolved otherwise. So the same customer
  meets the same luck in every variant, and a better agent or policy turns it the same way
  (common random numbers). An error counts as an error, not resolved, and the customer comes
  back by the channel's ``repeat`` rule like one left unresolved; resolving a contact with an
  authority need takes
  the group's ``handle_factor`` times its work and may cost a concession
  (``concession/<group>``), granted only while the group's budget of the interval in which the
  contact is answered lasts;
* beyond the authority (or the budget), the contact is escalated: when the agent's work on it
  ends, a new contact of the escalation's type, in the same journey, joins that type's queue on
  the same channel (a transfer, with its own wait) or, for a follow-up, arrives after a delay
  on the follow-up channel. Its handle time, after-contact work and patience come from the
  streams ``escalation/<channel>/<type>/...``, its delay from
  ``escalation/<channel>/<type>/delay``. An escalation due after the horizon is not made.

A group without ``empowerment`` has unlimited authority and resolves every contact it answers.
Mixed into :class:`queuesim.model.engine.Simulation`; nothing here runs for a scenario that
uses neither ``empowerment`` nor ``escalation``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from queuesim.model.agents import Agent, AgentState
from queuesim.model.customers import Customer, journey_of, prior_of
from queuesim.model.events import Call
from queuesim.model.journeys import ERROR, ESCALATED, RESOLVED, UNRESOLVED
from queuesim.model.sampling import amounts, sampler
from queuesim.model.sources import LiveAttributes, RetrialSource
from queuesim.rng import stream
from queuesim.scenario.schema import Scenario

if TYPE_CHECKING:
    from queuesim.metrics import SegmentStats
    from queuesim.model.queues import SkillQueue


class GroupAuthority:
    """An agent group's authority, quality, resolution time factor and concession budget."""

    __slots__ = ("authority", "budget", "concession", "error_rate", "factor", "resolution", "spent")

    def __init__(self, scenario: Scenario, seed: int, rep: int, name: str) -> None:
        power = scenario.agent_groups[name].empowerment
        self.authority: float | None = None if power is None else power.authority
        self.resolution = 1.0 if power is None else power.resolution
        self.factor = 1.0 if power is None else power.handle_factor
        standards = scenario.agent_groups[name].standards
        self.error_rate = 0.0 if standards is None else standards.errors
        self.concession: Iterator[float] | None = None
        if power is not None and power.concession is not None:
            self.concession = amounts(power.concession, stream(seed, rep, f"concession/{name}"))
        self.budget = None if power is None else power.budget
        self.spent = [0.0] * (scenario.n_intervals + 1)
        """Concessions granted, by the interval in which they were granted."""


class EscalationPath:
    """Where the contacts of one channel and contact type go when they are escalated."""

    __slots__ = ("attributes", "delay", "line", "stats", "to")

    def __init__(
        self,
        scenario: Scenario,
        seed: int,
        rep: int,
        channel: str,
        contact_type: str,
        lines: dict[tuple[str, str], SkillQueue],
        segments: dict[tuple[str, str], SegmentStats],
    ) -> None:
        escalation = scenario.contact_types[contact_type].escalation
        assert escalation is not None
        follow_up = escalation.follow_up
        target = channel if follow_up is None or follow_up.channel is None else follow_up.channel
        prefix = f"escalation/{channel}/{contact_type}/"
        self.to = escalation.to
        self.line = lines[(target, self.to)]
        self.stats = segments[(target, self.to)]
        self.attributes = LiveAttributes(
            scenario, seed, rep, prefix, target, scenario.channels[target], [self.to]
        )
        self.delay: Iterator[float] | None = None
        """Follow-up delays (None: a transfer, at once)."""
        if follow_up is not None:
            self.delay = sampler(follow_up.delay, stream(seed, rep, f"{prefix}delay"))


class EmpowermentRules:
    """The authority of every agent group and the escalation path of every contact type.

    Building it marks every line the agents serve one contact at a time as ``empowered``
    (and so ``special``: off the engine's plain fast path), and gives each channel with a
    ``repeat`` rule its source (:mod:`queuesim.model.journeys`).
    """

    def __init__(
        self,
        scenario: Scenario,
        seed: int,
        rep: int,
        lines: dict[tuple[str, str], SkillQueue],
        segments: dict[tuple[str, str], SegmentStats],
    ) -> None:
        self.groups = {
            name: GroupAuthority(scenario, seed, rep, name) for name in scenario.agent_groups
        }
        self.paths: dict[tuple[str, str], EscalationPath] = {}
        for channel, contact_type in lines:
            if scenario.contact_types[contact_type].escalation is not None:
                self.paths[(channel, contact_type)] = EscalationPath(
                    scenario, seed, rep, channel, contact_type, lines, segments
                )
        for line in lines.values():
            if line.chat is None:
                line.special = line.empowered = True
        for name, channel in scenario.channels.items():
            if channel.repeat is None:
                continue
            queue = next(line.channel for line in lines.values() if line.name == name)
            queue.repeat = RetrialSource(scenario, seed, rep, name, lines, segments, "repeat")
            if channel.retrial is None:
                queue.retrial = queue.repeat


class Escalations:
    """The resolution and escalation events of a simulation."""

    def _start_empowered(self, agent: Agent, customer: Customer, work: float) -> None:
        """The agent answered ``customer``, whose work (before any factor) is ``work``:
        decide whether it is resolved, left unresolved or escalated, and start the work."""
        if customer.id < 0:  # a detractor follow-up task (queuesim.model.follow_ups)
            self._start_task(agent, customer, work)
            return
        rules: EmpowermentRules = self.empowerment
        power = rules.groups[agent.pool.name]
        path = rules.paths.get((customer.queue.name, customer.contact_type))
        stats, interval = customer.stats, customer.interval
        now = self.env._now
        settled = 1.0 - min(1.0, (1.0 - power.resolution) * agent.error_factor)
        resolves = customer.outcome < settled
        escalate = False
        if path is not None:
            need = getattr(customer, "complexity", 0.0)
            escalate = power.authority is not None and need > power.authority
            if not escalate and resolves and power.concession is not None:
                cost = next(power.concession)
                if power.budget is not None:
                    k = min(int(now // self.interval), len(power.spent) - 1)
                    escalate = power.spent[k] + cost > power.budget
                    if not escalate:
                        power.spent[k] += cost
                if not escalate:
                    stats.concession_cost[interval] += cost
        agent.state = AgentState.BUSY
        agent.busy_since = now
        proficiency = agent.pool.skill(customer.queue, now)
        if escalate:
            stats.escalations[interval] += 1
            self.decisions[customer.id] = (ESCALATED, False, proficiency, now + work)
            Call(self.env, work, self._on_escalated_end, (agent, customer, path))
            return
        if path is not None and resolves:
            work *= power.factor
        decision = RESOLVED if resolves else UNRESOLVED
        if resolves and customer.outcome < settled * power.error_rate * agent.error_factor:
            decision = ERROR
            stats.errors[interval] += 1
        self.decisions[customer.id] = (decision, True, proficiency, now + work)
        if decision == RESOLVED:
            stats.resolved[interval] += 1
            Call(self.env, work, self._on_contact_end, agent)
            return
        if customer.queue.channel.repeat is not None:
            Call(self.env, work, self._on_unresolved_end, (agent, customer))
        else:
            Call(self.env, work, self._on_contact_end, agent)

    def _on_escalated_end(self, event: Call) -> None:
        """The agent's work on an escalated contact ends: free the agent (the event then
        carries the agent, as any contact end), then transfer the contact or plan its
        follow-up."""
        agent, customer, path = event._value
        event._value = agent
        self._on_contact_end(event)
        if path.delay is None:
            self._escalate(path, customer)
        else:
            Call(self.env, next(path.delay), self._on_follow_up, (path, customer))

    def _on_follow_up(self, event: Call) -> None:
        """A follow-up is due: the escalated contact comes back on its channel."""
        path, customer = event._value
        self._escalate(path, customer)

    def _escalate(self, path: EscalationPath, previous: Customer) -> None:
        """A new contact of the escalation's type, in the journey of ``previous``."""
        now = self.env._now
        if now >= self.scenario.horizon:
            return
        attributes = path.attributes
        stats = path.stats
        customer = Customer(
            self.next_later,
            path.line,
            path.to,
            now,
            int(now // self.interval),
            next(attributes.handle[0]),
            next(attributes.acw[0]),
            next(attributes.patience),
            stats,
        )
        attributes.add_extras(customer, 0)  # the escalation's one contact type
        customer.journey = journey_of(previous)
        customer.prior = prior_of(previous) + now - previous.arrival
        self.next_later += 2
        stats.offered[customer.interval] += 1
        if path.delay is None:
            stats.transfers[customer.interval] += 1
        else:
            stats.follow_ups[customer.interval] += 1
        self._admit(customer)


__all__ = ["EmpowermentRules", "EscalationPath", "Escalations", "GroupAuthority"]

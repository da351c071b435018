"""Skill-based routing: which agent an arriving contact goes to, which contact a freed agent takes.

The engine builds the routes (which agent pool may serve which skill queue, with what
proficiency and after what wait) from the scenario, and asks a :class:`RoutingPolicy` two
questions: :meth:`RoutingPolicy.agent_for` when a contact arrives or its overflow delay runs
out, and :meth:`RoutingPolicy.contact_for` when an agent becomes free. A policy is a small
class; to try another rule, subclass :class:`RoutingPolicy` and pass the class to
:func:`queuesim.model.engine.simulate_replication`.

The default, :class:`PriorityRouting`: an arriving contact goes to the agent idle longest
among the groups that may take it at once; a freed agent takes, among the lines it may serve
now (secondary groups only once the head has waited the overflow delay), the head of the line
of highest priority, and among equal priorities the one waiting longest. Deferred work
(email, social) comes after all live work (:meth:`RoutingPolicy.deferred_for`), and is never
interrupted for it (non-preemptive).
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from typing import TYPE_CHECKING

from queuesim.model.chat import ChatDesk, ChatRule
from queuesim.model.queues import ChannelQueue, SkillQueue
from queuesim.scenario.schema import Scenario

if TYPE_CHECKING:
    from queuesim.model.agents import Agent, AgentPool
    from queuesim.model.customers import Customer


class Route:
    """An agent pool's access to one skill queue: after how long a wait, at what proficiency."""

    __slots__ = ("after", "proficiency", "queue")

    def __init__(self, queue: SkillQueue, after: float, proficiency: float) -> None:
        self.queue = queue
        self.after = after
        self.proficiency = proficiency


def build_lines(
    scenario: Scenario, queues: dict[str, ChannelQueue]
) -> dict[tuple[str, str], SkillQueue]:
    """One skill queue per channel × (skill, priority) of its contact types.

    Returns the skill queue of each (channel, contact type).
    """
    lines: dict[tuple[str, str], SkillQueue] = {}
    for name, channel_queue in queues.items():
        channel = channel_queue.channel
        chat = ChatRule(channel.concurrency) if channel.kind == "chat" else None
        by_class: dict[tuple[str | None, int], SkillQueue] = {}
        for contact_type in scenario.arriving_types(name):
            spec = scenario.contact_types[contact_type]
            key = (spec.skill, spec.priority)
            if key not in by_class:
                by_class[key] = SkillQueue(channel_queue, spec.skill, spec.priority, chat)
                channel_queue.lines.append(by_class[key])
            lines[(name, contact_type)] = by_class[key]
    return lines


def connect(pool: AgentPool, queues: dict[str, ChannelQueue]) -> None:
    """Give ``pool`` its routes to the skill queues of its channels, and the queues the pool.

    A line needing no skill is open to every group of its channel at proficiency 1; a line
    needing a skill only to the groups holding it. Routes are kept in decreasing priority
    (channel order within a priority). A chat channel's routes also go to the pool's desk for
    that channel.
    """
    group = pool.group
    routes = []
    for channel_name in group.channels:
        for line in queues[channel_name].lines:
            if line.skill is None:
                after, proficiency = 0.0, 1.0
            elif line.skill in group.skills:
                level = group.skills[line.skill]
                after, proficiency = level.after, level.proficiency
            else:
                continue
            (routes if line.live else pool.deferred).append(Route(line, after, proficiency))
            if pool not in line.channel.pools:
                line.channel.pools.append(pool)
            if after == 0.0:
                line.immediate.append(pool)
            else:
                for delay, pools in line.overflow:
                    if delay == after:
                        pools.append(pool)
                        break
                else:
                    line.overflow.append((after, [pool]))
                    line.overflow.sort(key=lambda entry: entry[0])
    routes.sort(key=lambda route: -route.queue.priority)
    pool.deferred.sort(key=lambda route: -route.queue.priority)
    pool.routes = routes
    all_routes = routes + pool.deferred
    pool.proficiency = {route.queue: route.proficiency for route in all_routes}
    pool.scaled = (
        any(route.proficiency != 1.0 for route in all_routes)
        or pool.spreads[0] > 0
        or pool.curve is not None
    )
    for route in routes:
        line = route.queue
        if line.chat is not None:
            if line.channel not in pool.desks:
                pool.desks[line.channel] = ChatDesk(line.chat)
            pool.desks[line.channel].routes.append(route)


def mark_fast_paths(lines: list[SkillQueue], pools: list[AgentPool], policy: RoutingPolicy) -> None:
    """Mark where the engine may skip the policy: under :class:`PriorityRouting`, a line that
    one group takes at once (``only_pool``) and a group that serves one plain line at once
    (``only_line``), which is what most scenarios are made of."""
    default = type(policy) is PriorityRouting
    for line in lines:
        line.plain = not line.special and not line.overflow and line.channel.retrial is None
        line.plain = line.plain and line.channel.balking is None
        single = default and line.live and len(line.immediate) == 1
        line.only_pool = line.immediate[0] if single else None
    for pool in pools:
        only = default and len(pool.routes) == 1 and not pool.deferred
        route = pool.routes[0] if only else None
        plain = route is not None and route.after == 0.0 and route.queue.chat is None
        pool.only_line = route.queue if plain else None


class RoutingPolicy(ABC):
    """How contacts and agents are matched. Subclasses answer two questions."""

    @abstractmethod
    def agent_for(self, pools: list[AgentPool]) -> Agent | None:
        """An idle agent of ``pools`` for a contact, taken off its pool's idle list, or None."""

    @abstractmethod
    def contact_for(self, routes: list[Route], now: float) -> Customer | None:
        """The contact a freed agent takes from the heads of ``routes``, removed from its
        queue, or None. A route's head may be taken only once it has waited ``route.after``."""

    @abstractmethod
    def deferred_for(self, routes: list[Route], now: float, edf: bool) -> Customer | None:
        """The deferred item a freed agent with no live work takes from ``routes`` (lines of
        email or social channels, only those within business hours), removed from its queue,
        or None; ``edf``: earliest due first, otherwise oldest first."""


class PriorityRouting(RoutingPolicy):
    """Priorities between lines, first come first served within, longest-idle agent first."""

    def agent_for(self, pools: list[AgentPool]) -> Agent | None:
        if len(pools) == 1:  # the common case, kept fast
            idle = pools[0].idle
            return idle.popleft() if idle else None
        best = None
        for pool in pools:
            if pool.idle and (best is None or pool.idle[0].idle_since < best.idle[0].idle_since):
                best = pool
        return best.idle.popleft() if best is not None else None

    def contact_for(self, routes: list[Route], now: float) -> Customer | None:
        if len(routes) == 1:  # the common case, kept fast
            route = routes[0]
            queue = route.queue
            head = queue.head()
            if head is None or now - head.arrival < route.after:
                return None
            return queue.pop()
        best: SkillQueue | None = None
        best_priority = -math.inf
        best_arrival = math.inf
        for route in routes:  # in decreasing priority
            queue = route.queue
            if queue.priority < best_priority:
                break
            head = queue.head()
            if (
                head is not None
                and head.arrival < best_arrival
                and now - head.arrival >= route.after
            ):
                best, best_priority, best_arrival = queue, queue.priority, head.arrival
        return best.pop() if best is not None else None

    def deferred_for(self, routes: list[Route], now: float, edf: bool) -> Customer | None:
        best: SkillQueue | None = None
        best_priority = -math.inf
        best_key = math.inf
        for route in routes:  # in decreasing priority
            queue = route.queue
            if queue.priority < best_priority:
                break
            if not queue.channel.is_open(now):
                continue
            head = queue.head()
            if head is None or now - head.arrival < route.after:
                continue
            key = head.arrival + queue.deadline if edf else head.arrival
            if key < best_key:
                best, best_priority, best_key = queue, queue.priority, key
        return best.pop() if best is not None else None


__all__ = [
    "PriorityRouting",
    "Route",
    "RoutingPolicy",
    "build_lines",
    "connect",
    "mark_fast_paths",
]

"""Queues: a channel's waiting room, split into first-come-first-served lines by skill.

A channel holds one :class:`SkillQueue` per (required skill, priority) among its contact
types; a channel whose types need no skill and share a priority has a single line, which is
the whole channel's queue in arrival order. Customers who left (abandoned, or served from the
middle of a line by an overflow group) are only marked (``waiting = False``) and skipped when
they reach the head, so leaving costs O(1).
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING

from queuesim.scenario.schema import Channel
from queuesim.scenario.units import SECONDS_PER_DAY

if TYPE_CHECKING:
    from queuesim.model.agents import AgentPool
    from queuesim.model.chat import ChatRule
    from queuesim.model.customers import Customer
    from queuesim.model.sources import RetrialSource


class ChannelQueue:
    """Everyone waiting on one channel: its lines, capacity, hours and closing policy.

    ``n_waiting`` counts the customers really waiting on the channel (all lines).
    """

    def __init__(self, name: str, channel: Channel, horizon: float) -> None:
        self.name = name
        self.horizon = horizon
        self.channel = channel
        self.capacity = channel.queue_capacity
        self.close_policy = channel.close_policy
        self.n_waiting = 0
        self.lines: list[SkillQueue] = []
        self.pools: list[AgentPool] = []
        """The agent pools that serve at least one of its lines."""
        self.callback = channel.callback
        self.balking = channel.balking
        self.retrial: RetrialSource | None = None
        """What its customers who leave do next (set by the simulation)."""
        self.repeat: RetrialSource | None = None
        """What its customers left unresolved do next (set by the simulation)."""
        self.n_callbacks = 0
        """Customers waiting for a call-back (in ``n_waiting``, but holding no line)."""
        self.mean_work = 0.0
        """Mean handle time plus after-contact work of its contact mix (for expected waits)."""

    def is_open(self, now: float) -> bool:
        """Whether the channel takes arrivals at time ``now`` (never after the horizon)."""
        time_of_day = now % SECONDS_PER_DAY
        return now < self.horizon and self.channel.open <= time_of_day < self.channel.close

    def drain(self) -> list[Customer]:
        """Remove and return everyone still waiting, in arrival order."""
        waiting = [c for line in self.lines for c in line.customers if c.waiting]
        if len(self.lines) > 1:
            waiting.sort(key=lambda c: c.id)
        for customer in waiting:
            customer.waiting = False
        for line in self.lines:
            line.customers.clear()
        self.n_waiting = 0
        self.n_callbacks = 0
        return waiting


class SkillQueue:
    """The customers of one channel needing one skill at one priority, in arrival order.

    ``immediate`` are the agent pools that may take its customers at once, ``overflow`` the
    pools that may take them after a wait, as (delay, pools) in increasing delay. ``chat`` is
    the session rule of a chat channel, None for one contact at a time. ``deadline`` is the
    response deadline of a deferred channel (None: live); ``live`` says which.
    """

    def __init__(
        self, channel: ChannelQueue, skill: str | None, priority: int, chat: ChatRule | None
    ) -> None:
        self.channel = channel
        self.chat = chat
        self.deadline = channel.channel.deadline
        self.live = self.deadline is None
        self.special = chat is not None or not self.live or channel.callback is not None
        """Whether serving its customers needs more than the plain one-contact path."""
        self.empowered = False
        """Whether its answered contacts are resolved, or not, or escalated (set by the
        simulation when the scenario uses empowerment; the line is then ``special``)."""
        self.plain = False
        """Whether admitting a customer needs nothing but an idle agent or a place in line
        (set by :func:`queuesim.model.routing.mark_fast_paths`, like ``only_pool``)."""
        self.only_pool: AgentPool | None = None
        self.name = channel.name
        self.skill = skill
        self.priority = priority
        self.customers: deque[Customer] = deque()
        self.immediate: list[AgentPool] = []
        self.overflow: list[tuple[float, list[AgentPool]]] = []

    def head(self) -> Customer | None:
        """The customer waiting longest, or None."""
        customers = self.customers
        while customers and not customers[0].waiting:
            customers.popleft()
        return customers[0] if customers else None

    def pop(self) -> Customer:
        """Remove and return the head (call :meth:`head` first)."""
        customer = self.customers.popleft()
        customer.waiting = False
        self.channel.n_waiting -= 1
        return customer

    def take(self, customer: Customer) -> None:
        """Remove ``customer`` from anywhere in the line (skipped when it reaches the head)."""
        customer.waiting = False
        self.channel.n_waiting -= 1

    def push(self, customer: Customer) -> None:
        customer.waiting = True
        self.customers.append(customer)
        self.channel.n_waiting += 1

"""A channel's queue: first come, first served, with lazy removal of those who left."""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING

from queuesim.scenario.schema import Channel
from queuesim.scenario.units import SECONDS_PER_DAY

if TYPE_CHECKING:
    from queuesim.model.agents import AgentPool
    from queuesim.model.customers import Customer


class ChannelQueue:
    """The customers of one channel waiting for an agent, in arrival order.

    Abandoning customers are only marked (``waiting = False``) and skipped when they reach the
    head, so abandonment costs O(1); ``n_waiting`` counts those really waiting.
    """

    def __init__(self, name: str, channel: Channel, horizon: float) -> None:
        self.name = name
        self.horizon = horizon
        self.channel = channel
        self.capacity = channel.queue_capacity
        self.close_policy = channel.close_policy
        self.customers: deque[Customer] = deque()
        self.n_waiting = 0
        self.pools: list[AgentPool] = []

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
        self.n_waiting -= 1
        return customer

    def push(self, customer: Customer) -> None:
        customer.waiting = True
        self.customers.append(customer)
        self.n_waiting += 1

    def is_open(self, now: float) -> bool:
        """Whether the channel takes arrivals at time ``now`` (never after the horizon)."""
        time_of_day = now % SECONDS_PER_DAY
        return now < self.horizon and self.channel.open <= time_of_day < self.channel.close

    def drain(self) -> list[Customer]:
        """Remove and return everyone still waiting."""
        waiting = [c for c in self.customers if c.waiting]
        for customer in waiting:
            customer.waiting = False
        self.customers.clear()
        self.n_waiting = 0
        return waiting

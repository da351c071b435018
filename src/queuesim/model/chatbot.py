"""Chatbots: self-service conversations that end contained or handed over to a live channel.

A chatbot needs no agent and has no queue: each contact talks to the bot for its bot time,
then is contained with its contact type's probability, or joins the hand-over channel's queue
as a new contact of the same journey, carrying the time already spent (or ends closed_out
while that channel is closed). Mixed into :class:`queuesim.model.engine.Simulation`.
"""

from __future__ import annotations

import math
from heapq import heappush
from typing import TYPE_CHECKING

from simpy.events import NORMAL

from queuesim.model.customers import Customer, journey_of
from queuesim.model.events import Call

if TYPE_CHECKING:
    from queuesim.model.sources import ChannelSource


class Chatbots:
    """The chatbot events of a simulation."""

    def _on_bot_arrival(self, event: Call) -> None:
        """A contact starts a conversation with a chatbot (no agent, no queue)."""
        source: ChannelSource = event._value
        now = self.env._now
        interval = int(now // self.interval)
        k = next(source.mix)
        stats = source.stats[k]
        customer = Customer(
            self.next_id,
            source.lines[k],
            source.types[k],
            now,
            interval,
            next(source.bot_time),
            0.0,
            math.inf,
            stats,
        )
        customer.choice = int(next(source.contained) < source.containment[k])
        self.next_id += 2
        stats.offered[interval] += 1
        stats.self_service[interval] += 1
        self.in_bot[customer.id] = customer
        Call(self.env, customer.handle, self._on_bot_end, (source, k, customer))
        arrival = next(source.arrival_times, None)
        if arrival is not None:
            env = self.env
            event.callbacks = source.callbacks
            heappush(env._queue, (arrival, NORMAL, next(env._eid), event))

    def _on_bot_end(self, event: Call) -> None:
        """The conversation ends: contained, or handed over to the live channel (closed_out
        when that channel is closed: nobody there to hand over to)."""
        source, k, customer = event._value
        del self.in_bot[customer.id]
        stats, interval = customer.stats, customer.interval
        now = self.env._now
        if customer.choice:
            stats.contained[interval] += 1
            if self.records:
                self._record(customer, "contained", 0.0, None)
            return
        line = source.handover_lines[k]
        if not line.channel.is_open(now):
            stats.closed_out[interval] += 1
            stats.bot_closed_out[interval] += 1
            if self.records:
                self._record(customer, "closed_out", 0.0, None)
            return
        stats.handed_over[interval] += 1
        if self.records:
            self._record(customer, "handed_over", 0.0, None)
        attributes = source.handover
        live_stats = source.handover_stats[k]
        live = Customer(
            self.next_later,
            line,
            customer.contact_type,
            now,
            int(now // self.interval),
            next(attributes.handle[k]),
            next(attributes.acw[k]),
            next(attributes.patience),
            live_stats,
        )
        attributes.add_extras(live, k)
        live.journey = journey_of(customer)
        live.prior = now - customer.arrival
        self.next_later += 2
        live_stats.offered[live.interval] += 1
        self._admit(live)


__all__ = ["Chatbots"]

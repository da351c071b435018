"""Retrials: customers who abandoned, balked or were blocked try again, on a journey.

Each such customer of a channel with ``retrial`` retries with its probability after its
delay, as a new contact of the same journey on the retrial's channel, while the journey has
made at most ``limit`` retries (SEMANTICS: later attempts draw from their own streams). A
channel's ``repeat`` rule (customers left unresolved coming back) goes through the same
events with its own source (:mod:`queuesim.model.journeys`).
Mixed into :class:`queuesim.model.engine.Simulation`.
"""

from __future__ import annotations

from queuesim.model.customers import Customer, attempt_of, journey_of, prior_of
from queuesim.model.events import Call
from queuesim.model.sources import RetrialSource


class Retrials:
    """The retrial events of a simulation."""

    def _maybe_retry(self, customer: Customer) -> None:
        """A customer left (abandoned, balked, blocked): schedule a retry with its probability."""
        source = customer.queue.channel.retrial
        retries = next(source.decision) < source.probability
        delay = next(source.delay)
        if retries and attempt_of(customer) <= source.limit:
            Call(self.env, delay, self._on_retrial, (source, customer))
            if self.returns_pending is not None:
                self.returns_pending[journey_of(customer)] += 1

    def _on_retrial(self, event: Call) -> None:
        """The customer tries again: a new contact of the same journey (none while closed)."""
        source: RetrialSource
        source, previous = event._value
        if self.returns_pending is not None:
            self.returns_pending[journey_of(previous)] -= 1
        k = source.index[previous.contact_type]
        line = source.lines[k]
        now = self.env._now
        if not line.channel.is_open(now):
            return
        attributes = source.attributes
        stats = source.stats[k]
        customer = Customer(
            self.next_later,
            line,
            previous.contact_type,
            now,
            int(now // self.interval),
            next(attributes.handle[k]),
            next(attributes.acw[k]),
            next(attributes.patience),
            stats,
        )
        attributes.add_extras(customer, k)
        if attributes.complexity is not None:  # the same issue needs the same authority
            customer.complexity = getattr(previous, "complexity", 0.0)
        customer.journey = journey_of(previous)
        customer.prior = prior_of(previous) + now - previous.arrival
        customer.attempt = attempt_of(previous) + 1
        self.next_later += 2
        stats.offered[customer.interval] += 1
        getattr(stats, source.counter)[customer.interval] += 1
        self._admit(customer)


__all__ = ["Retrials"]

"""Deferred work (email, social): business hours and the backlog counted at interval ends.

Items wait in a backlog that carries over intervals and days; agents take them only within
the channel's business hours and only when no live contact they may serve waits
(:meth:`queuesim.model.routing.RoutingPolicy.deferred_for`). At each opening, idle agents take
the backlog at once. Mixed into :class:`queuesim.model.engine.Simulation`.
"""

from __future__ import annotations

from queuesim.model.events import Call
from queuesim.scenario.units import SECONDS_PER_DAY


class DeferredWork:
    """The deferred-work events of a simulation."""

    def _schedule_deferred(self) -> None:
        """Business-hours openings of deferred channels, and the backlog counts."""
        if not self.deferred_queues:
            return
        for queue in self.deferred_queues:
            for day in range(self.scenario.days):
                at = day * SECONDS_PER_DAY + queue.channel.open
                if at < self.scenario.horizon:
                    Call(self.env, at, self._on_opening, queue)
        if self.scenario.n_intervals > 1:
            Call(self.env, self.interval, self._on_interval_end, 0)

    # -- deferred work ----------------------------------------------------------------------

    def _on_opening(self, event: Call) -> None:
        """Business hours begin: idle agents of the groups serving the channel take its backlog."""
        now = self.env._now
        for pool in event._value.pools:
            while pool.idle:
                customer = self._contact_for(pool.routes, now) or self._deferred_for(
                    pool.deferred, now, pool.edf
                )
                if customer is None:
                    break  # the pool's agents all serve the same lines: none finds work
                agent = pool.idle.popleft()
                self._serve(agent, customer, now - customer.arrival)
                if agent.desk is not None:
                    self._fill(agent)

    def _count_backlog(self, interval: int) -> None:
        """Record each deferred segment's backlog and oldest item's age now, in ``interval``."""
        now = self.env._now
        for queue in self.deferred_queues:
            for line in queue.lines:
                for customer in line.customers:
                    if customer.waiting:
                        stats = customer.stats
                        stats.backlog[interval] += 1
                        age = now - customer.arrival
                        if age > stats.oldest_age[interval]:
                            stats.oldest_age[interval] = age

    def _on_interval_end(self, event: Call) -> None:
        interval = event._value
        self._count_backlog(interval)
        if interval + 2 < self.scenario.n_intervals:  # the last is counted by _finish
            Call(self.env, self.interval, self._on_interval_end, interval + 1)


__all__ = ["DeferredWork"]

"""The customer record: attributes drawn at creation and where the customer stands."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from queuesim.metrics import SegmentStats
    from queuesim.model.queues import ChannelQueue


class Customer:
    """One contact. A plain record: the engine moves it between queues and agents.

    Handle time, after-contact work and patience are drawn when the customer is created, in
    arrival order, so that variants with other staffing meet the same customers.
    """

    __slots__ = (
        "acw",
        "arrival",
        "contact_type",
        "handle",
        "id",
        "interval",
        "patience",
        "queue",
        "stats",
        "waiting",
    )

    def __init__(
        self,
        id: int,
        queue: ChannelQueue,
        contact_type: str,
        arrival: float,
        interval: int,
        handle: float,
        acw: float,
        patience: float,
        stats: SegmentStats,
    ) -> None:
        self.id = id
        self.queue = queue
        self.contact_type = contact_type
        self.arrival = arrival
        self.interval = interval
        self.handle = handle
        self.acw = acw
        self.patience = patience
        self.stats = stats
        self.waiting = False

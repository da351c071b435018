"""The customer record: attributes drawn at creation and where the customer stands."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from queuesim.metrics import SegmentStats
    from queuesim.model.queues import SkillQueue


DECLINES, ANSWERS, MISSES = 0, 1, 2
"""Call-back choices: decline the offer; accept and answer the call-back; accept and miss it."""


def accepted_callback(customer: Customer) -> bool:
    """Whether the customer accepted a call-back."""
    return getattr(customer, "callback", False)


def journey_of(customer: Customer) -> int:
    """The id of the journey's first contact."""
    return getattr(customer, "journey", customer.id)


def prior_of(customer: Customer) -> float:
    """The time the journey took before this contact."""
    return getattr(customer, "prior", 0.0)


def attempt_of(customer: Customer) -> int:
    """The journey's attempt this contact is (1 for the first)."""
    return getattr(customer, "attempt", 1)


class Customer:
    """One contact. A plain record: the engine moves it between queues and agents.

    ``queue`` is the skill queue of its channel and contact type (``queue.channel`` the
    channel's). The attributes below are set only where they apply (creating a customer is
    the hot path; read them with :func:`journey_of` and the like elsewhere): ``choice`` is
    what the customer would do if offered a call-back
    (:data:`DECLINES`, :data:`ANSWERS` or :data:`MISSES`, drawn at creation on a channel with
    call-backs; for a chatbot contact, 1 if it will be contained) and ``callback`` whether they
    accepted one. ``journey`` is the id of the journey's first contact and ``prior`` the time
    the journey took before this contact; ``attempt`` counts the journey's tries on live
    channels (1 for the first). ``balk`` is the uniform number deciding whether the customer
    balks at a visible queue (set only on a channel with balking). ``complexity`` is the
    authority the contact needs (set only for a contact type with an escalation);
    ``outcome`` the uniform number deciding how it ends if answered (resolved, unresolved or
    served with an error: :mod:`queuesim.model.empowerment`; set only in runs that follow
    journeys). A chat
    session also carries
    ``started`` and its ``remaining`` work, set when the session opens (unset before, to keep
    creating customers cheap).

    Handle time, after-contact work and patience are drawn when the customer is created, in
    arrival order, so that variants with other staffing meet the same customers.
    """

    __slots__ = (
        "acw",
        "arrival",
        "attempt",
        "balk",
        "callback",
        "choice",
        "complexity",
        "contact_type",
        "handle",
        "id",
        "interval",
        "journey",
        "outcome",
        "patience",
        "prior",
        "queue",
        "remaining",
        "started",
        "stats",
        "waiting",
    )

    def __init__(
        self,
        id: int,
        queue: SkillQueue,
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

"""Accumulators that collect statistics as a run goes, and the KPI definitions.

Customer outcomes count in the interval in which the customer **arrived**; agent time counts in
the interval in which it was **spent**, split at interval borders (SEMANTICS.md). Memory depends
on the number of intervals, never on the number of customers: wait percentiles come from a fixed
log-linear histogram, exact to 1 s below a minute and within 1% relative error above, up to 48 h
(longer waits fall in an overflow bin and make high percentiles infinite).
"""

from __future__ import annotations

import math

import numpy as np

LINEAR_LIMIT = 60.0
"""Waits below this many seconds fall in 1-second bins."""
GROWTH = 1.02
"""Above :data:`LINEAR_LIMIT`, each bin is 2% wider than the last (≤ 1% error at its middle)."""
HISTOGRAM_LIMIT = 48 * 3600.0
N_LOG_BINS = math.ceil(math.log(HISTOGRAM_LIMIT / LINEAR_LIMIT) / math.log(GROWTH))
_FIRST_LOG_BIN = 1 + int(LINEAR_LIMIT)
N_BINS = _FIRST_LOG_BIN + N_LOG_BINS + 1
"""Bins of the wait histogram: exact zero waits, 1-second bins, log bins, then overflow."""
_LOG_GROWTH = math.log(GROWTH)

BIN_EDGES = np.concatenate(
    [
        [0.0],
        np.arange(int(LINEAR_LIMIT), dtype=float),
        LINEAR_LIMIT * GROWTH ** np.arange(N_LOG_BINS + 1),
    ]
)
"""Lower edges of the bins; the last edge is where the overflow bin starts."""
_UPPER_EDGES = np.concatenate([[0.0], BIN_EDGES[2:], [np.inf]])
"""Upper edges of the bins: the zero-wait bin has width zero, the overflow bin no end."""

PERCENTILES = (50, 90, 95)


def wait_bin(wait: float) -> int:
    """Histogram bin of a wait in seconds."""
    if wait <= 0.0:
        return 0
    if wait < LINEAR_LIMIT:
        return 1 + int(wait)
    if wait >= HISTOGRAM_LIMIT:
        return N_BINS - 1
    return _FIRST_LOG_BIN + int(math.log(wait / LINEAR_LIMIT) / _LOG_GROWTH)


class SegmentStats:
    """Per-interval outcome counts of one channel × contact type in one replication.

    A deferred channel (``deadline`` given) also counts, by arrival interval, the items
    answered within the deadline (``within_deadline``), those whose fate against it is known
    (``deadline_due``: answered, or still waiting past due at the end) and the breaches; and,
    at the end of each interval, the ``backlog`` and the age of its oldest item. A phone
    channel with call-backs counts them apart: offered, accepted, answered (also ``answered``,
    waits in ``callback_wait`` only) and missed (also ``abandoned``). A chatbot's contacts end
    ``contained`` or ``handed_over`` (outcomes of their own in the accounting identity). Walk-in
    customers who leave at the sight of the queue are ``balked``; ``retrials`` counts the
    contacts that are a journey's later attempts. With empowerment, an answered contact is
    ``resolved`` by its agent, or not, or escalated (``escalations``), at the cost of its
    ``concession_cost``, or carries an error (``errors``: the agent took it as resolved);
    ``transfers`` and ``follow_ups`` count the contacts that arrive as an escalation (both
    also ``offered``), ``repeats`` those that come back unresolved. With a satisfaction
    model, the journeys that started in an interval (with this channel and contact type first)
    are counted by their scores after the run: ``scored``, ``csat_total``, ``promoters``,
    ``detractors``, and among the survey answers ``responses``, ``reported_csat_total``,
    ``reported_promoters``, ``reported_detractors``.
    """

    def __init__(
        self, n_intervals: int, thresholds: tuple[float, ...], deadline: float | None = None
    ) -> None:
        n = n_intervals
        self.thresholds = thresholds
        self.deadline = deadline
        self.offered = [0] * n
        self.answered = [0] * n
        self.abandoned = [0] * n
        self.blocked = [0] * n
        self.closed_out = [0] * n
        self.pending = [0] * n
        self.waited = [0] * n
        self.wait_answered = [0.0] * n
        self.queue_time = [0.0] * n
        self.sl_hits = [[0] * n for _ in thresholds]
        self.short_abandons = [[0] * n for _ in thresholds]
        self.histogram = [0] * (n * N_BINS)
        self.within_deadline = [0] * n
        self.deadline_due = [0] * n
        self.breached = [0] * n
        self.backlog = [0] * n
        self.oldest_age = [0.0] * n
        self.callbacks_offered = [0] * n
        self.callbacks_accepted = [0] * n
        self.callbacks_answered = [0] * n
        self.callbacks_missed = [0] * n
        self.callback_wait = [0.0] * n
        self.contained = [0] * n
        self.handed_over = [0] * n
        self.self_service = [0] * n
        self.bot_closed_out = [0] * n
        self.balked = [0] * n
        self.retrials = [0] * n
        self.resolved = [0] * n
        self.errors = [0] * n
        self.escalations = [0] * n
        self.transfers = [0] * n
        self.follow_ups = [0] * n
        self.concession_cost = [0.0] * n
        self.repeats = [0] * n
        self.scored = [0] * n
        self.csat_total = [0] * n
        self.promoters = [0] * n
        self.detractors = [0] * n
        self.responses = [0] * n
        self.reported_csat_total = [0] * n
        self.reported_promoters = [0] * n
        self.reported_detractors = [0] * n

    def deferred_answered(self, interval: int, wait: float) -> None:
        """A deferred item of ``interval`` was answered after ``wait`` (besides answered_after)."""
        self.deadline_due[interval] += 1
        if wait <= self.deadline:
            self.within_deadline[interval] += 1
        else:
            self.breached[interval] += 1

    def deferred_pending(self, interval: int, age: float) -> None:
        """A deferred item of ``interval`` still waits at the end of the run, aged ``age``."""
        if age > self.deadline:
            self.deadline_due[interval] += 1
            self.breached[interval] += 1

    def answered_after(self, interval: int, wait: float) -> None:
        """A customer of ``interval`` was answered after waiting ``wait`` seconds."""
        self.answered[interval] += 1
        if wait > 0.0:
            self.waited[interval] += 1
            self.wait_answered[interval] += wait
            self.queue_time[interval] += wait
            self.histogram[interval * N_BINS + wait_bin(wait)] += 1
            for threshold, hits in zip(self.thresholds, self.sl_hits, strict=True):
                if wait <= threshold:
                    hits[interval] += 1
        else:
            self.histogram[interval * N_BINS] += 1
            for hits in self.sl_hits:
                hits[interval] += 1

    def abandoned_after(self, interval: int, wait: float) -> None:
        """A customer of ``interval`` abandoned after waiting ``wait`` seconds."""
        self.abandoned[interval] += 1
        self.queue_time[interval] += wait
        if wait > 0.0:
            self.waited[interval] += 1
        for k, threshold in enumerate(self.thresholds):
            if wait <= threshold:
                self.short_abandons[k][interval] += 1

    def closed_out_after(self, interval: int, wait: float) -> None:
        """A customer of ``interval`` was still waiting when the channel closed its queue."""
        self.closed_out[interval] += 1
        self.queue_time[interval] += wait
        if wait > 0.0:
            self.waited[interval] += 1

    def table(self) -> dict[str, np.ndarray]:
        """The accumulated totals as arrays over intervals (histogram: intervals × bins)."""
        columns: dict[str, np.ndarray] = {
            name: np.asarray(getattr(self, name), dtype=float) for name in COUNT_FIELDS
        }
        for k in range(len(self.thresholds)):
            columns[f"sl_hits_{k}"] = np.asarray(self.sl_hits[k], dtype=float)
            columns[f"short_abandons_{k}"] = np.asarray(self.short_abandons[k], dtype=float)
        columns["histogram"] = np.asarray(self.histogram, dtype=np.int64).reshape(-1, N_BINS)
        return columns


COUNT_FIELDS = (
    "offered",
    "answered",
    "abandoned",
    "blocked",
    "closed_out",
    "pending",
    "waited",
    "wait_answered",
    "queue_time",
    "within_deadline",
    "deadline_due",
    "breached",
    "backlog",
    "oldest_age",
    "callbacks_offered",
    "callbacks_accepted",
    "callbacks_answered",
    "callbacks_missed",
    "callback_wait",
    "contained",
    "handed_over",
    "self_service",
    "bot_closed_out",
    "balked",
    "retrials",
    "resolved",
    "errors",
    "escalations",
    "transfers",
    "follow_ups",
    "concession_cost",
    "repeats",
    "scored",
    "csat_total",
    "promoters",
    "detractors",
    "responses",
    "reported_csat_total",
    "reported_promoters",
    "reported_detractors",
)


def combine(tables: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """Totals of several segments' tables: sums, except the oldest age (the maximum).

    ``backlog`` and ``oldest_age`` are states at the end of each interval, not counts.
    """
    combined = {key: sum(t[key] for t in tables) for key in tables[0]}
    if "oldest_age" in combined:
        combined["oldest_age"] = np.maximum.reduce([t["oldest_age"] for t in tables])
    return combined  # type: ignore[return-value]


def whole_run(table: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """One row over all intervals: sums, the last backlog and the largest oldest age."""
    whole = {key: values.sum(axis=0, keepdims=True) for key, values in table.items()}
    if "backlog" in table:
        whole["backlog"] = table["backlog"][-1:]
        whole["oldest_age"] = table["oldest_age"].max(axis=0, keepdims=True)
    return whole


class GroupStats:
    """Per-interval agent time (seconds) of one agent group in one replication.

    ``busy`` is time holding any work (a contact, or at least one chat session); ``chat_busy``
    the part of it holding chat sessions, and ``slot_busy`` the chat session-time divided by
    the channel's session limit k.
    """

    FIELDS = (
        "busy",
        "available",
        "on_break",
        "training",
        "paid",
        "overtime",
        "chat_busy",
        "slot_busy",
    )

    def __init__(self, n_intervals: int, interval: float) -> None:
        self.interval = interval
        self.n_intervals = n_intervals
        for name in self.FIELDS:
            setattr(self, name, [0.0] * n_intervals)

    def add(self, field: list[float], start: float, end: float, weight: float = 1.0) -> None:
        """Add the span [start, end) to ``field``, split at interval borders.

        Time past the last interval (a branch serving its last customers after the horizon)
        counts in the last interval.
        """
        if end <= start:
            return
        length = self.interval
        index = int(start // length)
        if end <= (index + 1) * length and index < self.n_intervals:  # the common case
            field[index] += (end - start) * weight
            return
        last = self.n_intervals - 1
        index = min(index, last)
        while True:
            border = (index + 1) * length if index < last else math.inf
            if end <= border:
                field[index] += (end - start) * weight
                return
            field[index] += (border - start) * weight
            start = border
            index += 1

    def table(self) -> dict[str, np.ndarray]:
        """The accumulated agent seconds as arrays over intervals."""
        return {name: np.asarray(getattr(self, name), dtype=float) for name in self.FIELDS}


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        safe = np.where(denominator > 0, denominator, 1)
        return np.where(denominator > 0, numerator / safe, np.nan)


def histogram_percentiles(histogram: np.ndarray, q: float) -> np.ndarray:
    """The q-th percentile of each row of a wait histogram, interpolated within its bin.

    NaN for an empty row; infinite when the percentile falls in the overflow bin.
    """
    histogram = np.atleast_2d(histogram)
    cumulative = np.cumsum(histogram, axis=1)
    totals = cumulative[:, -1]
    target = totals * q / 100.0
    rows = np.arange(len(histogram))
    b = np.minimum((cumulative < target[:, None]).sum(axis=1), N_BINS - 1)
    before = np.where(b > 0, cumulative[rows, np.maximum(b - 1, 0)], 0)
    inside = histogram[rows, b]
    fraction = np.where(inside > 0, (target - before) / np.maximum(inside, 1), 0.0)
    low, high = BIN_EDGES[b], _UPPER_EDGES[b]
    with np.errstate(invalid="ignore"):
        value = np.where(np.isinf(high), np.inf, low + fraction * (high - low))
    return np.where(totals > 0, value, np.nan)


def sl_suffix(k: int, threshold: float) -> str:
    """Suffix of the k-th service-level threshold: none for the first, ``@60s`` after."""
    return "" if k == 0 else f"@{threshold:g}s"


FEATURES = frozenset(
    {"deferred", "callback", "chatbot", "balking", "retrial", "empowerment", "satisfaction"}
)
"""Channel features whose KPIs are reported only for scenarios that use them."""


def customer_kpis(
    totals: dict[str, np.ndarray],
    thresholds: tuple[float, ...],
    features: frozenset[str] = FEATURES,
) -> dict[str, np.ndarray]:
    """Customer KPIs for each row of summed totals (SEMANTICS.md definitions).

    The wait and service-level KPIs are inbound: customers who accepted a call-back are left
    out of them (their own KPIs are the ``callback*`` ones), and so are chatbot conversations
    (``self_service``; a hand-over counts again on the live channel). The KPIs of a channel
    feature (deferred work, call-backs, chatbots, balking, retrials) are included only when
    ``features`` names it, so a scenario without them keeps the tables it always had.
    """
    abandoned = totals["abandoned"]
    offered = totals["offered"] - totals["callbacks_accepted"] - totals["self_service"]
    answered = totals["answered"] - totals["callbacks_answered"]
    closed_out = totals["closed_out"] - totals["bot_closed_out"]
    resolved = answered + abandoned - totals["callbacks_missed"] + closed_out
    kpis: dict[str, np.ndarray] = {
        name: totals[name]
        for name in ("offered", "answered", "abandoned", "blocked", "closed_out", "pending")
    }
    kpis["abandon_rate"] = _ratio(abandoned, totals["offered"])
    kpis["p_wait"] = _ratio(totals["waited"], offered)
    kpis["asa"] = _ratio(totals["wait_answered"], answered)
    kpis["mean_wait"] = _ratio(totals["queue_time"], resolved)
    for q in PERCENTILES:
        kpis[f"wait_p{q}"] = histogram_percentiles(totals["histogram"], q)
    for k, threshold in enumerate(thresholds):
        suffix = sl_suffix(k, threshold)
        hits = totals[f"sl_hits_{k}"]
        kpis[f"sl_all{suffix}"] = _ratio(hits, offered)
        kpis[f"sl_answered{suffix}"] = _ratio(hits, answered)
        kpis[f"sl_excl_short_abandons{suffix}"] = _ratio(
            hits, offered - totals[f"short_abandons_{k}"]
        )
    if "deferred" in features:
        kpis["backlog"] = totals["backlog"]
        kpis["oldest_age"] = totals["oldest_age"]
        kpis["deadline_met"] = _ratio(totals["within_deadline"], totals["deadline_due"])
        kpis["breaches"] = totals["breached"]
    if "callback" in features:
        kpis["callbacks_offered"] = totals["callbacks_offered"]
        kpis["callbacks_accepted"] = totals["callbacks_accepted"]
        placed = totals["callbacks_answered"] + totals["callbacks_missed"]
        kpis["callback_answer_rate"] = _ratio(totals["callbacks_answered"], placed)
        kpis["callback_asa"] = _ratio(totals["callback_wait"], totals["callbacks_answered"])
    # Outcome counts of the accounting identity are always there (zero without the feature).
    kpis["balked"] = totals["balked"]
    kpis["contained"] = totals["contained"]
    kpis["handed_over"] = totals["handed_over"]
    if "chatbot" in features:
        kpis["containment_rate"] = _ratio(
            totals["contained"], totals["contained"] + totals["handed_over"]
        )
    if "balking" in features:
        kpis["balk_rate"] = _ratio(totals["balked"], totals["offered"])
    if "retrial" in features:
        kpis["retrials"] = totals["retrials"]
    if "empowerment" in features:
        kpis["fcr"] = _ratio(totals["resolved"], totals["answered"])
        kpis["escalations"] = totals["escalations"]
        kpis["escalation_rate"] = _ratio(totals["escalations"], totals["answered"])
        kpis["errors"] = totals["errors"]
        kpis["error_rate"] = _ratio(totals["errors"], totals["answered"])
        kpis["transfers"] = totals["transfers"]
        kpis["follow_ups"] = totals["follow_ups"]
        kpis["concession_cost"] = totals["concession_cost"]
        kpis["repeats"] = totals["repeats"]
    if "satisfaction" in features:
        scored, responses = totals["scored"], totals["responses"]
        kpis["csat_mean"] = _ratio(totals["csat_total"], scored)
        kpis["nps"] = 100 * _ratio(totals["promoters"] - totals["detractors"], scored)
        kpis["reported_csat_mean"] = _ratio(totals["reported_csat_total"], responses)
        kpis["reported_nps"] = 100 * _ratio(
            totals["reported_promoters"] - totals["reported_detractors"], responses
        )
    return kpis


def agent_kpis(totals: dict[str, np.ndarray], training: bool = False) -> dict[str, np.ndarray]:
    """Agent KPIs for each row of summed agent seconds and staff cost (``training_time`` only
    when ``training``: a scenario with training sessions)."""
    kpis = {
        "occupancy": _ratio(totals["busy"], totals["available"]),
        "slot_occupancy": _ratio(
            totals["busy"] - totals["chat_busy"] + totals["slot_busy"], totals["available"]
        ),
        "utilisation": _ratio(totals["busy"], totals["paid"]),
        "overtime": totals["overtime"],
        "busy_time": totals["busy"],
        "available_time": totals["available"],
        "break_time": totals["on_break"],
        "paid_time": totals["paid"],
        "staff_cost": totals["staff_cost"],
    }
    if training:
        kpis["training_time"] = totals["training"]
    return kpis


def metric_unit(name: str) -> str:
    """Unit of a KPI column, as written in the ``unit`` column of every table."""
    base = name.split("@", 1)[0]
    if base in {
        "offered",
        "answered",
        "abandoned",
        "blocked",
        "closed_out",
        "pending",
        "backlog",
        "breaches",
        "callbacks_offered",
        "callbacks_accepted",
        "contained",
        "handed_over",
        "balked",
        "retrials",
        "escalations",
        "errors",
        "transfers",
        "follow_ups",
        "detractor_follow_ups",
        "repeats",
        "journeys",
    }:
        return "count"
    if base in {"csat_mean", "reported_csat_mean"}:
        return "score"
    if base in {"nps", "reported_nps"}:
        return "points"
    if (
        base in {"asa", "mean_wait", "overtime", "oldest_age", "callback_asa", "time_to_resolution"}
        or base.startswith("wait_p")
        or base.endswith("_time")
    ):
        return "s"
    if base in {"staff_cost", "concession_cost", "total_cost", "cost_per_resolution"}:
        return "currency"
    return "ratio"

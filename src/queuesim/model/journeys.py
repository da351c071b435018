"""Journeys: all the contacts of one customer issue, from the first to its resolution.

A contact answered on a line with empowerment (:mod:`queuesim.model.empowerment`) ends
resolved, unresolved or escalated. A customer left unresolved comes back by the channel's
``repeat`` rule (with its probability, after its delay from the end of the contact, possibly
on another channel), through the retrial events (:mod:`queuesim.model.retrials`) with the
streams ``repeat/<channel>``, ``repeat/<channel>/delay`` and
``repeat/<channel>/service/<target>/<type>`` (and ``acw``, ``patience``, ... likewise); on a
channel without its own ``retrial``, abandoned, balked and blocked customers come back by the
same rule. Every later contact keeps the journey id of the first.

While a scenario uses empowerment the simulation keeps every contact's row (as with
``records``) and the decision on each answered contact (:data:`DECISION_COLUMNS`); at the end
it turns them into the journeys table (:func:`journeys_table`, one row per journey, the
columns of :data:`queuesim.satisfaction.JOURNEY_COLUMNS`), summarised per run by
:func:`journey_metrics`, and scored by the satisfaction model when the scenario has a
``satisfaction`` section. Mixed into :class:`queuesim.model.engine.Simulation`.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

import numpy as np
import pandas as pd

from queuesim.model.customers import attempt_of, journey_of
from queuesim.model.events import Call
from queuesim.rng import stream
from queuesim.satisfaction import (
    JOURNEY_COLUMNS,
    JourneyDraws,
    sample_surveys,
    satisfaction_summary,
    score_journeys,
)
from queuesim.satisfaction.parameters import CSAT_LEVELS
from queuesim.scenario.schema import Scenario

RESOLVED, UNRESOLVED, ESCALATED, ERROR = "resolved", "unresolved", "escalated", "error"
"""What became of an answered contact (``error``: the agent took it as resolved, it was not)."""

FOLLOW_UP, FOLLOWED_UP = "follow_up", "followed_up"
"""The ``resolution`` of a detractor follow-up task (:mod:`queuesim.model.follow_ups`):
``followed_up`` when its work reaches the customer, ``follow_up`` otherwise (not reached, or
not worked). Task rows are no contacts of a journey: :func:`journeys_table` leaves them out
and marks the journey they follow up."""

DECISION_COLUMNS = ("resolution", "authority", "proficiency", "ended")
"""Columns added to a contact's row in a scenario with empowerment: ``resolution``
(:data:`RESOLVED`, :data:`UNRESOLVED`, :data:`ESCALATED`, :data:`ERROR`, empty when not
answered; :data:`FOLLOW_UP` or :data:`FOLLOWED_UP` for a detractor follow-up task),
``authority`` (whether the agent had the authority to act), ``proficiency`` (of the agent
for this contact) and ``ended`` (when the agent's work on it ends)."""

JOURNEY_METRICS = (
    "journeys",
    "journey_fcr",
    "contacts_per_resolution",
    "time_to_resolution",
    "unresolved_share",
)
"""The per-run summary of the journeys (:func:`journey_metrics`)."""

SATISFACTION_METRICS = ("csat_mean", "nps", "reported_csat_mean", "reported_nps")
"""With a ``satisfaction`` section, KPIs of every interval, channel and contact type: the
journeys are counted in the interval, channel and contact type of their first contact
(:class:`queuesim.metrics.SegmentStats`)."""

SATISFACTION_SHARES = (
    *(f"csat_share_{level}" for level in range(1, CSAT_LEVELS + 1)),
    "promoter_share",
    "passive_share",
    "detractor_share",
    "survey_response_rate",
)
"""With a ``satisfaction`` section, run-level figures of the whole operation: the CSAT
distribution, the NPS groups and the share of journeys that answered the survey."""

_NOT_DECIDED = ("", math.nan, math.nan, math.nan)


class JourneyTracking:
    """The repeat events of a simulation, and the journeys it leaves behind."""

    returns_pending: defaultdict[int, int] | None = None
    """With a detractor follow-up policy, the returns (retrials, repeats) scheduled and not
    yet due, per journey (:mod:`queuesim.model.follow_ups`); None otherwise."""

    def _on_unresolved_end(self, event: Call) -> None:
        """The agent's work on a contact left unresolved ends: free the agent (the event then
        carries the agent, as any contact end), then maybe the customer comes back."""
        agent, customer = event._value
        event._value = agent
        self._on_contact_end(event)
        source = customer.queue.channel.repeat
        returns = next(source.decision) < source.probability
        delay = next(source.delay)
        if returns and attempt_of(customer) <= source.limit:
            Call(self.env, delay, self._on_retrial, (source, customer))
            if self.returns_pending is not None:
                self.returns_pending[journey_of(customer)] += 1

    def _close_journeys(self, keep_contacts: bool) -> tuple[pd.DataFrame, pd.DataFrame | None]:
        """The journeys of the run (after the warm-up) and their satisfaction summary.

        The contacts' rows get their decision columns; they are dropped unless
        ``keep_contacts`` (the caller asked for records).
        """
        from queuesim.model.engine import CONTACT_COLUMNS

        rows = decided_rows(self.contacts, self.decisions)
        contacts = pd.DataFrame(rows, columns=[*CONTACT_COLUMNS, *DECISION_COLUMNS])
        contacts.insert(0, "replication", self.replication)
        scenario = self.scenario
        journeys = journeys_table(contacts, scenario.horizon, scenario.warmup)
        self.contacts = rows if keep_contacts else []
        if scenario.satisfaction is None:
            return journeys, None
        scored, summary = score_replication(journeys, scenario, self.seed, self.replication)
        self._count_satisfaction(scored)
        return scored, summary

    def _count_satisfaction(self, scored: pd.DataFrame) -> None:
        """Count every scored journey, and its survey answer, in the interval, channel and
        contact type of its first contact."""
        n = self.scenario.n_intervals
        first = int(self.start // self.interval)  # customers of an initial state count there
        index = np.clip((scored["start"].to_numpy() // self.interval).astype(int), first, n - 1)
        answered = ~np.isnan(scored["survey_csat"].to_numpy(dtype=float))
        counts = pd.DataFrame(
            {
                "scored": 1,
                "csat_total": scored["csat"].to_numpy(),
                "promoters": (scored["nps_group"] == "promoter").to_numpy(),
                "detractors": (scored["nps_group"] == "detractor").to_numpy(),
                "responses": answered,
                "reported_csat_total": np.where(answered, scored["survey_csat"], 0.0),
                "reported_promoters": (scored["survey_nps_group"] == "promoter").to_numpy(),
                "reported_detractors": (scored["survey_nps_group"] == "detractor").to_numpy(),
            }
        ).astype(np.int64)
        keys = [scored["channel"].to_numpy(), scored["contact_type"].to_numpy(), index]
        for (channel, contact_type, k), row in counts.groupby(keys).sum().iterrows():
            stats = self.segments[(channel, contact_type)]
            for name, value in row.items():
                getattr(stats, name)[k] += int(value)


def decision_of(row: tuple[Any, ...], decisions: dict[int, tuple[Any, ...]]) -> tuple[Any, ...]:
    """The decision columns of a contact's row: its decision (a chat session's is resolved
    when the session ends), empty for a contact never answered."""
    return decisions.get(row[0], _NOT_DECIDED)


def decided_rows(
    rows: list[tuple[Any, ...]], decisions: dict[int, tuple[Any, ...]]
) -> list[tuple[Any, ...]]:
    """Contacts' rows with their :data:`DECISION_COLUMNS` appended (:func:`decision_of`)."""
    return [(*row, *decision_of(row, decisions)) for row in rows]


def score_replication(
    journeys: pd.DataFrame, scenario: Scenario, seed: int, replication: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Score one replication's journeys with the scenario's ``satisfaction`` parameters and
    sample its surveys, both with draws indexed by journey id from the replication's
    ``satisfaction`` stream (:class:`~queuesim.satisfaction.JourneyDraws`: a journey's scores
    do not depend on the other journeys, so the in-run follow-up policy sees the same ones);
    returns the scored table (with each journey's survey answer: ``survey_csat``, NaN when it
    did not answer, and ``survey_nps_group``, empty then) and the satisfaction summary. The
    survey is taken before any follow-up: from the scores with ``followed_up`` false; the
    true figures are the final scores."""
    assert scenario.satisfaction is not None
    draws = JourneyDraws(stream(seed, replication, "satisfaction"))
    kinds = {name: channel.kind for name, channel in scenario.channels.items()}
    parameters = scenario.satisfaction
    scored = score_journeys(journeys, parameters, draws, channel_kinds=kinds)
    before = scored
    if scored["followed_up"].any():
        unfollowed = journeys.assign(followed_up=False)
        before = score_journeys(unfollowed, parameters, draws, channel_kinds=kinds)
    surveyed = sample_surveys(before, parameters, draws)
    answers = surveyed.set_index("journey")
    scored["survey_csat"] = scored["journey"].map(answers["csat"]).astype(float)
    scored["survey_nps_group"] = scored["journey"].map(answers["nps_group"]).fillna("")
    return scored, satisfaction_summary(scored, surveyed)


def journeys_table(contacts: pd.DataFrame, horizon: float, warmup: float = 0.0) -> pd.DataFrame:
    """One row per journey of a contacts table with :data:`DECISION_COLUMNS`.

    Columns: ``replication``, ``journey``, ``start`` and the others of
    :data:`queuesim.satisfaction.JOURNEY_COLUMNS`. A journey starts (``start``, seconds from
    00:00 of day 1) when its first contact arrives (journeys starting before ``warmup`` are
    left out); it is resolved when one of its contacts was resolved by the end of the
    ``horizon`` (or contained by a chatbot), ``time_to_resolution`` running from the start to
    the end of that contact. ``contacts`` counts every contact but a chatbot's hand-over row
    (the live contact that follows is the same conversation going on), ``transfers`` the
    escalations, ``errors`` the contacts the agent took as resolved by mistake,
    ``proficiency`` and ``empowered`` average over the answered contacts. Detractor
    follow-up tasks (resolution :data:`FOLLOW_UP` or :data:`FOLLOWED_UP`) are no contacts of
    the journey: ``followed_up`` is true for a journey with a task that reached the customer
    by the end of the horizon.
    """
    resolution = contacts["resolution"].to_numpy()
    task = (resolution == FOLLOW_UP) | (resolution == FOLLOWED_UP)
    reached = contacts[
        (resolution == FOLLOWED_UP) & (contacts["ended"].to_numpy(dtype=float) <= horizon)
    ]
    followed = pd.MultiIndex.from_arrays([reached["replication"], reached["journey"]])
    table = contacts[(contacts["outcome"] != "handed_over").to_numpy() & ~task]
    outcome = table["outcome"].to_numpy()
    ended = table["ended"].to_numpy(dtype=float)
    decided = (table["resolution"].to_numpy() == RESOLVED) & (ended <= horizon)
    contained = outcome == "contained"
    resolved_at = np.full(len(table), np.inf)
    resolved_at[decided] = ended[decided]
    resolved_at[contained] = (table["arrival"] + table["handle_time"]).to_numpy()[contained]
    served = outcome == "answered"
    frame = pd.DataFrame(
        {
            "replication": table["replication"].to_numpy(),
            "journey": table["journey"].to_numpy(),
            "start": (table["arrival"] - table["prior_time"]).to_numpy(),
            "first": (table["customer"] == table["journey"]).to_numpy(),
            "channel": table["channel"].to_numpy(),
            "contact_type": table["contact_type"].to_numpy(),
            "wait": table["wait"].to_numpy(dtype=float),
            "transfers": table["resolution"].to_numpy() == ESCALATED,
            "errors": table["resolution"].to_numpy() == ERROR,
            "abandoned": outcome == "abandoned",
            "solved": decided | contained,
            "resolved_at": resolved_at,
            "proficiency": np.where(served, table["proficiency"].to_numpy(dtype=float), np.nan),
            "empowered": np.where(served, table["authority"].to_numpy(dtype=float), np.nan),
        }
    )
    frame = frame.sort_values(["replication", "journey", "first"], ascending=[True, True, False])
    grouped = frame.groupby(["replication", "journey"], sort=True)
    first = grouped.first()
    start = grouped["start"].min()
    resolved_at = grouped["resolved_at"].min()
    resolved = grouped["solved"].any()
    journeys = pd.DataFrame(
        {
            "start": start,
            "channel": first["channel"],
            "contact_type": first["contact_type"],
            "wait": grouped["wait"].sum(),
            "contacts": grouped.size().astype(np.int64),
            "transfers": grouped["transfers"].sum().astype(np.int64),
            "abandoned": grouped["abandoned"].sum().astype(np.int64),
            "errors": grouped["errors"].sum().astype(np.int64),
            "resolved": resolved.astype(bool),
            "time_to_resolution": np.where(
                resolved.to_numpy(dtype=bool), (resolved_at - start).to_numpy(dtype=float), np.nan
            ),
            "proficiency": grouped["proficiency"].mean(),
            "empowered": grouped["empowered"].mean(),
            "followed_up": first.index.isin(followed),
        }
    )
    journeys = journeys[(start >= warmup).to_numpy()].reset_index()
    journeys["journey"] = journeys["journey"].astype(np.int64)
    names = [column.name for column in JOURNEY_COLUMNS]
    return journeys[["replication", "journey", "start", *names[1:]]]


def journey_metrics(journeys: pd.DataFrame) -> dict[str, float]:
    """The per-run summary of a journeys table (:data:`JOURNEY_METRICS`).

    ``journey_fcr``: journeys resolved at their first contact (one contact, resolved) /
    journeys; ``contacts_per_resolution``: contacts of all journeys / resolved journeys;
    ``time_to_resolution``: mean over resolved journeys; ``unresolved_share``: journeys not
    resolved by the end of the horizon / journeys. NaN where a denominator is 0.
    """
    n = len(journeys)
    resolved = journeys["resolved"].to_numpy(dtype=bool)
    contacts = journeys["contacts"].to_numpy()
    n_resolved = int(resolved.sum())
    times = journeys["time_to_resolution"].to_numpy(dtype=float)[resolved]
    return {
        "journeys": float(n),
        "journey_fcr": float((resolved & (contacts == 1)).sum() / n) if n else math.nan,
        "contacts_per_resolution": float(contacts.sum() / n_resolved) if n_resolved else math.nan,
        "time_to_resolution": float(times.mean()) if n_resolved else math.nan,
        "unresolved_share": float(1 - n_resolved / n) if n else math.nan,
    }


def satisfaction_metrics(summary: pd.DataFrame, follow_ups: bool = False) -> dict[str, float]:
    """The run-level figures of a satisfaction summary (:data:`SATISFACTION_SHARES`), with
    ``detractor_follow_ups`` when ``follow_ups`` (a scenario with a detractor follow-up
    policy)."""
    values: dict[str, Any] = dict(zip(summary["metric"], summary["value"], strict=True))
    names = (*SATISFACTION_SHARES, "detractor_follow_ups") if follow_ups else SATISFACTION_SHARES
    return {name: float(values[name]) for name in names}


__all__ = [
    "DECISION_COLUMNS",
    "ERROR",
    "ESCALATED",
    "FOLLOWED_UP",
    "FOLLOW_UP",
    "JOURNEY_METRICS",
    "RESOLVED",
    "SATISFACTION_METRICS",
    "SATISFACTION_SHARES",
    "UNRESOLVED",
    "JourneyTracking",
    "decided_rows",
    "decision_of",
    "journey_metrics",
    "journeys_table",
    "satisfaction_metrics",
    "score_replication",
]

"""Deferred channels (email, social): backlog, business hours, deadlines, order, live first."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest

from queuesim.experiment.runner import simulate
from queuesim.results import SimulationResult
from queuesim.scenario import scenario_from_dict
from queuesim.scenario.overrides import apply_overrides
from queuesim.scenario.schema import Scenario

OPEN, CLOSE = 8 * 3600, 18 * 3600


BASE: dict[str, Any] = {
    "version": 1,
    "name": "deferred test",
    "horizon": "3 d",
    "interval": "1 h",
    "seed": 21,
    "replications": 3,
    "channels": {
        "email": {
            "kind": "email",
            "open": "08:00",
            "close": "18:00",
            "deadline": "24 h",
            "arrivals": {"rate": "10/h"},
            "mix": {"request": 1.0},
        }
    },
    "contact_types": {"request": {"handle_time": {"dist": "gamma", "mean": "6 min", "cv": 0.5}}},
    "agent_groups": {"office": {"size": 6, "channels": ["email"]}},
}
"""An email channel worked 08:00-18:00 with a 24-hour deadline."""


def data(**changes: Any) -> dict[str, Any]:
    """A copy of :data:`BASE` in which ``a__b=v`` sets a.b."""
    overrides = {path.replace("__", "."): value for path, value in changes.items()}
    return apply_overrides(BASE, overrides)


def make(**changes: Any) -> Scenario:
    """The validated scenario of :func:`data`."""
    return scenario_from_dict(data(**changes))


def test_ample_staff_meets_every_deadline(
    service_starts: Callable[[pd.DataFrame], pd.DataFrame],
) -> None:
    result = simulate(make(), records=True)
    assert (result.values("breaches", channel="email") == 0).all()
    assert (result.values("deadline_met", channel="email") == 1).all()
    answered = service_starts(result.contacts)
    time_of_day = answered["start"] % 86400
    assert ((time_of_day >= OPEN) & (time_of_day < CLOSE)).all()  # business hours only
    assert (answered["wait"] > 10 * 3600).any()  # the night's items waited for the morning


def test_no_staff_breaches_every_deadline() -> None:
    scenario = make(agent_groups__office__size=0)
    result = simulate(scenario, records=True)
    for replication, contacts in result.contacts.groupby("replication"):
        assert (contacts.outcome == "pending").all()
        overdue = (contacts["arrival"] < scenario.horizon - 24 * 3600).sum()
        rows = result.intervals.query(
            f"replication == {replication} and channel == 'email' and contact_type == 'all'"
        )
        assert rows["breaches"].sum() == overdue > 0
    assert (result.values("deadline_met", channel="email") == 0).all()
    # The backlog carries over: at the end it holds everything that arrived.
    assert np.array_equal(result.values("backlog", channel="email"), result.values("offered"))


def test_backlog_and_oldest_age_are_counted_at_each_interval_end(
    left_queue_at: Callable[[pd.DataFrame], np.ndarray],
) -> None:
    result = simulate(make(agent_groups__office__size=1), records=True)
    for replication, contacts in result.contacts.groupby("replication"):
        left = left_queue_at(contacts)
        arrival = contacts["arrival"].to_numpy()
        rows = result.intervals.query(
            f"replication == {replication} and channel == 'email' and contact_type == 'all'"
        )
        for start, backlog, oldest in zip(
            rows["interval_start"], rows["backlog"], rows["oldest_age"], strict=True
        ):
            end = start + 3600
            waiting = (arrival <= end) & (left > end)
            assert backlog == waiting.sum()
            expected = (end - arrival[waiting]).max() if waiting.any() else 0.0
            assert oldest == pytest.approx(expected)
    whole = result.values("backlog", channel="email")
    last = result.intervals.query("channel == 'email' and contact_type == 'all'")
    assert np.array_equal(whole, last.groupby("replication")["backlog"].last().to_numpy())


def test_live_work_comes_before_deferred_work(
    service_starts: Callable[[pd.DataFrame], pd.DataFrame],
    left_queue_at: Callable[[pd.DataFrame], np.ndarray],
) -> None:
    phone = {
        "kind": "phone",
        "arrivals": {"rate": "50/h"},
        "mix": {"call": 1.0},
        "patience": {"dist": "exponential", "mean": "4 min"},
    }
    scenario = make(
        channels__phone=phone,
        contact_types__call={"handle_time": {"dist": "exponential", "mean": "4 min"}},
        agent_groups__office={"size": 5, "channels": ["phone", "email"]},
    )
    contacts = simulate(scenario, records=True).contacts
    for _, rep in contacts.groupby("replication"):
        calls = rep[rep.channel == "phone"]
        call_left, call_arrival = left_queue_at(calls), calls["arrival"].to_numpy()
        emails = service_starts(rep[rep.channel == "email"])
        assert len(emails) > 100
        for start in emails["start"]:
            assert not ((call_arrival < start) & (call_left > start)).any()


@pytest.mark.parametrize("order", ["fifo", "edf"])
def test_deferred_order_is_respected(
    order: str,
    service_starts: Callable[[pd.DataFrame], pd.DataFrame],
    left_queue_at: Callable[[pd.DataFrame], np.ndarray],
) -> None:
    urgent = {**data()["channels"]["email"], "deadline": "4 h", "mix": {"complaint": 1.0}}
    scenario = make(
        channels__social=urgent,
        contact_types__complaint={"handle_time": {"dist": "exponential", "mean": "10 min"}},
        agent_groups__office={"size": 2, "channels": ["email", "social"], "deferred_order": order},
    )
    contacts = simulate(scenario, records=True).contacts
    deadline = np.where(contacts.channel == "social", 4 * 3600, 24 * 3600)
    contacts = contacts.assign(key=contacts["arrival"] + (deadline if order == "edf" else 0))
    for _, rep in contacts.groupby("replication"):
        left, arrival, key = left_queue_at(rep), rep["arrival"].to_numpy(), rep["key"].to_numpy()
        started = service_starts(rep)
        assert len(started) > 100
        for start, own in zip(started["start"], started["key"], strict=True):
            assert not ((arrival < start) & (left > start) & (key < own)).any()


def test_every_item_is_accounted_for_per_channel(
    check_accounting: Callable[[SimulationResult], None],
) -> None:
    result = simulate(make(agent_groups__office__size=1))
    check_accounting(result)
    assert result.kpi("pending", channel="email")["mean"] > 0


BAD = {
    "email without a deadline": (
        {"channels__email__deadline": None},
        "channels.email.deadline: expected a response deadline on an email channel",
    ),
    "deadline on a phone line": (
        {"channels__email__kind": "phone"},
        "channels.email.deadline: expected only on an email or social channel, got it on a "
        "phone channel",
    ),
    "patience on email": (
        {"channels__email__patience": {"dist": "exponential", "mean": "1 h"}},
        "channels.email.patience: expected none on an email channel (items wait in a backlog), "
        "got exponential",
    ),
    "unknown order": (
        {"agent_groups__office__deferred_order": "lifo"},
        "agent_groups.office.deferred_order: expected 'fifo' or 'edf', got 'lifo'",
    ),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_deferred_input_names_the_field(
    case: str, scenario_error: Callable[[dict[str, Any], str], str]
) -> None:
    changes, expected = BAD[case]
    assert scenario_error(data(**changes), "email.yaml") == f"email.yaml: {expected}"

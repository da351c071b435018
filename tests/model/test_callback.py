"""Call-backs (virtual hold): offer, acceptance, place kept, answer rate, conservation."""

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

ACCEPT, ANSWER = 0.6, 0.8


BASE: dict[str, Any] = {
    "version": 1,
    "name": "callback test",
    "horizon": "4 h",
    "interval": "30 min",
    "seed": 17,
    "replications": 6,
    "channels": {
        "phone": {
            "kind": "phone",
            "arrivals": {"rate": "100/h"},
            "mix": {"call": 1.0},
            "patience": {"dist": "exponential", "mean": "3 min"},
            "callback": {"threshold": "60 s", "accept": ACCEPT, "answer": ANSWER},
        }
    },
    "contact_types": {"call": {"handle_time": {"dist": "exponential", "mean": "4 min"}}},
    "agent_groups": {"team": {"size": 6, "channels": ["phone"]}},
}
"""A busy phone line offering call-backs above 60 s of expected wait."""


def data(**changes: Any) -> dict[str, Any]:
    """A copy of :data:`BASE` in which ``a__b=v`` sets a.b."""
    overrides = {path.replace("__", "."): value for path, value in changes.items()}
    return apply_overrides(BASE, overrides)


def make(**changes: Any) -> Scenario:
    """The validated scenario of :func:`data`."""
    return scenario_from_dict(data(**changes))


def total(result: Any, metric: str) -> float:
    return float(result.values(metric, channel="phone").sum())


def test_every_customer_is_accounted_for_and_callbacks_counted_apart(
    check_accounting: Callable[[SimulationResult], None],
) -> None:
    result = simulate(make(), records=True)
    check_accounting(result)
    contacts = result.contacts
    callbacks = contacts[contacts.callback]
    assert len(callbacks) == total(result, "callbacks_accepted") > 50
    placed = callbacks[callbacks.agent_group.notna()]
    rates = placed.groupby("replication")["outcome"].apply(lambda o: (o == "answered").mean())
    assert np.allclose(rates.to_numpy(), result.values("callback_answer_rate", channel="phone"))
    # A customer waiting for a call-back holds no line and never abandons: their only
    # "abandoned" outcome is a missed call-back, after an agent called them.
    assert callbacks.loc[callbacks.outcome == "abandoned", "agent_group"].eq("team").all()
    # Inbound waits leave the call-backs out.
    inbound = contacts[~contacts.callback & (contacts.outcome == "answered")]
    reps = inbound.groupby("replication")["wait"].mean().to_numpy()
    assert np.allclose(reps, result.values("asa", channel="phone"))


def test_a_callback_keeps_its_place_in_the_queue(
    left_queue_at: Callable[[pd.DataFrame], np.ndarray],
) -> None:
    contacts = simulate(make(), records=True).contacts
    served = contacts[contacts.agent_group.notna()]
    left = left_queue_at(contacts)
    for replication, rep in served.groupby("replication"):
        mine = (contacts.replication == replication).to_numpy()
        arrival = contacts["arrival"].to_numpy()
        for start, arrived in zip(rep["arrival"] + rep["wait"], rep["arrival"], strict=True):
            older_waiting = mine & (arrival < arrived) & (left > start)
            assert not older_waiting.any()


def test_acceptance_and_answer_rates_match_their_probabilities() -> None:
    result = simulate(make(replications=10))
    offered, accepted = total(result, "callbacks_offered"), total(result, "callbacks_accepted")
    assert abs(accepted / offered - ACCEPT) <= 4 * np.sqrt(ACCEPT * (1 - ACCEPT) / offered)
    contacts = simulate(make(replications=10), records=True).contacts
    placed = contacts[contacts.callback & contacts.agent_group.notna()]
    share = (placed.outcome == "answered").mean()
    assert abs(share - ANSWER) <= 4 * np.sqrt(ANSWER * (1 - ANSWER) / len(placed))


def test_threshold_decides_who_is_offered() -> None:
    never = simulate(make(channels__phone__callback={"threshold": "10 h", "accept": 1}))
    assert total(never, "callbacks_offered") == 0
    always = simulate(
        make(channels__phone__callback={"threshold": "0 s", "accept": 0.5}), records=True
    )
    contacts = always.contacts
    queued = ~((contacts.outcome == "answered") & (contacts.wait == 0))
    queued &= contacts.outcome != "blocked"
    assert total(always, "callbacks_offered") == queued.sum()


def test_callbacks_hold_no_line() -> None:
    full = {"threshold": "0 s", "accept": 1.0}
    without = simulate(make(channels__phone__queue_capacity=3, channels__phone__callback=None))
    with_callbacks = simulate(
        make(channels__phone__queue_capacity=3, channels__phone__callback=full)
    )
    assert total(without, "blocked") > 0
    assert total(with_callbacks, "blocked") == 0
    assert total(with_callbacks, "abandoned") == 0  # everyone waits for the call-back


def test_customers_are_the_same_with_and_without_callbacks() -> None:
    columns = ["replication", "customer", "arrival", "handle_time", "patience"]
    first = simulate(make(), records=True).contacts[columns]
    second = simulate(make(channels__phone__callback=None), records=True).contacts[columns]
    pd.testing.assert_frame_equal(first, second)


BAD = {
    "callback on chat": (
        {"channels__phone__kind": "chat"},
        "channels.phone.callback: expected only on a phone channel, got it on a chat channel",
    ),
    "acceptance above 1": (
        {"channels__phone__callback": {"threshold": "1 min", "accept": 1.5}},
        "channels.phone.callback.accept: expected a value of at most 1, got 1.5",
    ),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_callback_input_names_the_field(
    case: str, scenario_error: Callable[[dict[str, Any], str], str]
) -> None:
    changes, expected = BAD[case]
    assert scenario_error(data(**changes), "phone.yaml") == f"phone.yaml: {expected}"

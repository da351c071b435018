"""Balking at a visible queue, reneging, retrials and channel switching, linked by journey."""

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

BALKING = [0.0, 0.2, 0.5, 0.8, 1.0]
RETRY, LIMIT, DELAY = 0.4, 2, 300.0


BASE: dict[str, Any] = {
    "version": 1,
    "name": "walk-in test",
    "horizon": "8 h",
    "interval": "30 min",
    "seed": 41,
    "replications": 6,
    "channels": {
        "branch": {
            "kind": "walk_in",
            "arrivals": {"rate": "50/h"},
            "mix": {"teller": 1.0},
            "patience": {"dist": "exponential", "mean": "10 min"},
            "balking": BALKING,
        },
        "phone": {
            "kind": "phone",
            "arrivals": {"rate": "60/h"},
            "mix": {"call": 1.0},
            "patience": {"dist": "exponential", "mean": "2 min"},
            "retrial": {
                "probability": RETRY,
                "delay": {"dist": "exponential", "mean": f"{DELAY:g} s"},
                "limit": LIMIT,
            },
        },
    },
    "contact_types": {
        "teller": {"handle_time": {"dist": "exponential", "mean": "5 min"}},
        "call": {"handle_time": {"dist": "exponential", "mean": "4 min"}},
    },
    "agent_groups": {
        "tellers": {"size": 4, "channels": ["branch"]},
        "phones": {"size": 4, "channels": ["phone"]},
    },
}
"""A branch with balking and a phone line with retrials."""


def data(**changes: Any) -> dict[str, Any]:
    """A copy of :data:`BASE` in which ``a__b=v`` sets a.b."""
    overrides = {path.replace("__", "."): value for path, value in changes.items()}
    return apply_overrides(BASE, overrides)


def make(**changes: Any) -> Scenario:
    """The validated scenario of :func:`data`."""
    return scenario_from_dict(data(**changes))


def queue_seen(contacts: pd.DataFrame) -> pd.DataFrame:
    """Each arrival who found every agent busy, with the number then waiting in line."""
    queued = contacts[contacts.outcome.isin(["answered", "abandoned", "pending"])]
    start = queued["arrival"].to_numpy()
    end = np.where(queued.outcome == "pending", np.inf, start + queued["wait"].to_numpy())
    busy = contacts[~((contacts.outcome == "answered") & (contacts.wait == 0))]
    busy = busy[busy.outcome != "blocked"]
    seen = [((start < t) & (end > t)).sum() for t in busy["arrival"]]
    return busy.assign(seen=seen)


def test_every_contact_is_accounted_for(
    check_accounting: Callable[[SimulationResult], None],
) -> None:
    check_accounting(simulate(make(), records=True))


def test_balking_follows_the_curve_of_the_visible_queue() -> None:
    scenario = make(
        channels={"branch": data()["channels"]["branch"]},
        agent_groups={"tellers": data()["agent_groups"]["tellers"]},
        replications=20,
    )
    contacts = simulate(scenario, records=True).contacts
    seen = pd.concat(queue_seen(rep) for _, rep in contacts.groupby("replication"))
    seen["balked"] = seen.outcome == "balked"
    for n, group in seen.groupby(np.minimum(seen["seen"], len(BALKING) - 1)):
        p = BALKING[n]
        share = group["balked"].mean()
        if p in (0.0, 1.0):
            assert share == p  # exact: nobody balks at an empty line, everybody at a full one
        else:
            assert len(group) > 100
            assert abs(share - p) <= 4 * np.sqrt(p * (1 - p) / len(group))
    assert (seen.loc[~seen.balked, "seen"] < len(BALKING) - 1).all()


def attempts(contacts: pd.DataFrame) -> pd.DataFrame:
    """Contacts with their attempt number within the journey and their follow-up, if any."""
    ordered = contacts.sort_values(["replication", "journey", "arrival"])
    ordered["attempt"] = ordered.groupby(["replication", "journey"]).cumcount() + 1
    ordered["next_arrival"] = ordered.groupby(["replication", "journey"])["arrival"].shift(-1)
    ordered["left"] = ordered["arrival"] + ordered["wait"]
    return ordered


def test_retries_follow_their_probability_delay_and_limit() -> None:
    scenario = make(
        channels={"phone": data()["channels"]["phone"]},
        agent_groups={"phones": data()["agent_groups"]["phones"]},
        replications=12,
    )
    table = attempts(simulate(scenario, records=True).contacts)
    failed = table[table.outcome == "abandoned"]
    early = failed[failed["left"] < scenario.horizon - 3 * 3600]  # any retry lands in the run
    eligible = early[early.attempt <= LIMIT]
    share = eligible["next_arrival"].notna().mean()
    assert len(eligible) > 300
    assert abs(share - RETRY) <= 4 * np.sqrt(RETRY * (1 - RETRY) / len(eligible))
    assert failed.loc[failed.attempt > LIMIT, "next_arrival"].isna().all()
    assert table["attempt"].max() == LIMIT + 1
    gaps = (eligible["next_arrival"] - eligible["left"]).dropna()
    assert abs(gaps.mean() - DELAY) <= 4 * DELAY / np.sqrt(len(gaps))
    # Only abandoned (or balked, blocked) customers retry.
    answered = table[table.outcome == "answered"]
    assert answered["next_arrival"].isna().all()
    retried = table[table.attempt > 1]
    assert np.allclose(retried["prior_time"] > 0, True)


def test_retrials_can_switch_channel(check_accounting: Callable[[SimulationResult], None]) -> None:
    scenario = make(
        channels__branch__retrial={
            "probability": 1.0,
            "delay": {"dist": "exponential", "mean": "10 min"},
            "channel": "phone",
        },
        channels__branch__arrivals={"rate": "80/h"},
    )
    result = simulate(scenario, records=True)
    check_accounting(result)
    contacts = result.contacts
    switched = contacts[(contacts.channel == "phone") & (contacts.contact_type == "teller")]
    assert len(switched) > 20
    firsts = contacts.set_index(["replication", "customer"])
    origins = firsts.loc[list(zip(switched.replication, switched.journey, strict=True))]
    assert (origins["channel"] == "branch").all()
    assert result.values("retrials", channel="phone", contact_type="teller").sum() == len(switched)


BAD = {
    "balking on a phone line": (
        {"channels__phone__balking": [0.1]},
        "channels.phone.balking: expected only on a walk_in channel (a visible queue), got it "
        "on a phone channel",
    ),
    "balking probability above 1": (
        {"channels__branch__balking": [0.1, 1.5]},
        "channels.branch.balking.1: expected a value of at most 1, got 1.5",
    ),
    "retrial to an unknown channel": (
        {
            "channels__phone__retrial": {
                "probability": 0.5,
                "delay": "5 min",
                "channel": "fax",
            }
        },
        "channels.phone.retrial.channel: expected a live channel (one of ['branch', 'phone']), "
        "got 'fax'",
    ),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_walk_in_input_names_the_field(
    case: str, scenario_error: Callable[[dict[str, Any], str], str]
) -> None:
    changes, expected = BAD[case]
    assert scenario_error(data(**changes), "walk.yaml") == f"walk.yaml: {expected}"

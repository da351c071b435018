"""Chatbot: containment, hand-over to a live channel carrying the time spent, conservation."""

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

CONTAINMENT = {"balance": 0.8, "dispute": 0.2}


BASE: dict[str, Any] = {
    "version": 1,
    "name": "chatbot test",
    "horizon": "4 h",
    "interval": "30 min",
    "seed": 31,
    "replications": 4,
    "channels": {
        "bot": {
            "kind": "chatbot",
            "arrivals": {"rate": "200/h"},
            "mix": {"balance": 0.6, "dispute": 0.4},
            "bot": {
                "time": {"dist": "lognormal", "mean": "2 min", "cv": 0.5},
                "containment": CONTAINMENT,
                "handover": "chat",
            },
        },
        "chat": {
            "kind": "chat",
            "arrivals": {"rate": "30/h"},
            "mix": {"dispute": 1.0},
            "patience": {"dist": "exponential", "mean": "5 min"},
            "concurrency": {"sessions": 2, "slowdown": 0.3},
        },
    },
    "contact_types": {
        "balance": {"handle_time": {"dist": "exponential", "mean": "3 min"}},
        "dispute": {"handle_time": {"dist": "exponential", "mean": "8 min"}},
    },
    "agent_groups": {"team": {"size": 8, "channels": ["chat"]}},
}
"""A chatbot handing over to a chat channel."""


def data(**changes: Any) -> dict[str, Any]:
    """A copy of :data:`BASE` in which ``a__b=v`` sets a.b."""
    overrides = {path.replace("__", "."): value for path, value in changes.items()}
    return apply_overrides(BASE, overrides)


def make(**changes: Any) -> Scenario:
    """The validated scenario of :func:`data`."""
    return scenario_from_dict(data(**changes))


def test_every_contact_is_accounted_for_on_every_channel(
    check_accounting: Callable[[SimulationResult], None],
) -> None:
    result = simulate(make(), records=True)
    check_accounting(result)
    bot = result.intervals.query("channel == 'bot'")
    assert (bot[["answered", "abandoned", "blocked", "closed_out"]] == 0).all().all()


def test_containment_matches_its_probability_per_contact_type() -> None:
    result = simulate(make(replications=10))
    for contact_type, p in CONTAINMENT.items():
        contained = result.values("contained", channel="bot", contact_type=contact_type).sum()
        ended = (
            contained + result.values("handed_over", channel="bot", contact_type=contact_type).sum()
        )
        assert abs(contained / ended - p) <= 4 * np.sqrt(p * (1 - p) / ended)


def test_a_hand_over_joins_the_live_channel_carrying_the_time_spent() -> None:
    contacts = simulate(make(), records=True).contacts
    for _, rep in contacts.groupby("replication"):
        handed = rep[rep.outcome == "handed_over"].set_index("journey")
        follow = rep[(rep.channel == "chat") & (rep.journey != rep.customer)].set_index("journey")
        assert len(follow) > 50
        # Each hand-over becomes exactly one live contact of the same journey, at once.
        assert sorted(follow.index) == sorted(handed.index)
        joined = follow.merge(handed, left_index=True, right_index=True, suffixes=("", "_bot"))
        expected = joined["arrival_bot"] + joined["handle_time_bot"]
        assert np.allclose(joined["arrival"], expected)
        assert np.allclose(joined["prior_time"], joined["handle_time_bot"])
        assert (joined["contact_type"] == joined["contact_type_bot"]).all()


def test_adding_a_chatbot_leaves_the_live_channels_own_customers_unchanged() -> None:
    alone = make(channels={"chat": data()["channels"]["chat"]})
    columns = ["replication", "arrival", "contact_type", "handle_time", "patience"]
    first = simulate(alone, records=True).contacts
    both = simulate(make(), records=True).contacts
    own = both[(both.channel == "chat") & (both.journey == both.customer)]
    pd.testing.assert_frame_equal(
        first[columns].reset_index(drop=True), own[columns].reset_index(drop=True)
    )


def test_containment_rate_metric() -> None:
    result = simulate(make(replications=2))
    contained = result.values("contained", channel="bot")
    handed = result.values("handed_over", channel="bot")
    assert np.allclose(
        result.values("containment_rate", channel="bot"), contained / (contained + handed)
    )


BAD = {
    "hand-over to a chatbot": (
        {"channels__bot__bot__handover": "bot"},
        "channels.bot.bot.handover: expected a phone or chat channel (one of ['chat']), got 'bot'",
    ),
    "containment of a type not in the mix": (
        {"channels__bot__bot__containment": {"refund": 0.5}},
        "channels.bot.bot.containment: expected contact types of the mix ['balance', "
        "'dispute'], got 'refund'",
    ),
    "agents on the chatbot": (
        {"agent_groups__team__channels": ["chat", "bot"]},
        "agent_groups.team.channels: expected channels that agents serve, got the chatbot 'bot'",
    ),
    "chatbot without a bot": (
        {"channels__bot__bot": None},
        "channels.bot.bot: expected the bot's time, containment and handover",
    ),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_chatbot_input_names_the_field(
    case: str, scenario_error: Callable[[dict[str, Any], str], str]
) -> None:
    changes, expected = BAD[case]
    assert scenario_error(data(**changes), "bot.yaml") == f"bot.yaml: {expected}"

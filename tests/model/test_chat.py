"""Exact properties of chat sessions: k = 1 is the phone model, conservation, occupancies."""

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

BASE: dict[str, Any] = {
    "version": 1,
    "name": "chat test",
    "horizon": "6 h",
    "interval": "30 min",
    "seed": 3,
    "replications": 3,
    "channels": {
        "phone": {
            "kind": "phone",
            "arrivals": {"rate": "40/h"},
            "mix": {"call": 1.0},
            "patience": {"dist": "exponential", "mean": "3 min"},
        },
        "chat": {
            "kind": "chat",
            "arrivals": {"rate": "60/h"},
            "mix": {"question": 1.0},
            "patience": {"dist": "exponential", "mean": "5 min"},
            "concurrency": {"sessions": 3, "slowdown": 0.4},
        },
    },
    "contact_types": {
        "call": {"handle_time": {"dist": "exponential", "mean": "4 min"}, "priority": 1},
        "question": {
            "handle_time": {"dist": "lognormal", "mean": "8 min", "cv": 0.7},
            "after_contact_work": "30 s",
        },
    },
    "agent_groups": {
        "blended": {
            "channels": ["phone", "chat"],
            "shifts": [
                {
                    "name": "early",
                    "start": "00:00",
                    "end": "04:00",
                    "agents": 4,
                    "breaks": [{"start": "02:00", "duration": "15 min"}],
                },
                {"name": "late", "start": "02:00", "end": "06:00", "agents": 3},
            ],
        },
        "chat_only": {"size": 2, "channels": ["chat"]},
    },
}
"""A phone line and a chat channel served by one blended group."""


def data(**changes: Any) -> dict[str, Any]:
    """A copy of :data:`BASE` in which ``a__b=v`` sets a.b."""
    overrides = {path.replace("__", "."): value for path, value in changes.items()}
    return apply_overrides(BASE, overrides)


def make(**changes: Any) -> Scenario:
    """The validated scenario of :func:`data`."""
    return scenario_from_dict(data(**changes))


def test_one_session_at_a_time_is_exactly_the_phone_model() -> None:
    single = {"sessions": 1, "slowdown": 0.9}
    as_chat = simulate(make(channels__chat__concurrency=single), records=True)
    as_phone = simulate(
        make(channels__chat__concurrency=None, channels__chat__kind="phone"), records=True
    )
    pd.testing.assert_frame_equal(as_chat.contacts, as_phone.contacts)
    pd.testing.assert_frame_equal(as_chat.intervals, as_phone.intervals)
    agents = as_chat.agents
    assert np.allclose(agents["slot_occupancy"].fillna(-1), agents["occupancy"].fillna(-1))


@pytest.mark.parametrize("sessions", [2, 3, 5])
def test_every_customer_is_accounted_for_with_sessions(
    sessions: int, check_accounting: Callable[[SimulationResult], None]
) -> None:
    scenario = make(channels__chat__concurrency={"sessions": sessions, "slowdown": 0.3})
    result = simulate(scenario, records=True)
    check_accounting(result)
    agents = result.agents.query("agent_group != 'all'")
    busy, slots = agents["busy_time"].sum(), agents["slot_occupancy"] * agents["available_time"]
    assert (slots <= agents["busy_time"] + 1e-6).all()
    assert slots.sum() < busy
    assert (agents["break_time"].sum()) == pytest.approx(3 * 4 * 900)


def test_more_sessions_shorten_chat_waits_on_the_same_customers() -> None:
    def run(sessions: int) -> pd.DataFrame:
        scenario = make(channels__chat__concurrency={"sessions": sessions, "slowdown": 0.2})
        return simulate(scenario, records=True).contacts

    one, three = run(1), run(3)
    columns = ["replication", "customer", "channel", "arrival", "handle_time", "patience"]
    pd.testing.assert_frame_equal(one[columns], three[columns])
    chat_waits = [
        c.query("channel == 'chat' and outcome == 'answered'")["wait"].mean() for c in (one, three)
    ]
    assert chat_waits[1] < chat_waits[0]


def drain_reference(
    starts: list[float], work: float, k: int, q: float, horizon: float
) -> tuple[float, float]:
    """Busy time and session time of one agent whose sessions start at ``starts``.

    Written independently of the engine: between events, each of the n sessions held drains
    its remaining work at 1 / (1 + q(n − 1)).
    """
    active: list[float] = []
    t, i, busy, session_time = 0.0, 0, 0.0, 0.0
    while t < horizon:
        n = len(active)
        rate = 1 / (1 + q * (n - 1)) if n else 0.0
        next_start = starts[i] if i < len(starts) else np.inf
        next_end = t + min(active) / rate if n else np.inf
        step_to = min(next_start, next_end, horizon)
        busy += (step_to - t) if n else 0.0
        session_time += n * (step_to - t)
        active = [r - (step_to - t) * rate for r in active]
        t = step_to
        if t >= horizon:
            break
        if next_end <= next_start:
            active.remove(min(active))
        else:
            assert n < k, "the engine opened more than k sessions"
            active.append(work)
            i += 1
    return busy, session_time


def test_sessions_drain_at_the_concurrency_rate() -> None:
    k, q = 3, 0.5
    scenario = make(
        horizon="8 h",
        channels={
            "chat": {
                "kind": "chat",
                "arrivals": {"rate": "14/h"},
                "mix": {"question": 1.0},
                "concurrency": {"sessions": k, "slowdown": q},
            }
        },
        contact_types={"question": {"handle_time": "10 min"}},
        agent_groups={"team": {"size": 1, "channels": ["chat"]}},
    )
    result = simulate(scenario, records=True)
    for replication, contacts in result.contacts.groupby("replication"):
        answered = contacts[contacts.outcome == "answered"]
        starts = sorted(answered["arrival"] + answered["wait"])
        assert (contacts.outcome == "pending").sum() + len(answered) == len(contacts)
        busy, session_time = drain_reference(starts, 600.0, k, q, scenario.horizon)
        agents = result.agents.query(f"agent_group == 'team' and replication == {replication}")
        assert agents["busy_time"].sum() == pytest.approx(busy, rel=1e-9)
        slot_busy = (agents["slot_occupancy"] * agents["available_time"]).sum()
        assert slot_busy == pytest.approx(session_time / k, rel=1e-9)
        assert session_time > 1.5 * busy  # the agent really held several sessions


BAD = {
    "concurrency on a phone line": (
        {"channels__phone__concurrency": {"sessions": 2}},
        "channels.phone.concurrency: expected only on a chat channel, got it on a phone channel",
    ),
    "speedup of the wrong length": (
        {"channels__chat__concurrency": {"sessions": 3, "speedup": [1, 1.5]}},
        "channels.chat.concurrency.speedup: expected one entry per session count 1..3, got 2",
    ),
    "speedup not starting at 1": (
        {"channels__chat__concurrency": {"sessions": 2, "speedup": [1.2, 1.5]}},
        "channels.chat.concurrency.speedup: expected 1 for one session, got 1.2",
    ),
    "both slowdown and speedup": (
        {"channels__chat__concurrency": {"sessions": 2, "speedup": [1, 1.5], "slowdown": 0.2}},
        "channels.chat.concurrency: expected one of 'slowdown' or 'speedup', got both",
    ),
    "zero sessions": (
        {"channels__chat__concurrency": {"sessions": 0}},
        "channels.chat.concurrency.sessions: expected a value greater than 0, got 0",
    ),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_chat_input_names_the_field(
    case: str, scenario_error: Callable[[dict[str, Any], str], str]
) -> None:
    changes, expected = BAD[case]
    assert scenario_error(data(**changes), "chat.yaml") == f"chat.yaml: {expected}"


def test_chat_journeys_end_when_their_session_ends() -> None:
    """In a run that follows journeys, a chat contact is resolved when its session ends:
    sessions slowed by others take longer than their own work (never less), the journey's
    time to resolution runs to that end, and a session still open at the horizon leaves its
    journey unresolved."""
    scenario = scenario_from_dict(data(satisfaction={}, horizon="3 h"))
    result = simulate(scenario, replications=1, records=True)
    chats = result.contacts.query("channel == 'chat' and outcome == 'answered'")
    own_work = chats["handle_time"] + chats["after_contact_work"]
    session = chats["ended"] - (chats["arrival"] + chats["wait"])
    finished = np.isfinite(chats["ended"])
    assert (session[finished] >= own_work[finished] - 1e-9).all()
    assert (session[finished] > own_work[finished] + 1).sum() > 10
    assert (~finished).sum() > 0
    journeys = result.journeys.set_index("journey")
    firsts = chats[(chats["customer"] == chats["journey"]) & finished]
    ends = firsts.set_index("customer")["ended"]
    expected = ends - journeys.loc[ends.index, "start"]
    np.testing.assert_allclose(journeys.loc[ends.index, "time_to_resolution"], expected)
    assert not journeys.loc[chats.loc[~finished, "journey"], "resolved"].any()

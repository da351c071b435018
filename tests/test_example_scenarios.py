"""Every example scenario loads, runs, and accounts for every customer on every channel."""

from __future__ import annotations

from pathlib import Path

import pytest

from queuesim import load_scenario, simulate

SCENARIOS = sorted((Path(__file__).parents[1] / "scenarios").glob("*.yaml"))
OUTCOMES = [
    "answered",
    "abandoned",
    "blocked",
    "balked",
    "closed_out",
    "pending",
    "contained",
    "handed_over",
]


def test_there_are_examples() -> None:
    assert len(SCENARIOS) >= 4


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_example_runs_and_conserves_customers(path: Path) -> None:
    scenario = load_scenario(path, {"horizon": "1 d"} if "steady" in path.stem else {})
    assert path.read_text().startswith("#"), "each example starts with a comment header"
    result = simulate(scenario, replications=2)
    intervals = result.intervals
    assert intervals["offered"].sum() > 0
    assert (intervals["offered"] == intervals[OUTCOMES].sum(axis=1)).all()
    assert result.kpi("answered")["mean"] > 0
    for channel in scenario.channels:
        offered = result.values("offered", channel=channel)
        outcomes = sum(result.values(outcome, channel=channel) for outcome in OUTCOMES)
        assert (offered == outcomes).all(), channel
        assert offered.sum() > 0, channel


def test_omnichannel_example_uses_every_channel_kind_it_documents() -> None:
    scenario = load_scenario(Path(__file__).parents[1] / "scenarios" / "omnichannel.yaml")
    kinds = {channel.kind for channel in scenario.channels.values()}
    assert {"phone", "chat", "email", "chatbot"} <= kinds
    result = simulate(scenario, replications=2)
    assert result.kpi("contained", channel="assistant")["mean"] > 0
    assert result.kpi("handed_over", channel="assistant")["mean"] > 0
    assert result.kpi("callbacks_accepted", channel="phone")["mean"] > 0
    assert result.kpi("answered", channel="email")["mean"] > 0
    slots = result.kpi("slot_occupancy", agent_group="blended")["mean"]
    assert slots < result.kpi("occupancy", agent_group="blended")["mean"]

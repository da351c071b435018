"""Starting a run from an initial state: exact equivalences, conservation, patience given the
wait already spent, contacts in service finished first, and the state taken from a run."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from queuesim.experiment.runner import simulate
from queuesim.model.engine import simulate_replication, state_at
from queuesim.model.initial import conditional_patience
from queuesim.rng import stream
from queuesim.scenario import ScenarioError, scenario_from_dict
from queuesim.scenario.distributions import Exponential, Gamma, Lognormal
from queuesim.scenario.overrides import apply_overrides
from queuesim.scenario.schema import Scenario

DAY: dict[str, Any] = {
    "version": 1,
    "name": "initial state test",
    "horizon": "1 d",
    "interval": "30 min",
    "seed": 5,
    "replications": 3,
    "channels": {
        "phone": {
            "kind": "phone",
            "open": "08:00",
            "close": "18:00",
            "arrivals": {"rate": "50/h"},
            "mix": {"sales": 0.4, "service": 0.6},
            "patience": {"dist": "lognormal", "mean": "3 min", "cv": 1.0},
        }
    },
    "contact_types": {
        "sales": {"handle_time": {"dist": "lognormal", "mean": "5 min", "cv": 0.8}},
        "service": {"handle_time": {"dist": "gamma", "mean": "4 min", "cv": 0.6}},
    },
    "agent_groups": {
        "team": {
            "channels": ["phone"],
            "shifts": [
                {
                    "name": "early",
                    "start": "08:00",
                    "end": "14:00",
                    "agents": 3,
                    "breaks": [{"start": "11:00", "duration": "30 min"}],
                },
                {"name": "late", "start": "12:00", "end": "18:00", "agents": 3},
            ],
        }
    },
}


def make(state: dict[str, Any] | None = None, **changes: Any) -> Scenario:
    """The day scenario with an optional initial state; ``a__b=value`` replaces entries."""
    overrides = {path.replace("__", "."): value for path, value in changes.items()}
    data = apply_overrides(DAY, overrides)
    if state is not None:
        data["initial_state"] = state
    return scenario_from_dict(data)


def test_empty_state_at_opening_reproduces_the_plain_run() -> None:
    plain = simulate(make(), records=True)
    started = simulate(make({"time": "08:00"}), records=True)
    pd.testing.assert_frame_equal(plain.intervals, started.intervals)
    pd.testing.assert_frame_equal(plain.agents, started.agents)
    pd.testing.assert_frame_equal(plain.contacts, started.contacts)


def test_arrivals_and_agent_time_start_with_the_state() -> None:
    result = simulate(make({"time": "11:00"}), records=True)
    assert result.contacts["arrival"].min() >= 11 * 3600
    before = result.agents[result.agents["interval_start"] < 11 * 3600]
    assert (before[["paid_time", "busy_time"]].to_numpy() == 0).all()
    after = result.agents[result.agents["interval_start"] >= 11 * 3600]
    assert after["paid_time"].sum() > 0


STATE = {
    "time": "11:00",
    "waiting": [
        {"channel": "phone", "contact_type": "sales", "waited": ["2 min", "40 s", "0 s"]},
        {"channel": "phone", "contact_type": "service", "waited": ["5 min", "3 min"]},
    ],
    "in_service": [{"agent_group": "team", "remaining": ["1 min", "6 min"]}],
}


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"channels__phone__close": "11:00"},
        {
            "agent_groups__team__shifts": [
                {"name": "x", "start": "08:00", "end": "10:00", "agents": 2}
            ]
        },
        {"channels__phone__at_close": "close", "channels__phone__close": "11:30"},
        {"channels__phone__queue_capacity": 1},
    ],
)
def test_initial_customers_are_conserved(changes: dict[str, Any], check_accounting: Any) -> None:
    result = simulate(make(STATE, **changes))
    check_accounting(result)
    table = result.intervals[result.intervals["channel"] != "all"]
    first = table[(table["interval_start"] == 11 * 3600) & (table["contact_type"] == "all")]
    assert (first["offered"] >= 5).all()
    if changes.get("channels__phone__close") == "11:00":  # nobody arrives after the start
        totals = table[table["contact_type"] == "all"].groupby("replication")["offered"].sum()
        assert (totals == 5).all()


def test_contacts_in_service_are_finished_before_the_queue_is_served() -> None:
    state = {
        "time": "10:00",
        "waiting": [{"channel": "phone", "contact_type": "sales", "waited": ["30 s"]}],
        "in_service": [{"agent_group": "team", "remaining": ["4 min"]}],
        "on_duty": {"team": 1},
    }
    scenario = make(state, channels__phone__close="10:00", channels__phone__patience="none")
    output = simulate_replication(scenario, 1, 0, records=True)
    [row] = output.contacts
    assert row[4] == "answered"
    assert row[5] == pytest.approx(30 + 240)  # its wait: 30 s before, 4 min after the start
    assert sum(output.groups["team"].busy) == pytest.approx(240 + row[6] + row[7])


def test_contacts_beyond_the_agents_on_shift_are_finished_in_overtime() -> None:
    state = {
        "time": "11:00",
        "in_service": [
            {"agent_group": "team", "remaining": ["2 min", "3 min"], "after_shift": ["5 min"]}
        ],
        "on_duty": {"team": 1},
    }
    output = simulate_replication(make(state, channels__phone__close="11:00"), 1, 0)
    stats = output.groups["team"]
    assert sum(stats.busy) == pytest.approx(120 + 180 + 300)
    assert sum(stats.overtime) == pytest.approx(180 + 300)


def test_on_duty_replaces_the_agents_of_the_shifts_under_way() -> None:
    for on_duty, expected in ((1, 1), (5, 5)):
        state = {"time": "09:00", "on_duty": {"team": on_duty}}
        output = simulate_replication(make(state, channels__phone__close="09:00"), 1, 0)
        available = output.groups["team"].available
        assert available[18] == pytest.approx(expected * 1800)  # 09:00-09:30


def test_exponential_patience_is_memoryless_given_the_wait() -> None:
    rng = stream(3, 0, "test")
    spec = Exponential.model_validate({"dist": "exponential", "mean": "3 min"})
    rest = np.array([conditional_patience(spec, 600.0, rng) for _ in range(4000)]) - 600.0
    assert rest.min() >= 0
    assert stats.kstest(rest, stats.expon(scale=180.0).cdf).pvalue > 0.001


def test_lognormal_patience_given_the_wait_matches_rejection_sampling() -> None:
    rng = stream(4, 0, "test")
    spec = Lognormal.model_validate({"dist": "lognormal", "mean": "3 min", "cv": 1.2})
    drawn = np.array([conditional_patience(spec, 240.0, rng) for _ in range(4000)])
    plain = rng.lognormal(spec.mu, spec.sigma, 200_000)
    kept = plain[plain > 240.0]
    assert drawn.min() >= 240.0
    assert stats.ks_2samp(drawn, kept).pvalue > 0.001


def test_deterministic_patience_shorter_than_the_wait_abandons_at_once() -> None:
    state = {
        "time": "11:00",
        "waiting": [{"channel": "phone", "contact_type": "sales", "waited": ["3 min", "30 s"]}],
        "on_duty": {"team": 0},
    }
    scenario = make(
        state,
        channels__phone__close="11:00",
        channels__phone__patience={"dist": "deterministic", "value": "1 min"},
        agent_groups__team__shifts=[
            {"name": "late", "start": "12:00", "end": "18:00", "agents": 1}
        ],
    )
    output = simulate_replication(scenario, 1, 0, records=True)
    rows = sorted(output.contacts, key=lambda r: r[5])
    assert [r[4] for r in rows] == ["abandoned", "abandoned"]
    assert rows[0][5] == pytest.approx(60)  # 30 s before the start, 30 s after
    assert rows[1][5] == pytest.approx(180)  # patience already exceeded: at once


def test_state_taken_from_a_run_restarts_it(check_accounting: Any) -> None:
    scenario = make()
    state = state_at(scenario, 5, 0, 11 * 3600)
    assert state["time"] == "11:00"
    assert state["on_duty"] == {"team": 3}
    restarted = simulate(make(state), replications=2)
    table = restarted.intervals[restarted.intervals["contact_type"] == "all"]
    waiting = sum(len(w["waited"]) for w in state["waiting"])
    first = table[(table["interval_start"] == 11 * 3600) & (table["channel"] == "phone")]
    assert (first["offered"] >= waiting).all()
    check_accounting(restarted)


@pytest.mark.parametrize(
    ("state", "message"),
    [
        (
            {
                "time": "11:00",
                "waiting": [{"channel": "chat", "contact_type": "sales", "waited": ["1 s"]}],
            },
            "initial_state.waiting.0.channel: expected one of the channels ['phone'], got 'chat'",
        ),
        (
            {
                "time": "11:00",
                "waiting": [{"channel": "phone", "contact_type": "x", "waited": ["1 s"]}],
            },
            "initial_state.waiting.0.contact_type: expected one of ['sales', 'service'], got 'x'",
        ),
        (
            {
                "time": "11:00",
                "waiting": [{"channel": "phone", "contact_type": "sales", "waited": ["-1 s"]}],
            },
            "initial_state.waiting.0.waited.0: expected a duration",
        ),
        (
            {"time": "11:00", "in_service": [{"agent_group": "tier9", "remaining": ["1 s"]}]},
            "initial_state.in_service.0.agent_group: expected one of the agent groups ['team'], "
            "got 'tier9'",
        ),
        (
            {"time": "11:00", "on_duty": {"team": -1}},
            "initial_state.on_duty.team: expected",
        ),
        ({"time": "11:00", "day": 2}, "initial_state.time: expected a time before the horizon"),
    ],
)
def test_invalid_states_name_the_field(state: dict[str, Any], message: str) -> None:
    with pytest.raises(ScenarioError) as raised:
        make(state)
    assert message in str(raised.value)


def test_gamma_patience_given_the_wait_matches_rejection_sampling() -> None:
    rng = stream(6, 0, "test")
    spec = Gamma.model_validate({"dist": "gamma", "mean": "3 min", "cv": 0.5})
    drawn = np.array([conditional_patience(spec, 200.0, rng) for _ in range(4000)])
    shape = 1 / spec.cv**2
    plain = rng.gamma(shape, spec.mean / shape, 200_000)
    assert drawn.min() >= 200.0
    assert stats.ks_2samp(drawn, plain[plain > 200.0]).pvalue > 0.001

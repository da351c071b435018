"""Exact properties of the engine: conservation, determinism, shifts, breaks, queue limits."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from queuesim.experiment.runner import simulate
from queuesim.results import SimulationResult
from queuesim.scenario import scenario_from_dict
from queuesim.scenario.schema import Scenario

BASE: dict[str, Any] = {
    "version": 1,
    "name": "engine test",
    "horizon": "4 h",
    "interval": "30 min",
    "seed": 11,
    "replications": 2,
    "channels": {
        "phone": {
            "kind": "phone",
            "arrivals": {"rate": "60/h"},
            "mix": {"sales": 0.5, "service": 0.5},
            "patience": {"dist": "exponential", "mean": "3 min"},
        }
    },
    "contact_types": {
        "sales": {"handle_time": {"dist": "lognormal", "mean": "4 min", "cv": 0.8}},
        "service": {
            "handle_time": {"dist": "gamma", "mean": "6 min", "cv": 0.5},
            "after_contact_work": "30 s",
        },
    },
    "agent_groups": {"team": {"size": 6, "channels": ["phone"]}},
}
"""A one-channel scenario: a phone line with two contact types and one team."""


def make(**changes: Any) -> Scenario:
    """The validated scenario of :data:`BASE` in which ``a__b=v`` sets a.b."""
    overrides = {path.replace("__", "."): value for path, value in changes.items()}
    return scenario_from_dict(BASE, overrides=overrides)


def test_same_seed_gives_identical_tables() -> None:
    scenario = make()
    first, second = simulate(scenario, records=True), simulate(scenario, records=True)
    pd.testing.assert_frame_equal(first.intervals, second.intervals)
    pd.testing.assert_frame_equal(first.agents, second.agents)
    pd.testing.assert_frame_equal(first.contacts, second.contacts)
    other = simulate(scenario, seed=12)
    assert not first.intervals["offered"].equals(other.intervals["offered"])


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"channels__phone__queue_capacity": 2},
        {"agent_groups__team__size": 0},
        {"channels__phone__open": "01:00", "channels__phone__close": "03:00"},
        {
            "channels__phone__open": "01:00",
            "channels__phone__close": "03:00",
            "channels__phone__at_close": "close",
            "agent_groups__team__size": 2,
        },
    ],
    ids=["plain", "capacity", "no-agents", "hours", "close"],
)
def test_every_customer_is_accounted_for(
    changes: dict[str, Any], check_accounting: Callable[[SimulationResult], None]
) -> None:
    result = simulate(make(**changes), records=True)
    assert result.intervals["offered"].sum() > 0
    check_accounting(result)
    contacts = result.contacts
    assert contacts.groupby("replication")["customer"].apply(lambda s: s.is_unique).all()


def test_no_agents_means_nobody_is_served() -> None:
    result = simulate(make(agent_groups__team__size=0))
    assert result.kpi("answered")["mean"] == 0
    assert result.kpi("abandoned")["mean"] > 0
    assert np.all(result.agents["available_time"] == 0)


def test_abandonment_happens_once_and_never_after_service_began() -> None:
    result = simulate(make(agent_groups__team__size=3), records=True)
    contacts = result.contacts
    answered = contacts[contacts.outcome == "answered"]
    abandoned = contacts[contacts.outcome == "abandoned"]
    assert len(abandoned) > 0
    assert (answered["wait"] <= answered["patience"]).all()
    assert (abandoned["wait"] == abandoned["patience"]).all()


def test_blocking_respects_queue_capacity() -> None:
    no_queue = simulate(make(channels__phone__queue_capacity=0), records=True)
    contacts = no_queue.contacts
    assert (contacts.loc[contacts.outcome == "answered", "wait"] == 0).all()
    assert no_queue.kpi("blocked")["mean"] > 0
    assert no_queue.kpi("abandoned")["mean"] == 0


def test_more_agents_meet_the_same_customers() -> None:
    few = simulate(make(agent_groups__team__size=4), records=True).contacts
    many = simulate(make(agent_groups__team__size=9), records=True).contacts
    columns = ["replication", "arrival", "contact_type", "handle_time", "patience"]
    pd.testing.assert_frame_equal(
        few.sort_values(["replication", "customer"])[columns].reset_index(drop=True),
        many.sort_values(["replication", "customer"])[columns].reset_index(drop=True),
    )
    assert (
        many.query("outcome == 'answered'")["wait"].mean()
        < few.query("outcome == 'answered'")["wait"].mean()
    )


def with_ends(served: pd.DataFrame) -> pd.DataFrame:
    """Answered contacts with the time their agent's work on them ended (``end``)."""
    return served.assign(end=served["start"] + served["handle_time"] + served["after_contact_work"])


def test_shift_end_finishes_the_contact_and_records_overtime(
    service_starts: Callable[[pd.DataFrame], pd.DataFrame],
) -> None:
    scenario = make(
        horizon="3 h",
        channels__phone__arrivals={"rate": "30/h"},
        channels__phone__patience="none",
        channels__phone__mix={"sales": 1.0},
        contact_types__sales__handle_time="25 min",
        agent_groups__team={
            "channels": ["phone"],
            "shifts": [{"name": "one", "start": "00:00", "end": "01:00", "agents": 1}],
        },
        replications=3,
    )
    result = simulate(scenario, records=True)
    for replication, contacts in result.contacts.groupby("replication"):
        served = with_ends(service_starts(contacts))
        assert (served["start"] < 3600).all()
        last_end = served["end"].max()
        agents = result.agents
        mine = (agents.replication == replication) & (agents.agent_group == "team")
        overtime = agents.loc[mine, "overtime"].sum()
        assert overtime == pytest.approx(max(last_end - 3600, 0.0), abs=1e-6)
        assert (contacts.outcome == "pending").sum() > 0


def test_breaks_are_taken_in_full_after_the_current_contact(
    service_starts: Callable[[pd.DataFrame], pd.DataFrame],
) -> None:
    scenario = make(
        horizon="3 h",
        channels__phone__arrivals={"rate": "40/h"},
        channels__phone__patience="none",
        agent_groups__team={
            "channels": ["phone"],
            "shifts": [
                {
                    "name": "day",
                    "start": "00:00",
                    "end": "03:00",
                    "agents": 1,
                    "breaks": [{"start": "01:00", "duration": "30 min"}],
                }
            ],
        },
        replications=3,
    )
    result = simulate(scenario, records=True)
    agents = result.agents.query("agent_group == 'team'")
    assert np.allclose(agents.groupby("replication")["break_time"].sum(), 1800)
    for _, contacts in result.contacts.groupby("replication"):
        served = with_ends(service_starts(contacts)).sort_values("start")
        running_at_break = served[(served.start < 3600) & (served.end > 3600)]
        break_start = running_at_break["end"].max() if len(running_at_break) else 3600.0
        during = served[(served.start >= break_start) & (served.start < break_start + 1800)]
        assert during.empty
        overlaps = served["start"].to_numpy()[1:] < served["end"].to_numpy()[:-1] - 1e-6
        assert not overlaps.any()


def test_serve_policy_empties_the_branch_after_the_horizon() -> None:
    scenario = make(
        horizon="1 d",
        channels__phone__kind="walk_in",
        channels__phone__open="09:00",
        channels__phone__close="23:30",
        channels__phone__patience="none",
        channels__phone__arrivals={"rate": "20/h"},
        agent_groups__team={
            "channels": ["phone"],
            "shifts": [{"name": "late", "start": "09:00", "end": "23:45", "agents": 1}],
        },
    )
    result = simulate(scenario)
    assert result.kpi("pending")["mean"] == 0
    assert (result.runs["end_time"] > 86400).any()
    assert result.kpi("overtime")["mean"] > 0


def test_warmup_intervals_are_left_out() -> None:
    result = simulate(make(warmup="1 h"))
    assert result.intervals["interval_start"].min() == 3600
    assert result.agents["interval_start"].min() == 3600


def test_shrinkage_scales_the_agents_on_duty() -> None:
    result = simulate(make(agent_groups__team__shrinkage=0.5, agent_groups__team__size=6))
    agents = result.agents.query("agent_group == 'team'")
    assert agents["available_time"].sum() == pytest.approx(0.5 * agents["paid_time"].sum())


def test_profile_volumes_are_met_on_average() -> None:
    profile = [{"start": "00:00", "volume": 40}, {"start": "00:30", "volume": 5}]
    scenario = make(horizon="1 h", channels__phone__arrivals={"profile": profile}, replications=300)
    offered = simulate(scenario).intervals.query("channel == 'all'")
    by_interval = offered.groupby("interval_start")["offered"]
    means, sds = by_interval.mean().to_numpy(), by_interval.std().to_numpy()
    assert np.all(np.abs(means - [40, 5]) <= 4 * sds / np.sqrt(300))


def test_day_level_dispersion_widens_daily_volumes() -> None:
    rate = {"rate": "100/d"}
    poisson = simulate(make(horizon="1 d", channels__phone__arrivals=rate), replications=400)
    gamma = simulate(
        make(horizon="1 d", channels__phone__arrivals={**rate, "dispersion": {"cv": 0.3}}),
        replications=400,
    )
    # Gamma-Poisson variance m + cv² m² = 1000 against Poisson's 100.
    assert 70 < poisson.values("offered").var(ddof=1) < 140
    assert 650 < gamma.values("offered").var(ddof=1) < 1500


def test_overnight_shift_covers_both_ends_of_the_day() -> None:
    night = {"name": "night", "start": "22:00", "end": "06:00", "agents": 2}
    scenario = make(horizon="1 d", agent_groups__team={"channels": ["phone"], "shifts": [night]})
    agents = simulate(scenario, replications=1).agents.query("agent_group == 'team'")
    paid = agents.set_index("interval_start")["paid_time"]
    assert paid.sum() == pytest.approx(2 * 8 * 3600)
    assert paid.loc[0] == pytest.approx(2 * 1800)
    assert paid.loc[12 * 3600] == 0
    assert paid.loc[23.5 * 3600] == pytest.approx(2 * 1800)


def test_adding_a_channel_leaves_the_other_channels_customers_unchanged() -> None:
    alone = simulate(make(), records=True).contacts
    second = {
        "kind": "phone",
        "arrivals": {"rate": "30/h"},
        "mix": {"sales": 1.0},
    }
    both = simulate(
        make(
            channels__second=second,
            agent_groups__backup={"size": 2, "channels": ["second"]},
        ),
        records=True,
    ).contacts
    columns = ["replication", "arrival", "contact_type", "handle_time", "patience", "wait"]
    pd.testing.assert_frame_equal(
        alone[columns].reset_index(drop=True),
        both.loc[both.channel == "phone", columns].reset_index(drop=True),
    )
    assert (both.channel == "second").sum() > 0


def test_arrivals_only_while_open_and_uniform_within_each_interval() -> None:
    scenario = make(
        horizon="2 d",
        channels__phone__open="08:10",
        channels__phone__close="09:00",
        channels__phone__arrivals={"rate": "120/h"},
        replications=20,
    )
    arrivals = simulate(scenario, records=True).contacts["arrival"].to_numpy()
    time_of_day = arrivals % 86400
    assert time_of_day.min() >= 8 * 3600 + 600
    assert time_of_day.max() < 9 * 3600
    # Piecewise-constant rate: 20 min open in the 08:00 interval, 30 min in the 08:30 one.
    first = time_of_day < 8.5 * 3600
    share = first.mean()
    se = np.sqrt(0.4 * 0.6 / len(time_of_day))
    assert abs(share - 0.4) <= 4 * se
    offsets = np.where(first, (time_of_day - 29400) / 1200, (time_of_day - 30600) / 1800)
    assert stats.kstest(offsets, "uniform").pvalue > 0.001

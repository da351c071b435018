"""Exact properties of skill-based routing: priorities, overflow delays, proficiency, policies."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from queuesim.experiment.runner import simulate
from queuesim.model.customers import Customer
from queuesim.model.engine import CONTACT_COLUMNS, simulate_replication
from queuesim.model.routing import PriorityRouting, Route
from queuesim.results import SimulationResult
from queuesim.scenario import scenario_from_dict
from queuesim.scenario.schema import Scenario

BASE: dict[str, Any] = {
    "version": 1,
    "name": "routing test",
    "horizon": "4 h",
    "interval": "30 min",
    "seed": 5,
    "replications": 3,
    "channels": {
        "phone": {
            "kind": "phone",
            "arrivals": {"rate": "100/h"},
            "mix": {"vip": 0.3, "basic": 0.7},
            "patience": {"dist": "exponential", "mean": "5 min"},
        }
    },
    "contact_types": {
        "vip": {"handle_time": {"dist": "exponential", "mean": "4 min"}, "skill": "vip"},
        "basic": {"handle_time": {"dist": "exponential", "mean": "4 min"}, "skill": "basic"},
    },
    "agent_groups": {
        "team": {"size": 6, "channels": ["phone"], "skills": {"vip": 1.0, "basic": 1.0}}
    },
}
"""Two contact types needing two skills on one phone line."""


def make(**changes: Any) -> Scenario:
    """The validated scenario of :data:`BASE` in which ``a__b=v`` sets a.b."""
    overrides = {path.replace("__", "."): value for path, value in changes.items()}
    return scenario_from_dict(BASE, overrides=overrides)


def test_every_customer_is_accounted_for_under_skills(
    check_accounting: Callable[[SimulationResult], None],
) -> None:
    scenario = make(
        agent_groups={
            "first": {"size": 2, "channels": ["phone"], "skills": {"vip": 1.0}},
            "second": {
                "size": 3,
                "channels": ["phone"],
                "skills": {"basic": 1.0, "vip": {"proficiency": 0.7, "after": "30 s"}},
            },
        },
        contact_types__vip__priority=1,
    )
    check_accounting(simulate(scenario, records=True))


def test_higher_priority_is_always_taken_first(
    service_starts: Callable[[pd.DataFrame], pd.DataFrame],
    left_queue_at: Callable[[pd.DataFrame], np.ndarray],
) -> None:
    scenario = make(contact_types__vip__priority=5, agent_groups__team__size=5)
    contacts = simulate(scenario, records=True).contacts
    for _, rep in contacts.groupby("replication"):
        vip = rep[rep.contact_type == "vip"]
        vip_left = left_queue_at(vip)
        basic_starts = service_starts(rep[(rep.contact_type == "basic") & (rep.wait > 0)])["start"]
        assert len(basic_starts) > 50
        for start in basic_starts:
            # No VIP customer was waiting when an agent took a basic one from the queue.
            waiting = (vip["arrival"].to_numpy() < start) & (vip_left > start)
            assert not waiting.any()
    # ... and it shows: VIPs wait much less than the others.
    answered = contacts[contacts.outcome == "answered"]
    waits = answered.groupby("contact_type")["wait"].mean()
    assert waits["vip"] < 0.5 * waits["basic"]


def test_equal_priorities_are_first_come_first_served_across_skills(
    service_starts: Callable[[pd.DataFrame], pd.DataFrame],
    left_queue_at: Callable[[pd.DataFrame], np.ndarray],
) -> None:
    contacts = simulate(make(agent_groups__team__size=5), records=True).contacts
    for _, rep in contacts.groupby("replication"):
        starts = service_starts(rep[rep.wait > 0]).sort_values("start")
        assert len(starts) > 50
        left = left_queue_at(rep)
        arrival = rep["arrival"].to_numpy()
        for start, arrived in zip(starts["start"], starts["arrival"], strict=True):
            older_still_waiting = (arrival < arrived) & (left > start)
            assert not older_still_waiting.any()


def test_overflow_group_takes_a_contact_only_after_the_delay(
    service_starts: Callable[[pd.DataFrame], pd.DataFrame],
) -> None:
    scenario = make(
        channels__phone__mix={"vip": 1.0},
        channels__phone__patience="none",
        contact_types={
            "vip": {"handle_time": {"dist": "exponential", "mean": "4 min"}, "skill": "vip"}
        },
        agent_groups={
            "primary": {"size": 5, "channels": ["phone"], "skills": {"vip": 1.0}},
            "backup": {"size": 3, "channels": ["phone"], "skills": {"vip": {"after": "45 s"}}},
        },
    )
    contacts = service_starts(simulate(scenario, records=True).contacts)
    backup = contacts[contacts.agent_group == "backup"]
    assert len(backup) > 50
    assert (backup["wait"] >= 45 - 1e-9).all()
    # An idle backup agent takes a contact exactly when it has waited the delay.
    assert np.isclose(backup["wait"], 45).sum() > 10
    primary = contacts[contacts.agent_group == "primary"]
    assert (primary["wait"] < 45).any()


def test_overflow_delays_are_respected_in_a_chain(
    service_starts: Callable[[pd.DataFrame], pd.DataFrame],
) -> None:
    scenario = make(
        channels__phone__mix={"vip": 1.0},
        channels__phone__patience="none",
        channels__phone__arrivals={"rate": "110/h"},
        contact_types={
            "vip": {"handle_time": {"dist": "exponential", "mean": "4 min"}, "skill": "vip"}
        },
        agent_groups={
            "primary": {"size": 4, "channels": ["phone"], "skills": {"vip": 1.0}},
            "second": {"size": 2, "channels": ["phone"], "skills": {"vip": {"after": "20 s"}}},
            "third": {"size": 2, "channels": ["phone"], "skills": {"vip": {"after": "2 min"}}},
        },
    )
    contacts = service_starts(simulate(scenario, records=True).contacts)
    by_group = contacts.groupby("agent_group")["wait"]
    assert by_group.min()["second"] >= 20 - 1e-9
    assert by_group.min()["third"] >= 120 - 1e-9
    assert by_group.size()["third"] > 10


def test_proficiency_scales_the_work() -> None:
    # Arrivals stop at 03:00 and nobody abandons, so every contact ends before the horizon.
    base = {
        "channels__phone__close": "03:00",
        "channels__phone__patience": "none",
        "channels__phone__mix": {"vip": 1.0},
        "contact_types__vip__handle_time": "3 min",
        "contact_types__vip__after_contact_work": "1 min",
    }
    for proficiency in (1.0, 0.5, 2.0):
        scenario = make(
            **base,
            agent_groups__team__skills={"vip": proficiency},
            agent_groups__team__size=20,
        )
        result = simulate(scenario)
        assert result.kpi("pending")["mean"] == 0
        busy = result.agents.query("agent_group == 'team'").groupby("replication")["busy_time"]
        answered = result.values("answered")
        assert np.allclose(busy.sum().to_numpy(), answered * 240 / proficiency)


def test_more_agents_meet_the_same_customers_under_skills() -> None:
    def contacts(size: int) -> pd.DataFrame:
        table = simulate(make(agent_groups__team__size=size), records=True).contacts
        columns = ["replication", "customer", "arrival", "contact_type", "handle_time", "patience"]
        return table.sort_values(["replication", "customer"])[columns].reset_index(drop=True)

    pd.testing.assert_frame_equal(contacts(4), contacts(8))


def test_a_scenario_without_skills_routes_as_one_queue_per_channel() -> None:
    plain = make(
        contact_types={
            "vip": {"handle_time": {"dist": "exponential", "mean": "4 min"}},
            "basic": {"handle_time": {"dist": "exponential", "mean": "4 min"}},
        },
        agent_groups={"team": {"size": 5, "channels": ["phone"]}},
    )
    skilled = make(agent_groups__team__size=5)
    first = simulate(plain, records=True).contacts
    second = simulate(skilled, records=True).contacts
    pd.testing.assert_frame_equal(first, second)


class NewestFirst(PriorityRouting):
    """Last come, first served: a policy written by a user."""

    def contact_for(self, routes: list[Route], now: float) -> Customer | None:
        best = None
        for route in routes:
            line = route.queue
            waiting = [c for c in line.customers if c.waiting]
            if waiting and (best is None or waiting[-1].arrival > best[1].arrival):
                best = (line, waiting[-1])
        if best is None:
            return None
        best[0].take(best[1])
        return best[1]


def test_a_user_policy_decides_who_is_served(
    service_starts: Callable[[pd.DataFrame], pd.DataFrame],
    left_queue_at: Callable[[pd.DataFrame], np.ndarray],
) -> None:
    scenario = make(channels__phone__patience="none", agent_groups__team__size=5)
    output = simulate_replication(scenario, 5, 0, records=True, routing=NewestFirst)
    contacts = pd.DataFrame(output.contacts, columns=list(CONTACT_COLUMNS))
    starts = service_starts(contacts[contacts.wait > 0])
    assert len(starts) > 50
    left = left_queue_at(contacts)
    arrival = contacts["arrival"].to_numpy()
    for start, arrived in zip(starts["start"], starts["arrival"], strict=True):
        newer_waiting = (arrival > arrived) & (arrival < start) & (left > start)
        assert not newer_waiting.any()

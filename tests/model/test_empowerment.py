"""Empowerment and escalation: authority, first-contact resolution, transfers, follow-ups,
handle-time factor, concessions under a budget, and clear errors for bad policies."""

from __future__ import annotations

import copy
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from queuesim.experiment.runner import simulate
from queuesim.scenario import ScenarioError, load_scenario, scenario_from_dict
from queuesim.scenario.overrides import apply_overrides
from queuesim.scenario.schema import Scenario

MEAN_COMPLEXITY = 100.0


# Tier 1 answers balance and claim calls; claims beyond its authority go to supervisors
# (skill ``review``).
BASE: dict[str, Any] = {
    "version": 1,
    "name": "empowerment test",
    "horizon": "6 h",
    "interval": "30 min",
    "seed": 17,
    "replications": 4,
    "channels": {
        "phone": {
            "kind": "phone",
            "close": "05:00",
            "arrivals": {"rate": "100/h"},
            "mix": {"balance": 0.6, "claim": 0.4},
            "patience": {"dist": "exponential", "mean": "5 min"},
        }
    },
    "contact_types": {
        "balance": {"handle_time": {"dist": "exponential", "mean": "3 min"}, "skill": "front"},
        "claim": {
            "handle_time": {"dist": "exponential", "mean": "6 min"},
            "skill": "front",
            "escalation": {
                "complexity": {"dist": "exponential", "mean": MEAN_COMPLEXITY},
                "to": "review",
            },
        },
        "review": {"handle_time": {"dist": "exponential", "mean": "8 min"}, "skill": "review"},
    },
    "agent_groups": {
        "tier1": {
            "size": 14,
            "channels": ["phone"],
            "skills": {"front": 1.0},
            "empowerment": {"authority": 50, "resolution": 0.8},
        },
        "supervisors": {"size": 6, "channels": ["phone"], "skills": {"review": 1.0}},
    },
}


def data(**changes: Any) -> dict[str, Any]:
    """A copy of :data:`BASE` in which ``a__b=v`` sets a.b."""
    overrides = {path.replace("__", "."): value for path, value in changes.items()}
    return apply_overrides(BASE, overrides)


def make(**changes: Any) -> Scenario:
    """The validated scenario of :func:`data`."""
    return scenario_from_dict(data(**changes))


def power(**fields: Any) -> dict[str, Any]:
    return {"authority": 50, "resolution": 0.8, **fields}


def test_full_authority_escalates_nothing() -> None:
    result = simulate(make(agent_groups__tier1__empowerment=power(authority=None)))
    assert result.kpi("escalations")["mean"] == 0
    assert result.kpi("transfers")["mean"] == 0
    assert result.kpi("offered", "phone", "review")["mean"] == 0


def test_zero_authority_escalates_every_complex_contact() -> None:
    result = simulate(make(agent_groups__tier1__empowerment=power(authority=0)))
    answered = result.values("answered", "phone", "claim")
    assert answered.min() > 0
    np.testing.assert_array_equal(result.values("escalations", "phone", "claim"), answered)
    assert result.values("fcr", "phone", "claim").max() == 0
    assert result.values("escalations", "phone", "balance").max() == 0


def test_every_contact_is_accounted_for_with_transfers(check_accounting: Any) -> None:
    result = simulate(make(), records=True)
    check_accounting(result)
    # The channel closes an hour before the horizon and everyone is served by then: every
    # escalation became exactly one transfer, in the journey of the claim it came from.
    escalations = result.values("escalations", "phone", "claim")
    np.testing.assert_array_equal(result.values("transfers", "phone", "review"), escalations)
    np.testing.assert_array_equal(result.values("offered", "phone", "review"), escalations)
    contacts = result.contacts
    for _, rep in contacts.groupby("replication"):
        reviews = rep[rep.contact_type == "review"]
        claims = rep[(rep.contact_type == "claim") & (rep.outcome == "answered")]
        assert reviews.journey.is_unique
        assert set(reviews.journey) <= set(claims.customer)
        first = claims.set_index("customer").loc[reviews.journey]
        assert (reviews.prior_time.to_numpy() > 0).all()
        assert (reviews.arrival.to_numpy() > first.arrival.to_numpy()).all()


def test_escalation_and_resolution_rates_match_their_probabilities() -> None:
    authority, quality = 50.0, 0.8
    result = simulate(make(replications=12))
    p_escalate = math.exp(-authority / MEAN_COMPLEXITY)
    for metric, theory in (
        ("escalation_rate", p_escalate),
        ("fcr", (1 - p_escalate) * quality),
    ):
        values = result.values(metric, "phone", "claim")
        se = values.std(ddof=1) / math.sqrt(len(values))
        assert abs(values.mean() - theory) <= 4 * se + 0.005, (metric, values.mean(), theory)
    balance = result.values("fcr", "phone", "balance")
    se = balance.std(ddof=1) / math.sqrt(len(balance))
    assert abs(balance.mean() - quality) <= 4 * se + 0.005


def test_fcr_rises_with_authority_on_common_seeds() -> None:
    low = simulate(make(agent_groups__tier1__empowerment=power(authority=20), replications=10))
    high = simulate(make(agent_groups__tier1__empowerment=power(authority=200), replications=10))
    difference = high.values("fcr") - low.values("fcr")
    se = difference.std(ddof=1) / math.sqrt(len(difference))
    lower = difference.mean() - stats.t.ppf(0.95, len(difference) - 1) * se
    assert lower > 0


def test_empowered_resolution_takes_the_handle_factor_longer() -> None:
    deterministic = {"dist": "deterministic", "value": "6 min"}
    changes = {
        "contact_types__claim__handle_time": deterministic,
        "contact_types__balance__handle_time": "3 min",
        "agent_groups__tier1__empowerment": power(authority=None, resolution=1.0, handle_factor=2),
    }
    result = simulate(make(**changes), replications=2)
    busy = result.values("busy_time", agent_group="tier1")
    claims = result.values("answered", "phone", "claim")
    balances = result.values("answered", "phone", "balance")
    np.testing.assert_allclose(busy, balances * 180 + claims * 360 * 2)


def test_concessions_stay_within_the_budget() -> None:
    concession = {"dist": "deterministic", "value": 10}
    free = simulate(make(agent_groups__tier1__empowerment=power(concession=concession)))
    per_claim = free.values("concession_cost", "phone", "claim") / free.values(
        "fcr", "phone", "claim"
    )
    np.testing.assert_allclose(per_claim, 10 * free.values("answered", "phone", "claim"))
    capped = simulate(
        make(agent_groups__tier1__empowerment=power(concession=concession, budget=30))
    )
    n_intervals = 12
    assert (capped.values("concession_cost") <= 30 * n_intervals).all()
    assert (capped.values("escalations") > free.values("escalations")).all()
    broke = simulate(make(agent_groups__tier1__empowerment=power(concession=concession, budget=0)))
    assert broke.values("concession_cost").max() == 0
    assert broke.values("fcr", "phone", "claim").max() == 0


def test_follow_up_arrives_after_its_delay() -> None:
    escalation = data()["contact_types"]["claim"]["escalation"]
    escalation["follow_up"] = {"delay": "20 min"}
    result = simulate(make(contact_types__claim__escalation=escalation), records=True)
    assert result.kpi("transfers")["mean"] == 0
    np.testing.assert_array_equal(
        result.values("follow_ups", "phone", "review"),
        result.values("escalations", "phone", "claim"),
    )
    contacts = result.contacts
    reviews = contacts[contacts.contact_type == "review"]
    claims = contacts[contacts.contact_type == "claim"].set_index(["replication", "customer"])
    start = claims.loc[list(zip(reviews.replication, reviews.journey, strict=True))]
    ended = start.arrival + start.wait + start.handle_time + start.after_contact_work
    np.testing.assert_allclose(reviews.arrival.to_numpy(), ended.to_numpy() + 1200)


@pytest.mark.parametrize(
    ("change", "path", "expected"),
    [
        (
            {"contact_types__claim__escalation__to": "nowhere"},
            "contact_types.claim.escalation.to",
            "expected another contact type",
        ),
        (
            {"contact_types__claim__escalation__to": "claim"},
            "contact_types.claim.escalation.to",
            "expected another contact type",
        ),
        (
            {"agent_groups__tier1__empowerment": {"resolution": 1.5}},
            "agent_groups.tier1.empowerment.resolution",
            "expected a value of at most 1, got 1.5",
        ),
        (
            {"contact_types__claim__escalation__complexity": {"dist": "uniform", "low": 5}},
            "contact_types.claim.escalation.complexity",
            "expected low, high for a uniform amount",
        ),
        (
            {
                "contact_types__claim__escalation__follow_up": {
                    "delay": "1 h",
                    "channel": "fax",
                }
            },
            "contact_types.claim.escalation.follow_up.channel",
            "got 'fax'",
        ),
    ],
)
def test_bad_policies_give_clear_errors(change: dict[str, Any], path: str, expected: str) -> None:
    with pytest.raises(ScenarioError) as error:
        scenario_from_dict(data(**change), source="bank.yaml")
    message = str(error.value)
    assert "bank.yaml" in message
    assert path in message
    assert expected in message


def test_example_variants_order_escalations_and_fcr_by_authority() -> None:
    path = Path(__file__).parents[2] / "scenarios" / "empowerment.yaml"
    results = {
        name: simulate(load_scenario(path, {"horizon": "12 h"}, variant=name), replications=2)
        for name in ("low_authority", "medium_authority", "full_authority")
    }
    escalations = [results[name].values("escalations") for name in results]
    assert (escalations[0] > escalations[1]).all()
    assert (escalations[2] == 0).all()
    fcr = [results[name].values("fcr") for name in results]
    assert (fcr[0] < fcr[1]).all()
    assert (fcr[1] < fcr[2]).all()
    for result in results.values():
        assert np.isfinite(result.values("csat_mean")).all()


def test_unlimited_authority_and_perfect_quality_change_no_number() -> None:
    plain = data()
    del plain["contact_types"]["claim"]["escalation"]
    del plain["agent_groups"]["tier1"]["empowerment"]
    del plain["agent_groups"]["supervisors"]
    del plain["contact_types"]["review"]
    empowered = copy.deepcopy(plain)
    empowered["agent_groups"]["tier1"]["empowerment"] = {}
    context = {"interval_seconds": 1800}
    before = simulate(Scenario.model_validate(plain, context=context))
    after = simulate(Scenario.model_validate(empowered, context=context))
    shared = before.intervals.columns
    pd.testing.assert_frame_equal(before.intervals, after.intervals[shared])
    pd.testing.assert_frame_equal(before.agents, after.agents)
    assert (after.values("fcr") == 1).all()

"""Service standards and agent heterogeneity: each agent's handle-time and quality factors,
their spread shrinking with the standards level, errors at the group's rate sending customers
back, and clear errors for bad input."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from queuesim.experiment.runner import simulate
from queuesim.results import SimulationResult
from queuesim.scenario import scenario_from_dict
from queuesim.scenario.overrides import apply_overrides

HANDLE = 240.0
"""Every contact's handle time (deterministic, no after-contact work): divided by an answered
contact's work, it is the speed factor of the agent who took it."""

# One phone line and one team; customers left unresolved (or served with an error) call again.
BASE: dict[str, Any] = {
    "version": 1,
    "name": "standards test",
    "horizon": "8 h",
    "interval": "1 h",
    "seed": 31,
    "replications": 4,
    "channels": {
        "phone": {
            "kind": "phone",
            "arrivals": {"rate": "150/h"},
            "mix": {"query": 1.0},
            "patience": {"dist": "exponential", "mean": "10 min"},
            "repeat": {"probability": 1.0, "delay": "20 min", "limit": 5},
        }
    },
    "contact_types": {"query": {"handle_time": {"dist": "deterministic", "value": "4 min"}}},
    "agent_groups": {"team": {"size": 14, "channels": ["phone"]}},
}


def data(**changes: Any) -> dict[str, Any]:
    """A copy of :data:`BASE` in which ``a__b=v`` sets a.b."""
    return apply_overrides(BASE, {path.replace("__", "."): v for path, v in changes.items()})


def run(replications: int | None = None, **changes: Any) -> SimulationResult:
    return simulate(scenario_from_dict(data(**changes)), replications, records=True)


def agent_factors(result: SimulationResult) -> pd.DataFrame:
    """The speed factor of the agent behind each answered contact, with its replication: the
    handle time over the contact's work (proficiency 1, no learning)."""
    contacts = result.contacts
    answered = contacts[contacts.outcome == "answered"]
    start = answered["arrival"] + answered["wait"]
    factor = HANDLE / (answered["ended"] - start)
    return pd.DataFrame({"replication": answered["replication"], "factor": factor.round(9)})


def test_full_standards_make_every_agent_alike_and_error_free() -> None:
    """At level 1 with every error removed, the tables equal those of a team without standards
    (nothing drawn changes any other stream)."""
    plain = run(agent_groups__team__empowerment={"resolution": 0.9})
    standard = run(
        agent_groups__team__empowerment={"resolution": 0.9},
        agent_groups__team__standards={
            "level": 1.0,
            "speed_cv": 0.6,
            "quality_cv": 0.6,
            "error_rate": 0.2,
            "error_reduction": 1.0,
        },
    )
    pd.testing.assert_frame_equal(plain.intervals, standard.intervals)
    pd.testing.assert_frame_equal(plain.journeys, standard.journeys)
    assert (agent_factors(standard)["factor"] == 1.0).all()


@pytest.mark.parametrize("level", [0.0, 0.5])
def test_speed_factors_are_lognormal_with_mean_one_and_the_shrunk_spread(
    level: float,
) -> None:
    """Each agent works at its own pace: the distinct factors seen in a replication are the
    team's 14 agents, and pooled over replications they are lognormal with mean 1 and
    coefficient of variation speed_cv · (1 − level) (Kolmogorov–Smirnov at the 1% level)."""
    cv = 0.4
    result = run(
        20,
        channels__phone__arrivals__rate="200/h",
        agent_groups__team__standards={"level": level, "speed_cv": cv},
    )
    factors = agent_factors(result).drop_duplicates()
    per_rep = factors.groupby("replication").size()
    assert (per_rep == 14).all()
    spread = cv * (1 - level)
    sigma = np.sqrt(np.log1p(spread**2))
    test = stats.kstest(
        factors["factor"], stats.lognorm(s=sigma, scale=np.exp(-(sigma**2) / 2)).cdf
    )
    assert test.pvalue > 0.01
    values = factors["factor"].to_numpy()
    half = stats.t.ppf(0.975, len(values) - 1) * values.std(ddof=1) / np.sqrt(len(values))
    assert abs(values.mean() - 1.0) < half


def test_an_overloaded_team_serves_as_its_speed_factors_allow() -> None:
    """Always busy once the first customers have arrived, agent a takes T · s_a / H contacts
    in T, to within one; with speed factors of mean 1 the team's throughput is, on average over
    replications, that of a team of identical agents (T / H per agent)."""
    horizon = 8 * 3600.0
    result = run(
        20,
        channels__phone__arrivals__rate="400/h",
        agent_groups__team__standards={"speed_cv": 0.4},
    )
    taken = agent_factors(result).value_counts().reset_index()
    assert (taken.groupby("replication").size() == 14).all()
    # until the 14th customer arrives some agents wait: each loses at most that long
    all_busy = result.contacts.groupby("replication")["arrival"].nsmallest(14).groupby(level=0)
    late = taken["replication"].map(all_busy.max())
    expected = horizon * taken["factor"] / HANDLE
    assert (taken["count"] <= expected + 1).all()
    assert (taken["count"] >= expected - 1 - late * taken["factor"] / HANDLE).all()
    ratio = result.values("answered", "phone") / (14 * horizon / HANDLE)
    half = stats.t.ppf(0.975, len(ratio) - 1) * ratio.std(ddof=1) / np.sqrt(len(ratio))
    assert abs(ratio.mean() - 1.0) < half


def test_a_seat_is_the_same_person_every_day_and_new_seats_change_nobody() -> None:
    """Seat i of a shift draws the same factor every day; adding agents to the shift adds
    people and leaves the first seats' factors as they were."""
    shifts = [{"name": "day", "start": "08:00", "end": "16:00", "agents": 5}]
    changes = {
        "horizon": "2 d",
        "channels__phone__open": "08:00",
        "channels__phone__close": "16:00",
        "channels__phone__arrivals__rate": "60/h",
        "agent_groups__team": {"shifts": shifts, "channels": ["phone"]},
        "agent_groups__team__standards": {"speed_cv": 0.5},
    }
    first = run(1, **changes)
    factors = agent_factors(first).assign(
        day=first.contacts.query("outcome == 'answered'")["arrival"] // 86400
    )
    by_day = [set(group["factor"]) for _, group in factors.groupby("day")]
    assert len(by_day) == 2 and len(by_day[0]) == 5 and by_day[0] == by_day[1]
    shifts[0]["agents"] = 6
    more = set(agent_factors(run(1, **changes))["factor"])
    assert by_day[0] < more and len(more) == 6


def test_errors_occur_at_the_reduced_rate_and_send_customers_back() -> None:
    """A contact the agent resolves carries an error with probability
    error_rate · (1 − error_reduction · level) (quality factors of mean 1/q = 1 keep the
    mean); every error is a contact that is neither resolved nor unresolved, the journey
    counts it, and (with a certain repeat) the customer calls again unless the horizon ends
    first."""
    rate, reduction, level = 0.12, 0.5, 0.6
    expected = rate * (1 - reduction * level)
    result = run(
        12,
        agent_groups__team__standards={
            "level": level,
            "quality_cv": 0.5,
            "error_rate": rate,
            "error_reduction": reduction,
        },
    )
    error_rate = result.kpi("error_rate", "phone")
    assert error_rate["ci_low"] <= expected <= error_rate["ci_high"]
    contacts = result.contacts
    errors = contacts[contacts.resolution == "error"]
    assert len(errors) == result.values("errors", "phone").sum()
    journeys = result.journeys
    assert journeys["errors"].sum() == len(errors)
    # every error's journey has a later contact unless it ended too late to come back
    later = contacts.groupby(["replication", "journey"])["arrival"].max()
    keys = list(zip(errors.replication, errors.journey, strict=True))
    came_back = later.loc[keys].to_numpy() > errors["arrival"].to_numpy()
    too_late = errors["ended"].to_numpy() + 20 * 60 >= 8 * 3600
    assert (came_back | too_late).all()
    # a journey whose only answered contacts were errors is not resolved
    assert not journeys.loc[journeys["errors"] == journeys["contacts"], "resolved"].any()


@pytest.mark.parametrize("quality_cv", [0.0, 1.0])
def test_agents_differ_in_their_error_rates_by_their_quality(quality_cv: float) -> None:
    """Each agent (told apart by a small speed spread) errs at the group's rate divided by
    its quality factor: with a quality spread the agents' error counts are far from one
    common rate (chi-square test of homogeneity per replication, p < 1e-6); without, they
    are consistent with it (p > 0.001)."""
    result = run(
        6,
        agent_groups__team__standards={
            "speed_cv": 0.05,
            "quality_cv": quality_cv,
            "error_rate": 0.2,
        },
    )
    contacts = result.contacts.query("outcome == 'answered'")
    start = contacts["arrival"] + contacts["wait"]
    table = pd.DataFrame(
        {
            "replication": contacts["replication"],
            "agent": (HANDLE / (contacts["ended"] - start)).round(9),
            "error": contacts["resolution"] == "error",
        }
    )
    for _, part in table.groupby("replication"):
        counts = part.groupby("agent")["error"].agg(["sum", "count"])
        assert len(counts) == 14
        observed = np.column_stack([counts["sum"], counts["count"] - counts["sum"]])
        p_value = stats.chi2_contingency(observed).pvalue
        assert p_value < 1e-6 if quality_cv else p_value > 0.001


def test_quality_factors_scale_the_chance_of_leaving_a_contact_unresolved() -> None:
    """With quality factors (E[1/q] = 1) the unresolved share stays 1 − resolution on
    average (replication CI), while single agents differ."""
    result = run(
        12,
        agent_groups__team__empowerment={"resolution": 0.8},
        agent_groups__team__standards={"quality_cv": 0.6},
    )
    fcr = result.kpi("fcr", "phone")
    assert fcr["ci_low"] <= 0.8 <= fcr["ci_high"]


def test_bad_standards_are_rejected_with_their_path(
    scenario_error: Any,
) -> None:
    message = scenario_error(data(agent_groups__team__standards={"level": 1.5}), "team.yaml")
    assert "agent_groups.team.standards.level" in message
    assert "1.5" in message
    chat = data(channels__phone__kind="chat", agent_groups__team__standards={"error_rate": 0.1})
    del chat["channels"]["phone"]["repeat"]
    message = scenario_error(chat, "team.yaml")
    assert "agent_groups.team.standards.error_rate: expected 0 for a group serving a chat" in (
        message
    )

"""Detractor follow-up inside a run: who is followed up, what it costs the agents who do it,
what it recovers, that it changes nothing else (common random numbers), and clear errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from queuesim.cli import app
from queuesim.experiment.runner import simulate
from queuesim.model.engine import Simulation
from queuesim.model.journeys import FOLLOW_UP, FOLLOWED_UP
from queuesim.results import SimulationResult
from queuesim.rng import stream
from queuesim.satisfaction import (
    JOURNEY_COLUMNS,
    JourneyDraws,
    SatisfactionParameters,
    sample_surveys,
    score_journeys,
)
from queuesim.scenario import load_scenario, scenario_from_dict
from queuesim.scenario.overrides import apply_overrides
from queuesim.scenario.schema import Scenario

HORIZON = 8 * 3600.0
DELAY = 1800.0
INTERVAL = 1800.0
REACH = 0.6
SEED = 5

# A phone line where tier 1 resolves 60% at first contact (many detractors), open for the
# first six hours; an email-kind care channel that no customer writes to, worked only by a
# care team that does nothing else.
BASE: dict[str, Any] = {
    "version": 1,
    "name": "follow-up test",
    "horizon": "8 h",
    "interval": "30 min",
    "seed": SEED,
    "replications": 6,
    "channels": {
        "phone": {
            "kind": "phone",
            "close": "06:00",
            "arrivals": {"rate": "90/h"},
            "mix": {"simple": 1.0},
            "patience": {"dist": "exponential", "mean": "3 min"},
            "repeat": {
                "probability": 0.5,
                "delay": {"dist": "exponential", "mean": "20 min"},
                "limit": 2,
            },
        },
        "care": {
            "kind": "email",
            "deadline": "1 d",
            "arrivals": {"rate": "0/h"},
            "mix": {"callback": 1.0},
        },
    },
    "contact_types": {
        "simple": {"handle_time": {"dist": "exponential", "mean": "4 min"}},
        "callback": {
            "handle_time": {"dist": "lognormal", "mean": "6 min", "cv": 0.5},
            "after_contact_work": "1 min",
        },
    },
    "agent_groups": {
        "tier1": {"size": 6, "channels": ["phone"], "empowerment": {"resolution": 0.6}},
        "care_team": {"size": 1, "channels": ["care"]},
    },
    "satisfaction": {},
}
POLICY = {
    "channel": "care",
    "contact_type": "callback",
    "whom": "surveyed",
    "reach": REACH,
    "delay": "30 min",
}


def make(policy: dict[str, Any] | None = POLICY, **changes: Any) -> Scenario:
    """The test scenario with the policy (None: without), ``a__b=v`` setting a.b."""
    overrides = {path.replace("__", "."): value for path, value in changes.items()}
    if policy is not None:
        overrides["detractor_follow_up"] = policy
    return scenario_from_dict(apply_overrides(BASE, overrides))


@pytest.fixture(scope="module")
def without() -> SimulationResult:
    return simulate(make(None), records=True)


@pytest.fixture(scope="module")
def with_policy() -> SimulationResult:
    return simulate(make(), records=True)


def tasks_of(result: SimulationResult) -> pd.DataFrame:
    contacts = result.contacts
    return contacts[contacts.resolution.isin([FOLLOW_UP, FOLLOWED_UP])]


def before_follow_up(result: SimulationResult) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per replication, the journeys scored without follow-ups and the survey answers, with
    the draws of the run (by journey id from the ``satisfaction`` stream)."""
    parameters = result.scenario.satisfaction
    scored, surveyed = [], []
    for rep, part in result.journeys.groupby("replication"):
        draws = JourneyDraws(stream(SEED, int(rep), "satisfaction"))
        table = part.assign(followed_up=False)
        kinds = {"phone": "phone", "care": "email"}
        before = score_journeys(table, parameters, draws, channel_kinds=kinds)
        scored.append(before)
        surveyed.append(sample_surveys(before, parameters, draws).assign(replication=rep))
    return pd.concat(scored, ignore_index=True), pd.concat(surveyed, ignore_index=True)


def test_every_contact_is_accounted_for(with_policy: SimulationResult, check_accounting: Any):
    check_accounting(with_policy)
    tasks = tasks_of(with_policy)
    assert (tasks.channel == "care").all()
    assert (tasks.customer < 0).all()
    assert not tasks.duplicated(["replication", "journey"]).any()
    # tasks are no customer contacts: the journeys count only the phone contacts
    journeys = with_policy.journeys
    phone = with_policy.contacts.query("channel == 'phone'")
    assert journeys.contacts.sum() == len(phone)


def test_follow_ups_go_to_targeted_detractors_only(with_policy: SimulationResult) -> None:
    scored, surveyed = before_follow_up(with_policy)
    tasks = tasks_of(with_policy)
    assert len(tasks) > 20
    key = ["replication", "journey"]
    detractors = scored[scored.nps_group == "detractor"][key]
    targeted = detractors.merge(surveyed[key])
    task_keys = set(map(tuple, tasks[key].to_numpy()))
    assert task_keys <= set(map(tuple, targeted.to_numpy()))
    # Conversely, every surveyed detractor resolved at its last contact early enough (closed
    # then, checked at the next interval end, then the delay) got a task.
    contacts = with_policy.contacts
    last = contacts[contacts.channel == "phone"].groupby(key).tail(1)
    resolved_early = last[
        (last.resolution == "resolved") & (last.ended + INTERVAL + DELAY < HORIZON)
    ]
    expected = targeted.merge(resolved_early[key])
    assert len(expected) >= 3
    assert set(map(tuple, expected.to_numpy())) <= task_keys


def test_whom_all_follows_up_unsurveyed_detractors_too() -> None:
    result = simulate(make({**POLICY, "whom": "all"}), replications=1, records=True)
    scored, surveyed = before_follow_up(result)
    tasks = tasks_of(result)
    detractors = set(scored.journey[scored.nps_group == "detractor"])
    assert set(tasks.journey) <= detractors
    assert len(set(tasks.journey) - set(surveyed.journey)) > len(set(tasks.journey)) / 2


def test_followed_up_count_is_binomial_in_the_tasks_worked(with_policy: SimulationResult):
    tasks = tasks_of(with_policy)
    worked = tasks[(tasks.outcome == "answered") & (tasks.ended <= HORIZON)]
    reached = int((worked.resolution == FOLLOWED_UP).sum())
    n = len(worked)
    assert n > 60
    assert abs(reached - n * REACH) <= 4 * np.sqrt(n * REACH * (1 - REACH))
    journeys = with_policy.journeys
    assert journeys.followed_up.sum() == reached
    assert with_policy.values("detractor_follow_ups").sum() == reached


def test_care_team_busy_time_is_the_tasks_work(
    with_policy: SimulationResult, without: SimulationResult
) -> None:
    assert without.values("busy_time", agent_group="care_team").sum() == 0
    tasks = tasks_of(with_policy)
    answered = tasks[tasks.outcome == "answered"]
    start = answered.arrival + answered.wait
    work = (np.minimum(answered.ended, HORIZON) - start).groupby(answered.replication).sum()
    busy = with_policy.values("busy_time", agent_group="care_team")
    np.testing.assert_allclose(busy, work.to_numpy(), rtol=1e-9)
    # every task's work is its own handle time and after-contact work
    np.testing.assert_allclose(
        answered.ended - start, answered.handle_time + answered.after_contact_work, rtol=1e-9
    )


def test_other_channels_and_groups_are_unchanged(
    with_policy: SimulationResult, without: SimulationResult
) -> None:
    """The phone channel's figures are those of the run without the policy, but for the true
    satisfaction of its journeys (the follow-ups recover some); the survey answers, taken
    before the follow-up, are the same."""
    recovered = ["csat_mean", "nps"]
    intervals = [
        r.intervals.query("channel == 'phone'").drop(columns=recovered).reset_index(drop=True)
        for r in (with_policy, without)
    ]
    pd.testing.assert_frame_equal(*intervals)
    true = [
        r.intervals.query("channel == 'phone'")["csat_mean"].to_numpy()
        for r in (with_policy, without)
    ]
    assert np.nansum(true[0]) > np.nansum(true[1])
    agents = [
        r.agents.query("agent_group == 'tier1'").reset_index(drop=True)
        for r in (
            with_policy,
            without,
        )
    ]
    pd.testing.assert_frame_equal(*agents)


def test_scores_change_only_by_the_recovery(
    with_policy: SimulationResult, without: SimulationResult
) -> None:
    after = with_policy.journeys
    before = without.journeys
    followed = after.followed_up.to_numpy()
    assert followed.sum() > 20
    assert not before.followed_up.any()
    unscored = ["followed_up", "recovery", "latent", "csat", "likelihood_to_recommend", "nps_group"]
    pd.testing.assert_frame_equal(after.drop(columns=unscored), before.drop(columns=unscored))
    pd.testing.assert_frame_equal(after[~followed], before[~followed])
    parameters = SatisfactionParameters()
    gap = np.maximum(0.0, parameters.recovery_target - before.latent.to_numpy()[followed])
    recovery = parameters.follow_up.share * gap
    np.testing.assert_array_equal(after.recovery.to_numpy()[followed], recovery)
    np.testing.assert_array_equal(
        after.latent.to_numpy()[followed], before.latent.to_numpy()[followed] + recovery
    )


def test_the_survey_is_taken_before_the_follow_up(
    with_policy: SimulationResult, without: SimulationResult
) -> None:
    for metric in ("reported_nps", "reported_csat_mean"):
        np.testing.assert_array_equal(with_policy.values(metric), without.values(metric))
    assert (with_policy.values("csat_mean") >= without.values("csat_mean")).all()


def test_journey_draws_do_not_depend_on_order_or_growth() -> None:
    first = JourneyDraws(np.random.default_rng(3), block=8)
    late = first.scores(np.array([20, 3]))
    again = JourneyDraws(np.random.default_rng(3), block=8)
    early = again.scores(np.array([3]))
    np.testing.assert_array_equal(late[1], early[0])
    np.testing.assert_array_equal(late[0], again.scores(np.array([20]))[0])
    np.testing.assert_array_equal(first.surveys(np.array([5])), again.surveys(np.array([5])))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"detractor_follow_up.channel": "mail"},
            "f.yaml: detractor_follow_up.channel: expected one of the deferred channels "
            "['care'], got 'mail'",
        ),
        (
            {"detractor_follow_up.channel": "phone"},
            "f.yaml: detractor_follow_up.channel: expected a deferred channel (email or social: "
            "one of ['care']), got 'phone', a phone channel",
        ),
        (
            {"detractor_follow_up.contact_type": "callbak"},
            "f.yaml: detractor_follow_up.contact_type: expected one of the contact types "
            "['callback', 'simple'], got 'callbak'",
        ),
        (
            {"satisfaction": None},
            "f.yaml: detractor_follow_up: expected a 'satisfaction' section (detractors are "
            "found by the satisfaction model), got none",
        ),
    ],
)
def test_bad_policies_are_clear_errors(
    changes: dict[str, Any], message: str, scenario_error: Any
) -> None:
    data = apply_overrides(BASE, {"detractor_follow_up": POLICY})
    assert scenario_error(apply_overrides(data, changes), "f.yaml") == message


@pytest.mark.parametrize(
    ("reach", "expected"),
    [(1.5, "a value of at most 1, got 1.5"), (-0.1, "a value of at least 0, got -0.1")],
)
def test_reach_outside_0_1_is_a_clear_error(
    reach: float, expected: str, scenario_error: Any
) -> None:
    data = apply_overrides(BASE, {"detractor_follow_up": {**POLICY, "reach": reach}})
    assert (
        scenario_error(data, "f.yaml") == f"f.yaml: detractor_follow_up.reach: expected {expected}"
    )


def assert_journeys_ended_before_their_tasks(
    result: SimulationResult, delay: float, exact: bool = False
) -> int:
    """Every task enters ``delay`` or more after its journey's last contact ended (or left
    the queue): the journey was closed, nothing happened to it after; with ``exact`` (a delay
    of at least an interval: checks every delay), exactly ``delay`` after. Returns the tasks."""
    contacts = result.contacts
    tasks = tasks_of(result)
    customers = contacts[~contacts.resolution.isin([FOLLOW_UP, FOLLOWED_UP])]
    end = np.where(
        customers.outcome == "answered", customers.ended, customers.arrival + customers.wait
    )
    last = customers.assign(end=end).groupby(["replication", "journey"])["end"].max()
    due = tasks.set_index(["replication", "journey"]).arrival
    np.testing.assert_array_less(last.loc[due.index].to_numpy() + delay, due.to_numpy() + 1e-6)
    if exact:
        np.testing.assert_allclose(due.to_numpy(), last.loc[due.index].to_numpy() + delay)
    return len(tasks)


def test_tasks_come_only_after_their_journey_ended(with_policy: SimulationResult) -> None:
    assert assert_journeys_ended_before_their_tasks(with_policy, DELAY) > 20


def test_escalated_journeys_are_followed_up_only_after_their_transfer() -> None:
    path = Path(__file__).parents[2] / "scenarios" / "empowerment.yaml"
    overrides = {"horizon": "16 h", "detractor_follow_up.whom": "all"}
    scenario = load_scenario(path, overrides, variant="follow_up_detractors")
    result = simulate(scenario, replications=1, records=True)
    journeys = result.journeys
    assert assert_journeys_ended_before_their_tasks(result, 7200.0, exact=True) > 50
    followed = journeys[journeys.followed_up]
    assert followed.transfers.sum() > 0


def test_scores_by_journey_id_do_not_depend_on_the_rows_order(without: SimulationResult):
    columns = [column.name for column in JOURNEY_COLUMNS]
    journeys = without.journeys.query("replication == 0")[columns]
    parameters = SatisfactionParameters()
    whole = score_journeys(journeys, parameters, JourneyDraws(np.random.default_rng(9)))
    shuffled = journeys.sample(frac=1.0, random_state=1).iloc[: len(journeys) // 2]
    part = score_journeys(shuffled, parameters, JourneyDraws(np.random.default_rng(9)))
    columns = ["journey", "latent", "likelihood_to_recommend"]
    expected = whole.set_index("journey").loc[part.journey, columns[1:]].reset_index()
    pd.testing.assert_frame_equal(part[columns].reset_index(drop=True), expected)
    surveyed = sample_surveys(part, parameters, JourneyDraws(np.random.default_rng(9)))
    assert set(surveyed.journey) <= set(part.journey)


def test_tasks_and_customers_of_the_care_channel_are_counted_apart() -> None:
    """Customers write to the care channel about simple issues; the tasks' contact type is
    not in its mix: no customer brings it, and the tasks have rows of their own."""
    scenario = make(
        channels__care__arrivals__rate="6/h",
        channels__care__mix={"simple": 1.0},
        agent_groups__care_team__size=2,
    )
    result = simulate(scenario, replications=1, records=True)
    tasks = tasks_of(result)
    assert len(tasks) > 10 and (tasks.contact_type == "callback").all()
    customers = result.contacts.query("channel == 'care' and customer >= 0")
    assert len(customers) > 10 and (customers.contact_type == "simple").all()
    assert result.kpi("offered", "care", "callback")["mean"] == len(tasks)
    assert "callback" not in set(result.journeys.contact_type)


def test_runs_without_the_policy_track_nothing() -> None:
    simulation = Simulation(make(None), SEED, 0)
    simulation.run()
    assert simulation.returns_pending is None
    assert simulation.follow_ups is None


def test_run_command_shows_the_follow_ups(tmp_path: Path) -> None:
    path = tmp_path / "policy.yaml"
    data = apply_overrides(BASE, {"detractor_follow_up": POLICY, "replications": 2})
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    result = CliRunner().invoke(app, ["run", str(path)], env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if "detractor_follow_ups" in line]
    assert len(lines) == 1
    cells = [cell.strip() for cell in lines[0].strip("│ ").split("│")]
    assert cells[1:3] == ["", ""]  # a run-level figure: no value per channel
    assert float(cells[3].split()[0]) > 0

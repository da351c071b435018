"""Learning curves and training: proficiency on the curve at each contact's start, training
sessions taken out of capacity and counted as training time, and the trade-off they make."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from scipy import stats

from queuesim.experiment.runner import simulate
from queuesim.results import SimulationResult
from queuesim.scenario import scenario_from_dict
from queuesim.scenario.overrides import apply_overrides

DAY = 86400.0
HANDLE = 300.0
INITIAL, TAU = 0.5, 2 * DAY
SESSION_START, SESSION, EFFECT = 10 * 3600.0, 3600.0, 12.0

# A new team on a phone line open around the clock, on deterministic work (an empowerment
# that resolves everything makes the records say when each contact's work ended).
BASE: dict[str, Any] = {
    "version": 1,
    "name": "learning test",
    "horizon": "4 d",
    "interval": "1 h",
    "seed": 5,
    "replications": 2,
    "channels": {
        "phone": {
            "kind": "phone",
            "arrivals": {"rate": "60/h"},
            "mix": {"query": 1.0},
            "patience": {"dist": "exponential", "mean": "20 min"},
        }
    },
    "contact_types": {"query": {"handle_time": {"dist": "deterministic", "value": "5 min"}}},
    "agent_groups": {
        "team": {
            "size": 10,
            "channels": ["phone"],
            "learning": {"initial": INITIAL, "time_constant": "2 d"},
            "empowerment": {"resolution": 1.0},
        }
    },
}
TRAINING = {"start": "10:00", "duration": "1 h", "effect": EFFECT}


def data(**changes: Any) -> dict[str, Any]:
    """A copy of :data:`BASE` in which ``a__b=v`` sets a.b."""
    return apply_overrides(BASE, {path.replace("__", "."): v for path, v in changes.items()})


def run(**changes: Any) -> SimulationResult:
    return simulate(scenario_from_dict(data(**changes)), records=True)


def trained(t: np.ndarray, sessions: int) -> np.ndarray:
    """Training time per agent by time t, counted session by session."""
    starts = SESSION_START + DAY * np.arange(sessions)
    return np.clip(t[:, None] - starts[None, :], 0.0, SESSION).sum(axis=1)


def work_of(result: SimulationResult) -> tuple[np.ndarray, np.ndarray]:
    """When each answered contact started, and how long the agent worked on it."""
    answered = result.contacts.query("outcome == 'answered'")
    start = (answered["arrival"] + answered["wait"]).to_numpy()
    return start, answered["ended"].to_numpy() - start


def test_work_follows_the_learning_curve_at_each_contact_start() -> None:
    """m(t) = 1 − (1 − initial)·exp(−t/τ) divides the handle time of a contact begun at t."""
    start, work = work_of(run())
    expected = HANDLE / (1 - (1 - INITIAL) * np.exp(-start / TAU))
    np.testing.assert_allclose(work, expected, rtol=1e-9)
    assert work.max() > 1.6 * work.min()  # the curve is steep enough to matter


def test_training_adds_experience_and_takes_agents_off_the_queue() -> None:
    """With daily sessions each training hour counts EFFECT hours of experience; no contact
    starts during a session (every agent on duty trains after the current contact), and each
    agent's session hour is counted as training time, not available time."""
    result = run(agent_groups__team__learning__training=TRAINING)
    start, work = work_of(result)
    experience = start + EFFECT * trained(start, 4)
    expected = HANDLE / (1 - (1 - INITIAL) * np.exp(-experience / TAU))
    np.testing.assert_allclose(work, expected, rtol=1e-9)
    within = (start - SESSION_START) % DAY
    assert not ((within >= 0) & (within < SESSION)).any()
    training = result.kpi("training_time", agent_group="team")
    assert training["mean"] == pytest.approx(10 * 4 * SESSION)
    assert "training_time" not in run().agents.columns


def test_training_until_stops_the_sessions() -> None:
    result = run(agent_groups__team__learning__training={**TRAINING, "until": "2 d"})
    start, work = work_of(result)
    experience = start + EFFECT * trained(start, 2)
    np.testing.assert_allclose(work, HANDLE / (1 - 0.5 * np.exp(-experience / TAU)), rtol=1e-9)
    assert result.kpi("training_time", agent_group="team")["mean"] == pytest.approx(20 * SESSION)


def test_training_costs_waits_now_and_saves_handle_time_later() -> None:
    """The trade-off, paired over 8 replications on the same customers: on the first
    training day the sessions lengthen waits; on the day after the last session the trained
    team works faster, so it answers sooner (one-sided 95% t bounds of the paired
    differences exclude 0)."""
    changes = {"replications": 8}
    plain = run(**changes)
    trained_team = run(
        **changes, agent_groups__team__learning__training={**TRAINING, "until": "3 d"}
    )

    def day_asa(result: SimulationResult, number: int) -> np.ndarray:
        """Each replication's ASA over one day."""
        table = result.intervals.query("contact_type == 'all' and day == @number")
        waited = (table["asa"].fillna(0) * table["answered"]).groupby(table["replication"])
        return (waited.sum() / table.groupby("replication")["answered"].sum()).to_numpy()

    def one_sided_bound(difference: np.ndarray) -> float:
        """The lower 95% bound of the mean difference."""
        n = len(difference)
        return difference.mean() - stats.t.ppf(0.95, n - 1) * difference.std(ddof=1) / n**0.5

    assert one_sided_bound(day_asa(trained_team, 1) - day_asa(plain, 1)) > 0
    assert one_sided_bound(day_asa(plain, 4) - day_asa(trained_team, 4)) > 0


def test_a_skill_with_a_curve_of_its_own_follows_it() -> None:
    """A newly learnt skill starts lower and learns more slowly; the other skill follows the
    group's curve."""
    result = run(
        channels__phone__mix={"query": 0.5, "tech": 0.5},
        contact_types__query__skill="basic",
        contact_types__tech={
            "handle_time": {"dist": "deterministic", "value": "5 min"},
            "skill": "tech",
        },
        agent_groups__team__skills={"basic": 1.0, "tech": 1.0},
        agent_groups__team__learning__skills={"tech": {"initial": 0.3, "time_constant": "4 d"}},
    )
    answered = result.contacts.query("outcome == 'answered'")
    start = (answered["arrival"] + answered["wait"]).to_numpy()
    work = answered["ended"].to_numpy() - start
    tech = (answered["contact_type"] == "tech").to_numpy()
    own = HANDLE / (1 - 0.7 * np.exp(-start / (4 * DAY)))
    group = HANDLE / (1 - (1 - INITIAL) * np.exp(-start / TAU))
    np.testing.assert_allclose(work, np.where(tech, own, group), rtol=1e-9)
    assert tech.sum() > 100 and (~tech).sum() > 100


def test_a_curve_for_a_skill_the_group_lacks_is_rejected(scenario_error: Any) -> None:
    changes = data(
        agent_groups__team__learning__skills={"tech": {"initial": 0.3, "time_constant": "4 d"}}
    )
    assert scenario_error(changes, "team.yaml") == (
        "team.yaml: agent_groups.team.learning.skills.tech: expected one of the group's skills "
        "[], got 'tech'"
    )


@pytest.mark.parametrize("brk", ["09:45", "11:00"])
def test_a_break_next_to_a_session_is_taken_too(brk: str) -> None:
    """A break ending as a session starts, or starting as it ends, is taken in full: every
    agent gets both, one after the other."""
    shift = {
        "name": "day",
        "start": "08:00",
        "end": "16:00",
        "agents": 5,
        "breaks": [{"start": brk, "duration": "15 min"}],
    }
    result = run(
        horizon="2 d",
        channels__phone__arrivals__rate="90/h",
        agent_groups__team__size=None,
        agent_groups__team__shifts=[shift],
        agent_groups__team__learning__training=TRAINING,
    )
    assert result.kpi("break_time", agent_group="team")["mean"] == pytest.approx(2 * 5 * 900)
    training = result.kpi("training_time", agent_group="team")["mean"]
    assert training == pytest.approx(2 * 5 * SESSION)


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        ("15:30", "past the end of shift early (16:00)"),
        ("06:00", "when no shift is on duty"),
    ],
)
def test_a_session_outside_the_shifts_is_rejected(
    start: str, expected: str, scenario_error: Any
) -> None:
    shift = {"name": "early", "start": "08:00", "end": "16:00", "agents": 5}
    changes = data(
        agent_groups__team={"shifts": [shift], "channels": ["phone"]},
        agent_groups__team__learning={
            "initial": 0.5,
            "time_constant": "2 d",
            "training": {**TRAINING, "start": start},
        },
    )
    assert expected in scenario_error(changes, "team.yaml")


def test_a_session_overlapping_a_break_is_rejected(scenario_error: Any) -> None:
    shift = {
        "name": "early",
        "start": "08:00",
        "end": "16:00",
        "agents": 5,
        "breaks": [{"start": "10:30", "duration": "15 min"}],
    }
    changes = data(
        agent_groups__team={"shifts": [shift], "channels": ["phone"]},
        agent_groups__team__learning={"initial": 0.5, "time_constant": "2 d", "training": TRAINING},
    )
    message = scenario_error(changes, "team.yaml")
    assert message == (
        "team.yaml: agent_groups.team.learning.training: expected a session apart from every "
        "break, got 10:00 for 60 min overlapping shift early's break at 10:30"
    )

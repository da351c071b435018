"""Journeys: unresolved customers come back, repeats add load, the journeys table links every
contact of an issue, and the satisfaction model scores it reproducibly."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from queuesim.experiment.runner import simulate
from queuesim.model.journeys import JOURNEY_METRICS, SATISFACTION_METRICS, journey_metrics
from queuesim.satisfaction import JOURNEY_COLUMNS, check_journeys
from queuesim.scenario import ScenarioError, scenario_from_dict
from queuesim.scenario.overrides import apply_overrides
from queuesim.scenario.schema import Scenario

# A phone line whose agents resolve 70% of contacts; half of the others call back, on the
# phone or at the branch; claims beyond authority go to supervisors.
BASE: dict[str, Any] = {
    "version": 1,
    "name": "journeys test",
    "horizon": "6 h",
    "interval": "30 min",
    "seed": 23,
    "replications": 3,
    "channels": {
        "phone": {
            "kind": "phone",
            "close": "05:00",
            "arrivals": {"rate": "80/h"},
            "mix": {"balance": 0.6, "claim": 0.4},
            "patience": {"dist": "exponential", "mean": "4 min"},
            "repeat": {"probability": 0.5, "delay": "15 min", "limit": 4},
        },
        "branch": {
            "kind": "walk_in",
            "close": "05:00",
            "arrivals": {"rate": "10/h"},
            "mix": {"balance": 1.0},
        },
    },
    "contact_types": {
        "balance": {"handle_time": {"dist": "exponential", "mean": "3 min"}, "skill": "front"},
        "claim": {
            "handle_time": {"dist": "exponential", "mean": "6 min"},
            "skill": "front",
            "escalation": {
                "complexity": {"dist": "exponential", "mean": 100},
                "to": "review",
            },
        },
        "review": {"handle_time": {"dist": "exponential", "mean": "8 min"}, "skill": "review"},
    },
    "agent_groups": {
        "tier1": {
            "size": 12,
            "channels": ["phone", "branch"],
            "skills": {"front": 1.0},
            "empowerment": {"authority": 80, "resolution": 0.7},
        },
        "supervisors": {"size": 5, "channels": ["phone"], "skills": {"review": 1.0}},
    },
}


def data(**changes: Any) -> dict[str, Any]:
    """A copy of :data:`BASE` in which ``a__b=v`` sets a.b."""
    overrides = {path.replace("__", "."): value for path, value in changes.items()}
    return apply_overrides(BASE, overrides)


def make(**changes: Any) -> Scenario:
    """The validated scenario of :func:`data`."""
    return scenario_from_dict(data(**changes))


@pytest.fixture(scope="module")
def run() -> Any:
    return simulate(make(satisfaction={}), records=True)


def test_every_contact_is_accounted_for_with_repeats_and_transfers(
    run: Any, check_accounting: Any
) -> None:
    check_accounting(run)
    assert run.values("repeats").min() > 0
    # Every contact belongs to exactly one journey; a journey's contacts are its first
    # contact, its transfers and its repeats (nothing else sends customers back here).
    journeys = run.journeys
    for rep, part in journeys.groupby("replication"):
        assert part["contacts"].sum() == run.values("offered")[rep]
        later = part["contacts"].sum() - len(part)
        assert later == run.values("transfers")[rep] + run.values("repeats")[rep]


def test_journey_ids_link_repeats(run: Any) -> None:
    contacts = run.contacts
    for _, rep in contacts.groupby("replication"):
        by_id = rep.set_index("customer")
        later = rep[rep.journey != rep.customer]
        assert len(later) > 0
        first = by_id.loc[later.journey]
        assert (first.journey.to_numpy() == first.index.to_numpy()).all()
        assert (later.arrival.to_numpy() > first.arrival.to_numpy()).all()
        assert np.allclose(later.arrival - later.prior_time, first.arrival.to_numpy(), atol=1e-6)
        # a repeat follows an unresolved or abandoned contact of the same journey
        repeats = later[later.contact_type != "review"]
        unresolved = rep[(rep.resolution == "unresolved") | (rep.outcome == "abandoned")]
        assert set(repeats.journey) <= set(unresolved.journey)
        # some repeats come back on the branch? no: the rule keeps the channel
        assert set(repeats.channel) == {"phone"}


def test_repeats_may_come_back_on_another_channel() -> None:
    scenario = make(
        channels__phone__repeat={"probability": 1.0, "delay": "5 min", "channel": "branch"},
        agent_groups__supervisors__channels=["phone", "branch"],
    )
    result = simulate(scenario, records=True, replications=1)
    contacts = result.contacts
    repeats = contacts[
        (contacts.journey != contacts.customer) & (contacts.contact_type != "review")
    ]
    assert len(repeats) > 0
    first = contacts.set_index("customer").loc[repeats.journey]
    assert set(first.channel) == {"phone"}
    assert set(repeats.channel) == {"branch"}
    assert result.kpi("repeats", "branch")["mean"] == len(repeats)


def test_journeys_table_follows_the_satisfaction_contract(run: Any) -> None:
    journeys = run.journeys
    names = [column.name for column in JOURNEY_COLUMNS]
    for _, part in journeys.groupby("replication"):
        check_journeys(part[names])
    unresolved = journeys[~journeys.resolved]
    assert unresolved.time_to_resolution.isna().all()
    assert (journeys.loc[journeys.resolved, "time_to_resolution"] > 0).all()
    for rep, part in journeys.groupby("replication"):
        figures = journey_metrics(part)
        for name in JOURNEY_METRICS:
            assert run.values(name)[rep] == pytest.approx(figures[name], nan_ok=True)


def test_same_seed_gives_the_same_scores(run: Any) -> None:
    again = simulate(make(satisfaction={}), records=True)
    pd.testing.assert_frame_equal(run.journeys, again.journeys)
    for name in SATISFACTION_METRICS:
        np.testing.assert_array_equal(run.values(name), again.values(name))
        assert np.isfinite(run.kpi(name)[["mean", "ci_low", "ci_high"]].to_numpy(float)).all()
    csat = run.journeys.groupby("replication")["csat"].mean().to_numpy()
    np.testing.assert_allclose(run.values("csat_mean"), csat)


def test_satisfaction_by_interval_counts_each_journey_where_it_started(run: Any) -> None:
    """The intervals table's csat_mean, nps and reported figures are those of the journeys
    whose first contact arrived in that interval on that channel, and over the whole run
    those of every journey."""
    journeys = run.journeys.assign(
        interval_start=lambda j: (j.start // run.scenario.interval) * run.scenario.interval,
        promoter=lambda j: j.nps_group == "promoter",
        detractor=lambda j: j.nps_group == "detractor",
        reported_promoter=lambda j: j.survey_nps_group == "promoter",
        reported_detractor=lambda j: j.survey_nps_group == "detractor",
    )
    keys = ["replication", "channel", "interval_start"]
    by_start = journeys.groupby(keys).agg(
        csat_mean=("csat", "mean"),
        promoters=("promoter", "mean"),
        detractors=("detractor", "mean"),
        reported_csat_mean=("survey_csat", "mean"),
        reported_promoters=("reported_promoter", "sum"),
        reported_detractors=("reported_detractor", "sum"),
        responses=("survey_csat", "count"),
    )
    table = run.intervals.query("contact_type == 'all' and channel != 'all'").set_index(keys)
    table = table.loc[by_start.index]
    np.testing.assert_allclose(table["csat_mean"], by_start["csat_mean"])
    np.testing.assert_allclose(table["nps"], 100 * (by_start.promoters - by_start.detractors))
    np.testing.assert_allclose(table["reported_csat_mean"], by_start["reported_csat_mean"])
    reported = by_start.reported_promoters - by_start.reported_detractors
    np.testing.assert_allclose(table["reported_nps"], 100 * reported / by_start.responses)
    assert by_start.responses.sum() > 50
    for name, column in (("csat_mean", "csat"), ("reported_csat_mean", "survey_csat")):
        whole = journeys.groupby("replication")[column].mean().to_numpy()
        np.testing.assert_allclose(run.values(name), whole)


def test_journeys_keep_their_ids_and_draws_when_staffing_changes(run: Any) -> None:
    """First contacts are numbered in arrival order apart from later contacts, so with two
    more agents (other waits, repeats and transfers) every journey keeps its id, start and
    random draws: the latent score's noise σ·ε and the survey draw are common random
    numbers, and a journey with the same experience gets the same scores."""
    more = simulate(make(satisfaction={}, agent_groups__tier1__size=14), records=True)
    keys = ["replication", "journey"]
    both = run.journeys.merge(more.journeys, on=keys, suffixes=("", "_more"))
    assert len(both) == len(run.journeys) == len(more.journeys)
    np.testing.assert_allclose(both["start"], both["start_more"], rtol=1e-12)
    noise = both["latent"] - both["experience"] - both["recovery"]
    noise_more = both["latent_more"] - both["experience_more"] - both["recovery_more"]
    np.testing.assert_allclose(noise, noise_more, atol=1e-12)
    same = (both["experience"] == both["experience_more"]).to_numpy()
    assert same.sum() > 100 and (~same).sum() > 100
    for column in ("csat", "likelihood_to_recommend", "survey_csat"):
        pd.testing.assert_series_equal(
            both.loc[same, column], both.loc[same, f"{column}_more"], check_names=False
        )
    # and how a first contact answered in both runs ends (resolved, unresolved, escalated) is
    # drawn with the customer, not in answer order: the same in both runs
    contacts = [
        r.contacts.query("outcome == 'answered' and customer == journey")[
            ["replication", "customer", "resolution"]
        ]
        for r in (run, more)
    ]
    answered = contacts[0].merge(contacts[1], on=["replication", "customer"])
    assert len(answered) > 1000
    assert (answered["resolution_x"] == answered["resolution_y"]).all()


def test_total_cost_and_cost_per_resolution(run: Any) -> None:
    """total_cost is every agent's staff cost plus the concessions granted; per resolution it
    is divided by the journeys resolved by the horizon."""
    staff = run.values("staff_cost", agent_group="all")
    concessions = run.values("concession_cost")
    np.testing.assert_allclose(run.values("total_cost"), staff + concessions)
    resolved = run.journeys.groupby("replication")["resolved"].sum().to_numpy()
    np.testing.assert_allclose(run.values("cost_per_resolution"), (staff + concessions) / resolved)


def test_a_run_without_any_journey_reports_undefined_satisfaction() -> None:
    """A horizon that ends before the line opens: no journey, no error, figures NaN."""
    result = simulate(
        make(
            satisfaction={},
            channels__phone__open="04:30",
            channels__branch__open="04:30",
            horizon="4 h",
        )
    )
    assert (result.values("journeys") == 0).all()
    assert result.kpi("csat_mean")["n_reps"] == 0
    assert result.kpi("total_cost")["n_reps"] == result.scenario.replications


def test_scenarios_without_journeys_report_none() -> None:
    data_plain = data()
    del data_plain["channels"]["phone"]["repeat"]
    del data_plain["contact_types"]["claim"]["escalation"]
    del data_plain["agent_groups"]["tier1"]["empowerment"]
    del data_plain["agent_groups"]["supervisors"]
    del data_plain["contact_types"]["review"]
    result = simulate(
        Scenario.model_validate(data_plain, context={"interval_seconds": 1800}), records=True
    )
    assert result.journeys is None
    assert "journeys" not in set(result.summary.metric)
    assert "fcr" not in set(result.summary.metric)


@pytest.mark.parametrize(
    ("change", "path", "expected"),
    [
        (
            {"channels__phone__repeat__channel": "fax"},
            "channels.phone.repeat.channel",
            "expected a phone or walk_in channel",
        ),
        (
            {"channels__phone__repeat__probability": 2},
            "channels.phone.repeat.probability",
            "at most 1",
        ),
        ({"satisfaction": {"weights": {"speed": 1}}}, "satisfaction.weights", "speed"),
    ],
)
def test_bad_journey_input_gives_clear_errors(
    change: dict[str, Any], path: str, expected: str
) -> None:
    with pytest.raises(ScenarioError) as error:
        scenario_from_dict(data(**change), source="bank.yaml")
    message = str(error.value)
    assert "bank.yaml" in message
    assert path in message
    assert expected in message

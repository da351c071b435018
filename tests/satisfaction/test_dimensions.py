"""Dimension scores: the formulas on hand-built journeys, monotonicity, channels."""

from __future__ import annotations

import math

import numpy as np
import pytest

from queuesim.satisfaction import (
    JourneyTableError,
    SatisfactionParameters,
    dimension_scores,
    perceived_wait,
    score_journeys,
)

DEFAULTS = SatisfactionParameters()
NOISE_OFF = SatisfactionParameters.model_validate({"csat": {"noise": 0}, "recommend": {"noise": 0}})


def test_noise_off_scores_are_exactly_the_formulas(make_journey, make_table):
    good = make_journey()
    bad = make_journey(
        channel="chat",
        wait=200.0,
        contacts=2,
        abandoned=1,
        errors=1,
        transfers=1,
        resolved=False,
        time_to_resolution=math.nan,
        proficiency=0.8,
        empowered=0.5,
    )
    scored = score_journeys(make_table(good, bad), NOISE_OFF, np.random.default_rng(0))

    perceived = 1.2 * 60 * (30 / 60) ** 0.7
    responsiveness = 1 - 0.35 * math.log(1 + perceived / 60) - 0.1 * math.log(1 + 360 / 86400)
    experience = 0.32 * 1 + 0.22 * responsiveness + 0.19 * 1 + 0.16 * 1.0 + 0.11 * 0.7
    row = scored.iloc[0]
    assert row["reliability"] == pytest.approx(1.0, rel=1e-12)
    assert row["responsiveness"] == pytest.approx(responsiveness, rel=1e-12)
    assert row["assurance"] == pytest.approx(1.0, rel=1e-12)
    assert row["empathy"] == pytest.approx(1.0, rel=1e-12)
    assert row["tangibles"] == pytest.approx(0.7, rel=1e-12)
    assert row["experience"] == pytest.approx(experience, rel=1e-12)
    assert row["latent"] == pytest.approx(experience, rel=1e-12)
    assert row["csat"] == 1 + sum(experience > c for c in (0.4, 0.55, 0.7, 0.85))
    assert row["likelihood_to_recommend"] == min(10, round(-1.5 + 12 * experience))

    perceived = 1.2 * 60 * (200 / 60) ** 0.7
    responsiveness = 1 - 0.35 * math.log(1 + perceived / 60) - 0.1 * math.log(1 + 7) - 0.1
    reliability = 0.2 * 0.85 * 0.9 * 0.95
    assurance = 1 - (1 - 0.8)
    empathy = 0.5 + 0.3 * 0.5 + 0.1 + 0.1
    experience = (
        0.32 * reliability + 0.22 * responsiveness + 0.19 * assurance + 0.16 * empathy
    ) + 0.11 * 0.75
    row = scored.iloc[1]
    assert row["reliability"] == pytest.approx(reliability, rel=1e-12)
    assert row["responsiveness"] == pytest.approx(responsiveness, rel=1e-12)
    assert row["assurance"] == pytest.approx(assurance, rel=1e-12)
    assert row["empathy"] == pytest.approx(empathy, rel=1e-12)
    assert row["tangibles"] == pytest.approx(0.75, rel=1e-12)
    assert row["latent"] == pytest.approx(experience, rel=1e-12)
    assert row["csat"] == 1 + sum(experience > c for c in (0.4, 0.55, 0.7, 0.85))
    assert row["likelihood_to_recommend"] == max(0, round(-1.5 + 12 * experience))
    assert row["nps_group"] == "detractor"


def test_perceived_wait_grows_less_than_proportionally():
    waits = np.array([30.0, 60.0, 120.0, 600.0, 3600.0])
    perceived = perceived_wait(waits, DEFAULTS)
    assert np.all(np.diff(perceived) > 0)
    assert np.all(np.diff(perceived / waits) < 0)
    crossing = 60 * 1.2 ** (1 / (1 - 0.7))
    assert perceived_wait(np.array([crossing]), DEFAULTS)[0] == pytest.approx(crossing)


def test_longer_wait_lowers_responsiveness(make_journey, make_table):
    waits = [0.0, 10.0, 30.0, 60.0, 300.0, 1800.0, 7200.0]
    scores = dimension_scores(make_table(*(make_journey(wait=w) for w in waits)), DEFAULTS)
    assert np.all(np.diff(scores["responsiveness"]) < 0)
    unchanged = ["reliability", "assurance", "empathy", "tangibles"]
    assert (scores[unchanged].nunique() == 1).all()


def test_longer_resolution_lowers_responsiveness(make_journey, make_table):
    times = [300.0, 3600.0, 86400.0, 3 * 86400.0]
    scores = dimension_scores(
        make_table(*(make_journey(time_to_resolution=t) for t in times)), DEFAULTS
    )
    assert np.all(np.diff(scores["responsiveness"]) < 0)


def test_resolution_raises_reliability(make_journey, make_table):
    scores = dimension_scores(
        make_table(make_journey(), make_journey(resolved=False, time_to_resolution=math.nan)),
        DEFAULTS,
    )
    assert scores["reliability"].iloc[0] > scores["reliability"].iloc[1]
    assert scores["responsiveness"].iloc[0] > scores["responsiveness"].iloc[1]


@pytest.mark.parametrize("column", ["contacts", "errors", "transfers"])
def test_more_contacts_errors_or_transfers_lower_reliability(make_journey, make_table, column):
    base = {"contacts": 4, column: 1 if column == "contacts" else 0}
    rows = [make_journey(**{**base, column: base[column] + c}) for c in range(4)]
    scores = dimension_scores(make_table(*rows), DEFAULTS)
    assert np.all(np.diff(scores["reliability"]) < 0)


def test_repeat_contact_costs_fifteen_percent(make_journey, make_table):
    scores = dimension_scores(
        make_table(make_journey(contacts=1), make_journey(contacts=2)), DEFAULTS
    )
    ratio = scores["reliability"].iloc[1] / scores["reliability"].iloc[0]
    assert ratio == pytest.approx(0.85, rel=1e-12)


def test_authority_and_proficiency_raise_empathy_and_assurance(make_journey, make_table):
    scores = dimension_scores(
        make_table(
            make_journey(proficiency=0.5, empowered=0.0),
            make_journey(proficiency=0.9, empowered=0.5),
            make_journey(proficiency=1.0, empowered=1.0),
        ),
        DEFAULTS,
    )
    assert np.all(np.diff(scores["assurance"]) > 0)
    assert np.all(np.diff(scores["empathy"]) > 0)


def test_never_served_journey_takes_the_unserved_values(make_journey, make_table):
    never = make_journey(
        abandoned=1,
        resolved=False,
        time_to_resolution=math.nan,
        proficiency=math.nan,
        empowered=math.nan,
    )
    parameters = SatisfactionParameters.model_validate(
        {"assurance": {"unserved": 0.45}, "empathy": {"unserved": 0.35}}
    )
    scores = dimension_scores(make_table(never), parameters)
    assert scores["assurance"].iloc[0] == 0.45
    assert scores["empathy"].iloc[0] == 0.35
    assert scores.notna().all().all()


def test_channels_by_name_or_by_kind(make_journey, make_table):
    journeys = make_table(make_journey(channel="hotline"), make_journey(channel="branch"))
    kinds = {"hotline": "phone", "branch": "walk_in"}
    scores = dimension_scores(journeys, DEFAULTS, channel_kinds=kinds)
    assert list(scores["tangibles"]) == [0.7, 0.8]
    with pytest.raises(JourneyTableError, match=r"column channel: .* got 'hotline'"):
        dimension_scores(journeys, DEFAULTS)
    own = SatisfactionParameters.model_validate(
        {
            "channels": {
                "hotline": {"acceptable_wait": "2 min", "tangibles": 0.5},
                "branch": {"acceptable_wait": "10 min", "tangibles": 0.9},
            }
        }
    )
    assert list(dimension_scores(journeys, own)["tangibles"]) == [0.5, 0.9]

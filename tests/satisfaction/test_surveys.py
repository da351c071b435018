"""Surveys: who answers, and reported against true CSAT under flat and extreme-biased response."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from queuesim.satisfaction import (
    SatisfactionParameters,
    response_probability,
    sample_surveys,
    satisfaction_summary,
    score_journeys,
)


def _parameters(middle: float, extremes: float, include_unserved: bool = True):
    return SatisfactionParameters.model_validate(
        {
            "survey": {
                "rate_middle": middle,
                "rate_extremes": extremes,
                "include_unserved": include_unserved,
            }
        }
    )


@pytest.fixture(scope="module")
def scored(many_journeys) -> pd.DataFrame:
    return score_journeys(many_journeys, SatisfactionParameters(), np.random.default_rng(21))


def test_response_probability_rises_with_distance_from_the_middle():
    probability = response_probability(np.arange(1, 6), _parameters(0.1, 0.3))
    np.testing.assert_allclose(probability, [0.3, 0.2, 0.1, 0.2, 0.3])


def test_flat_response_reports_the_true_csat(scored):
    surveyed = sample_surveys(scored, _parameters(0.3, 0.3), np.random.default_rng(4))
    value = satisfaction_summary(scored, surveyed).set_index("metric")["value"]
    n, m = len(scored), len(surveyed)
    assert abs(value["survey_response_rate"] - 0.3) <= 4 * np.sqrt(0.3 * 0.7 / n)
    se_mean = surveyed["csat"].std() / np.sqrt(m)
    assert abs(value["reported_csat_mean"] - value["csat_mean"]) <= 4 * se_mean
    for level in range(1, 6):
        true = value[f"csat_share_{level}"]
        se = np.sqrt(true * (1 - true) / m)
        assert abs(value[f"reported_csat_share_{level}"] - true) <= 4 * se + 1e-9, level
    se_nps = 100 * surveyed["nps_group"].map({"promoter": 1, "passive": 0, "detractor": -1}).std()
    assert abs(value["reported_nps"] - value["nps"]) <= 4 * se_nps / np.sqrt(m)


def test_extremes_answering_more_over_represent_ones_and_fives(scored):
    parameters = _parameters(0.05, 0.5)
    surveyed = sample_surveys(scored, parameters, np.random.default_rng(4))
    value = satisfaction_summary(scored, surveyed).set_index("metric")["value"]
    m = len(surveyed)

    true_shares = np.array([value[f"csat_share_{k}"] for k in range(1, 6)])
    weighted = true_shares * response_probability(np.arange(1, 6), parameters)
    expected = weighted / weighted.sum()
    reported = np.array([value[f"reported_csat_share_{k}"] for k in range(1, 6)])
    se = np.sqrt(expected * (1 - expected) / m)
    assert np.all(np.abs(reported - expected) <= 4 * se + 1e-9)
    # the documented direction: extremes over-represented, the middle under-represented
    for level in (1, 5):
        assert reported[level - 1] - true_shares[level - 1] > 4 * se[level - 1]
    assert true_shares[2] - reported[2] > 4 * se[2]

    expected_mean = float(np.arange(1, 6) @ expected)
    se_mean = surveyed["csat"].std() / np.sqrt(m)
    assert abs(value["reported_csat_mean"] - expected_mean) <= 4 * se_mean
    assert abs(expected_mean - value["csat_mean"]) > 8 * se_mean


def test_post_contact_surveys_reach_only_served_journeys(scored):
    default = sample_surveys(scored, _parameters(0.5, 0.5, False), np.random.default_rng(8))
    everyone = sample_surveys(scored, _parameters(0.5, 0.5, True), np.random.default_rng(8))
    served = set(scored.loc[scored["proficiency"].notna(), "journey"])
    assert set(default["journey"]) <= served
    assert len(set(everyone["journey"]) - served) > 100


def test_same_generator_gives_the_same_respondents(scored):
    parameters = _parameters(0.1, 0.4)
    first = sample_surveys(scored, parameters, np.random.default_rng(9))
    again = sample_surveys(scored, parameters, np.random.default_rng(9))
    pd.testing.assert_frame_equal(first, again)
    assert list(first.columns) == ["journey", "csat", "likelihood_to_recommend", "nps_group"]


def test_survey_needs_a_scored_table(many_journeys):
    with pytest.raises(ValueError, match="expected the columns of score_journeys, got no column"):
        sample_surveys(many_journeys, SatisfactionParameters(), np.random.default_rng(0))

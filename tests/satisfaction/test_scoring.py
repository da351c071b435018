"""Scoring: every journey scored, reproducible draws, CSAT and NPS against the model's theory."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from queuesim.satisfaction import (
    SCORE_COLUMNS,
    SatisfactionParameters,
    nps_groups,
    sample_surveys,
    satisfaction_summary,
    score_journeys,
)

DEFAULTS = SatisfactionParameters()


def test_abandoned_unresolved_and_never_served_journeys_are_scored(many_journeys):
    scored = score_journeys(many_journeys, DEFAULTS, np.random.default_rng(1))
    assert len(scored) == len(many_journeys)
    assert scored["journey"].tolist() == many_journeys["journey"].tolist()
    assert scored[list(SCORE_COLUMNS)].notna().all().all()
    never_served = scored["proficiency"].isna()
    unresolved = ~scored["resolved"]
    assert never_served.sum() > 100
    assert (unresolved & ~never_served).sum() > 100
    assert scored["csat"].between(1, 5).all()
    assert scored["likelihood_to_recommend"].between(0, 10).all()
    by_kind = scored.groupby(never_served)["experience"].mean()
    assert by_kind[True] < by_kind[False]


def test_same_generator_gives_the_same_scores(many_journeys):
    first = score_journeys(many_journeys, DEFAULTS, np.random.default_rng(5))
    again = score_journeys(many_journeys, DEFAULTS, np.random.default_rng(5))
    pd.testing.assert_frame_equal(first, again)
    other = score_journeys(many_journeys, DEFAULTS, np.random.default_rng(6))
    assert (other["latent"] != first["latent"]).mean() > 0.99
    head = score_journeys(many_journeys.iloc[:500], DEFAULTS, np.random.default_rng(5))
    pd.testing.assert_frame_equal(head, first.iloc[:500])


def test_one_journey_repeated_follows_the_ordered_probit(make_journey, make_table):
    n = 20_000
    journeys = make_table(*[make_journey(wait=150.0)] * n)
    scored = score_journeys(journeys, DEFAULTS, np.random.default_rng(2))
    experience = scored["experience"].iloc[0]
    bounds = np.array([-np.inf, 0.4, 0.55, 0.7, 0.85, np.inf])
    cumulative = stats.norm.cdf((bounds - experience) / 0.1)
    for level in range(1, 6):
        theory = cumulative[level] - cumulative[level - 1]
        share = (scored["csat"] == level).mean()
        assert abs(share - theory) <= 4 * np.sqrt(theory * (1 - theory) / n) + 0.002, level

    centre = -1.5 + 12 * experience
    spread = np.hypot(12 * 0.1, 1.0)
    promoters = stats.norm.sf((8.5 - centre) / spread)
    detractors = stats.norm.cdf((6.5 - centre) / spread)
    for group, theory in (("promoter", promoters), ("detractor", detractors)):
        share = (scored["nps_group"] == group).mean()
        assert abs(share - theory) <= 4 * np.sqrt(theory * (1 - theory) / n) + 0.002, group


def test_follow_up_recovers_part_of_the_gap_without_a_paradox(many_journeys):
    before = score_journeys(many_journeys, DEFAULTS, np.random.default_rng(3))
    followed = many_journeys.assign(followed_up=True)
    after = score_journeys(followed, DEFAULTS, np.random.default_rng(3))
    target = DEFAULTS.csat.cut_points[2]
    gap = np.maximum(0.0, target - before["latent"])
    np.testing.assert_allclose(after["latent"] - before["latent"], 0.3 * gap, atol=1e-12)
    np.testing.assert_allclose(after["recovery"], 0.3 * gap, atol=1e-12)
    assert (after["latent"] <= np.maximum(before["latent"], target) + 1e-12).all()
    assert (after["csat"] >= before["csat"]).all()
    assert (after["csat"] > before["csat"]).sum() > 100
    assert (before["recovery"] == 0).all()


def test_nps_groups_follow_reichheld():
    groups = nps_groups(np.arange(11))
    assert list(groups) == ["detractor"] * 7 + ["passive"] * 2 + ["promoter"] * 2


def test_nps_arithmetic_on_a_hand_made_table():
    likelihood = np.array([10, 9, 9, 8, 7, 6, 0, 10])
    scored = pd.DataFrame(
        {
            "journey": np.arange(8),
            "csat": [5, 5, 4, 4, 3, 2, 1, 5],
            "likelihood_to_recommend": likelihood,
            "nps_group": nps_groups(likelihood),
            "proficiency": 1.0,
        }
    )
    surveyed = scored.iloc[[0, 6]][["journey", "csat", "likelihood_to_recommend", "nps_group"]]
    summary = satisfaction_summary(scored, surveyed).set_index("metric")
    value = summary["value"]
    assert value["csat_mean"] == 29 / 8
    assert value["csat_share_5"] == 3 / 8
    assert value["csat_share_3"] == 1 / 8
    assert value["promoter_share"] == 4 / 8
    assert value["passive_share"] == 2 / 8
    assert value["detractor_share"] == 2 / 8
    assert value["nps"] == 25.0
    assert value["likelihood_to_recommend_mean"] == 59 / 8
    assert value["reported_csat_mean"] == 3.0
    assert value["reported_nps"] == 0.0
    assert value["reported_csat_share_1"] == 0.5
    assert value["journeys"] == 8
    assert value["survey_responses"] == 2
    assert value["survey_response_rate"] == 0.25
    assert summary.loc["nps", "unit"] == "points"
    assert summary.loc["csat_share_5", "unit"] == "ratio"


def test_summary_without_answers_gives_nan_reported_figures(many_journeys):
    scored = score_journeys(many_journeys.iloc[:50], DEFAULTS, np.random.default_rng(0))
    nobody = SatisfactionParameters.model_validate(
        {"survey": {"rate_middle": 0, "rate_extremes": 0}}
    )
    surveyed = sample_surveys(scored, nobody, np.random.default_rng(0))
    value = satisfaction_summary(scored, surveyed).set_index("metric")["value"]
    assert surveyed.empty
    assert np.isnan(value["reported_csat_mean"])
    assert np.isnan(value["reported_nps"])
    assert value["survey_response_rate"] == 0.0


def test_longer_waits_never_raise_a_score_on_the_same_draws(many_journeys):
    """Common random numbers: with only waits changed, every journey's scores move one way."""
    base = score_journeys(many_journeys, DEFAULTS, np.random.default_rng(4))
    slower = many_journeys.assign(wait=many_journeys["wait"] * 1.5 + 10.0)
    worse = score_journeys(slower, DEFAULTS, np.random.default_rng(4))
    assert (worse["latent"] < base["latent"]).all()
    assert (worse["csat"] <= base["csat"]).all()
    assert (worse["likelihood_to_recommend"] <= base["likelihood_to_recommend"]).all()
    assert worse["csat"].mean() < base["csat"].mean()

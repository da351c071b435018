"""Calibration: scores generated with known weights are fitted back within their intervals."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from queuesim.satisfaction import (
    DIMENSIONS,
    JOURNEY_COLUMNS,
    JourneyTableError,
    SatisfactionParameters,
    fit_satisfaction,
    score_journeys,
)

KNOWN = {
    "weights": {
        "reliability": 0.4,
        "responsiveness": 0.25,
        "assurance": 0.1,
        "empathy": 0.15,
        "tangibles": 0.1,
    },
    "csat": {"cut_points": [0.35, 0.5, 0.65, 0.8], "noise": 0.08},
}


@pytest.fixture(scope="module")
def survey(make_random_journeys) -> pd.DataFrame:
    truth = SatisfactionParameters.model_validate(KNOWN)
    scored = score_journeys(make_random_journeys(5000, seed=3), truth, np.random.default_rng(7))
    return scored[[column.name for column in JOURNEY_COLUMNS] + ["csat"]]


def test_fit_recovers_known_weights_cut_points_and_noise(survey):
    fit = fit_satisfaction(survey, SatisfactionParameters())
    assert fit.converged
    assert fit.n == len(survey)
    estimates = fit.estimates.set_index("parameter")
    truth = {f"weights.{name}": KNOWN["weights"][name] for name in DIMENSIONS}
    truth["csat.noise"] = KNOWN["csat"]["noise"]
    truth |= {f"csat.cut_points.{k}": c for k, c in enumerate(KNOWN["csat"]["cut_points"])}
    for name, value in truth.items():
        row = estimates.loc[name]
        assert abs(row["estimate"] - value) <= 4 * row["std_error"], name
        assert row["ci_low"] < row["estimate"] < row["ci_high"]
    assert (estimates.loc[[f"weights.{d}" for d in DIMENSIONS], "std_error"] < 0.05).all()
    assert estimates.loc[[f"weights.{d}" for d in DIMENSIONS], "estimate"].sum() == (
        pytest.approx(1.0)
    )
    fitted = fit.parameters
    assert fitted.csat.noise == pytest.approx(fit.estimate("csat.noise"))
    assert fitted.weights.normalised()["reliability"] == pytest.approx(
        fit.estimate("weights.reliability")
    )
    assert fitted.perceived_wait == SatisfactionParameters().perceived_wait


def test_standard_errors_match_the_spread_of_repeated_fits(make_random_journeys):
    """The inverse-Hessian standard errors against the spread of independent refits."""
    truth = SatisfactionParameters.model_validate(KNOWN)
    journeys = make_random_journeys(800, seed=5)
    columns = [column.name for column in JOURNEY_COLUMNS] + ["csat"]
    fits = 40
    estimates, errors = [], []
    for seed in range(fits):
        scored = score_journeys(journeys, truth, np.random.default_rng(100 + seed))
        table = fit_satisfaction(scored[columns]).estimates.set_index("parameter")
        estimates.append(table["estimate"])
        errors.append(table["std_error"])
    ratio = pd.concat(estimates, axis=1).std(axis=1, ddof=1) / pd.concat(errors, axis=1).mean(
        axis=1
    )
    # (n − 1)·s²/σ² is chi-square with n − 1 degrees of freedom: a 99.9% band for s/σ
    low, high = np.sqrt(stats.chi2.ppf([0.0005, 0.9995], df=fits - 1) / (fits - 1))
    assert ratio.between(low, high).all(), ratio


def test_calibration_needs_observed_csat_at_every_level(survey):
    with pytest.raises(JourneyTableError, match=r"column csat: .*got no such column"):
        fit_satisfaction(survey.drop(columns=["csat"]))
    without_ones = survey.loc[survey["csat"] > 1]
    with pytest.raises(JourneyTableError, match="got none at 1"):
        fit_satisfaction(without_ones)
    outside = survey.assign(csat=survey["csat"].where(survey.index != 3, 7))
    with pytest.raises(JourneyTableError, match=r"expected 1–5, got 7 \(row 3\)"):
        fit_satisfaction(outside)


def test_a_dimension_that_does_not_vary_cannot_be_fitted(survey):
    one_channel = survey.assign(channel="phone")
    with pytest.raises(JourneyTableError, match="got a constant tangibles"):
        fit_satisfaction(one_channel)

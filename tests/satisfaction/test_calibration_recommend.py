"""Calibration of the likelihood-to-recommend mapping and of the survey response rates (alone,
or with the CSAT model): answers generated with known parameters are fitted back within their
standard errors, and the standard errors match the spread of independent refits."""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from queuesim.satisfaction import (
    DIMENSIONS,
    JOURNEY_COLUMNS,
    JourneyTableError,
    SatisfactionFit,
    SatisfactionParameters,
    fit_recommend,
    fit_survey_response,
    sample_surveys,
    score_journeys,
)

COLUMNS = [column.name for column in JOURNEY_COLUMNS if column.name != "followed_up"]
KNOWN = {
    "recommend": {"intercept": -2.0, "slope": 13.0, "noise": 1.3},
    "survey": {"rate_middle": 0.1, "rate_extremes": 0.3},
}
REFITS = 40


def within_four_errors(fit, truth: dict[str, float]) -> None:
    estimates = fit.estimates.set_index("parameter")
    assert sorted(estimates.index) == sorted(truth)
    for name, value in truth.items():
        row = estimates.loc[name]
        assert abs(row["estimate"] - value) <= 4 * row["std_error"], (name, row, value)
        assert row["ci_low"] < row["estimate"] < row["ci_high"]


def spread_matches_errors(
    journeys: pd.DataFrame,
    truth: SatisfactionParameters,
    fit: Callable[[pd.DataFrame, pd.DataFrame], SatisfactionFit],
    seed: int,
) -> None:
    """Score and survey ``journeys`` REFITS times with independent draws (seeds from
    ``seed``), fit each, and compare the mean standard error with the spread of the
    estimates: (n − 1)·s²/σ² is chi-square with n − 1 degrees of freedom, so s/σ lies in a
    99.9% band."""
    estimates, errors = [], []
    for k in range(REFITS):
        scored = score_journeys(journeys, truth, np.random.default_rng(seed + k))
        surveyed = sample_surveys(scored, truth, np.random.default_rng(seed + 100 + k))
        table = fit(scored, surveyed).estimates.set_index("parameter")
        estimates.append(table["estimate"])
        errors.append(table["std_error"])
    ratio = pd.concat(estimates, axis=1).std(axis=1, ddof=1) / pd.concat(errors, axis=1).mean(
        axis=1
    )
    low, high = np.sqrt(stats.chi2.ppf([0.0005, 0.9995], df=REFITS - 1) / (REFITS - 1))
    assert ratio.between(low, high).all(), ratio


def survey_table(scored: pd.DataFrame, surveyed: pd.DataFrame) -> pd.DataFrame:
    """One row per journey with ``responded`` and the CSAT of those who answered."""
    table = scored[COLUMNS].copy()
    table["responded"] = table["journey"].isin(surveyed["journey"])
    table["csat"] = scored["csat"].where(table["responded"])
    return table


@pytest.fixture(scope="module")
def truth() -> SatisfactionParameters:
    return SatisfactionParameters.model_validate(KNOWN)


@pytest.fixture(scope="module")
def scored(make_random_journeys, truth) -> pd.DataFrame:
    return score_journeys(make_random_journeys(4000, seed=21), truth, np.random.default_rng(30))


@pytest.fixture(scope="module")
def answers(scored) -> pd.DataFrame:
    return scored[[*COLUMNS, "csat", "likelihood_to_recommend"]]


@pytest.fixture(scope="module")
def asked(scored, truth) -> pd.DataFrame:
    return survey_table(scored, sample_surveys(scored, truth, np.random.default_rng(41)))


def test_fit_recommend_recovers_known_mapping(answers, truth):
    fit = fit_recommend(answers, truth)
    assert fit.converged
    assert fit.n == len(answers)
    assert fit.notes == ()
    within_four_errors(fit, {f"recommend.{k}": v for k, v in KNOWN["recommend"].items()})
    recommend = fit.parameters.recommend
    assert recommend.intercept == pytest.approx(fit.estimate("recommend.intercept"))
    assert recommend.slope == pytest.approx(fit.estimate("recommend.slope"))
    assert recommend.noise == pytest.approx(fit.estimate("recommend.noise"))
    assert fit.parameters.csat == truth.csat
    assert fit.parameters.weights == truth.weights


def test_fit_recommend_accepts_whole_numbers_stored_as_decimals(answers, truth):
    as_integers = fit_recommend(answers, truth).estimates
    as_decimals = answers.astype({"likelihood_to_recommend": float, "csat": float})
    pd.testing.assert_frame_equal(fit_recommend(as_decimals, truth).estimates, as_integers)


def test_fit_recommend_standard_errors_match_the_spread_of_refits(make_random_journeys, truth):
    spread_matches_errors(
        make_random_journeys(600, seed=22),
        truth,
        lambda scored, _: fit_recommend(scored, truth),
        seed=200,
    )


def respondents(scored: pd.DataFrame, surveyed: pd.DataFrame) -> pd.DataFrame:
    return scored.loc[scored["journey"].isin(surveyed["journey"])].reset_index(drop=True)


def test_weighting_by_response_removes_the_bias_of_extremes_answering_more(
    make_random_journeys, truth
):
    scored = score_journeys(make_random_journeys(12_000, seed=24), truth, np.random.default_rng(34))
    answered = respondents(scored, sample_surveys(scored, truth, np.random.default_rng(44)))
    slope = KNOWN["recommend"]["slope"]
    plain = fit_recommend(answered, truth).estimates.set_index("parameter")
    # extremes answering more over-represent large |ε|: the plain fit's slope is too steep
    assert (
        plain.loc["recommend.slope", "estimate"] - slope
        > 4 * plain.loc["recommend.slope", "std_error"]
    )
    fit = fit_recommend(answered, truth, weight_by_response=True)
    assert fit.converged
    within_four_errors(fit, {f"recommend.{k}": v for k, v in KNOWN["recommend"].items()})


@pytest.mark.slow
def test_weighted_standard_errors_match_the_spread_of_refits(make_random_journeys, truth):
    spread_matches_errors(
        make_random_journeys(3000, seed=25),
        truth,
        lambda scored, surveyed: fit_recommend(
            respondents(scored, surveyed), truth, weight_by_response=True
        ),
        seed=700,
    )


def test_noise_below_what_csat_noise_explains_is_set_to_zero_with_a_note(answers, truth):
    """Given a CSAT noise σ larger than the answers allow, τ² = s² − b²σ² < 0."""
    noisier = truth.model_copy(update={"csat": truth.csat.model_copy(update={"noise": 0.3})})
    fit = fit_recommend(answers, noisier)
    assert fit.parameters.recommend.noise == 0.0
    row = fit.estimates.set_index("parameter").loc["recommend.noise"]
    assert row["estimate"] == 0.0
    assert np.isnan(row["std_error"]) and np.isnan(row["ci_low"]) and np.isnan(row["ci_high"])
    assert len(fit.notes) == 1
    assert fit.notes[0].startswith("recommend.noise: s² − b²σ² = ")
    assert fit.notes[0].endswith(
        "≤ 0 (the answers vary no more than csat.noise 0.3 alone makes them), set to 0 "
        "without a standard error"
    )


def test_fit_survey_response_recovers_known_rates(asked, truth):
    fit = fit_survey_response(asked, truth)
    served = asked["proficiency"].notna()
    assert fit.converged
    assert fit.n == served.sum() < len(asked)
    assert fit.notes == (
        f"{(~served).sum()} journeys never served left out: with survey.include_unserved "
        "false they are not asked",
    )
    within_four_errors(fit, {f"survey.{k}": v for k, v in KNOWN["survey"].items()})
    survey = fit.parameters.survey
    assert survey.rate_middle == pytest.approx(fit.estimate("survey.rate_middle"))
    assert survey.rate_extremes == pytest.approx(fit.estimate("survey.rate_extremes"))
    assert survey.include_unserved is False
    assert fit.parameters.recommend == truth.recommend


def test_fit_survey_response_with_unserved_journeys_asked(scored, truth):
    everyone = truth.model_copy(
        update={"survey": truth.survey.model_copy(update={"include_unserved": True})}
    )
    table = survey_table(scored, sample_surveys(scored, everyone, np.random.default_rng(42)))
    assert table.loc[table["proficiency"].isna(), "responded"].any()
    fit = fit_survey_response(table, everyone)
    assert fit.n == len(table)
    assert fit.notes == ()
    within_four_errors(fit, {f"survey.{k}": v for k, v in KNOWN["survey"].items()})
    assert fit.parameters.survey.include_unserved is True


def test_fit_survey_response_standard_errors_match_the_spread_of_refits(scored, truth):
    spread_matches_errors(
        scored[COLUMNS],
        truth,
        lambda rescored, surveyed: fit_survey_response(survey_table(rescored, surveyed), truth),
        seed=300,
    )


def csat_truth(parameters: SatisfactionParameters) -> dict[str, float]:
    weights = parameters.weights.normalised()
    truth = {f"weights.{name}": weights[name] for name in DIMENSIONS}
    truth["csat.noise"] = parameters.csat.noise
    truth |= {f"csat.cut_points.{k}": c for k, c in enumerate(parameters.csat.cut_points)}
    return truth


def test_joint_fit_recovers_csat_model_and_rates(asked, truth):
    fit = fit_survey_response(asked, SatisfactionParameters(), fit_csat=True)
    assert fit.converged
    assert fit.n == asked["proficiency"].notna().sum()
    truths = csat_truth(truth) | {f"survey.{k}": v for k, v in KNOWN["survey"].items()}
    within_four_errors(fit, truths)
    fitted = fit.parameters
    assert fitted.csat.noise == pytest.approx(fit.estimate("csat.noise"))
    assert fitted.csat.cut_points[3] == pytest.approx(fit.estimate("csat.cut_points.3"))
    assert fitted.survey.rate_extremes == pytest.approx(fit.estimate("survey.rate_extremes"))


@pytest.mark.slow
def test_joint_fit_standard_errors_match_the_spread_of_refits(make_random_journeys, truth):
    spread_matches_errors(
        make_random_journeys(3000, seed=23),
        truth,
        lambda scored, surveyed: fit_survey_response(
            survey_table(scored, surveyed), truth, fit_csat=True
        ),
        seed=500,
    )


def raises(error: type[Exception], text: str):
    return pytest.raises(error, match=f"^{re.escape(text)}$")


def test_recommend_answers_must_be_whole_numbers_0_to_10(answers, truth):
    column = "likelihood_to_recommend"
    with raises(
        JourneyTableError,
        "survey: column likelihood_to_recommend: expected observed likelihood to recommend "
        "0–10 (required), got no such column",
    ):
        fit_recommend(answers.drop(columns=[column]))
    outside = answers.assign(**{column: answers[column].where(answers.index != 3, 11)})
    with raises(
        JourneyTableError, "survey: column likelihood_to_recommend: expected 0–10, got 11 (row 3)"
    ):
        fit_recommend(outside)
    halves = answers.assign(**{column: answers[column].where(answers.index != 4, 7.5)})
    with raises(
        JourneyTableError,
        "survey: column likelihood_to_recommend: expected whole numbers 0–10, got 7.5 (row 4)",
    ):
        fit_recommend(halves)
    empty = answers.assign(**{column: answers[column].where(answers.index != 5)})
    with raises(
        JourneyTableError,
        "survey: column likelihood_to_recommend: expected 0–10 in every row, got an empty "
        "value (row 5)",
    ):
        fit_recommend(empty)
    with raises(
        JourneyTableError,
        "nps.csv: column likelihood_to_recommend: expected whole numbers 0–10, got a column "
        "of text",
    ):
        fit_recommend(answers.assign(**{column: "9"}), source="nps.csv")
    with raises(
        JourneyTableError,
        "survey: column likelihood_to_recommend: expected answers at two levels or more to "
        "fit a slope and a noise, got only 10",
    ):
        fit_recommend(answers.assign(**{column: 10}))
    with raises(
        JourneyTableError,
        "survey: column csat: expected the CSAT answer 1–5 of each row, to weight it by its "
        "response rate (required), got no such column",
    ):
        fit_recommend(answers.drop(columns=["csat"]), weight_by_response=True)
    never = truth.model_copy(
        update={"survey": truth.survey.model_copy(update={"rate_middle": 0.0})}
    )
    middle = int(np.flatnonzero(answers["csat"] == 3)[0])
    with raises(
        ValueError,
        "survey: expected survey rates above 0 at every CSAT answered, got a response "
        f"probability of 0 at CSAT 3 (row {middle})",
    ):
        fit_recommend(answers, never, weight_by_response=True)


def test_recommend_answers_falling_with_the_experience_are_refused(answers, truth):
    falling = answers.assign(likelihood_to_recommend=10 - answers["likelihood_to_recommend"])
    with pytest.raises(
        ValueError,
        match=r"^survey: expected the likelihood to recommend to rise with the experience, "
        r"got a slope of -\d",
    ):
        fit_recommend(falling, truth)


def test_survey_table_errors(asked, truth):
    with raises(
        JourneyTableError,
        "survey: column responded: expected true/false values (whether the journey answered "
        "the survey; required), got no such column",
    ):
        fit_survey_response(asked.drop(columns=["responded"]), truth)
    with raises(
        JourneyTableError,
        "survey: column responded: expected true/false values, got a column of whole numbers",
    ):
        fit_survey_response(asked.astype({"responded": np.int64}), truth)
    first = int(np.flatnonzero(asked["responded"])[0])
    no_answer = asked.assign(csat=asked["csat"].where(asked.index != first))
    with raises(
        JourneyTableError,
        "survey: column csat: expected 1–5 in every row where responded is true, got an "
        f"empty value (row {first})",
    ):
        fit_survey_response(no_answer, truth)
    silent = int(np.flatnonzero(~asked["responded"])[0])
    with raises(
        JourneyTableError,
        f"survey: column csat: expected empty (NaN) where responded is false, got 4 (row {silent})",
    ):
        fit_survey_response(asked.assign(csat=asked["csat"].where(asked.index != silent, 4)))
    unserved = int(np.flatnonzero(asked["proficiency"].isna())[0])
    answered = asked.assign(
        responded=asked["responded"] | (asked.index == unserved),
        csat=asked["csat"].where(asked.index != unserved, 1),
    )
    with raises(
        JourneyTableError,
        "survey: column responded: expected false for journeys never served (empty "
        "proficiency) when survey.include_unserved is false, got true "
        f"(row {unserved}); set include_unserved true if the survey reaches them",
    ):
        fit_survey_response(answered, truth)


def test_survey_needs_journeys_that_answered_and_journeys_that_did_not(asked, truth):
    with raises(
        JourneyTableError,
        "survey: column responded: expected journeys that answered and journeys that did "
        "not, got none that answered",
    ):
        fit_survey_response(asked.assign(responded=False, csat=np.nan), truth)
    answered = asked.loc[asked["responded"]]
    with raises(
        JourneyTableError,
        "survey: column responded: expected journeys that answered and journeys that did "
        "not, got none that did not answer",
    ):
        fit_survey_response(answered, truth)
    with raises(
        JourneyTableError,
        "survey: column csat: expected answers at every level 1–5 to place the cut-points, "
        "got none at 1",
    ):
        fit_survey_response(asked.assign(csat=asked["csat"].replace(1, 2)), truth, fit_csat=True)

"""Calibrate the likelihood-to-recommend mapping from observed answers (0–10).

The scoring model gives LTR = clip(round(a + b·y* + τ·η), 0, 10) with the latent score
y* = x + σ·ε, x the journey's experience (Σ_d w_d·D_d) and ε, η independent standard
normals. Given x the answer is therefore an interval-censored normal: LTR = round(a + b·x + e),
e ~ N(0, s²), s² = b²σ² + τ², so

    P(LTR = k | x) = Φ((k + ½ − a − b·x) / s) − Φ((k − ½ − a − b·x) / s),

with k − ½ read as −∞ at 0 and k + ½ as +∞ at 10. (a, b, ln s) are fitted by maximum
likelihood (``scipy.optimize.minimize``, BFGS with the analytic gradient) and
τ = √(s² − b²σ²) follows with σ as given; standard errors come from the observed information,
carried to τ by the delta method (conditional on σ and the weights as given).

Survey answers chosen by their level (extremes answering more often) over-represent customers
whose noise ε was large either way, which makes the slope too steep. Weighting each answer by
the inverse of its response probability 1/p_k (Horvitz–Thompson weights) gives a consistent
pseudo-likelihood; its standard errors are the sandwich ones H⁻¹·(Σ w²·g·gᵀ)·H⁻¹.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from scipy import stats

from queuesim.satisfaction.dimensions import dimension_scores
from queuesim.satisfaction.estimation import (
    SatisfactionFit,
    covariance,
    maximise_likelihood,
    normal_interval,
    observed_answers,
    observed_information,
    wald_estimates,
)
from queuesim.satisfaction.journeys import JourneyTableError
from queuesim.satisfaction.parameters import CSAT_LEVELS, SatisfactionParameters
from queuesim.satisfaction.scoring import RECOMMEND_MAX, experience_score
from queuesim.satisfaction.surveys import response_probability

_COLUMN = "likelihood_to_recommend"
_MIN_SPREAD = 1e-9
_NAMES = ("recommend.intercept", "recommend.slope", "recommend.noise")


def _row_terms(
    free: np.ndarray, x: np.ndarray, lower: np.ndarray, upper: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Each answer's −ln P and its gradient in (a, b, ln s), shapes (n,) and (n, 3);
    ``lower``, ``upper``: each answer's interval."""
    intercept, slope, log_scale = free
    scale = np.exp(log_scale)
    mean = intercept + slope * x
    z_upper = (upper - mean) / scale
    z_lower = (lower - mean) / scale
    probability = normal_interval(z_lower, z_upper)
    density_upper = stats.norm.pdf(z_upper)
    density_lower = stats.norm.pdf(z_lower)
    # z·φ(z) is 0 at ±∞
    tail_upper = np.where(np.isfinite(z_upper), z_upper, 0.0) * density_upper
    tail_lower = np.where(np.isfinite(z_lower), z_lower, 0.0) * density_lower
    by_mean = (density_upper - density_lower) / (scale * probability)
    by_log_scale = (tail_upper - tail_lower) / probability
    return -np.log(probability), np.column_stack((by_mean, by_mean * x, by_log_scale))


def _negative_log_likelihood(
    free: np.ndarray, x: np.ndarray, lower: np.ndarray, upper: np.ndarray, weights: np.ndarray
) -> tuple[float, np.ndarray]:
    """−Σ w·ln P and its gradient in (a, b, ln s)."""
    terms, scores = _row_terms(free, x, lower, upper)
    return float(weights @ terms), weights @ scores


def fit_recommend(
    table: pd.DataFrame,
    parameters: SatisfactionParameters | None = None,
    *,
    weight_by_response: bool = False,
    channel_kinds: Mapping[str, str] | None = None,
    source: str = "survey",
) -> SatisfactionFit:
    """Fit the likelihood-to-recommend mapping (``recommend.intercept``, ``.slope``,
    ``.noise``) to observed answers.

    ``table`` has the journeys-table columns (each answered journey's experience) and
    ``likelihood_to_recommend``, the observed answer (whole numbers 0–10, at two levels or
    more); a ``csat`` column is used only with ``weight_by_response``. ``parameters`` gives
    the rest of the model (defaults if omitted), typically those fitted by
    :func:`~queuesim.satisfaction.fit_satisfaction`: the experience comes from its weights
    and dimension parameters and σ from ``csat.noise``. ``channel_kinds`` maps channel names
    to the kinds ``parameters.channels`` is keyed by. The answers are those given before any
    follow-up (``followed_up`` is not used).

    The rows must not be chosen by their answers. Answers to a survey where extremes answer
    more often are: with ``weight_by_response`` each answer is weighted by 1/p_k, p_k the
    response probability of its CSAT k under ``parameters.survey`` (fitted by
    :func:`~queuesim.satisfaction.fit_survey_response`; ``csat`` is then required), which
    makes the fit consistent again; the standard errors are then the sandwich (robust)
    ones, H⁻¹·(Σ w²·g·gᵀ)·H⁻¹, with g each answer's score and H the weighted information.

    A noise variance s² − b²σ² below 0 (answers that vary less than σ alone makes them) gives
    ``recommend.noise`` 0, without a standard error, and a note. Raises
    :class:`JourneyTableError` for a bad table and :class:`ValueError` when the answers fall
    as the experience rises.
    """
    parameters = parameters or SatisfactionParameters()
    y = observed_answers(
        table,
        _COLUMN,
        (0, RECOMMEND_MAX),
        source,
        meaning=f"observed likelihood to recommend 0–{RECOMMEND_MAX}",
    )
    levels = np.unique(y)
    if len(levels) < 2:
        raise JourneyTableError(
            [
                f"{source}: column {_COLUMN}: expected answers at two levels or more to fit "
                f"a slope and a noise, got only {', '.join(map(str, levels)) or 'no rows'}"
            ]
        )
    x = experience_score(dimension_scores(table, parameters, channel_kinds, source), parameters)
    if x.std() < _MIN_SPREAD:
        raise JourneyTableError(
            [
                f"{source}: expected the experience to vary across the rows, got a constant "
                f"{x[0]:.4g} (the slope cannot be estimated)"
            ]
        )
    weights = np.ones(len(y))
    if weight_by_response:
        csat = observed_answers(
            table,
            "csat",
            (1, CSAT_LEVELS),
            source,
            meaning=f"the CSAT answer 1–{CSAT_LEVELS} of each row, to weight it by its "
            "response rate",
        )
        probability = response_probability(csat, parameters)
        if (probability <= 0).any():
            position = int(np.flatnonzero(probability <= 0)[0])
            raise ValueError(
                f"{source}: expected survey rates above 0 at every CSAT answered, got a "
                f"response probability of 0 at CSAT {csat[position]} (row {position})"
            )
        weights = 1.0 / probability
        weights /= weights.mean()
    lower = np.where(y == 0, -np.inf, y - 0.5)
    upper = np.where(y == RECOMMEND_MAX, np.inf, y + 0.5)
    slope0, intercept0 = np.polyfit(x, y, 1, w=np.sqrt(weights))
    spread0 = max(float(np.std(y - intercept0 - slope0 * x)), 0.5)
    maximum = maximise_likelihood(
        _negative_log_likelihood,
        np.array([intercept0, slope0, np.log(spread0)]),
        (x, lower, upper, weights),
        len(y),
    )
    intercept, slope, log_scale = maximum.point
    if slope <= 0:
        raise ValueError(
            f"{source}: expected the likelihood to recommend to rise with the experience, "
            f"got a slope of {slope:.3g} (the answers do not follow the experience)"
        )
    variance = covariance(
        observed_information(
            lambda point: _negative_log_likelihood(point, x, lower, upper, weights)[1],
            maximum.point,
        ),
        f"{source}: expected answers that tell the intercept, slope and noise apart, got a "
        "singular information matrix",
    )
    terms, scores = _row_terms(maximum.point, x, lower, upper)
    if weight_by_response:
        weighted = scores * weights[:, None]
        variance = variance @ (weighted.T @ weighted) @ variance
    sigma = parameters.csat.noise
    scale = float(np.exp(log_scale))
    noise_variance = scale**2 - (slope * sigma) ** 2
    noise = float(np.sqrt(max(noise_variance, 0.0)))
    jacobian = np.array(
        [
            [1.0, 0.0, 0.0],
            [0.0, 1.0, 0.0],
            [0.0, -slope * sigma**2 / noise, scale**2 / noise] if noise > 0 else [np.nan] * 3,
        ]
    )
    frame = wald_estimates(_NAMES, np.array([intercept, slope, noise]), jacobian, variance)
    notes = ()
    if noise_variance <= 0:
        notes = (
            f"recommend.noise: s² − b²σ² = {noise_variance:.3g} ≤ 0 (the answers vary no more "
            f"than csat.noise {sigma:g} alone makes them), set to 0 without a standard error",
        )
    fitted = parameters.model_copy(
        update={
            "recommend": parameters.recommend.model_copy(
                update={"intercept": float(intercept), "slope": float(slope), "noise": noise}
            )
        }
    )
    return SatisfactionFit(
        estimates=frame,
        parameters=fitted,
        log_likelihood=-float(terms.sum()),
        n=len(y),
        converged=maximum.converged,
        notes=notes,
    )


__all__ = ["fit_recommend"]

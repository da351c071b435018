"""Calibrate the dimension weights, CSAT cut-points and noise from observed CSAT.

The scoring model is an ordered probit: y* = Σ_d w_d·D_d + σ·ε, ε ~ N(0, 1), CSAT = k when
c_{k−1} < y* ≤ c_k, with Σ w = 1. Dividing by σ gives the standard ordered probit
y*/σ = Σ β_d·D_d + ε with β = w/σ and thresholds θ = c/σ, which is fitted by maximum
likelihood (``scipy.optimize.minimize``, BFGS with the analytic gradient; the thresholds are
kept increasing by optimising θ₁ and the logarithms of the gaps). The weights, noise and
cut-points follow as w = β/Σβ, σ = 1/Σβ, c = θ/Σβ. Standard errors come from the inverse of
the observed information (the Hessian of the negative log-likelihood in (β, θ) at the
maximum, by central differences of the analytic gradient), carried to (w, σ, c) by the delta
method; 95% intervals are Wald intervals, accurate for the hundreds to thousands of survey
answers calibration needs.

Dimension scores are computed from the experience columns with the other parameters as
given, so those (perceived wait, acceptable waits, penalties) are assumptions of the fit.
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
from queuesim.satisfaction.parameters import CSAT_LEVELS, DIMENSIONS, SatisfactionParameters

_N_CUTS = CSAT_LEVELS - 1
_N_WEIGHTS = len(DIMENSIONS)
_N_FREE = _N_WEIGHTS + _N_CUTS
_MIN_SPREAD = 1e-9


def _interval_probabilities(
    x: np.ndarray, y: np.ndarray, beta: np.ndarray, theta: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """P(y_i), and the standardised upper and lower bounds of each row's interval."""
    bounds = np.concatenate(([-np.inf], theta, [np.inf]))
    index = x @ beta
    upper = bounds[y] - index
    lower = bounds[y - 1] - index
    return normal_interval(lower, upper), upper, lower


def probit_negative_log_likelihood(
    natural: np.ndarray, x: np.ndarray, y: np.ndarray
) -> tuple[float, np.ndarray]:
    """−ln L of the ordered probit and its gradient in the natural parameters (β, θ)."""
    beta, theta = natural[:_N_WEIGHTS], natural[_N_WEIGHTS:]
    probability, upper, lower = _interval_probabilities(x, y, beta, theta)
    density_upper = stats.norm.pdf(upper)
    density_lower = stats.norm.pdf(lower)
    gradient_beta = -(x.T @ (-(density_upper - density_lower) / probability))
    gradient_theta = np.zeros(_N_CUTS)
    for k in range(1, _N_CUTS + 1):
        gradient_theta[k - 1] = -(
            np.sum(density_upper[y == k] / probability[y == k])
            - np.sum(density_lower[y == k + 1] / probability[y == k + 1])
        )
    return float(-np.sum(np.log(probability))), np.concatenate((gradient_beta, gradient_theta))


def to_natural(free: np.ndarray) -> np.ndarray:
    """(β, θ₁, ln gaps, any further parameters) → (β, θ, the same further parameters): the
    thresholds θ stay increasing whatever the free values."""
    gaps = free[_N_WEIGHTS + 1 : _N_FREE]
    theta = free[_N_WEIGHTS] + np.concatenate(([0.0], np.cumsum(np.exp(gaps))))
    return np.concatenate((free[:_N_WEIGHTS], theta, free[_N_FREE:]))


def to_free(natural: np.ndarray) -> np.ndarray:
    """The inverse of :func:`to_natural`."""
    theta = natural[_N_WEIGHTS:_N_FREE]
    return np.concatenate(
        (natural[:_N_WEIGHTS], theta[:1], np.log(np.diff(theta)), natural[_N_FREE:])
    )


def free_gradient(free: np.ndarray, gradient: np.ndarray) -> np.ndarray:
    """A gradient in the natural parameters carried to the free ones (chain rule)."""
    gaps = np.exp(free[_N_WEIGHTS + 1 : _N_FREE])
    chain = gradient.copy()
    theta_gradient = gradient[_N_WEIGHTS:_N_FREE]
    chain[_N_WEIGHTS] = theta_gradient.sum()
    for j in range(1, _N_CUTS):
        chain[_N_WEIGHTS + j] = gaps[j - 1] * theta_gradient[j:].sum()
    return chain


def _free_objective(free: np.ndarray, x: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    value, gradient = probit_negative_log_likelihood(to_natural(free), x, y)
    return value, free_gradient(free, gradient)


def observed_csat(table: pd.DataFrame, source: str) -> np.ndarray:
    """The ``csat`` answers (whole numbers 1–5, every level present to place the cut-points)."""
    values = observed_answers(
        table, "csat", (1, CSAT_LEVELS), source, meaning=f"observed CSAT 1–{CSAT_LEVELS}"
    )
    absent = [level for level in range(1, CSAT_LEVELS + 1) if not (values == level).any()]
    if absent:
        raise JourneyTableError(
            [
                f"{source}: column csat: expected answers at every level 1–5 to place the "
                f"cut-points, got none at {', '.join(map(str, absent))}"
            ]
        )
    return values


def dimension_matrix(
    table: pd.DataFrame,
    parameters: SatisfactionParameters,
    channel_kinds: Mapping[str, str] | None,
    source: str,
) -> np.ndarray:
    """The dimension scores of every row, shape (n, 5); each must vary across the rows."""
    x = dimension_scores(table, parameters, channel_kinds, source).to_numpy(dtype=float)
    flat = [
        name for name, spread in zip(DIMENSIONS, x.std(axis=0), strict=True) if spread < _MIN_SPREAD
    ]
    if flat:
        raise JourneyTableError(
            [
                f"{source}: expected every dimension to vary across the rows, got a constant "
                f"{name} (its weight cannot be estimated)"
                for name in flat
            ]
        )
    return x


def csat_estimates(
    natural: np.ndarray, parameters: SatisfactionParameters, source: str
) -> tuple[list[str], np.ndarray, np.ndarray, SatisfactionParameters, tuple[str, ...]]:
    """From the ordered probit's (β, θ) to the model's weights, noise and cut-points.

    Returns their names, values, Jacobian in (β, θ) (for the delta method), ``parameters``
    with them replaced (a negative weight set to 0), and a note per negative weight. Raises
    :class:`ValueError` when the weights sum to 0 or less.
    """
    beta, theta = natural[:_N_WEIGHTS], natural[_N_WEIGHTS:_N_FREE]
    total = beta.sum()
    if total <= 0:
        raise ValueError(
            f"{source}: expected CSAT to rise with the dimension scores, got weights summing "
            f"to {total:.3g} (the answers do not follow the experience)"
        )
    weights = beta / total
    cuts = theta / total
    estimates = np.concatenate((weights, [1.0 / total], cuts))
    jacobian = np.zeros((len(estimates), _N_FREE))
    jacobian[:_N_WEIGHTS, :_N_WEIGHTS] = (np.eye(_N_WEIGHTS) - weights[:, None]) / total
    jacobian[_N_WEIGHTS, :_N_WEIGHTS] = -1.0 / total**2
    jacobian[_N_WEIGHTS + 1 :, :_N_WEIGHTS] = -theta[:, None] / total**2
    jacobian[_N_WEIGHTS + 1 :, _N_WEIGHTS:] = np.eye(_N_CUTS) / total
    names = [f"weights.{name}" for name in DIMENSIONS]
    names += ["csat.noise"] + [f"csat.cut_points.{k}" for k in range(_N_CUTS)]
    notes = tuple(
        f"weights.{name}: fitted {weight:.3g} < 0, set to 0 in the fitted parameters"
        for name, weight in zip(DIMENSIONS, weights, strict=True)
        if weight < 0
    )
    fitted = parameters.model_copy(
        update={
            "weights": parameters.weights.model_copy(
                update={
                    name: max(float(weight), 0.0)
                    for name, weight in zip(DIMENSIONS, weights, strict=True)
                }
            ),
            "csat": parameters.csat.model_copy(
                update={"cut_points": tuple(float(c) for c in cuts), "noise": float(1.0 / total)}
            ),
        }
    )
    return names, estimates, jacobian, fitted, notes


def fit_satisfaction(
    table: pd.DataFrame,
    parameters: SatisfactionParameters | None = None,
    *,
    channel_kinds: Mapping[str, str] | None = None,
    source: str = "survey",
) -> SatisfactionFit:
    """Fit the dimension weights, CSAT cut-points and noise to observed CSAT answers.

    ``table`` has the journeys-table columns (the experience of each answered journey) and
    ``csat``, the observed answer (1–5, every level present). ``parameters`` gives the rest
    of the model (defaults if omitted); ``channel_kinds`` maps channel names to the kinds
    ``parameters.channels`` is keyed by. Each dimension must vary across the rows (tangibles
    only varies between channels), or its weight cannot be told from the cut-points.

    The rows must not be chosen by their answers: when customers with some answers reply
    more often than others (a survey with unequal response rates) the fit is biased; fit
    the model and the rates together with
    ``fit_survey_response(..., fit_csat=True)`` instead.
    """
    parameters = parameters or SatisfactionParameters()
    y = observed_csat(table, source)
    x = dimension_matrix(table, parameters, channel_kinds, source)
    shares = np.cumsum(np.bincount(y, minlength=CSAT_LEVELS + 1)[1:])[:-1] / len(y)
    theta0 = stats.norm.ppf(shares)
    start = np.concatenate((np.zeros(_N_WEIGHTS), [theta0[0]], np.log(np.diff(theta0))))
    maximum = maximise_likelihood(_free_objective, start, (x, y), len(y))
    natural = to_natural(maximum.point)
    information = observed_information(
        lambda point: probit_negative_log_likelihood(point, x, y)[1], natural
    )
    variance = covariance(
        information,
        f"{source}: expected dimension scores that are not linear combinations of each "
        "other, got a singular information matrix (the weights cannot be told apart)",
    )
    names, estimates, jacobian, fitted, notes = csat_estimates(natural, parameters, source)
    return SatisfactionFit(
        estimates=wald_estimates(names, estimates, jacobian, variance),
        parameters=fitted,
        log_likelihood=-maximum.value,
        n=len(y),
        converged=maximum.converged,
        notes=notes,
    )


__all__ = ["fit_satisfaction"]

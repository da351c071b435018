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
from scipy import optimize, stats

from queuesim.satisfaction.dimensions import dimension_scores
from queuesim.satisfaction.estimation import (
    SatisfactionFit,
    covariance,
    normal_interval,
    observed_answers,
    observed_information,
    wald_estimates,
)
from queuesim.satisfaction.journeys import JourneyTableError
from queuesim.satisfaction.parameters import CSAT_LEVELS, DIMENSIONS, SatisfactionParameters

_N_CUTS = CSAT_LEVELS - 1
_N_WEIGHTS = len(DIMENSIONS)
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


def _negative_log_likelihood(
    natural: np.ndarray, x: np.ndarray, y: np.ndarray
) -> tuple[float, np.ndarray]:
    """−ln L and its gradient in the natural parameters (β, θ)."""
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


def _to_natural(free: np.ndarray) -> np.ndarray:
    """(β, θ₁, ln gaps) → (β, θ)."""
    theta = free[_N_WEIGHTS] + np.concatenate(([0.0], np.cumsum(np.exp(free[_N_WEIGHTS + 1 :]))))
    return np.concatenate((free[:_N_WEIGHTS], theta))


def _free_objective(free: np.ndarray, x: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    value, gradient = _negative_log_likelihood(_to_natural(free), x, y)
    gaps = np.exp(free[_N_WEIGHTS + 1 :])
    chain = gradient.copy()
    theta_gradient = gradient[_N_WEIGHTS:]
    chain[_N_WEIGHTS] = theta_gradient.sum()
    for j in range(1, _N_CUTS):
        chain[_N_WEIGHTS + j] = gaps[j - 1] * theta_gradient[j:].sum()
    return value, chain


def _observed_csat(table: pd.DataFrame, source: str) -> np.ndarray:
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
    """
    parameters = parameters or SatisfactionParameters()
    y = _observed_csat(table, source)
    dimensions = dimension_scores(table.drop(columns=["csat"]), parameters, channel_kinds, source)
    x = dimensions.to_numpy(dtype=float)
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
    shares = np.cumsum(np.bincount(y, minlength=CSAT_LEVELS + 1)[1:])[:-1] / len(y)
    theta0 = stats.norm.ppf(shares)
    start = np.concatenate((np.zeros(_N_WEIGHTS), [theta0[0]], np.log(np.diff(theta0))))
    result = optimize.minimize(
        _free_objective, start, args=(x, y), jac=True, method="BFGS", options={"gtol": 1e-6}
    )
    natural = _to_natural(result.x)
    information = observed_information(
        lambda point: _negative_log_likelihood(point, x, y)[1], natural
    )
    variance = covariance(
        information,
        f"{source}: expected dimension scores that are not linear combinations of each "
        "other, got a singular information matrix (the weights cannot be told apart)",
    )
    beta, theta = natural[:_N_WEIGHTS], natural[_N_WEIGHTS:]
    total = beta.sum()
    if total <= 0:
        raise ValueError(
            f"{source}: expected CSAT to rise with the dimension scores, got weights summing "
            f"to {total:.3g} (the answers do not follow the experience)"
        )
    weights = beta / total
    cuts = theta / total
    estimates = np.concatenate((weights, [1.0 / total], cuts))
    jacobian = np.zeros((len(estimates), len(natural)))
    jacobian[:_N_WEIGHTS, :_N_WEIGHTS] = (np.eye(_N_WEIGHTS) - weights[:, None]) / total
    jacobian[_N_WEIGHTS, :_N_WEIGHTS] = -1.0 / total**2
    jacobian[_N_WEIGHTS + 1 :, :_N_WEIGHTS] = -theta[:, None] / total**2
    jacobian[_N_WEIGHTS + 1 :, _N_WEIGHTS:] = np.eye(_N_CUTS) / total
    names = [f"weights.{name}" for name in DIMENSIONS]
    names += ["csat.noise"] + [f"csat.cut_points.{k}" for k in range(_N_CUTS)]
    frame = wald_estimates(names, estimates, jacobian, variance)
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
    return SatisfactionFit(
        estimates=frame,
        parameters=fitted,
        log_likelihood=-float(result.fun),
        n=len(y),
        converged=bool(result.success),
        notes=notes,
    )


__all__ = ["fit_satisfaction"]

"""Maximum-likelihood machinery shared by the satisfaction calibrations.

Every calibration (:func:`~queuesim.satisfaction.fit_satisfaction`,
:func:`~queuesim.satisfaction.fit_recommend`,
:func:`~queuesim.satisfaction.fit_survey_response`) reads observed answers from a table
(:func:`observed_answers`), maximises a log-likelihood with an analytic gradient
(:func:`maximise_likelihood`), takes the observed information as central differences of that
gradient at the maximum (:func:`observed_information`), inverts it (:func:`covariance`),
carries the covariance to the reported parameters by the delta method and writes one row per
parameter with its 95% Wald interval (:func:`wald_estimates`), and returns a
:class:`SatisfactionFit`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize, special, stats

from queuesim.satisfaction.journeys import JourneyTableError, column_kind
from queuesim.satisfaction.parameters import SatisfactionParameters

Z95 = float(stats.norm.ppf(0.975))
ESTIMATE_COLUMNS = ["parameter", "estimate", "std_error", "ci_low", "ci_high"]
"""The columns of :attr:`SatisfactionFit.estimates`."""

_STEP = 1e-5
_GTOL = 1e-6
_GTOL_PER_ROW = 1e-6


@dataclass(frozen=True)
class SatisfactionFit:
    """A fitted part of the satisfaction model.

    Attributes:
        estimates: one row per fitted parameter, named by its dotted path in
            :class:`SatisfactionParameters` (``weights.reliability``, ``csat.cut_points.0``,
            ``recommend.slope``, ``survey.rate_middle``, ...), with ``estimate``,
            ``std_error`` and the 95% Wald interval ``ci_low``, ``ci_high``.
        parameters: the given parameters with the fitted ones replaced.
        log_likelihood: ln L at the maximum.
        n: number of rows fitted.
        converged: whether the optimiser reached the maximum (see
            :func:`maximise_likelihood`).
        notes: anything the fitted parameters had to change (a negative weight or noise
            variance set to 0) or rows left out of the fit.
    """

    estimates: pd.DataFrame
    parameters: SatisfactionParameters
    log_likelihood: float
    n: int
    converged: bool
    notes: tuple[str, ...] = ()

    def estimate(self, parameter: str) -> float:
        """The estimate of one parameter, e.g. ``"weights.reliability"``."""
        row = self.estimates.loc[self.estimates["parameter"] == parameter]
        if row.empty:
            raise KeyError(
                f"expected one of {', '.join(self.estimates['parameter'])}, got {parameter!r}"
            )
        return float(row["estimate"].iloc[0])


def normal_interval(lower: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """Φ(upper) − Φ(lower) for standard normal bounds (±inf allowed), accurate in both
    tails, kept above 1e-300 so that its logarithm is finite."""
    probability = np.where(
        lower > 0,
        special.ndtr(-lower) - special.ndtr(-upper),
        special.ndtr(upper) - special.ndtr(lower),
    )
    return np.maximum(probability, 1e-300)


@dataclass(frozen=True)
class Maximum:
    """Where a negative log-likelihood was minimised: the point, −ln L there, and whether
    that is the maximum of the likelihood."""

    point: np.ndarray
    value: float
    converged: bool


def maximise_likelihood(
    objective: Callable[..., tuple[float, np.ndarray]],
    start: np.ndarray,
    args: tuple[object, ...],
    rows: int,
) -> Maximum:
    """Minimise ``objective`` (−ln L and its gradient) from ``start`` by BFGS.

    Converged when BFGS reports success, or when it stops on a loss of precision (the
    log-likelihood of thousands of rows cannot be resolved to an absolute gradient of 1e-6)
    with every gradient component within 1e-6 × ``rows``: the step still to go is then far
    below a standard error.
    """
    result = optimize.minimize(
        objective, start, args=args, jac=True, method="BFGS", options={"gtol": _GTOL}
    )
    flat = bool(np.max(np.abs(result.jac)) <= _GTOL_PER_ROW * max(rows, 1))
    return Maximum(result.x, float(result.fun), bool(result.success) or flat)


def observed_information(
    gradient: Callable[[np.ndarray], np.ndarray], point: np.ndarray
) -> np.ndarray:
    """The Hessian of a negative log-likelihood at ``point``: central differences of its
    analytic ``gradient``, symmetrised."""
    size = len(point)
    hessian = np.empty((size, size))
    for j in range(size):
        step = _STEP * max(1.0, abs(point[j]))
        shift = np.zeros(size)
        shift[j] = step
        hessian[:, j] = (gradient(point + shift) - gradient(point - shift)) / (2 * step)
    return (hessian + hessian.T) / 2


def covariance(information: np.ndarray, problem: str) -> np.ndarray:
    """The inverse of the observed information; ``problem`` is the :class:`ValueError`
    message when it is singular (the parameters cannot be told apart)."""
    try:
        return np.linalg.inv(information)
    except np.linalg.LinAlgError:
        raise ValueError(problem) from None


def wald_estimates(
    names: Sequence[str],
    estimates: np.ndarray,
    jacobian: np.ndarray,
    covariance: np.ndarray,
) -> pd.DataFrame:
    """The estimates table: standard errors of ``estimates`` by the delta method
    (√diag(J·C·Jᵀ), J the Jacobian of the estimates in the optimised parameters, C their
    covariance) and 95% Wald intervals estimate ± 1.96·SE."""
    errors = np.sqrt(np.maximum(np.diag(jacobian @ covariance @ jacobian.T), 0.0))
    return pd.DataFrame(
        {
            "parameter": list(names),
            "estimate": estimates,
            "std_error": errors,
            "ci_low": estimates - Z95 * errors,
            "ci_high": estimates + Z95 * errors,
        },
        columns=ESTIMATE_COLUMNS,
    )


def shown_number(value: float) -> str:
    """A number as written in a message: ``7`` for a whole number, ``7.5`` otherwise."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def observed_answers(
    table: pd.DataFrame,
    column: str,
    levels: tuple[int, int],
    source: str,
    *,
    meaning: str,
    rows: np.ndarray | None = None,
    which: str = "every row",
) -> np.ndarray:
    """The whole-number answers of ``column`` at ``rows`` (a boolean mask; all rows by
    default), checked to lie within ``levels`` (lowest, highest).

    A column of decimal numbers is accepted when its values there are whole (a column read
    from a file with empty cells is decimal). Raises :class:`JourneyTableError` naming the
    table, the column, what was expected (``meaning`` when the column is missing; ``which``
    says where an answer is needed) and the first offending row.
    """
    low, high = levels
    if column not in table.columns:
        raise JourneyTableError(
            [f"{source}: column {column}: expected {meaning} (required), got no such column"]
        )
    series = table[column]
    dtype = series.dtype
    if not pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype):
        raise JourneyTableError(
            [
                f"{source}: column {column}: expected whole numbers {low}–{high}, got a "
                f"column of {column_kind(dtype)}"
            ]
        )
    mask = np.ones(len(table), dtype=bool) if rows is None else rows
    values = series.to_numpy(dtype=float, na_value=np.nan)
    checks = (
        (np.isnan(values), "expected {low}–{high} in {which}, got an empty value"),
        (values != np.round(values), "expected whole numbers {low}–{high}, got {value}"),
        ((values < low) | (values > high), "expected {low}–{high}, got {value}"),
    )
    for bad, message in checks:
        bad = bad & mask
        if bad.any():
            position = int(np.flatnonzero(bad)[0])
            text = message.format(
                low=low, high=high, which=which, value=shown_number(values[position])
            )
            raise JourneyTableError([f"{source}: column {column}: {text} (row {position})"])
    return values[mask].astype(np.int64)


__all__ = [
    "ESTIMATE_COLUMNS",
    "Z95",
    "Maximum",
    "SatisfactionFit",
    "covariance",
    "maximise_likelihood",
    "normal_interval",
    "observed_answers",
    "observed_information",
    "shown_number",
    "wald_estimates",
]

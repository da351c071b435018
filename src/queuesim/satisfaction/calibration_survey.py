"""Calibrate the survey response rates from who answered and what they answered.

The survey model answers with probability p_k = rate_middle + (rate_extremes − rate_middle)
· |k − 3| / 2 at CSAT k. With P(k | x) the ordered-probit probability of CSAT k given the
journey's experience x (weights, cut-points and noise as given), a journey asked is

- an answer k with probability P(k | x) · p_k,
- no answer with probability 1 − Σ_k P(k | x) · p_k,

and (rate_middle, rate_extremes) are fitted by maximum likelihood on the logit scale, so that
both stay within (0, 1) (``scipy.optimize.minimize``, BFGS with the analytic gradient).
Standard errors come from the observed information in the logits, carried to the rates by the
delta method; intervals are 95% Wald intervals on the rates. The fit is conditional on the
CSAT model as given.

The CSAT model itself cannot be fitted to the respondents alone when the rates differ: the
answers are then chosen by their level (levels 1 and 5 over-represented), which biases the
cut-points and noise of :func:`~queuesim.satisfaction.fit_satisfaction`, and the rates fitted
with that model in turn. With ``fit_csat=True`` the weights, cut-points and noise are fitted
together with the rates on the same likelihood (the ordered probit of
:mod:`queuesim.satisfaction.calibration` for the answers times p_k, and the probability of no
answer for the others), which is consistent whatever the rates.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from scipy import special, stats

from queuesim.satisfaction.calibration import (
    csat_estimates,
    dimension_matrix,
    fit_satisfaction,
    free_gradient,
    probit_negative_log_likelihood,
    to_free,
    to_natural,
)
from queuesim.satisfaction.dimensions import dimension_scores
from queuesim.satisfaction.estimation import (
    SatisfactionFit,
    covariance,
    maximise_likelihood,
    normal_interval,
    observed_answers,
    observed_information,
    shown_number,
    wald_estimates,
)
from queuesim.satisfaction.journeys import JourneyTableError, check_journeys, column_kind
from queuesim.satisfaction.parameters import CSAT_LEVELS, DIMENSIONS, SatisfactionParameters
from queuesim.satisfaction.scoring import csat_from_latent, experience_score

_LEVELS = np.arange(1, CSAT_LEVELS + 1)
_EXTREMITY = np.abs(_LEVELS - (CSAT_LEVELS + 1) / 2) / ((CSAT_LEVELS - 1) / 2)
"""|k − 3| / 2 for k = 1..5: the weight of ``rate_extremes`` in p_k."""
_NAMES = ("survey.rate_middle", "survey.rate_extremes")
_N_WEIGHTS = len(DIMENSIONS)
_N_FREE = _N_WEIGHTS + CSAT_LEVELS - 1
"""(β, θ) of the ordered probit come first in the joint fit's parameters, then the logits."""


def csat_probabilities(experience: np.ndarray, parameters: SatisfactionParameters) -> np.ndarray:
    """P(CSAT = k | experience) for k = 1..5, shape (n, 5), from the ordered probit of
    ``parameters.csat`` (a 0/1 table when its noise is 0)."""
    csat = parameters.csat
    if csat.noise == 0:
        return (csat_from_latent(experience, csat.cut_points)[:, None] == _LEVELS).astype(float)
    bounds = np.concatenate(([-np.inf], csat.cut_points, [np.inf]))
    z = (bounds[None, :] - experience[:, None]) / csat.noise
    return normal_interval(z[:, :-1], z[:, 1:])


def _rates_negative_log_likelihood(
    logits: np.ndarray, answers: np.ndarray, silent: np.ndarray
) -> tuple[float, np.ndarray]:
    """−ln L and its gradient in (logit rate_middle, logit rate_extremes).

    ``answers``: the extremity |k − 3|/2 of each answer; ``silent``: for each journey that did
    not answer, (Σ_k P_k·(1 − extremity_k), Σ_k P_k·extremity_k), so that its probability of
    answering is rate_middle · the first + rate_extremes · the second.
    """
    middle, extremes = special.expit(logits)
    answered = middle * (1 - answers) + extremes * answers
    missing = 1 - silent @ np.array([middle, extremes])
    value = -np.sum(np.log(answered)) - np.sum(np.log(missing))
    by_rates = -np.array(
        [
            np.sum((1 - answers) / answered) - np.sum(silent[:, 0] / missing),
            np.sum(answers / answered) - np.sum(silent[:, 1] / missing),
        ]
    )
    return float(value), by_rates * np.array([middle * (1 - middle), extremes * (1 - extremes)])


def _responded(table: pd.DataFrame, source: str) -> np.ndarray:
    if "responded" not in table.columns:
        raise JourneyTableError(
            [
                f"{source}: column responded: expected true/false values (whether the journey "
                "answered the survey; required), got no such column"
            ]
        )
    column = table["responded"]
    if not pd.api.types.is_bool_dtype(column.dtype):
        raise JourneyTableError(
            [
                f"{source}: column responded: expected true/false values, got a column of "
                f"{column_kind(column.dtype)}"
            ]
        )
    if column.isna().any():
        position = int(np.flatnonzero(column.isna().to_numpy())[0])
        raise JourneyTableError(
            [
                f"{source}: column responded: expected true/false in every row, got an empty "
                f"value (row {position})"
            ]
        )
    return column.to_numpy(dtype=bool)


def _survey_rows(
    table: pd.DataFrame, parameters: SatisfactionParameters, source: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray, tuple[str, ...]]:
    """Check the survey columns: whether each row answered, the answers, the rows asked (all,
    or the journeys served when ``survey.include_unserved`` is false) and notes."""
    responded = _responded(table, source)
    csat = observed_answers(
        table,
        "csat",
        (1, CSAT_LEVELS),
        source,
        meaning=f"the CSAT answer 1–{CSAT_LEVELS} where responded is true",
        rows=responded,
        which="every row where responded is true",
    )
    given = ~responded & table["csat"].notna().to_numpy()
    if given.any():
        position = int(np.flatnonzero(given)[0])
        raise JourneyTableError(
            [
                f"{source}: column csat: expected empty (NaN) where responded is false, got "
                f"{shown_number(table['csat'].iloc[position])} (row {position})"
            ]
        )
    asked = np.ones(len(table), dtype=bool)
    notes: tuple[str, ...] = ()
    if not parameters.survey.include_unserved:
        asked = table["proficiency"].notna().to_numpy()
        answered_unserved = responded & ~asked
        if answered_unserved.any():
            position = int(np.flatnonzero(answered_unserved)[0])
            raise JourneyTableError(
                [
                    f"{source}: column responded: expected false for journeys never served "
                    "(empty proficiency) when survey.include_unserved is false, got true "
                    f"(row {position}); set include_unserved true if the survey reaches them"
                ]
            )
        if not asked.all():
            notes = (
                f"{int((~asked).sum())} journeys never served left out: with "
                "survey.include_unserved false they are not asked",
            )
    for count, what in (
        (responded.sum(), "that answered"),
        ((asked & ~responded).sum(), "that did not answer"),
    ):
        if count == 0:
            raise JourneyTableError(
                [
                    f"{source}: column responded: expected journeys that answered and journeys "
                    f"that did not, got none {what}"
                ]
            )
    return responded, csat, asked, notes


def _silent_shares(probabilities: np.ndarray) -> np.ndarray:
    """Per journey that did not answer, (Σ_k P_k·(1 − extremity_k), Σ_k P_k·extremity_k)."""
    return np.column_stack((probabilities @ (1 - _EXTREMITY), probabilities @ _EXTREMITY))


def _fit_rates(
    answers: np.ndarray, silent: np.ndarray, start: float, source: str
) -> tuple[np.ndarray, np.ndarray, float, bool]:
    """The logits of the two rates, their covariance, −ln L and whether BFGS converged."""
    maximum = maximise_likelihood(
        _rates_negative_log_likelihood,
        np.full(2, special.logit(start)),
        (answers, silent),
        len(answers) + len(silent),
    )
    variance = covariance(
        observed_information(
            lambda point: _rates_negative_log_likelihood(point, answers, silent)[1],
            maximum.point,
        ),
        f"{source}: expected answers that tell the two rates apart, got a singular "
        "information matrix",
    )
    return maximum.point, variance, maximum.value, maximum.converged


def _joint_negative_log_likelihood(
    natural: np.ndarray, answered: np.ndarray, csat: np.ndarray, silent: np.ndarray
) -> tuple[float, np.ndarray]:
    """−ln L of the CSAT model and the rates together, and its gradient in (β, θ, logits).

    ``answered``, ``silent``: dimension scores of the journeys that answered (with their
    ``csat``) and of those that did not.
    """
    beta, theta, logits = natural[:_N_WEIGHTS], natural[_N_WEIGHTS:_N_FREE], natural[_N_FREE:]
    value, gradient = probit_negative_log_likelihood(natural[:_N_FREE], answered, csat)
    upper = theta[None, :] - (silent @ beta)[:, None]
    infinite = np.full((len(silent), 1), np.inf)
    probabilities = normal_interval(np.hstack((-infinite, upper)), np.hstack((upper, infinite)))
    rates_value, rates_gradient = _rates_negative_log_likelihood(
        logits, _EXTREMITY[csat - 1], _silent_shares(probabilities)
    )
    middle, extremes = special.expit(logits)
    rates = middle * (1 - _EXTREMITY) + extremes * _EXTREMITY
    missing = 1 - probabilities @ rates
    # d(−ln(1 − q))/dθ_j with q = Σ_k P_k·p_k and dq/dθ_j = φ(θ_j − x·β)·(p_j − p_{j+1})
    by_theta = stats.norm.pdf(upper) * (rates[:-1] - rates[1:]) / missing[:, None]
    gradient = gradient + np.concatenate((-(silent.T @ by_theta.sum(axis=1)), by_theta.sum(axis=0)))
    return value + rates_value, np.concatenate((gradient, rates_gradient))


def _joint_objective(
    free: np.ndarray, answered: np.ndarray, csat: np.ndarray, silent: np.ndarray
) -> tuple[float, np.ndarray]:
    value, gradient = _joint_negative_log_likelihood(to_natural(free), answered, csat, silent)
    return value, free_gradient(free, gradient)


def _fit_jointly(
    table: pd.DataFrame,
    parameters: SatisfactionParameters,
    rows: tuple[np.ndarray, np.ndarray, np.ndarray, tuple[str, ...]],
    channel_kinds: Mapping[str, str] | None,
    source: str,
) -> SatisfactionFit:
    responded, csat, asked, notes = rows
    x = dimension_matrix(table.loc[asked], parameters, channel_kinds, source)
    answered, silent = x[responded[asked]], x[~responded[asked]]
    # start from the CSAT model fitted to the answers alone and the rates given that model
    start = fit_satisfaction(
        table.loc[responded], parameters, channel_kinds=channel_kinds, source=source
    )
    csat_model = start.parameters.csat
    weights = np.array(list(start.parameters.weights.normalised().values()))
    probit = np.concatenate((weights, csat_model.cut_points)) / csat_model.noise
    logits = _fit_rates(
        _EXTREMITY[csat - 1],
        _silent_shares(csat_probabilities(silent @ weights, start.parameters)),
        responded.sum() / asked.sum(),
        source,
    )[0]
    maximum = maximise_likelihood(
        _joint_objective,
        to_free(np.concatenate((probit, logits))),
        (answered, csat, silent),
        len(x),
    )
    natural = to_natural(maximum.point)
    variance = covariance(
        observed_information(
            lambda point: _joint_negative_log_likelihood(point, answered, csat, silent)[1],
            natural,
        ),
        f"{source}: expected answers that tell the weights, cut-points and rates apart, got "
        "a singular information matrix",
    )
    names, estimates, jacobian, fitted, weight_notes = csat_estimates(
        natural[:_N_FREE], parameters, source
    )
    rates = special.expit(natural[_N_FREE:])
    full = np.zeros((len(estimates) + 2, len(natural)))
    full[: len(estimates), :_N_FREE] = jacobian
    full[len(estimates) :, _N_FREE:] = np.diag(rates * (1 - rates))
    return SatisfactionFit(
        estimates=wald_estimates(
            [*names, *_NAMES], np.concatenate((estimates, rates)), full, variance
        ),
        parameters=_with_rates(fitted, rates),
        log_likelihood=-maximum.value,
        n=int(asked.sum()),
        converged=maximum.converged,
        notes=notes + weight_notes,
    )


def _with_rates(parameters: SatisfactionParameters, rates: np.ndarray) -> SatisfactionParameters:
    return parameters.model_copy(
        update={
            "survey": parameters.survey.model_copy(
                update={"rate_middle": float(rates[0]), "rate_extremes": float(rates[1])}
            )
        }
    )


def fit_survey_response(
    table: pd.DataFrame,
    parameters: SatisfactionParameters | None = None,
    *,
    fit_csat: bool = False,
    channel_kinds: Mapping[str, str] | None = None,
    source: str = "survey",
) -> SatisfactionFit:
    """Fit the survey response rates (``survey.rate_middle``, ``survey.rate_extremes``), and
    with ``fit_csat`` the CSAT model together with them.

    ``table`` has one row per journey asked to answer, with the journeys-table columns (its
    experience), ``responded`` (true/false) and ``csat``: the answer (1–5) where
    ``responded`` is true, empty (NaN) where it is false. ``parameters`` gives the rest of
    the model (defaults if omitted); ``channel_kinds`` maps channel names to the kinds
    ``parameters.channels`` is keyed by.

    Without ``fit_csat`` the CSAT model (weights, cut-points, noise) is taken as given in
    ``parameters``: right only if it was fitted to answers not chosen by their level. With
    ``fit_csat=True`` the weights, cut-points and noise are fitted jointly with the rates
    (``weights.*``, ``csat.noise``, ``csat.cut_points.*`` rows as in
    :func:`~queuesim.satisfaction.fit_satisfaction`, which needs every CSAT level among the
    answers and every dimension varying): the consistent fit when only the respondents'
    answers are known and extremes answer more often.

    With ``survey.include_unserved`` false (a post-contact survey) journeys that never
    reached an agent are not asked: rows of such journeys are left out of the fit, with a
    note, and one of them that answered is an error. With it true every row counts. The
    fitted parameters keep ``include_unserved`` as given. Raises :class:`JourneyTableError`
    for a bad table, including one without journeys that answered or without journeys that
    did not.
    """
    parameters = parameters or SatisfactionParameters()
    check_journeys(table, source)
    rows = _survey_rows(table, parameters, source)
    if fit_csat:
        return _fit_jointly(table, parameters, rows, channel_kinds, source)
    responded, csat, asked, notes = rows
    experience = experience_score(
        dimension_scores(table, parameters, channel_kinds, source), parameters
    )
    silent = _silent_shares(csat_probabilities(experience[asked & ~responded], parameters))
    logits, variance, value, converged = _fit_rates(
        _EXTREMITY[csat - 1], silent, responded.sum() / asked.sum(), source
    )
    rates = special.expit(logits)
    # the answers' own probabilities P(k | x) do not depend on the rates
    answered = csat_probabilities(experience[responded], parameters)
    constant = np.sum(np.log(np.maximum(answered[np.arange(len(csat)), csat - 1], 1e-300)))
    return SatisfactionFit(
        estimates=wald_estimates(_NAMES, rates, np.diag(rates * (1 - rates)), variance),
        parameters=_with_rates(parameters, rates),
        log_likelihood=constant - value,
        n=int(asked.sum()),
        converged=converged,
        notes=notes,
    )


__all__ = ["csat_probabilities", "fit_survey_response"]

"""Surveys: who answers, and the reported CSAT and NPS beside the true ones.

A journey answers with probability p(csat) = rate_middle + (rate_extremes − rate_middle) ·
|csat − 3| / 2 (customers with extreme experiences answer more often); journeys that never
reached an agent are not asked unless ``include_unserved``. With response probabilities p_k
per CSAT level and true shares s_k, the expected reported share of level k is
s_k·p_k / Σ_j s_j·p_j, and the expected reported mean Σ_k k·s_k·p_k / Σ_j s_j·p_j: when
extremes answer more, levels 1 and 5 are over-represented and 3 under-represented; with equal
rates the reported figures are unbiased (up to sampling error).

The survey is taken at the end of the journey: a detractor follow-up triggered by the answer
comes after it. Pass the scores from before any follow-up to :func:`sample_surveys`, and the
final scores (with ``followed_up`` set) as the true figures to :func:`satisfaction_summary`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from queuesim.satisfaction.draws import JourneyDraws
from queuesim.satisfaction.parameters import CSAT_LEVELS, SatisfactionParameters

SURVEY_COLUMNS = ("journey", "csat", "likelihood_to_recommend", "nps_group")
"""The columns of a survey table: one row per journey that answered, with its answers."""

_MIDDLE = (CSAT_LEVELS + 1) / 2
_SCORED = (*SURVEY_COLUMNS, "proficiency")


def _need(table: pd.DataFrame, columns: tuple[str, ...], what: str) -> None:
    missing = [name for name in columns if name not in table.columns]
    if missing:
        raise ValueError(
            f"{what}: expected the columns of score_journeys, got no column "
            + ", ".join(repr(name) for name in missing)
        )


def response_probability(csat: np.ndarray, parameters: SatisfactionParameters) -> np.ndarray:
    """The probability that a journey with this CSAT answers the survey."""
    survey = parameters.survey
    distance = np.abs(np.asarray(csat, dtype=float) - _MIDDLE) / (_MIDDLE - 1)
    return survey.rate_middle + (survey.rate_extremes - survey.rate_middle) * distance


def sample_surveys(
    scored: pd.DataFrame,
    parameters: SatisfactionParameters,
    rng: np.random.Generator | JourneyDraws,
) -> pd.DataFrame:
    """The journeys that answered the survey, with their answers (:data:`SURVEY_COLUMNS`).

    ``scored`` is a table from :func:`~queuesim.satisfaction.score_journeys`. One uniform
    draw per row decides, whoever is asked: from a generator, taken in row order, so the same
    table and generator give the same respondents; from :class:`JourneyDraws`, the one stored
    at the row's journey id, so a journey answers or not whatever the other rows.
    """
    _need(scored, _SCORED, "scored")
    if isinstance(rng, JourneyDraws):
        draws = rng.surveys(scored["journey"].to_numpy())
    else:
        draws = rng.random(len(scored))
    probability = response_probability(scored["csat"].to_numpy(), parameters)
    if not parameters.survey.include_unserved:
        served = ~np.isnan(scored["proficiency"].to_numpy(dtype=float))
        probability = np.where(served, probability, 0.0)
    answered = draws < probability
    return scored.loc[answered, list(SURVEY_COLUMNS)].reset_index(drop=True)


def _scores(prefix: str, answers: pd.DataFrame) -> list[tuple[str, str, float]]:
    """CSAT mean and shares, NPS group shares and NPS of one set of answers."""
    n = len(answers)
    csat = answers["csat"].to_numpy()
    groups = answers["nps_group"].to_numpy()

    def share(mask: np.ndarray) -> float:
        return float(mask.sum() / n) if n else float("nan")

    rows = [(f"{prefix}csat_mean", "score", float(csat.mean()) if n else float("nan"))]
    rows += [
        (f"{prefix}csat_share_{level}", "ratio", share(csat == level))
        for level in range(1, CSAT_LEVELS + 1)
    ]
    rows.append(
        (
            f"{prefix}likelihood_to_recommend_mean",
            "score",
            float(answers["likelihood_to_recommend"].mean()) if n else float("nan"),
        )
    )
    promoters, detractors = share(groups == "promoter"), share(groups == "detractor")
    rows += [
        (f"{prefix}promoter_share", "ratio", promoters),
        (f"{prefix}passive_share", "ratio", share(groups == "passive")),
        (f"{prefix}detractor_share", "ratio", detractors),
        (f"{prefix}nps", "points", 100.0 * (promoters - detractors)),
    ]
    return rows


def satisfaction_summary(scored: pd.DataFrame, surveyed: pd.DataFrame) -> pd.DataFrame:
    """True against reported satisfaction: tidy rows ``metric, unit, value``.

    True figures (``csat_mean``, ``csat_share_1`` … ``csat_share_5``,
    ``likelihood_to_recommend_mean``, ``promoter_share``, ``passive_share``,
    ``detractor_share``, ``nps``) cover every journey of ``scored``; the same names prefixed
    ``reported_`` cover the answers in ``surveyed``; then ``journeys``, ``survey_responses``
    and ``survey_response_rate`` (responses / journeys). NPS is 100 × (promoter share −
    detractor share), in points from −100 to 100; a figure with no journeys is NaN; and
    ``detractor_follow_ups``, the journeys of ``scored`` with ``followed_up`` true.
    """
    _need(scored, SURVEY_COLUMNS, "scored")
    _need(surveyed, SURVEY_COLUMNS, "surveyed")
    rows = _scores("", scored) + _scores("reported_", surveyed)
    n, responses = len(scored), len(surveyed)
    rows += [
        ("journeys", "count", float(n)),
        ("survey_responses", "count", float(responses)),
        ("survey_response_rate", "ratio", responses / n if n else float("nan")),
    ]
    if "followed_up" in scored.columns:
        followed = float(scored["followed_up"].to_numpy(dtype=bool).sum())
    else:
        followed = 0.0
    rows.append(("detractor_follow_ups", "count", followed))
    return pd.DataFrame(rows, columns=["metric", "unit", "value"])


__all__ = [
    "SURVEY_COLUMNS",
    "response_probability",
    "sample_surveys",
    "satisfaction_summary",
]

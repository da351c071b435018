"""Journeys → dimension scores → latent satisfaction → CSAT, likelihood to recommend, NPS group.

For journey i with dimension scores D_i and normalised weights w:

- experience_i = Σ_d w_d · D_id (no randomness);
- latent_i = experience_i + σ · ε_i, ε_i ~ N(0, 1), plus, when ``followed_up``,
  recovery_i = share · max(0, target − (experience_i + σ·ε_i));
- csat_i = 1 + #{cut-points below latent_i} (1–5, an ordered-probit model);
- likelihood_to_recommend_i = clip(round(intercept + slope · latent_i + τ · η_i), 0, 10),
  η_i ~ N(0, 1); nps_group promoter (9–10), passive (7–8) or detractor (0–6).

The random draws come only from what is passed in. From a generator: one block of shape
(n, 2) taken in row order (row i uses ε_i = block[i, 0], η_i = block[i, 1]) whatever the
parameters, so the same table and generator give the same scores, a row's draws do not
depend on the rows after it, and scoring again with other parameters (or with follow-ups)
reuses the same draws. From :class:`~queuesim.satisfaction.JourneyDraws` (what a simulation
uses): the draws stored at each row's journey id, so a journey gets the same scores whatever
the other rows of the table and their order.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from queuesim.satisfaction.dimensions import dimension_scores
from queuesim.satisfaction.draws import JourneyDraws
from queuesim.satisfaction.parameters import DIMENSIONS, SatisfactionParameters

NPS_GROUPS = ("detractor", "passive", "promoter")
PROMOTER_MIN = 9
PASSIVE_MIN = 7
RECOMMEND_MAX = 10
SCORE_COLUMNS = (
    *DIMENSIONS,
    "experience",
    "recovery",
    "latent",
    "csat",
    "likelihood_to_recommend",
    "nps_group",
)
"""The columns :func:`score_journeys` adds to the journeys table."""


def experience_score(dimensions: pd.DataFrame, parameters: SatisfactionParameters) -> np.ndarray:
    """Σ_d w_d · D_d with the normalised weights: the latent score without noise."""
    weights = parameters.weights.normalised()
    return sum(
        (weights[name] * dimensions[name].to_numpy(dtype=float) for name in DIMENSIONS),
        start=np.zeros(len(dimensions)),
    )


def csat_from_latent(latent: np.ndarray, cut_points: tuple[float, ...]) -> np.ndarray:
    """CSAT 1–5: one plus the number of cut-points strictly below the latent score."""
    return 1 + np.searchsorted(np.asarray(cut_points), np.asarray(latent), side="left")


def nps_groups(likelihood: np.ndarray) -> np.ndarray:
    """``promoter`` for 9–10, ``passive`` for 7–8, ``detractor`` for 0–6 (Reichheld 2003)."""
    likelihood = np.asarray(likelihood)
    return np.where(
        likelihood >= PROMOTER_MIN,
        "promoter",
        np.where(likelihood >= PASSIVE_MIN, "passive", "detractor"),
    ).astype(object)


def score_journeys(
    journeys: pd.DataFrame,
    parameters: SatisfactionParameters,
    rng: np.random.Generator | JourneyDraws,
    *,
    channel_kinds: Mapping[str, str] | None = None,
    source: str = "journeys",
) -> pd.DataFrame:
    """Score every journey: the table with :data:`SCORE_COLUMNS` added.

    ``journeys`` follows the journeys-table contract (docs/satisfaction.md); abandoned,
    unresolved and never-served journeys are scored like any other. ``rng`` is the only
    source of randomness: a generator (drawn in row order) or :class:`JourneyDraws` (the
    engine's, from its ``satisfaction`` stream: by journey id); ``channel_kinds`` maps
    channel names to the kinds ``parameters.channels`` is keyed by; ``source`` names the
    table in error messages. Raises :class:`JourneyTableError` on a table that breaks the
    contract.
    """
    dimensions = dimension_scores(journeys, parameters, channel_kinds, source)
    scored = journeys.copy()
    if "followed_up" not in scored.columns:
        scored["followed_up"] = False
    if isinstance(rng, JourneyDraws):
        draws = rng.scores(scored["journey"].to_numpy())
    else:
        draws = rng.standard_normal((len(scored), 2))
    experience = experience_score(dimensions, parameters)
    before = experience + parameters.csat.noise * draws[:, 0]
    followed = scored["followed_up"].to_numpy(dtype=bool)
    recovery = np.where(
        followed,
        parameters.follow_up.share * np.maximum(0.0, parameters.recovery_target - before),
        0.0,
    )
    latent = before + recovery
    recommend = parameters.recommend
    likelihood = np.clip(
        np.rint(recommend.intercept + recommend.slope * latent + recommend.noise * draws[:, 1]),
        0,
        RECOMMEND_MAX,
    ).astype(np.int64)
    for name in DIMENSIONS:
        scored[name] = dimensions[name]
    scored["experience"] = experience
    scored["recovery"] = recovery
    scored["latent"] = latent
    scored["csat"] = csat_from_latent(latent, parameters.csat.cut_points).astype(np.int64)
    scored["likelihood_to_recommend"] = likelihood
    scored["nps_group"] = nps_groups(likelihood)
    return scored


__all__ = [
    "NPS_GROUPS",
    "SCORE_COLUMNS",
    "csat_from_latent",
    "experience_score",
    "nps_groups",
    "score_journeys",
]

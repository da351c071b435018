"""From a journey's experience to its five SERVQUAL dimension scores (vectorised).

Scores share one scale on which 1 is a journey that fully meets expectations; lower is
worse (responsiveness can go below 0 after very long waits). The formulas and their
parameters are in :mod:`queuesim.satisfaction.parameters`; in short:

- responsiveness = a − c·ln(1 + W_p / W_acceptable) − d·ln(1 + T / T_acceptable)
  − abandonment_penalty · abandoned, with W_p = k·u·(W/u)^p the perceived total wait;
- reliability = (resolved ? r₁ : r₀) · (1 − repeat)^(contacts − 1) · (1 − error)^errors
  · (1 − transfer)^transfers;
- assurance = 1 − slope · (1 − min(proficiency, 1)), or the ``unserved`` value;
- empathy = base + authority · empowered + personalisation + consistency, or ``unserved``;
- tangibles = the channel's constant.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from queuesim.satisfaction.journeys import JourneyTableError, check_journeys
from queuesim.satisfaction.parameters import DIMENSIONS, ChannelExperience, SatisfactionParameters


def perceived_wait(wait: np.ndarray, parameters: SatisfactionParameters) -> np.ndarray:
    """Perceived waits (s) of actual waits (s): k · u · (W / u)^p."""
    law = parameters.perceived_wait
    return law.scale * law.unit * (np.asarray(wait, dtype=float) / law.unit) ** law.exponent


def channel_experience(
    channels: pd.Series,
    parameters: SatisfactionParameters,
    channel_kinds: Mapping[str, str] | None = None,
    source: str = "journeys",
) -> list[ChannelExperience]:
    """The channel parameters of each row: by the channel's name if ``parameters.channels``
    has it, else by its kind from ``channel_kinds``; an unknown channel is an error."""
    kinds = dict(channel_kinds or {})
    known = parameters.channels
    lookup: dict[str, ChannelExperience] = {}
    for name in pd.unique(channels):
        key = name if name in known else kinds.get(name)
        if key not in known:
            via = f" (kind {key!r})" if key is not None else ""
            raise JourneyTableError(
                [
                    f"{source}: column channel: expected a channel of the satisfaction "
                    f"parameters ({', '.join(sorted(known))}) or one whose kind is given, "
                    f"got {name!r}{via}"
                ]
            )
        lookup[name] = known[key]
    return [lookup[name] for name in channels]


def dimension_scores(
    journeys: pd.DataFrame,
    parameters: SatisfactionParameters,
    channel_kinds: Mapping[str, str] | None = None,
    source: str = "journeys",
) -> pd.DataFrame:
    """The five dimension scores of every journey (columns in :data:`DIMENSIONS` order).

    ``journeys`` follows the journeys-table contract (checked here); ``channel_kinds`` maps
    channel names to kinds when ``parameters.channels`` is keyed by kind. Rows keep the
    table's index. Journeys never served take the ``unserved`` assurance and empathy values.
    """
    table = check_journeys(journeys, source)
    channels = channel_experience(table["channel"], parameters, channel_kinds, source)
    acceptable = np.array([channel.acceptable_wait for channel in channels], dtype=float)
    tangibles = np.array([channel.tangibles for channel in channels], dtype=float)

    resolved = table["resolved"].to_numpy(dtype=bool)
    speed = parameters.responsiveness
    resolution = np.where(
        resolved, table["time_to_resolution"].to_numpy(dtype=float), speed.unresolved_time
    )
    responsiveness = (
        speed.best
        - speed.wait_slope
        * np.log1p(perceived_wait(table["wait"].to_numpy(), parameters) / acceptable)
        - speed.resolution_slope * np.log1p(resolution / speed.acceptable_resolution)
        - speed.abandonment_penalty * table["abandoned"].to_numpy(dtype=float)
    )

    rel = parameters.reliability
    reliability = (
        np.where(resolved, rel.resolved, rel.unresolved)
        * (1.0 - rel.repeat_penalty) ** (table["contacts"].to_numpy(dtype=float) - 1.0)
        * (1.0 - rel.error_penalty) ** table["errors"].to_numpy(dtype=float)
        * (1.0 - rel.transfer_penalty) ** table["transfers"].to_numpy(dtype=float)
    )

    proficiency = table["proficiency"].to_numpy(dtype=float)
    served = ~np.isnan(proficiency)
    shortfall = 1.0 - np.minimum(np.where(served, proficiency, 1.0), 1.0)
    assurance = np.where(
        served,
        1.0 - parameters.assurance.shortfall_slope * shortfall,
        parameters.assurance.unserved,
    )

    care = parameters.empathy
    empowered = np.where(served, table["empowered"].to_numpy(dtype=float), 0.0)
    empathy = np.where(
        served,
        care.base + care.authority * empowered + care.personalisation + care.consistency,
        care.unserved,
    )

    scores = {
        "reliability": reliability,
        "responsiveness": responsiveness,
        "assurance": assurance,
        "empathy": empathy,
        "tangibles": tangibles,
    }
    return pd.DataFrame({name: scores[name] for name in DIMENSIONS}, index=table.index)


__all__ = ["channel_experience", "dimension_scores", "perceived_wait"]

"""CSAT and NPS distributions from a journeys table.

Expects one row per journey with ``csat`` (1–5) and ``likelihood_to_recommend`` (0–10).
NPS follows Reichheld (2003): promoters answer 9–10, detractors 0–6; NPS is the share of
promoters minus the share of detractors, in points (−100 to 100).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from queuesim.plotting.common import new_figure, ratio_axis, require_columns

CSAT_SCORES = np.arange(1, 6)
LTR_SCORES = np.arange(0, 11)
NPS_COLOURS = {"detractor": "#d7301f", "passive": "#bdbdbd", "promoter": "#238b45"}


def _shares(values: pd.Series, scores: np.ndarray, column: str) -> np.ndarray:
    clean = values.dropna()
    bad = sorted(set(clean.unique().tolist()) - set(scores.tolist()))
    if bad:
        raise ValueError(
            f"journeys.{column}: expected integers {scores[0]}–{scores[-1]}, got {bad[:5]}"
        )
    if clean.empty:
        raise ValueError(f"journeys.{column}: expected scores, got none")
    counts = clean.astype(int).value_counts().reindex(scores, fill_value=0).to_numpy()
    return counts / counts.sum()


def nps_category(score: int) -> str:
    """``detractor`` (0–6), ``passive`` (7–8) or ``promoter`` (9–10)."""
    return "promoter" if score >= 9 else "passive" if score >= 7 else "detractor"


def net_promoter_score(likelihood_to_recommend: pd.Series) -> float:
    """NPS in points: % promoters (9–10) − % detractors (0–6)."""
    shares = _shares(likelihood_to_recommend, LTR_SCORES, "likelihood_to_recommend")
    return 100.0 * (shares[9:].sum() - shares[:7].sum())


def satisfaction_distribution(journeys: pd.DataFrame, *, title: str | None = None) -> Figure:
    """Left: share of journeys at each CSAT score; right: likelihood to recommend by NPS group."""
    require_columns(journeys, ["csat", "likelihood_to_recommend"], "journeys")
    csat = _shares(journeys["csat"], CSAT_SCORES, "csat")
    ltr = _shares(journeys["likelihood_to_recommend"], LTR_SCORES, "likelihood_to_recommend")
    nps = net_promoter_score(journeys["likelihood_to_recommend"])
    mean_csat = float((csat * CSAT_SCORES).sum())

    figure = new_figure(10, 4.2)
    left, right = figure.subplots(1, 2, width_ratios=[1, 2])
    left.bar(CSAT_SCORES, csat, color="#6baed6", width=0.7)
    left.set_xticks(CSAT_SCORES)
    left.set_xlabel("CSAT score (1–5)")
    left.set_ylabel("share of journeys")
    ratio_axis(left)
    left.set_title(f"CSAT: mean {mean_csat:.2f}, top-2 box {csat[3:].sum():.0%}")

    colours = [NPS_COLOURS[nps_category(s)] for s in LTR_SCORES]
    right.bar(LTR_SCORES, ltr, color=colours, width=0.7)
    right.set_xticks(LTR_SCORES)
    right.set_xlabel("likelihood to recommend (0–10)")
    ratio_axis(right)
    right.set_title(f"NPS {nps:+.0f}")
    right.legend(
        handles=[Patch(color=c, label=k) for k, c in NPS_COLOURS.items()],
        fontsize="small",
        frameon=False,
        loc="upper left",
    )
    figure.suptitle(title or f"Customer satisfaction ({len(journeys):,} journeys)")
    return figure

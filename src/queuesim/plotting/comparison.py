"""Comparison bars: variants against the base, with confidence intervals.

Two table shapes, as written by the experiment layer:

* differences: ``variant, channel, contact_type, agent_group, metric, unit, base, value,
  difference, ci_low, ci_high, n_reps`` (difference = variant − base, paired 95% CI);
* per-variant summary: the summary columns (``mean, ci_low, ci_high``) plus ``variant``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from queuesim.plotting.common import (
    error_spans,
    format_number,
    metric_label,
    new_figure,
    ratio_axis,
    require_columns,
    select_rows,
)
from queuesim.results import ALL

DIFFERENCE_COLUMNS = ["variant", "metric", "unit", "difference", "ci_low", "ci_high"]
MAX_COLUMNS = 3
"""Panels per row of :func:`difference_bars`; more metrics wrap onto further rows."""
VARIANT_COLUMNS = ["variant", "metric", "unit", "mean", "ci_low", "ci_high"]


def _metric_list(table: pd.DataFrame, metrics: Sequence[str] | None) -> list[str]:
    present = list(dict.fromkeys(table["metric"]))
    chosen = present if metrics is None else list(metrics)
    unknown = [m for m in chosen if m not in present]
    if unknown:
        raise ValueError(f"expected metrics {unknown} in the table, got {present}")
    return chosen


def difference_bars(
    differences: pd.DataFrame,
    metrics: Sequence[str] | None = None,
    *,
    channel: str = ALL,
    contact_type: str = ALL,
    agent_group: str = ALL,
    title: str | None = None,
) -> Figure:
    """One panel per metric: each variant's difference from the base with its paired 95% CI.

    A bar whose interval does not cross zero is a difference the replications resolve; the
    base value is given in each panel's title. Panels fill rows of at most
    :data:`MAX_COLUMNS`, in the order of ``metrics`` (or of the table).
    """
    require_columns(differences, [*DIFFERENCE_COLUMNS, "base"], "differences")
    rows = select_rows(
        differences,
        "differences",
        channel=channel,
        contact_type=contact_type,
        agent_group=agent_group,
    )
    chosen = _metric_list(rows, metrics)
    columns = min(len(chosen), MAX_COLUMNS)
    grid_rows = math.ceil(len(chosen) / columns)
    panel_height = 0.5 * rows["variant"].nunique() + 2.0
    figure = new_figure(4.0 * columns + 1.5, panel_height * grid_rows + 0.4)
    grid = figure.subplots(grid_rows, columns, sharey=True, squeeze=False)
    for unused in grid.flat[len(chosen) :]:
        unused.remove()
    axes = grid.flat[: len(chosen)]
    for ax, metric in zip(axes, chosen, strict=True):
        data = rows[rows["metric"] == metric]
        unit = str(data["unit"].iloc[0])
        centre = data["difference"].to_numpy(dtype=float)
        resolved = (data["ci_low"] > 0) | (data["ci_high"] < 0)
        colours = np.where(resolved, "#d95f02", "#bdbdbd")
        positions = np.arange(len(data))
        ax.barh(
            positions,
            centre,
            color=colours,
            xerr=error_spans(centre, data["ci_low"].to_numpy(), data["ci_high"].to_numpy()),
            capsize=4,
        )
        ax.axvline(0.0, color="#444444", lw=1)
        ax.set_yticks(positions, data["variant"].astype(str).tolist())
        ax.yaxis.set_inverted(True)  # first variant on top (idempotent on shared axes)
        if unit == "ratio":
            ratio_axis(ax, "x")
        base = float(data["base"].iloc[0])
        base_text = format_number(base, unit)
        ax.set_title(f"{metric_label(metric)}\nbase {base_text}", fontsize="medium")
        ax.set_xlabel(f"difference from base{' (' + unit + ')' if unit != 'ratio' else ''}")
        ax.grid(axis="x", alpha=0.3)
        ax.locator_params(axis="x", nbins=5)  # panels are narrow: keep tick labels apart
    for first in grid[:, 0]:
        first.set_ylabel("variant")
    figure.suptitle(title or "Difference from the base (95% paired CI; orange: CI excludes zero)")
    return figure


def variant_bars(
    summary: pd.DataFrame,
    metric: str,
    *,
    channel: str = ALL,
    contact_type: str = ALL,
    agent_group: str = ALL,
    title: str | None = None,
) -> Figure:
    """One KPI's mean per variant with its 95% CI, from a summary with a ``variant`` column."""
    require_columns(summary, VARIANT_COLUMNS, "summary")
    data = select_rows(
        summary,
        "summary",
        metric=metric,
        channel=channel,
        contact_type=contact_type,
        agent_group=agent_group,
    )
    unit = str(data["unit"].iloc[0])
    centre = data["mean"].to_numpy(dtype=float)
    figure = new_figure(max(5.0, 1.1 * len(data) + 2.5), 4.2)
    ax = figure.subplots()
    positions = np.arange(len(data))
    ax.bar(
        positions,
        centre,
        color="#7570b3",
        width=0.6,
        yerr=error_spans(centre, data["ci_low"].to_numpy(), data["ci_high"].to_numpy()),
        capsize=5,
    )
    ax.set_xticks(positions, data["variant"].astype(str).tolist())
    ax.set_xlabel("variant")
    ax.set_ylabel(metric_label(metric, unit))
    if unit == "ratio":
        ratio_axis(ax)
    ax.grid(axis="y", alpha=0.3)
    ax.set_title(title or f"{metric_label(metric).capitalize()} by variant (mean, 95% CI)")
    return figure

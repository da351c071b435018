"""Sweep trade-off: what each design point costs against the service it gives.

Expects the long sweep summary: ``point``, one column per swept parameter (named by its dotted
path, e.g. ``agent_groups.agents.size``), then ``channel, contact_type, agent_group, metric,
unit, mean, ci_low, ci_high, n_reps``.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from queuesim.plotting.common import (
    error_spans,
    metric_label,
    new_figure,
    ratio_axis,
    require_columns,
)
from queuesim.results import ALL

SUMMARY_COLUMNS = [
    "channel",
    "contact_type",
    "agent_group",
    "metric",
    "unit",
    "mean",
    "ci_low",
    "ci_high",
    "n_reps",
]


def sweep_parameters(sweep: pd.DataFrame) -> list[str]:
    """The swept parameter columns: every column that is neither ``point`` nor a summary one."""
    return [c for c in sweep.columns if c not in {"point", *SUMMARY_COLUMNS}]


def sweep_points(
    sweep: pd.DataFrame,
    metrics: list[str],
    *,
    channel: str = ALL,
    contact_type: str = ALL,
    agent_group: str = ALL,
) -> pd.DataFrame:
    """One row per design point: its parameters and ``<metric>``, ``<metric>_low/_high``."""
    require_columns(sweep, ["point", *SUMMARY_COLUMNS], "sweep")
    rows = sweep[
        (sweep["channel"] == channel)
        & (sweep["contact_type"] == contact_type)
        & (sweep["agent_group"] == agent_group)
    ]
    parameters = sweep_parameters(sweep)
    points = rows[["point", *parameters]].drop_duplicates("point").set_index("point")
    for metric in metrics:
        data = rows[rows["metric"] == metric].set_index("point")
        if data.empty:
            raise ValueError(
                f"sweep: no rows for metric {metric!r} at channel={channel!r}, "
                f"contact_type={contact_type!r}, agent_group={agent_group!r}; metrics there: "
                f"{sorted(rows['metric'].unique())}"
            )
        points[metric] = data["mean"]
        points[f"{metric}_low"] = data["ci_low"]
        points[f"{metric}_high"] = data["ci_high"]
    return points.reset_index().sort_values([*parameters, "point"], ignore_index=True)


def _point_label(row: pd.Series, parameters: list[str]) -> str:
    return ", ".join(
        f"{p.rsplit('.', 1)[-1]}={row[p]:g}"
        if isinstance(row[p], float | int)
        else f"{p.rsplit('.', 1)[-1]}={row[p]}"
        for p in parameters
    )


def sweep_tradeoff(
    sweep: pd.DataFrame,
    *,
    x: str = "staff_cost",
    y: str = "sl_all",
    colour: str | None = None,
    channel: str = ALL,
    contact_type: str = ALL,
    agent_group: str = ALL,
    title: str | None = None,
) -> Figure:
    """Each design point as ``x`` (cost) against ``y`` (service), with 95% CIs both ways.

    ``colour`` (e.g. a satisfaction KPI such as mean CSAT or NPS) colours the points, with a
    colour bar. Every point is labelled with its parameter values; with one swept parameter
    the points are joined in parameter order.
    """
    metrics = [x, y] + ([colour] if colour else [])
    points = sweep_points(
        sweep, metrics, channel=channel, contact_type=contact_type, agent_group=agent_group
    )
    parameters = sweep_parameters(sweep)
    units = sweep.drop_duplicates("metric").set_index("metric")["unit"]
    figure = new_figure(9, 5.5)
    ax = figure.subplots()
    xs, ys = points[x].to_numpy(dtype=float), points[y].to_numpy(dtype=float)
    ax.errorbar(
        xs,
        ys,
        xerr=error_spans(xs, points[f"{x}_low"], points[f"{x}_high"]),
        yerr=error_spans(ys, points[f"{y}_low"], points[f"{y}_high"]),
        fmt="none",
        ecolor="#969696",
        elinewidth=1,
        capsize=3,
        zorder=1,
    )
    if len(parameters) == 1:
        ax.plot(xs, ys, color="#bdbdbd", lw=1, zorder=1)
    if colour:
        scatter = ax.scatter(xs, ys, c=points[colour], cmap="viridis", s=60, zorder=2)
        figure.colorbar(scatter, ax=ax).set_label(metric_label(colour, units.get(colour)))
    else:
        ax.scatter(xs, ys, color="#7570b3", s=60, zorder=2)
    for (_, row), px, py in zip(points.iterrows(), xs, ys, strict=True):
        ax.annotate(
            _point_label(row, parameters),
            (px, py),
            xytext=(5, 5),
            textcoords="offset points",
            fontsize="x-small",
        )
    ax.set_xlabel(metric_label(x, units.get(x)))
    ax.set_ylabel(metric_label(y, units.get(y)))
    if units.get(x) == "ratio":
        ratio_axis(ax, "x")
    if units.get(y) == "ratio":
        ratio_axis(ax)
    ax.grid(alpha=0.3)
    ax.set_title(title or f"Trade-off across {len(points)} design points (mean, 95% CI)")
    return figure

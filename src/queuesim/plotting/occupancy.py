"""Occupancy heat map: which agent group is how busy in which interval."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.figure import Figure

from queuesim.plotting.common import new_figure, require_columns, time_axis
from queuesim.results import ALL


def occupancy_table(agents: pd.DataFrame, metric: str = "occupancy") -> pd.DataFrame:
    """Mean of ``metric`` over replications: one row per agent group, one column per interval.

    The ``all`` row is kept only when it is the only group. Intervals where no group has
    any paid or available time (nobody rostered) are left out at both ends.
    """
    require_columns(
        agents, ["agent_group", "interval_start", metric, "paid_time", "available_time"], "agents"
    )
    groups = [g for g in agents["agent_group"].unique() if g != ALL] or [ALL]
    rows = agents[agents["agent_group"].isin(groups)]
    table = rows.pivot_table(
        index="agent_group",
        columns="interval_start",
        values=metric,
        aggfunc="mean",
        dropna=False,
    ).reindex(groups)
    staffed = rows.groupby("interval_start")[["paid_time", "available_time"]].sum().sum(axis=1)
    active = np.flatnonzero(staffed.reindex(table.columns).to_numpy() > 0)
    if len(active):
        table = table.iloc[:, active[0] : active[-1] + 1]
    return table


def occupancy_heatmap(
    agents: pd.DataFrame, *, metric: str = "occupancy", title: str | None = None
) -> Figure:
    """Heat map of ``metric`` (a 0–1 ratio: occupancy or utilisation) by group × interval.

    Each cell is the mean over replications; grey cells had no agent available.
    """
    table = occupancy_table(agents, metric)
    starts = table.columns.to_numpy(dtype=float)
    hours = starts / 3600.0
    width = float(np.diff(hours).min()) if len(hours) > 1 else 1.0
    figure = new_figure(10, 1.6 + 0.45 * len(table))
    ax = figure.subplots()
    cmap = colormaps["YlOrRd"].with_extremes(bad="#dddddd")
    image = ax.imshow(
        np.ma.masked_invalid(table.to_numpy(dtype=float)),
        aspect="auto",
        cmap=cmap,
        vmin=0.0,
        vmax=1.0,
        interpolation="nearest",
        extent=(hours[0], hours[-1] + width, len(table) - 0.5, -0.5),
    )
    ax.set_yticks(range(len(table)), [str(g) for g in table.index])
    ax.set_ylabel("agent group")
    time_axis(ax, hours)
    bar = figure.colorbar(image, ax=ax, format="{x:.0%}")
    bar.set_label(metric)
    ax.set_title(
        title or f"{metric.capitalize()} by agent group and interval (mean over replications)"
    )
    return figure

"""Arrivals, agents and service level per reporting interval: the planner's day at a glance."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from queuesim.plotting.common import (
    metric_label,
    new_figure,
    ratio_axis,
    require_columns,
    select_rows,
    t_interval,
    time_axis,
)
from queuesim.results import ALL

INTERVAL_KEYS = ["interval_start"]


def _active_span(busy: pd.Series) -> slice:
    """The slice from the first to the last interval where anything happens."""
    active = np.flatnonzero(busy.to_numpy())
    if not len(active):
        return slice(0, len(busy))
    return slice(active[0], active[-1] + 1)


def interval_overview(
    intervals: pd.DataFrame,
    agents: pd.DataFrame,
    *,
    channel: str = ALL,
    contact_type: str = ALL,
    agent_group: str = ALL,
    service_level: str = "sl_all",
    target: float | None = None,
    title: str | None = None,
) -> Figure:
    """Offered contacts, agents and service level per interval, mean over replications.

    Top panel: contacts offered per interval (bars) and, on the right axis, the agents
    available (logged in and not on a break) and rostered (paid), each as the average number
    over the interval (agent-seconds / interval length). Bottom panel: the ``service_level``
    KPI (any ratio column of ``intervals``) with its 95% confidence band across replications,
    and ``target`` as a dashed line if given. Intervals before the first and after the last
    with any arrival or rostered agent are left out.
    """
    require_columns(
        intervals, ["replication", "interval_start", "offered", service_level], "intervals"
    )
    require_columns(
        agents, ["replication", "interval_start", "available_time", "paid_time"], "agents"
    )
    customers = select_rows(intervals, "intervals", channel=channel, contact_type=contact_type)
    staff = select_rows(agents, "agents", agent_group=agent_group)
    starts = np.union1d(customers["interval_start"].unique(), staff["interval_start"].unique())
    if len(starts) < 2:
        raise ValueError("intervals: expected at least two reporting intervals to plot")
    length = float(np.diff(starts).min())

    offered = customers.groupby("interval_start")["offered"].mean().reindex(starts)
    available = (staff.groupby("interval_start")["available_time"].mean() / length).reindex(starts)
    rostered = (staff.groupby("interval_start")["paid_time"].mean() / length).reindex(starts)
    level = t_interval(customers, INTERVAL_KEYS, service_level).set_index("interval_start")
    level = level.reindex(starts)

    span = _active_span(offered.fillna(0) + rostered.fillna(0) > 0)
    hours = starts[span] / 3600.0
    width = length / 3600.0

    figure = new_figure(10, 6.5)
    top, bottom = figure.subplots(2, 1, sharex=True, height_ratios=[3, 2])
    top.bar(
        hours,
        offered.to_numpy()[span],
        width=width,
        align="edge",
        color="#9ecae1",
        edgecolor="white",
        label="offered (mean)",
    )
    top.set_ylabel("contacts offered per interval")
    right = top.twinx()
    centres = hours + width / 2
    right.plot(centres, available.to_numpy()[span], color="#d95f02", lw=2, label="available")
    right.plot(
        centres, rostered.to_numpy()[span], color="#7570b3", lw=1.5, ls="--", label="rostered"
    )
    right.set_ylabel("agents (average over interval)")
    headroom = 1.3  # room above the tallest bar and line for the legend
    top.set_ylim(0, headroom * max(np.nanmax(offered.to_numpy()[span]), 1.0))
    most_agents = np.nanmax([rostered.to_numpy()[span], available.to_numpy()[span]])
    right.set_ylim(0, headroom * max(most_agents, 1.0))
    handles = top.get_legend_handles_labels()[0] + right.get_legend_handles_labels()[0]
    top.legend(handles=handles, loc="upper left", fontsize="small", frameon=False, ncols=3)
    scope = "all channels" if channel == ALL else f"channel {channel}"
    if contact_type != ALL:
        scope += f", {contact_type}"
    top.set_title(title or f"Arrivals, agents and service level per interval ({scope})")

    bottom.plot(
        centres,
        level["mean"].to_numpy()[span],
        color="#1b9e77",
        lw=2,
        marker="o",
        ms=3,
        label=f"{metric_label(service_level)} (mean)",
    )
    bottom.fill_between(
        centres,
        np.clip(level["low"].to_numpy()[span], 0, 1),
        np.clip(level["high"].to_numpy()[span], 0, 1),
        color="#1b9e77",
        alpha=0.2,
        label="95% CI across replications",
    )
    if target is not None:
        bottom.axhline(target, color="#444444", ls="--", lw=1, label=f"target {target:.0%}")
    bottom.set_ylim(0, 1.02)
    ratio_axis(bottom)
    bottom.set_ylabel(metric_label(service_level))
    bottom.legend(loc="best", fontsize="small", frameon=False)
    bottom.grid(axis="y", alpha=0.3)
    time_axis(bottom, hours)
    bottom.set_xlim(hours[0], hours[-1] + width)
    return figure

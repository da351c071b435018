"""Backlog of deferred channels (email, social): work waiting at the end of each interval."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
from matplotlib.figure import Figure

from queuesim.plotting.common import (
    format_duration,
    new_figure,
    require_columns,
    t_interval,
    time_axis,
)
from queuesim.results import ALL


def backlog_plot(
    intervals: pd.DataFrame,
    *,
    channels: Sequence[str] | None = None,
    deadlines: Mapping[str, float] | None = None,
    title: str | None = None,
) -> Figure:
    """The ``backlog`` column of ``intervals`` per channel, mean with a 95% band.

    Plots the channel totals (``contact_type == "all"``). ``channels`` defaults to every
    channel whose backlog is positive somewhere; live channels, whose backlog is always zero
    (or NaN), are left out. Name the deferred channels to draw one that never had a backlog.
    When the table has ``oldest_age`` (seconds), a second panel shows the age of the oldest
    waiting item in hours, with each channel's response deadline (``deadlines``, seconds) as
    a dashed line.
    """
    require_columns(
        intervals,
        ["replication", "interval_start", "channel", "contact_type", "backlog"],
        "intervals",
    )
    rows = intervals[(intervals["contact_type"] == ALL) & (intervals["channel"] != ALL)]
    with_backlog = rows.dropna(subset=["backlog"])
    available = list(dict.fromkeys(with_backlog["channel"]))
    if channels is None:
        positive = with_backlog.groupby("channel", sort=False)["backlog"].max() > 0
        chosen = [c for c in available if positive[c]]
    else:
        chosen = list(channels)
    unknown = [c for c in chosen if c not in available]
    if unknown or not chosen:
        raise ValueError(
            f"intervals: expected backlog values for channels {unknown or 'any'}, "
            f"got backlog for {available}"
        )
    ages = "oldest_age" in rows.columns
    figure = new_figure(10, 6.5 if ages else 4.2)
    axes = figure.subplots(2, 1, sharex=True) if ages else [figure.subplots()]
    hours = with_backlog["interval_start"].unique() / 3600.0
    for channel in chosen:
        data = with_backlog[with_backlog["channel"] == channel]
        band = t_interval(data, ["interval_start"], "backlog")
        x = band["interval_start"].to_numpy(dtype=float) / 3600.0
        (line,) = axes[0].plot(x, band["mean"].to_numpy(), lw=2, label=channel)
        axes[0].fill_between(
            x, band["low"].to_numpy(), band["high"].to_numpy(), color=line.get_color(), alpha=0.2
        )
        if ages:
            age = data.groupby("interval_start")["oldest_age"].mean() / 3600.0
            axes[1].plot(x, age.to_numpy(), lw=2, color=line.get_color(), label=channel)
            deadline = (deadlines or {}).get(channel)
            if deadline is not None:
                axes[1].axhline(
                    deadline / 3600.0,
                    color=line.get_color(),
                    ls="--",
                    lw=1,
                    label=f"{channel} deadline ({format_duration(deadline)})",
                )
    axes[0].set_ylabel("items waiting at interval end")
    axes[0].set_ylim(bottom=0)
    axes[0].legend(title="channel (mean, 95% CI band)", fontsize="small", frameon=False)
    axes[0].set_title(title or "Backlog of deferred work per interval")
    if ages:
        axes[1].set_ylabel("age of oldest item (h)")
        axes[1].set_ylim(bottom=0)
        axes[1].legend(fontsize="small", frameon=False, title="mean over replications")
    for ax in axes:
        ax.grid(alpha=0.3)
    time_axis(axes[-1], hours)
    return figure

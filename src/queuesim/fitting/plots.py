"""Figures of a fit: handle-time QQ plots, patience survival curves, the arrival profile.

Each function returns a matplotlib ``Figure`` built with the object-oriented API (no global
state or style is touched); panels fill rows of at most three. :func:`write_fit_plots` saves
them as PNG.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from queuesim.fitting.likelihood import frozen_distribution
from queuesim.plotting.common import new_figure

MAX_COLUMNS = 3


def _panels(count: int, width: float, height: float) -> tuple[Figure, list[Axes]]:
    """A figure with ``count`` panels (at least one) of ``width`` × ``height`` inches, in rows
    of at most :data:`MAX_COLUMNS`."""
    count = max(count, 1)
    columns = min(count, MAX_COLUMNS)
    rows = math.ceil(count / columns)
    figure = new_figure(width * columns, height * rows)
    grid = figure.subplots(rows, columns, squeeze=False)
    for unused in grid.flat[count:]:
        unused.remove()
    return figure, list(grid.flat[:count])


def handle_time_qq(log: pd.DataFrame, fits: pd.DataFrame) -> Figure:
    """QQ plot of each contact type's handle times against its best fitted distribution."""
    best = fits[fits["best"]]
    figure, axes = _panels(len(best), 4.0, 4.0)
    for ax, row in zip(axes, best.itertuples(), strict=False):
        rows = log[
            (log["channel"] == row.channel)
            & (log["contact_type"] == row.contact_type)
            & (log["outcome"] == "answered")
            & (log["handle_time"] > 0)
        ]
        data = np.sort(rows["handle_time"].to_numpy())
        dist = frozen_distribution(row.family, row.shape, row.scale)
        probabilities = (np.arange(1, len(data) + 1) - 0.5) / len(data)
        theoretical = dist.ppf(probabilities)
        ax.plot(theoretical / 60, data / 60, ".", markersize=2)
        top = max(theoretical.max(), data.max()) / 60
        ax.plot([0, top], [0, top], color="black", linewidth=0.8)
        ax.set_title(f"{row.channel} / {row.contact_type}: {row.family}")
        ax.set_xlabel("fitted quantile (min)")
        ax.set_ylabel("observed handle time (min)")
    return figure


def patience_survival(fits: pd.DataFrame, survival: pd.DataFrame) -> Figure:
    """Kaplan–Meier survival of patience with its band, beside each fitted family's curve."""
    channels = sorted(survival["channel"].unique()) if not survival.empty else []
    figure, axes = _panels(len(channels), 5.5, 4.0)
    for ax, channel in zip(axes, channels, strict=False):
        km = survival[survival["channel"] == channel]
        ax.step(km["time"] / 60, km["survival"], where="post", color="black", label="Kaplan–Meier")
        ax.fill_between(
            km["time"] / 60,
            km["ci_low"],
            km["ci_high"],
            step="post",
            alpha=0.2,
            color="grey",
            label="95% band",
        )
        grid = np.linspace(0, km["time"].max() * 1.05, 200)
        chosen = fits[(fits["channel"] == channel) & (fits["contact_type"] == "all")]
        for row in chosen[chosen["family"] != "naive"].itertuples():
            dist = frozen_distribution(row.family, row.shape, row.scale)
            ax.plot(grid / 60, dist.sf(grid), label=f"{row.family} (AIC {row.aic:.0f})")
        ax.set_title(f"{channel}: patience")
        ax.set_xlabel("wait (min)")
        ax.set_ylabel("P(patience > wait)")
        ax.set_ylim(0, 1.02)
        ax.legend(fontsize="small")
    return figure


def profile_plot(profile: pd.DataFrame) -> Figure:
    """Mean arrivals per interval of the day with their 95% interval, per channel."""
    rows = profile[(profile["contact_type"] == "all") & (profile["weekday"] == "all")]
    figure = new_figure(7.0, 3.5)
    ax = figure.subplots()
    for channel, group in rows.groupby("channel"):
        hours = group["interval_start"] / 3600
        ax.plot(hours, group["volume"], drawstyle="steps-post", label=str(channel))
        ax.fill_between(hours, group["ci_low"], group["ci_high"], step="post", alpha=0.25)
    ax.set_xlabel("hour of day")
    ax.set_ylabel("arrivals per interval")
    ax.set_xlim(0, 24)
    ax.legend()
    return figure


def write_fit_plots(
    log: pd.DataFrame, tables: dict[str, pd.DataFrame], directory: Path
) -> list[Path]:
    """Save the profile, QQ and survival figures of a contact-log fit as PNG files."""
    figures = {"profile": profile_plot(tables["profile"])}
    if not tables["handle_time"].empty:
        figures["handle_time_qq"] = handle_time_qq(log, tables["handle_time"])
    if not tables["kaplan_meier"].empty:
        figures["patience_survival"] = patience_survival(tables["patience"], tables["kaplan_meier"])
    written = []
    for name, figure in figures.items():
        path = directory / f"{name}.png"
        figure.savefig(path, dpi=110)
        written.append(path)
    return written


__all__ = ["handle_time_qq", "patience_survival", "profile_plot", "write_fit_plots"]

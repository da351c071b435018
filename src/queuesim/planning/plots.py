"""Figures of planning results: a back-test's actuals against their prediction bands.

Built with the object-oriented matplotlib API (no global state or style is touched).
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from queuesim.planning.backtest import BacktestResult
from queuesim.plotting.common import new_figure


def backtest_plot(result: BacktestResult) -> Figure:
    """One panel per metric: each interval's band (shaded), prediction (line) and actual
    (dots; red when outside its band), intervals in time order across days."""
    metrics = list(dict.fromkeys(result.intervals["metric"]))
    figure = new_figure(9.0, 2.4 * max(len(metrics), 1))
    axes = figure.subplots(max(len(metrics), 1), 1, squeeze=False)[:, 0]
    for ax, metric in zip(axes, metrics, strict=False):
        rows = result.intervals[result.intervals["metric"] == metric]
        x = np.arange(len(rows))
        ax.fill_between(
            x,
            rows["band_low"],
            rows["band_high"],
            step="mid",
            alpha=0.3,
            label=f"{result.band:.0%} band",
        )
        ax.plot(x, rows["predicted"], drawstyle="steps-mid", linewidth=0.8, label="predicted")
        inside = rows["inside"].to_numpy()
        ax.plot(x[inside], rows["actual"].to_numpy()[inside], ".", color="black", label="actual")
        ax.plot(
            x[~inside],
            rows["actual"].to_numpy()[~inside],
            ".",
            color="red",
            label="actual outside band",
        )
        coverage = inside.mean() if len(inside) else np.nan
        ax.set_title(f"{metric}: coverage {coverage:.0%} of {len(rows)} intervals", fontsize=10)
        days = rows["date"].to_numpy()
        for border in np.flatnonzero(days[1:] != days[:-1]):
            ax.axvline(border + 0.5, color="grey", linewidth=0.5)
    axes[0].legend(fontsize="small", ncols=4)
    axes[-1].set_xlabel("interval (in time order; grey lines separate days)")
    return figure


__all__ = ["backtest_plot"]

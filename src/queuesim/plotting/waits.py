"""How long customers wait: the distribution of waits and its tail.

From ``contacts`` (one row per contact, with ``--records``) the figure shows exact waits;
without them it falls back on the wait percentiles of the ``intervals`` table, which come from
the fixed histogram described in docs/metrics.md.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from queuesim.plotting.common import (
    format_duration,
    new_figure,
    require_columns,
    select_rows,
    time_axis,
)
from queuesim.results import ALL

PERCENTILE_COLUMNS = {
    "wait_p50": "median",
    "wait_p90": "90th percentile",
    "wait_p95": "95th percentile",
}


def wait_distribution(
    contacts: pd.DataFrame | None = None,
    intervals: pd.DataFrame | None = None,
    *,
    channel: str = ALL,
    thresholds: tuple[float, ...] = (),
    title: str | None = None,
) -> Figure:
    """Wait distribution and tail, from ``contacts`` when given, else from ``intervals``.

    With ``contacts``: left, a histogram of the waits of answered customers (in minutes, or
    hours when the 99.5th percentile is beyond 3 hours, as for email; zero
    waits in their own bar); right, the tail P(wait > t) of answered customers on a log scale,
    which is where service-level thresholds (``thresholds``, seconds) are read. With
    ``intervals`` only: the median, 90th and 95th percentile waits per interval (mean over
    replications). ``channel`` selects one channel (``all``: every channel).
    """
    if contacts is not None:
        return _from_contacts(contacts, channel, thresholds, title)
    if intervals is not None:
        return _from_intervals(intervals, channel, thresholds, title)
    raise ValueError("wait_distribution: expected contacts or intervals, got neither")


def answered_waits(contacts: pd.DataFrame, channel: str = ALL) -> np.ndarray:
    """Waits (seconds) of the answered contacts of ``channel`` (``all``: every channel)."""
    require_columns(contacts, ["channel", "outcome", "wait"], "contacts")
    rows = contacts[contacts["outcome"] == "answered"]
    if channel != ALL:
        rows = select_rows(rows, "contacts (answered)", channel=channel)
    waits = rows["wait"].to_numpy(dtype=float)
    if not len(waits):
        raise ValueError(f"contacts: no answered contact for channel {channel!r}")
    return waits


def _scope(channel: str) -> str:
    return "all channels" if channel == ALL else f"channel {channel}"


def _from_contacts(
    contacts: pd.DataFrame, channel: str, thresholds: tuple[float, ...], title: str | None
) -> Figure:
    waits = answered_waits(contacts, channel)
    figure = new_figure(10, 4.2)
    left, right = figure.subplots(1, 2)

    unit, scale = ("hours", 3600.0) if np.quantile(waits, 0.995) > 3 * 3600 else ("minutes", 60.0)
    waited = waits[waits > 0] / scale
    zero_share = 1.0 - len(waited) / len(waits)
    if len(waited):
        top = max(float(np.quantile(waited, 0.995)), 1 / scale)
        edges = np.linspace(0.0, top, 31)
        counts, _ = np.histogram(np.minimum(waited, top), bins=edges)
        left.bar(
            edges[:-1],
            counts / len(waits),
            width=edges[1] - edges[0],
            align="edge",
            color="#7570b3",
        )
    left.set_xlabel(f"wait ({unit}; last bar: 99.5th percentile of waits and beyond)")
    left.set_ylabel("share of answered contacts")
    left.set_title(f"Waits > 0 ({zero_share:.0%} answered at once, not drawn)")

    values, counts = np.unique(waits, return_counts=True)
    survival = 1.0 - np.cumsum(counts) / len(waits)
    keep = survival > 0
    right.step(values[keep] / scale, survival[keep], where="post", color="#d95f02", lw=2)
    right.set_yscale("log")
    right.set_xlabel(f"wait t ({unit})")
    right.set_ylabel("P(wait > t)")
    right.set_title("Tail of the wait distribution")
    widest = max([float(values[-1]), *thresholds]) / scale
    for threshold in thresholds:
        share = float(np.mean(waits > threshold))
        right.axvline(threshold / scale, color="#444444", ls="--", lw=1)
        on_left = threshold / scale > 0.6 * widest  # keep the label inside the axes
        right.annotate(
            f"{format_duration(threshold)}: {share:.1%} wait longer",
            (threshold / scale, max(share, 1.0 / len(waits))),
            xytext=(-6 if on_left else 6, 6),
            textcoords="offset points",
            ha="right" if on_left else "left",
            fontsize="small",
        )
    right.grid(alpha=0.3, which="both")
    figure.suptitle(
        title or f"Waits of answered contacts ({_scope(channel)}, {len(waits):,} contacts)"
    )
    return figure


def _from_intervals(
    intervals: pd.DataFrame, channel: str, thresholds: tuple[float, ...], title: str | None
) -> Figure:
    require_columns(intervals, ["interval_start", *PERCENTILE_COLUMNS], "intervals")
    rows = select_rows(intervals, "intervals", channel=channel, contact_type=ALL)
    means = rows.groupby("interval_start")[list(PERCENTILE_COLUMNS)].mean()
    means = means.dropna(how="all")
    if means.empty:
        raise ValueError(f"intervals: no answered contact for channel {channel!r}")
    hours = means.index.to_numpy(dtype=float) / 3600.0
    figure = new_figure(10, 4.2)
    ax = figure.subplots()
    styles = {"wait_p50": "-", "wait_p90": "--", "wait_p95": ":"}
    for column, label in PERCENTILE_COLUMNS.items():
        ax.plot(
            hours,
            means[column].to_numpy(),
            ls=styles[column],
            lw=2,
            marker="o",
            ms=3,
            label=label,
        )
    for threshold in thresholds:
        ax.axhline(threshold, color="#444444", lw=1, alpha=0.6)
        ax.annotate(
            f"threshold {format_duration(threshold)}",
            (hours[0], threshold),
            xytext=(2, 3),
            textcoords="offset points",
            fontsize="small",
        )
    ax.set_ylabel("wait of answered contacts (s)")
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    ax.legend(fontsize="small", frameon=False, title="mean over replications")
    time_axis(ax, hours)
    ax.set_title(title or f"Wait percentiles per interval ({_scope(channel)})")
    return figure

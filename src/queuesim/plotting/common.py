"""What every figure shares: checking a table's columns, new figures, time and ratio axes.

Figures are :class:`matplotlib.figure.Figure` objects made without ``pyplot``, so building
one changes no global state (no style, no rcParams, no current figure) and needs no display.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MultipleLocator, PercentFormatter

from queuesim.scenario.units import SECONDS_PER_DAY

TICK_STEPS = ((6, 1), (30, 2), (80, 6), (200, 12))
"""Hours between time-axis ticks: up to 6 h of data, every hour; up to 30 h, every 2 h..."""

METRIC_LABELS = {
    "offered": "contacts offered",
    "answered": "contacts answered",
    "abandoned": "contacts abandoned",
    "abandon_rate": "abandonment rate",
    "p_wait": "share who waited",
    "asa": "average speed of answer",
    "mean_wait": "mean wait",
    "wait_p50": "median wait",
    "wait_p90": "90th percentile wait",
    "wait_p95": "95th percentile wait",
    "sl_all": "service level (of offered)",
    "sl_answered": "service level (of answered)",
    "sl_excl_short_abandons": "service level (short abandons excluded)",
    "occupancy": "occupancy",
    "utilisation": "utilisation",
    "overtime": "overtime",
    "staff_cost": "staff cost",
    "deadline_met": "answered within the deadline",
    "oldest_age": "age of the oldest item",
}


def require_columns(table: pd.DataFrame, columns: Iterable[str], name: str) -> None:
    """Raise ``ValueError`` naming the table and its missing columns, if any are missing."""
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ValueError(f"{name}: expected columns {missing}, got columns {list(table.columns)}")


def select_rows(table: pd.DataFrame, name: str, **keys: str) -> pd.DataFrame:
    """The rows whose key columns equal ``keys``; ``ValueError`` naming what exists if none."""
    require_columns(table, keys, name)
    mask = np.ones(len(table), dtype=bool)
    for column, value in keys.items():
        mask &= (table[column] == value).to_numpy()
    rows = table[mask]
    if rows.empty:
        available = {c: sorted(map(str, table[c].unique())) for c in keys}
        raise ValueError(f"{name}: no rows with {keys}; available values: {available}")
    return rows


def metric_label(metric: str, unit: str | None = None) -> str:
    """A readable axis label for a KPI, with its unit: ``"service level (of offered)"``."""
    base, _, threshold = metric.partition("@")
    label = METRIC_LABELS.get(base, base.replace("_", " "))
    if threshold:
        label += f" within {threshold}"
    suffix = {"s": " (s)", "currency": " (currency)", "count": ""}.get(unit or "", "")
    return label + suffix


def format_number(value: float, unit: str) -> str:
    """A KPI value for a title: ratios as percentages, seconds with ``s``, large numbers with
    thousands separators, small ones with 3 significant digits."""
    if unit == "ratio":
        return f"{value:.1%}"
    if unit == "s":
        return f"{value:,.1f} s"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def format_duration(seconds: float) -> str:
    """A threshold for a title: ``20 s``, ``5 min``, ``1.5 h``."""
    if seconds >= 3600 and seconds % 900 == 0:
        return f"{seconds / 3600:g} h"
    if seconds >= 60 and seconds % 30 == 0:
        return f"{seconds / 60:g} min"
    return f"{seconds:g} s"


def new_figure(width: float = 9.0, height: float = 5.0, dpi: int = 100) -> Figure:
    """A figure with constrained layout, independent of ``pyplot``."""
    return Figure(figsize=(width, height), dpi=dpi, layout="constrained")


def _clock(hours: float, multi_day: bool) -> str:
    seconds = round(hours * 3600)
    day, rest = divmod(seconds, int(SECONDS_PER_DAY))
    text = f"{rest // 3600:02d}:{rest % 3600 // 60:02d}"
    return f"d{day + 1} {text}" if multi_day else text


def time_axis(ax: Axes, hours: np.ndarray) -> None:
    """Label an x axis in hours from the start of day 1 as clock times (``d2 08:00`` past day 1)."""
    multi_day = bool(len(hours)) and float(np.nanmax(hours)) >= 24
    span = float(np.nanmax(hours) - np.nanmin(hours)) if len(hours) else 0.0
    step = next((s for limit, s in TICK_STEPS if span <= limit), 24)
    if multi_day and span > 6:
        step = max(step, 4)  # "d2 08:00" labels are wider than "08:00"
    ax.xaxis.set_major_locator(MultipleLocator(step))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: _clock(x, multi_day)))
    ax.set_xlabel("time of day")


def ratio_axis(ax: Axes, axis: str = "y") -> None:
    """Show a 0–1 ratio axis as percentages."""
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(PercentFormatter(xmax=1.0, decimals=None))


def interval_seconds(starts: np.ndarray) -> float:
    """The reporting interval, as the smallest step between distinct interval starts."""
    distinct = np.unique(np.asarray(starts, dtype=float))
    if len(distinct) < 2:
        raise ValueError("cannot infer the reporting interval from fewer than two intervals")
    return float(np.diff(distinct).min())


def t_interval(values: pd.DataFrame, by: list[str], column: str) -> pd.DataFrame:
    """Per ``by`` key: ``mean``, ``low``, ``high`` (95% Student-t over replications), ``n``.

    Replications where ``column`` is NaN are left out; one replication gives NaN bounds.
    """
    from scipy import stats

    grouped = values.groupby(by, sort=True)[column]
    frame = grouped.agg(mean="mean", std="std", n="count").reset_index()
    n = frame["n"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        quantile = np.where(n > 1, stats.t.ppf(0.975, np.maximum(n - 1, 1)), np.nan)
        half = quantile * frame["std"].to_numpy() / np.sqrt(n)
    frame["low"] = frame["mean"] - half
    frame["high"] = frame["mean"] + half
    return frame.drop(columns="std")


def error_spans(centre: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Matplotlib's (2, n) error array from CI bounds; a row with an undefined bound draws none."""
    spans = np.vstack([centre - np.asarray(low), np.asarray(high) - centre]).astype(float)
    spans[:, np.isnan(spans).any(axis=0)] = 0.0
    return spans

"""Tornado chart: which parameter moves a KPI most between its low and high value.

Expects ``parameter, metric, unit, base_value, low_value, high_value, base, low, high``: the
KPI at the base, low and high value of each parameter, the others held at their base.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from queuesim.plotting.common import (
    format_number,
    metric_label,
    new_figure,
    ratio_axis,
    require_columns,
    select_rows,
)

SENSITIVITY_COLUMNS = [
    "parameter",
    "metric",
    "unit",
    "base_value",
    "low_value",
    "high_value",
    "base",
    "low",
    "high",
]


def tornado_order(sensitivity: pd.DataFrame, metric: str) -> pd.DataFrame:
    """The rows of ``metric``, widest swing |high − low| first."""
    require_columns(sensitivity, SENSITIVITY_COLUMNS, "sensitivity")
    rows = select_rows(sensitivity, "sensitivity", metric=metric)
    swing = (rows["high"] - rows["low"]).abs()
    return rows.assign(swing=swing).sort_values("swing", ascending=False, kind="stable")


def tornado_chart(sensitivity: pd.DataFrame, metric: str, *, title: str | None = None) -> Figure:
    """Bars from the base KPI to its value at each parameter's low and high value.

    Parameters are sorted by swing, the widest on top; each label gives the parameter's
    low → high range.
    """
    rows = tornado_order(sensitivity, metric)
    unit = str(rows["unit"].iloc[0])
    base = float(rows["base"].iloc[0])
    positions = np.arange(len(rows))
    figure = new_figure(9, 0.55 * len(rows) + 2.0)
    ax = figure.subplots()
    low = rows["low"].to_numpy(dtype=float)
    high = rows["high"].to_numpy(dtype=float)
    ax.barh(
        positions,
        low - base,
        left=base,
        color="#6baed6",
        height=0.6,
        label="parameter at its low value",
    )
    ax.barh(
        positions,
        high - base,
        left=base,
        color="#fd8d3c",
        height=0.6,
        label="parameter at its high value",
    )
    ax.axvline(base, color="#444444", lw=1)
    labels = [
        f"{r.parameter}\n({r.low_value:g} → {r.high_value:g})"
        if isinstance(r.low_value, int | float)
        else f"{r.parameter}\n({r.low_value} → {r.high_value})"
        for r in rows.itertuples()
    ]
    ax.set_yticks(positions, labels, fontsize="small")
    ax.invert_yaxis()
    ax.set_xlabel(metric_label(metric, unit))
    if unit == "ratio":
        ratio_axis(ax, "x")
    ax.grid(axis="x", alpha=0.3)
    figure.legend(loc="outside lower center", ncols=2, fontsize="small", frameon=False)
    base_text = format_number(base, unit)
    ax.set_title(title or f"Sensitivity of {metric_label(metric)} (base {base_text})")
    return figure

"""The interval overview draws the table's means: bars, agent lines and service level."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from queuesim.plotting import interval_overview
from queuesim.results import SimulationResult


def _active(result: SimulationResult) -> tuple[pd.Series, pd.DataFrame]:
    """Mean offered (all channels) and mean agent times per interval, active span only."""
    rows = result.intervals[(result.intervals.channel == "all")]
    offered = rows.groupby("interval_start")["offered"].mean()
    staff = result.agents[result.agents.agent_group == "all"]
    times = staff.groupby("interval_start")[["available_time", "paid_time"]].mean()
    active = (offered + times["paid_time"]) > 0
    first, last = np.flatnonzero(active)[[0, -1]]
    return offered.iloc[first : last + 1], times.iloc[first : last + 1]


def test_overview_bars_and_lines_equal_the_tables(branch_result: SimulationResult) -> None:
    figure = interval_overview(branch_result.intervals, branch_result.agents, target=0.8)
    top, bottom, right = figure.axes
    offered, times = _active(branch_result)
    interval = 1800.0

    heights = [p.get_height() for p in top.patches]
    assert len(heights) == len(offered)
    np.testing.assert_allclose(heights, offered.to_numpy())
    starts = [p.get_x() for p in top.patches]
    np.testing.assert_allclose(starts, offered.index.to_numpy() / 3600)

    available, rostered = right.get_lines()
    np.testing.assert_allclose(available.get_ydata(), times["available_time"] / interval)
    np.testing.assert_allclose(rostered.get_ydata(), times["paid_time"] / interval)
    assert available.get_label() == "available" and rostered.get_label() == "rostered"

    level = branch_result.intervals[branch_result.intervals.channel == "all"]
    expected = level.groupby("interval_start")["sl_all"].mean().loc[offered.index]
    sl_line, target_line = bottom.get_lines()
    np.testing.assert_allclose(sl_line.get_ydata(), expected.to_numpy())
    assert list(target_line.get_ydata()) == [0.8, 0.8]
    assert len(bottom.collections) == 1  # the confidence band

    assert top.get_ylabel() == "contacts offered per interval"
    assert right.get_ylabel() == "agents (average over interval)"
    assert bottom.get_ylabel() == "service level (of offered)"
    assert bottom.get_xlabel() == "time of day"
    assert "all channels" in top.get_title()
    labels = [t.get_text() for t in top.get_legend().get_texts()]
    assert labels == ["offered (mean)", "available", "rostered"]


def test_overview_of_one_channel_and_errors(branch_result: SimulationResult) -> None:
    figure = interval_overview(
        branch_result.intervals, branch_result.agents, channel="branch", title="Branch"
    )
    assert figure.axes[0].get_title() == "Branch"
    with pytest.raises(ValueError, match=r"intervals: no rows with \{'channel': 'chat'"):
        interval_overview(branch_result.intervals, branch_result.agents, channel="chat")
    with pytest.raises(ValueError, match=r"intervals: expected columns \['sl_nope'\]"):
        interval_overview(branch_result.intervals, branch_result.agents, service_level="sl_nope")

"""Wait distribution, occupancy heat map and backlog: what is drawn matches the tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from queuesim.plotting import backlog_plot, occupancy_heatmap, wait_distribution
from queuesim.results import SimulationResult


def test_wait_tail_from_contacts_is_the_empirical_survival(
    branch_result: SimulationResult,
) -> None:
    contacts = branch_result.contacts
    assert contacts is not None
    figure = wait_distribution(contacts, thresholds=(300.0,))
    left, right = figure.axes
    waits = contacts.loc[contacts.outcome == "answered", "wait"].to_numpy()

    (tail, threshold_line) = right.get_lines()
    x, y = tail.get_xdata(), tail.get_ydata()
    for t_minutes, share in zip(x[::50], y[::50], strict=True):
        assert share == pytest.approx(np.mean(waits > t_minutes * 60))
    assert right.get_yscale() == "log"
    assert threshold_line.get_xdata()[0] == pytest.approx(5.0)
    assert any(f"{np.mean(waits > 300):.1%} wait longer" in t.get_text() for t in right.texts)

    # the histogram bars hold every positive wait, as shares of answered contacts
    heights = np.array([p.get_height() for p in left.patches])
    assert len(heights) == 30
    assert heights.sum() == pytest.approx(np.mean(waits > 0))
    assert f"{np.mean(waits == 0):.0%} answered at once" in left.get_title()
    assert right.get_ylabel() == "P(wait > t)"


def test_wait_percentiles_from_intervals(branch_result: SimulationResult) -> None:
    figure = wait_distribution(None, branch_result.intervals, thresholds=(300.0, 600.0))
    (ax,) = figure.axes
    lines = ax.get_lines()
    assert [line.get_label() for line in lines[:3]] == [
        "median",
        "90th percentile",
        "95th percentile",
    ]
    assert [list(line.get_ydata()) for line in lines[3:]] == [[300.0, 300.0], [600.0, 600.0]]
    rows = branch_result.intervals[branch_result.intervals.channel == "all"]
    expected = rows.groupby("interval_start")["wait_p90"].mean().dropna()
    np.testing.assert_allclose(lines[1].get_ydata(), expected.to_numpy())
    np.testing.assert_allclose(lines[1].get_xdata(), expected.index.to_numpy() / 3600)
    assert ax.get_ylabel() == "wait of answered contacts (s)"
    with pytest.raises(ValueError, match="expected contacts or intervals, got neither"):
        wait_distribution()


def test_occupancy_heatmap_cells_are_the_mean_occupancy(
    branch_result: SimulationResult,
) -> None:
    figure = occupancy_heatmap(branch_result.agents)
    ax, colourbar = figure.axes
    (image,) = ax.get_images()
    cells = image.get_array()
    rows = branch_result.agents[branch_result.agents.agent_group == "tellers"]
    mean = rows.groupby("interval_start")["occupancy"].mean()
    staffed = rows.groupby("interval_start")["paid_time"].sum() > 0
    first, last = np.flatnonzero(staffed)[[0, -1]]
    np.testing.assert_allclose(cells[0].filled(np.nan), mean.iloc[first : last + 1].to_numpy())
    assert cells.shape == (1, last - first + 1)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["tellers"]
    assert image.get_clim() == (0.0, 1.0)
    assert colourbar.get_ylabel() == "occupancy"


def test_occupancy_heatmap_has_one_row_per_group_without_all() -> None:
    agents = pd.DataFrame(
        {
            "replication": 0,
            "interval_start": [0.0, 1800.0] * 3,
            "agent_group": ["a", "a", "b", "b", "all", "all"],
            "occupancy": [0.5, 0.7, np.nan, 0.9, 0.5, 0.8],
            "paid_time": 1800.0,
            "available_time": 1800.0,
        }
    )
    (image,) = occupancy_heatmap(agents).axes[0].get_images()
    np.testing.assert_array_equal(image.get_array().mask, [[False, False], [True, False]])
    np.testing.assert_allclose(image.get_array().data[1, 1], 0.9)


def _backlog_frame() -> pd.DataFrame:
    rows = []
    for replication, noise in enumerate([-1.0, 0.0, 1.0]):
        for k in range(4):
            for channel, level in [("email", 40.0), ("social", 10.0), ("phone", None)]:
                deferred = level is not None
                rows.append(
                    {
                        "replication": replication,
                        "interval_start": 28800.0 + 1800.0 * k,
                        "channel": channel,
                        "contact_type": "all",
                        "backlog": level + k + noise if deferred else 0.0,
                        "oldest_age": 3600.0 * (k + 1) + 60 * noise if deferred else 0.0,
                    }
                )
    return pd.DataFrame(rows)


def test_backlog_draws_one_mean_line_per_deferred_channel() -> None:
    figure = backlog_plot(_backlog_frame(), deadlines={"email": 4 * 3600.0})
    top, bottom = figure.axes
    lines = top.get_lines()
    assert [line.get_label() for line in lines] == ["email", "social"]  # phone: no backlog
    np.testing.assert_allclose(lines[0].get_ydata(), [40, 41, 42, 43])
    np.testing.assert_allclose(lines[1].get_xdata(), [8, 8.5, 9, 9.5])
    assert len(top.collections) == 2  # one CI band per channel
    assert top.get_ylabel() == "items waiting at interval end"

    email_age, email_deadline, social_age = bottom.get_lines()
    assert social_age.get_label() == "social"
    np.testing.assert_allclose(email_age.get_ydata(), [1, 2, 3, 4])
    assert list(email_deadline.get_ydata()) == [4.0, 4.0]
    assert email_deadline.get_label() == "email deadline (4 h)"
    assert bottom.get_ylabel() == "age of oldest item (h)"


def test_backlog_without_ages_has_one_panel() -> None:
    figure = backlog_plot(_backlog_frame().drop(columns="oldest_age"), channels=["email"])
    (ax,) = figure.axes
    assert [line.get_label() for line in ax.get_lines()] == ["email"]


def test_backlog_errors_name_the_missing_piece() -> None:
    with pytest.raises(ValueError, match=r"intervals: expected columns \['backlog'\]"):
        backlog_plot(_backlog_frame().drop(columns="backlog"))
    with pytest.raises(ValueError, match=r"expected backlog values for channels \['chat'\]"):
        backlog_plot(_backlog_frame(), channels=["chat"])

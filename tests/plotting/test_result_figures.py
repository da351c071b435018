"""The standard figures of a run, for live-only and mixed live + deferred scenarios."""

from __future__ import annotations

from pathlib import Path

import numpy as np

import queuesim
from queuesim.plotting import result_figures, save_figures
from queuesim.report import render_report
from queuesim.results import SimulationResult

PHONE_AND_EMAIL = {
    "version": 1,
    "name": "Phone and email",
    "horizon": "1 d",
    "interval": "60 min",
    "service_level": {"thresholds": ["20 s"]},
    "channels": {
        "phone": {
            "kind": "phone",
            "open": "08:00",
            "close": "18:00",
            "arrivals": {"rate": "50/h"},
            "mix": {"general": 1.0},
            "patience": {"dist": "exponential", "mean": "3 min"},
        },
        "email": {
            "kind": "email",
            "open": "08:00",
            "close": "18:00",
            "deadline": "24 h",
            "arrivals": {"rate": "12/h"},
            "mix": {"mail": 1.0},
        },
    },
    "contact_types": {
        "general": {"handle_time": {"dist": "exponential", "mean": "5 min"}},
        "mail": {"handle_time": {"dist": "lognormal", "mean": "8 min", "cv": 0.8}},
    },
    "agent_groups": {
        "team": {
            "channels": ["phone", "email"],
            "shifts": [{"name": "day", "start": "08:00", "end": "18:00", "agents": 8}],
        }
    },
}


def test_live_scenario_figures(branch_result: SimulationResult, tmp_path: Path) -> None:
    figures = result_figures(branch_result)
    assert list(figures) == ["overview", "waits", "occupancy"]
    assert "service level within 5 min" in figures["overview"].axes[0].get_title()
    paths = save_figures(figures, tmp_path / "png")
    assert [p.name for p in paths] == ["overview.png", "waits.png", "occupancy.png"]


def test_deferred_channel_gets_backlog_and_its_own_overview() -> None:
    scenario = queuesim.scenario_from_dict(PHONE_AND_EMAIL)
    result = queuesim.simulate(scenario, replications=2, seed=3, records=True)
    figures = result_figures(result)
    assert list(figures) == [
        "overview_phone",
        "overview_email",
        "waits_phone",
        "waits_email",
        "occupancy",
        "backlog",
    ]
    # the email overview shows the share answered within the deadline, not the 20 s level
    email_bottom = figures["overview_email"].axes[1]
    assert email_bottom.get_ylabel() == "answered within the deadline"
    # the backlog line is the mean over replications of the email channel's backlog
    top = figures["backlog"].axes[0]
    (line,) = top.get_lines()
    rows = result.intervals[
        (result.intervals.channel == "email") & (result.intervals.contact_type == "all")
    ]
    expected = rows.groupby("interval_start")["backlog"].mean()
    np.testing.assert_allclose(line.get_ydata(), expected.to_numpy())
    assert expected.max() > 0  # items arriving after 18:00 wait for the next opening
    deadline = figures["backlog"].axes[1].get_lines()[1]
    assert list(deadline.get_ydata()) == [24.0, 24.0]

    page = render_report(result, figures)
    assert "the promised response time is 1 day" in page
    assert "items arrive at any hour, wait in a backlog and are worked 08:00–18:00" in page
    assert "deferred items answered within the deadline" in page

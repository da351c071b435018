"""Intraday re-forecast: a run started from a state taken at 11:00 agrees in distribution with
the rest of the full-day runs the states came from; the re-forecast rule; staffing changes on
common random numbers; the command line."""

from __future__ import annotations

import copy
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from queuesim.cli import app
from queuesim.model.arrivals import expected_volumes
from queuesim.model.engine import Simulation, simulate_replication
from queuesim.planning import intraday, parse_change
from queuesim.scenario import ScenarioError, scenario_from_dict

NOW = 11 * 3600.0

DAY: dict[str, Any] = {
    "version": 1,
    "name": "intraday test",
    "horizon": "1 d",
    "interval": "30 min",
    "seed": 3,
    "replications": 5,
    "channels": {
        "phone": {
            "kind": "phone",
            "open": "08:00",
            "close": "16:00",
            "arrivals": {"rate": "48/h", "dispersion": {"cv": 0.1}},
            "mix": {"sales": 0.4, "service": 0.6},
            "patience": {"dist": "lognormal", "mean": "3 min", "cv": 1.0},
        }
    },
    "contact_types": {
        "sales": {"handle_time": {"dist": "lognormal", "mean": "5 min", "cv": 0.8}},
        "service": {
            "handle_time": {"dist": "gamma", "mean": "4 min", "cv": 0.6},
            "after_contact_work": "20 s",
        },
    },
    "agent_groups": {
        "team": {
            "channels": ["phone"],
            "shifts": [
                {
                    "name": "early",
                    "start": "08:00",
                    "end": "12:00",
                    "agents": 3,
                    "breaks": [{"start": "10:00", "duration": "15 min"}],
                },
                {
                    "name": "mid",
                    "start": "09:00",
                    "end": "14:00",
                    "agents": 2,
                    "breaks": [{"start": "10:45", "duration": "30 min"}],
                },
                {"name": "late", "start": "11:30", "end": "16:00", "agents": 4},
            ],
        }
    },
}


def _next_hour(contacts: list[tuple[Any, ...]]) -> tuple[float, ...]:
    """Answered, abandoned, answered within 20 s and their total wait, of the customers still
    to be answered at 11:00 who arrived before 12:00 (waiting at 11:00 or arriving later)."""
    answered = abandoned = fast = waits = 0.0
    for row in contacts:
        arrival, outcome, wait = row[3], row[4], row[5]
        if arrival + wait < NOW or arrival >= NOW + 3600:
            continue
        answered += outcome == "answered"
        fast += outcome == "answered" and wait <= 20
        abandoned += outcome == "abandoned"
        waits += wait
    return answered, abandoned, fast, waits


@pytest.mark.slow
def test_started_from_states_the_rest_of_day_agrees_with_the_full_days() -> None:
    """Each full-day run's state at 11:00 (a break under way, a queue, busy agents) restarts
    the day; the next hour's outcomes agree in mean with the full runs' (paired by state,
    within 4 SE). Without forecast dispersion and under the same seed, the arrivals after
    11:00 are the same in both runs while the customers' handle times and patience are drawn
    afresh, which keeps the comparison fair and its SE small."""
    data = copy.deepcopy(DAY)
    del data["channels"]["phone"]["arrivals"]["dispersion"]
    scenario = scenario_from_dict(data)
    full, started = [], []
    for replication in range(200):
        simulation = Simulation(scenario, 1, replication, records=True)
        simulation.capture_state_at(NOW)
        output = simulation.run()
        full.append(_next_hour(output.contacts))
        assert simulation.state is not None
        restart = scenario_from_dict({**copy.deepcopy(data), "initial_state": simulation.state})
        rest = simulate_replication(restart, 1, replication, records=True)
        started.append(_next_hour(rest.contacts))
    difference = np.array(started) - np.array(full)
    mean = difference.mean(axis=0)
    se = difference.std(axis=0, ddof=1) / math.sqrt(len(difference))
    assert np.all(np.abs(mean) <= 4 * se + [0.05, 0.05, 0.05, 1.0]), (mean, se)
    assert np.array(full)[:, 1].mean() > 2  # abandonment happens: a real test


def test_the_ratio_so_far_scales_the_rest_of_the_day() -> None:
    scenario = scenario_from_dict(copy.deepcopy(DAY))
    forecast = expected_volumes(scenario.channels["phone"], 1800)
    starts = np.arange(8 * 3600, NOW, 1800)
    actuals = pd.DataFrame(
        {
            "date": None,
            "channel": "phone",
            "interval_start": starts,
            "offered": [30.0] * len(starts),
        }
    )
    result = intraday(
        copy.deepcopy(DAY),
        {"time": "11:00"},
        actuals_so_far=actuals,
        replications=20,
    )
    [row] = result.ratios.itertuples()
    k = 1 / 0.1**2
    a, f = 30.0 * len(starts), forecast[16:22].sum()
    assert row.actual_so_far == a and row.forecast_so_far == pytest.approx(f)
    assert row.ratio == pytest.approx((k + a) / (k + f))
    assert row.cv == pytest.approx(1 / math.sqrt(k + a))
    assert row.ratio_low < row.ratio < row.ratio_high
    offered = result.intervals[
        (result.intervals["channel"] == "phone") & (result.intervals["metric"] == "offered")
    ]
    assert offered["interval_start"].min() == NOW
    later = offered[offered["interval_start"] < 16 * 3600]
    # 20 replications × 10 intervals of mean 24·ratio: the total's SE is about √(24·ratio·200)
    # plus the multiplier's spread (cv) on the total.
    expected = 24 * row.ratio * len(later)
    total = later["predicted"].sum()
    spread = math.sqrt(expected / 20 + (expected * row.cv) ** 2 / 20)
    assert abs(total - expected) <= 4 * spread


def test_adding_agents_helps_on_the_same_seeds() -> None:
    result = intraday(
        copy.deepcopy(DAY),
        {"time": "11:00"},
        changes=["team=+2@11:00", "team=-1@12:00"],
        replications=20,
    )
    totals = result.changes[
        (result.changes["channel"] == "all")
        & (result.changes["contact_type"] == "all")
        & (result.changes["agent_group"] == "all")
    ].set_index(["change", "metric"])
    assert totals.loc[("team=+2@11:00", "abandoned"), "ci_high"] < 0
    assert totals.loc[("team=+2@11:00", "sl_all"), "ci_low"] > 0
    assert totals.loc[("team=-1@12:00", "abandoned"), "ci_low"] > 0
    assert (totals["n_reps"] == 20).all()


def test_changes_the_scenario_cannot_take_are_refused() -> None:
    with pytest.raises(ValueError, match=r"expected GROUP=\+N@HH:MM"):
        parse_change("team+2@13:00")
    with pytest.raises(ValueError, match="expected one of the agent groups"):
        intraday(copy.deepcopy(DAY), {"time": "11:00"}, changes=["tier2=+1@13:00"])
    with pytest.raises(ValueError, match="expected at most 4 agents to send home"):
        intraday(copy.deepcopy(DAY), {"time": "11:00"}, changes=["team=-5@13:00"])
    with pytest.raises(ValueError, match="expected a time from now"):
        intraday(copy.deepcopy(DAY), {"time": "11:00"}, changes=["team=+1@10:00"])


def test_a_bad_state_is_named_by_its_file(tmp_path: Path) -> None:
    state = tmp_path / "state.yaml"
    state.write_text(
        yaml.safe_dump(
            {
                "initial_state": {
                    "time": "11:00",
                    "waiting": [{"channel": "chat", "contact_type": "sales", "waited": ["1 s"]}],
                }
            }
        )
    )
    with pytest.raises(ScenarioError, match=f"^{state}: initial_state.waiting.0.channel: "):
        intraday(copy.deepcopy(DAY), state)


def test_intraday_command(tmp_path: Path) -> None:
    scenario = tmp_path / "day.yaml"
    scenario.write_text(yaml.safe_dump(DAY))
    state = tmp_path / "state.yaml"
    state.write_text(
        yaml.safe_dump(
            {
                "waiting": [{"channel": "phone", "contact_type": "sales", "waited": ["2 min"]}],
                "in_service": [{"agent_group": "team", "remaining": ["3 min"]}],
            }
        )
    )
    runner = CliRunner()
    out = tmp_path / "out"
    args = ["intraday", str(scenario), "--now", "11:00", "--state", str(state), "-n", "5"]
    result = runner.invoke(app, [*args, "--change", "team=+1@12:00", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Rest of the day from 11:00" in result.output
    intervals = pd.read_csv(out / "intraday_intervals.csv")
    assert intervals["interval_start"].min() == NOW
    assert set(pd.read_csv(out / "intraday_changes.csv")["change"]) == {"team=+1@12:00"}
    bad = runner.invoke(app, [*args, "--change", "team=2"])
    assert bad.exit_code == 2
    assert "--change: expected GROUP=+N@HH:MM" in bad.output
    assert "Traceback" not in bad.output

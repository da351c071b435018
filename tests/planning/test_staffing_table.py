"""Staffing tables: the analytic requirement per interval, the roster, and the simulated day."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import queuesim
from queuesim import StaffingTargets, erlang_a, erlang_c, min_agents
from queuesim.cli import app
from queuesim.planning import (
    read_forecast,
    roster_shifts,
    simulate_staffing,
    staffing_scenario,
    staffing_table,
)

ROOT = Path(__file__).parents[2]
FORECAST = ROOT / "scenarios" / "data" / "example_forecast.csv"
SL = StaffingTargets(service_level=0.8, threshold=20.0)


@pytest.mark.parametrize("patience", [None, 180.0])
def test_each_interval_is_min_agents_and_one_fewer_misses(patience: float | None) -> None:
    forecast = read_forecast(FORECAST)
    targets = StaffingTargets(service_level=0.8, threshold=20.0, max_occupancy=0.85)
    table = staffing_table(forecast, 1800.0, targets, patience=patience, shrinkage=0.3)
    assert len(table) == len(forecast) == 20
    for row in table.itertuples():
        rate = row.volume / 1800.0
        expected = min_agents(
            rate, row.aht, service_level=0.8, threshold=20.0, max_occupancy=0.85, patience=patience
        )
        assert row.agents == expected
        assert row.agents_gross == math.ceil(expected / 0.7)
        fewer = (
            erlang_c(rate, row.aht, row.agents - 1, threshold=20.0)
            if patience is None
            else erlang_a(rate, row.aht, row.agents - 1, patience, threshold=20.0)
        )
        assert (
            fewer.service_level < 0.8
            or fewer.occupancy > 0.85
            or not getattr(fewer, "stable", True)
        )
        assert row.service_level >= 0.8 and row.occupancy <= 0.85
    assert set(table["model"]) == {"Erlang C" if patience is None else "Erlang A"}


def test_aht_option_fills_missing_ahts_and_zero_volume_needs_nobody() -> None:
    forecast = pd.DataFrame({"interval_start": [0.0, 1800.0], "volume": [0.0, 60.0]})
    table = staffing_table(forecast, 1800.0, SL, aht=240.0)
    assert table["agents"].tolist() == [
        0,
        min_agents(60 / 1800, 240.0, service_level=0.8, threshold=20.0),
    ]
    with pytest.raises(ValueError, match="interval 00:00 has no AHT"):
        staffing_table(forecast, 1800.0, SL)
    with pytest.raises(ValueError, match="shrinkage must be in"):
        staffing_table(forecast, 1800.0, SL, aht=240.0, shrinkage=1.0)


@pytest.mark.parametrize(
    ("rows", "interval", "message"),
    [
        (
            "08:00,10\n08:15,10\n",
            1800.0,
            "line 3, column interval_start: expected the start of a 30-min interval, got 08:15",
        ),
        (
            "08:00,10\n08:30,10\n",
            900.0,
            "line 3, column interval_start: expected 08:15, one 15-min interval after line 2, "
            "got 08:30",
        ),
        (
            "08:00,10\n09:00,10\n",
            1800.0,
            "line 3, column interval_start: expected 08:30, one 30-min interval after line 2",
        ),
    ],
)
def test_forecast_rows_must_step_by_the_interval(tmp_path, rows, interval, message) -> None:
    path = tmp_path / "forecast.csv"
    path.write_text("interval_start,volume\n" + rows)
    with pytest.raises(queuesim.ScenarioError) as raised:
        read_forecast(path, interval=interval)
    assert str(raised.value).startswith(f"{path} {message}")
    assert len(read_forecast(path)) == 2  # without an interval, nothing to check against


def test_roster_puts_exactly_the_required_agents_on_duty() -> None:
    starts = [8 * 3600.0 + i * 1800.0 for i in range(8)]
    agents = [2, 5, 5, 3, 0, 4, 4, 1]
    shifts = roster_shifts(starts, agents, 1800.0)
    on_duty = [0] * len(starts)
    for shift in shifts:
        begin = queuesim.scenario.units.parse_time_of_day(shift["start"])
        end = queuesim.scenario.units.parse_time_of_day(shift["end"])
        for i, start in enumerate(starts):
            if begin <= start < end:
                on_duty[i] += shift["agents"]
    assert on_duty == agents
    # Each level's runs are shifts, and equal shifts are merged.
    assert [(s["start"], s["end"], s["agents"]) for s in shifts] == [
        ("08:00", "10:00", 2),
        ("08:30", "09:30", 2),
        ("08:30", "10:00", 1),
        ("10:30", "11:30", 3),
        ("10:30", "12:00", 1),
    ]


def test_simulated_steady_day_agrees_with_erlang_c_mid_day() -> None:
    """Constant demand and staffing: after the first hour each interval is in steady state, so
    the simulated service level must match Erlang C within 4 standard errors + 0.002."""
    forecast = pd.DataFrame(
        {"interval_start": 8 * 3600.0 + np.arange(16) * 1800.0, "volume": 150.0, "aht": 240.0}
    )
    table = staffing_table(forecast, 1800.0, SL)
    result = queuesim.simulate(
        queuesim.scenario_from_dict(staffing_scenario(table, 1800.0, None, 20.0)),
        replications=12,
        seed=5,
    )
    rows = result.intervals
    rows = rows[(rows["contact_type"] == "all") & rows["interval_start"].between(36000, 57599)]
    per_rep = rows.groupby("replication").apply(
        lambda r: (r["sl_all"] * r["offered"]).sum() / r["offered"].sum()
    )
    theory = table["service_level"].iloc[0]
    se = per_rep.std(ddof=1) / math.sqrt(len(per_rep))
    assert abs(per_rep.mean() - theory) <= 4 * se + 0.002, (per_rep.mean(), theory, se)


def test_simulate_staffing_adds_interval_service_levels_with_cis() -> None:
    table = staffing_table(read_forecast(FORECAST), 1800.0, SL, patience=180.0)
    out = simulate_staffing(table, 1800.0, patience=180.0, threshold=20.0, replications=5)
    assert {
        "sim_sl_all",
        "sim_sl_all_low",
        "sim_sl_all_high",
        "sim_asa",
        "sim_abandon_rate",
    } <= set(out.columns)
    assert (out["sim_sl_all_low"] <= out["sim_sl_all"]).all()
    assert (out["sim_sl_all"] <= out["sim_sl_all_high"]).all()


def test_cli_staffing_prints_and_writes(tmp_path: Path) -> None:
    runner = CliRunner()
    csv = tmp_path / "staffing.csv"
    result = runner.invoke(
        app,
        [
            "staffing",
            str(FORECAST),
            "--target",
            "service_level=80%",
            "--target",
            "threshold=20 s",
            "--shrinkage",
            "0.3",
            "--out",
            str(csv),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Erlang C" in result.output
    written = pd.read_csv(csv)
    assert (
        written["agents"].tolist()
        == staffing_table(read_forecast(FORECAST), 1800.0, SL)["agents"].tolist()
    )
    for options, message in [
        (["--target", "speed=fast"], "--target: expected KIND=VALUE"),
        (["--target", "service_level=0.8"], "--target: service_level needs a threshold"),
        (["--target", "abandon_rate=5%"], "--target: abandon_rate needs --patience"),
        (["--target", "asa=30 s", "--shrinkage", "1.2"], "--shrinkage: expected a share"),
        (["--target", "asa=30 s", "--patience", "0 s"], "--patience: expected a mean patience"),
        (["--target", "asa=30 s", "--interval", "15 min"], "expected 08:15, one 15-min"),
    ]:
        bad = runner.invoke(app, ["staffing", str(FORECAST), *options])
        assert bad.exit_code == 2 and message in bad.output, (options, bad.output)
        assert "Traceback" not in bad.output


def test_reproduces_the_published_call_centre_helper_example(tmp_path: Path) -> None:
    # Call Centre Helper, "Erlang C Formula – Made Simple With an Easy Worked Example": 100
    # calls per 30 min, AHT 180 s, 80% in 20 s -> 14 agents, service level 88.8%, ASA 7.8 s,
    # occupancy 71.4%; with 30% shrinkage 14 / 0.7 = 20 agents.
    path = tmp_path / "forecast.csv"
    path.write_text("interval_start,volume,aht\n09:00,100,3 min\n")
    row = staffing_table(read_forecast(path), 1800.0, SL, shrinkage=0.3).iloc[0]
    assert row["agents"] == 14 and row["agents_gross"] == 20
    assert row["load"] == pytest.approx(10.0)
    assert row["service_level"] == pytest.approx(0.888, abs=5e-4)
    assert row["asa"] == pytest.approx(7.8, abs=0.05)
    assert row["occupancy"] == pytest.approx(0.714, abs=5e-4)


def test_a_day_running_to_midnight_keeps_its_last_shift_and_closing() -> None:
    starts = [22 * 3600.0, 22.5 * 3600, 23 * 3600, 23.5 * 3600]
    forecast = pd.DataFrame({"interval_start": starts, "volume": 40.0, "aht": 240.0})
    table = staffing_table(forecast, 1800.0, SL)
    data = staffing_scenario(table, 1800.0, None, 20.0)
    assert data["channels"]["phone"]["close"] == "24:00"
    shifts = data["agent_groups"]["team"]["shifts"]
    assert [(s["start"], s["end"]) for s in shifts] == [("22:00", "24:00")]
    scenario = queuesim.scenario_from_dict(data)
    assert scenario.agent_groups["team"].shifts[0].end == 24 * 3600.0

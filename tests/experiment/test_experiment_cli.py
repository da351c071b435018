"""``queuesim compare``, ``sweep``, ``sensitivity`` and ``staff`` from the command line."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from queuesim.cli import app

ROOT = Path(__file__).parents[2]
INSURANCE = str(ROOT / "scenarios" / "insurance_phone_day.yaml")
runner = CliRunner()


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_compare_prints_paired_differences_and_writes_them(small_scenario, tmp_path):
    code, output = invoke(
        "compare",
        str(small_scenario),
        "--variant",
        "more_agents",
        "-n",
        "4",
        "--out",
        str(tmp_path),
    )
    assert code == 0, output
    assert "more_agents vs base" in output and "CI narrower by" in output
    differences = pd.read_csv(tmp_path / "differences.csv")
    assert set(differences.variant) == {"more_agents"}


def test_sweep_writes_the_store_and_tidy_tables(small_scenario, tmp_path):
    out = tmp_path / "sweep"
    code, output = invoke(
        "sweep",
        str(small_scenario),
        "--out",
        str(out),
        "--executor",
        "serial",
        "--factor",
        "agent_groups.agents.size=7,9",
        "-n",
        "2",
    )
    assert code == 0, output
    runs = pd.read_csv(out / "runs.csv")
    assert len(runs) == 4 and "agent_groups.agents.size" in runs
    assert (out / "manifest.json").exists()
    assert len(list((out / "points").glob("*.runs.parquet"))) == 2


def test_sweep_samples_a_latin_hypercube(small_scenario, tmp_path):
    code, output = invoke(
        "sweep",
        str(small_scenario),
        "--out",
        str(tmp_path),
        "--executor",
        "serial",
        "--lhs",
        "3",
        "--range",
        "agent_groups.agents.size=7:10",
        "-n",
        "1",
    )
    assert code == 0, output
    assert pd.read_csv(tmp_path / "runs.csv")["agent_groups.agents.size"].between(7, 10).all()


def test_sensitivity_shows_the_swing(small_scenario, tmp_path):
    code, output = invoke(
        "sensitivity",
        str(small_scenario),
        "--vary",
        "channels.phone.arrivals.rate=±10%",
        "--vary",
        "agent_groups.agents.size=7,9",
        "-n",
        "2",
        "--out",
        str(tmp_path),
    )
    assert code == 0, output
    table = pd.read_csv(tmp_path / "sensitivity.csv")
    rate = table[(table.parameter == "channels.phone.arrivals.rate") & (table.metric == "asa")]
    assert rate.low_value.iloc[0] == "90/h" and rate.high_value.iloc[0] == "110/h"


def test_sensitivity_of_a_journey_scenario_shows_resolution_and_satisfaction():
    """Scenarios that follow journeys also show FCR, errors, CSAT, NPS and cost per
    resolution by default."""
    code, output = invoke(
        "sensitivity",
        str(ROOT / "scenarios" / "new_team.yaml"),
        "--set",
        "horizon=1 d",
        "--vary",
        "agent_groups.new_hires.standards.level=0,0.8",
        "-n",
        "2",
    )
    assert code == 0, output
    for name in ("errors", "csat_mean", "nps", "cost_per_resolu"):
        assert name in output


def test_staff_prints_requirement_and_roster(tmp_path):
    code, output = invoke(
        "staff",
        INSURANCE,
        "--target",
        "service_level=0.8",
        "-n",
        "2",
        "--shift-length",
        "8 h",
        "--start-step",
        "1 h",
        "--out",
        str(tmp_path),
    )
    assert code == 0, output
    assert "Roster" in output
    roster = pd.read_csv(tmp_path / "roster.csv")
    assert roster.agents.gt(0).all()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["sweep", "{s}", "--out", "{o}"], "expected one design"),
        (["sweep", "{s}", "--out", "{o}", "--factor", "agent_groups.agents.size"], "PATH=v1,v2"),
        (["sweep", "{s}", "--out", "{o}", "--sobol", "6", "--range", "x=1:2"], "power of two"),
        (["compare", "{s}", "--variant", "nope"], "expected the name of a variant"),
        (["staff", "{s}"], "expected at least one target"),
        (["staff", "{s}", "--target", "sl=0.8"], "KIND one of service_level"),
        (["sensitivity", "{s}", "--vary", "agent_groups.agents.size=7"], "LOW,HIGH or ±P%"),
        (["compare", "{s}", "--executor", "processes", "--workers", "0"], "workers must be"),
    ],
)
def test_bad_options_exit_2_with_a_message(small_scenario, tmp_path, args, message):
    filled = [a.format(s=small_scenario, o=tmp_path / "o") for a in args]
    code, output = invoke(*filled)
    assert code == 2
    assert message in output
    assert "Traceback" not in output

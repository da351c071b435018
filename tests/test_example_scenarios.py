"""Every example scenario loads, runs, and accounts for every customer."""

from __future__ import annotations

from pathlib import Path

import pytest

from queuesim import load_scenario, simulate

SCENARIOS = sorted((Path(__file__).parents[1] / "scenarios").glob("*.yaml"))
OUTCOMES = ["answered", "abandoned", "blocked", "closed_out", "pending"]


def test_there_are_examples() -> None:
    assert len(SCENARIOS) >= 3


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_example_runs_and_conserves_customers(path: Path) -> None:
    scenario = load_scenario(path, {"horizon": "1 d"} if "steady" in path.stem else {})
    assert path.read_text().startswith("#"), "each example starts with a comment header"
    result = simulate(scenario, replications=2)
    intervals = result.intervals
    assert intervals["offered"].sum() > 0
    assert (intervals["offered"] == intervals[OUTCOMES].sum(axis=1)).all()
    assert result.kpi("answered")["mean"] > 0

"""Interval reports: profile and AHT, and patience by inverting Erlang A."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import queuesim
from queuesim import erlang_a
from queuesim.fitting import erlang_a_patience, fit_interval_report, read_interval_report

ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "scenarios" / "data" / "example_intervals.csv"


def _report(patience: float) -> pd.DataFrame:
    """Intervals whose abandonments are exactly what Erlang A gives with ``patience``."""
    rows = []
    for offered, aht, agents in [(100, 240.0, 13), (150, 200.0, 16), (80, 300.0, 12)]:
        p = erlang_a(offered / 1800, aht, agents, patience).p_abandon
        rows.append((None, 28800.0, "phone", offered, offered * p, aht, agents))
    return pd.DataFrame(
        rows,
        columns=["date", "interval_start", "channel", "offered", "abandoned", "aht", "agents"],
    )


@pytest.mark.parametrize("patience", [60.0, 180.0, 900.0])
def test_inverting_erlang_a_returns_the_patience_that_made_the_abandonments(
    patience: float,
) -> None:
    table, pooled = erlang_a_patience(_report(patience), 1800.0)
    assert table["patience"].to_numpy() == pytest.approx(np.full(3, patience), rel=1e-4)
    assert pooled == pytest.approx(patience, rel=1e-4)


def test_intervals_without_abandonment_or_agents_have_no_estimate() -> None:
    report = _report(180.0)
    report.loc[0, "abandoned"] = 0
    report.loc[1, "agents"] = 0
    table, pooled = erlang_a_patience(report, 1800.0)
    assert math.isnan(table["patience"].iloc[0]) and math.isnan(table["patience"].iloc[1])
    assert pooled == pytest.approx(180.0, rel=1e-4)


def test_missing_columns_are_named() -> None:
    with pytest.raises(ValueError, match="missing aht, agents"):
        erlang_a_patience(_report(60.0).drop(columns=["aht", "agents"]), 1800.0)


def test_an_interval_length_other_than_the_reports_is_refused() -> None:
    report = read_interval_report(EXAMPLE)  # 30-min rows
    with pytest.raises(ValueError, match="expected intervals of 15 min, got rows at least 30 min"):
        fit_interval_report(report, 900.0, "report.csv")
    with pytest.raises(ValueError, match=r"report\.csv: expected intervals of 60 min starting on"):
        fit_interval_report(report, 3600.0, "report.csv")


def test_fit_of_the_example_report_gives_a_valid_labelled_scenario() -> None:
    report = read_interval_report(EXAMPLE)
    result = fit_interval_report(report, 1800.0, str(EXAMPLE))
    profile = result.tables["profile"]
    day = report[report["interval_start"] == 36000.0]
    row = profile[profile["interval_start"] == 36000.0].iloc[0]
    assert row["volume"] == pytest.approx(day["offered"].mean())
    assert row["aht"] == pytest.approx(np.average(day["aht"], weights=day["answered"]))
    assert "APPROXIMATE" in result.scenario_text
    data = yaml.safe_load(result.scenario_text)
    scenario = queuesim.scenario_from_dict(data)
    assert scenario.channels["phone"].patience.dist == "exponential"

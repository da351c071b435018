"""Back-tests: prediction bands of single-day outcomes, coverage, bias, and errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from scipy import stats
from typer.testing import CliRunner

import queuesim
from queuesim.cli import app
from queuesim.fitting import read_interval_report
from queuesim.planning import backtest, band_rank, coverage_summary, prediction_bands
from queuesim.planning.plots import backtest_plot

ROOT = Path(__file__).parents[2]
DATA = ROOT / "scenarios" / "data"
LINE = DATA / "example_line.yaml"


def _steady_line() -> dict:
    """The example line without forecast error: each day is a draw of the same model."""
    data = yaml.safe_load(LINE.read_text())
    del data["channels"]["phone"]["arrivals"]["dispersion"]
    return data


def _as_report(intervals: pd.DataFrame, replication: int, date: str) -> pd.DataFrame:
    rows = intervals[
        (intervals["replication"] == replication)
        & (intervals["channel"] == "phone")
        & (intervals["contact_type"] == "all")
        & (intervals["offered"] > 0)
    ]
    return pd.DataFrame(
        {
            "date": pd.Timestamp(date).date(),
            "interval_start": rows["interval_start"].to_numpy(),
            "channel": rows["channel"].to_numpy(),
            "offered": rows["offered"].to_numpy(),
            "answered": rows["answered"].to_numpy(),
            "abandoned": rows["abandoned"].to_numpy(),
            "asa": rows["asa"].to_numpy(),
            "sl": rows["sl_all"].to_numpy(),
        }
    )


def test_band_rank_gives_exact_ninety_percent_for_39_replications() -> None:
    k = band_rank(39)
    assert k == 2 and (39 + 1 - 2 * k) / (39 + 1) == 0.9
    with pytest.raises(ValueError, match="band must be between 0 and 1"):
        band_rank(39, 1.0)


BUSY = {
    "version": 1,
    "name": "busy line",
    "horizon": "1 d",
    "interval": "30 min",
    "channels": {
        "phone": {
            "kind": "phone",
            "open": "08:00",
            "close": "18:00",
            "arrivals": {"rate": "120/h"},
            "mix": {"calls": 1.0},
            "patience": {"dist": "exponential", "mean": "200 s"},
        }
    },
    "contact_types": {"calls": {"handle_time": {"dist": "exponential", "mean": "240 s"}}},
    "agent_groups": {"team": {"channels": ["phone"], "size": 8}},
}
"""A line busy enough that waits are rarely zero, so band edges rarely tie with an actual."""


@pytest.mark.slow
def test_bands_cover_exchangeable_days_about_ninety_percent() -> None:
    """Ten actual days drawn from the model itself (other seeds), each against its own bands
    from 19 replications (k = 1: coverage (19 + 1 − 2) / 20 = 0.9 exactly for an exchangeable
    outcome). 200 intervals: coverage must lie in the 99.9% binomial range around 0.9; counts
    tie with band edges, which only raises their coverage, so their upper end is not tested."""
    scenario = queuesim.scenario_from_dict(BUSY)
    days = queuesim.simulate(scenario, replications=10, seed=1000).intervals
    frames = []
    for r in range(10):
        bands = queuesim.simulate(scenario, replications=19, seed=1001 + r).intervals
        frames.append(prediction_bands(bands, _as_report(days, r, f"2026-03-{9 + r:02d}")))
    summary = coverage_summary(pd.concat(frames, ignore_index=True)).set_index("metric")
    n = int(summary.loc["sl_all", "intervals"])
    assert n == 200
    low = stats.binom.ppf(0.0005, n, 0.9) / n
    high = stats.binom.ppf(0.9995, n, 0.9) / n
    for metric in ("answered", "abandon_rate", "asa", "sl_all"):
        assert summary.loc[metric, "coverage"] >= low, summary
    for metric in ("abandon_rate", "asa", "sl_all"):
        assert summary.loc[metric, "coverage"] <= high, summary


def test_a_band_that_is_the_ci_of_the_mean_would_fail_that_test() -> None:
    """Guard on the test above: a 90% confidence interval of the mean is far narrower than the
    spread of single days and covers well under 90% of them."""
    scenario = queuesim.scenario_from_dict(BUSY)
    bands = queuesim.simulate(scenario, replications=19, seed=1001).intervals
    days = queuesim.simulate(scenario, replications=3, seed=1000).intervals
    phone = bands[(bands["channel"] == "phone") & (bands["contact_type"] == "all")]
    rows = phone.groupby("interval_start")["sl_all"]
    half = stats.t.ppf(0.95, 18) * rows.std() / 19**0.5
    inside = []
    for r in range(3):
        actual = _as_report(days, r, "2026-03-09").set_index("interval_start")["sl"]
        mean = rows.mean().reindex(actual.index)
        inside += list((actual - mean).abs() <= half.reindex(actual.index))
    assert sum(inside) / len(inside) < 0.6


def test_backtest_end_to_end_runs_the_actual_volumes(tmp_path: Path) -> None:
    scenario = queuesim.scenario_from_dict(_steady_line(), base_dir=DATA)
    day = queuesim.simulate(scenario, replications=1, seed=303).intervals
    actuals = _as_report(day, 0, "2026-03-09")
    result = backtest(_steady_line(), actuals, replications=19, base_dir=DATA)
    assert result.band == pytest.approx(0.9) and result.replications == 19
    assert set(result.summary["metric"]) == {"answered", "abandon_rate", "asa", "sl_all"}
    answered = result.intervals[result.intervals["metric"] == "answered"]
    # The simulated volume is Poisson around the actual, so the day's answered total is centred
    # on the actual one; it varies less than the Poisson offered total V it comes from, so the
    # mean of 19 days minus one actual day has a standard deviation below sqrt(V (1 + 1/19)).
    offered = actuals["offered"].sum()
    gap = answered["predicted"].sum() - answered["actual"].sum()
    assert abs(gap) <= 4 * (offered * (1 + 1 / 19)) ** 0.5, (gap, offered)
    summary = result.summary.set_index("metric")
    assert (summary["coverage_low"] <= summary["coverage"]).all()
    figure = backtest_plot(result)
    assert len(figure.axes) == 4
    for ax in figure.axes:
        metric = ax.get_title().split(":")[0]
        rows = result.intervals[result.intervals["metric"] == metric]
        assert f"coverage {rows['inside'].mean():.0%} of {len(rows)} intervals" in ax.get_title()
        predicted, _, outside = ax.lines
        np.testing.assert_allclose(predicted.get_ydata(), rows["predicted"])
        assert len(outside.get_ydata()) == (~rows["inside"]).sum()
        assert outside.get_color() == "red"
    assert summary.loc["answered", "bias"] == pytest.approx(
        (answered["predicted"] - answered["actual"]).mean()
    )


def test_backtest_errors_name_the_scenario_or_the_actuals(tmp_path: Path) -> None:
    actuals = read_interval_report(DATA / "example_intervals.csv")
    wrong = actuals.assign(channel="chat")
    with pytest.raises(queuesim.ScenarioError) as raised:
        backtest(LINE, wrong, replications=3, actuals_source="day.csv")
    assert str(raised.value) == (
        "day.csv interval 2026-03-09 08:00: expected a channel of the scenario (phone), got 'chat'"
    )
    early = actuals.head(3).assign(interval_start=[6 * 3600.0, 28800.0, 30600.0])
    with pytest.raises(queuesim.ScenarioError) as raised:
        backtest(LINE, early, replications=3, actuals_source="day.csv")
    assert str(raised.value) == (
        "day.csv interval 2026-03-09 06:00: expected volume only while the scenario's channel "
        "phone is open (08:00–18:00), got 19 offered"
    )
    off_grid = actuals.head(2).assign(interval_start=[28800.0, 29700.0])
    with pytest.raises(
        queuesim.ScenarioError,
        match="08:15: expected the start of one of the scenario's 30-min intervals, got 08:15",
    ):
        backtest(LINE, off_grid, replications=3)
    broken = {**yaml.safe_load(LINE.read_text()), "interval": "7 min"}
    with pytest.raises(
        queuesim.ScenarioError, match=r"<dict>: expected an 'interval' that divides a day"
    ):
        backtest(broken, actuals, replications=3, base_dir=DATA)


def test_cli_backtest_prints_coverage_and_writes_plot(tmp_path: Path) -> None:
    report = tmp_path / "day.csv"
    lines = (DATA / "example_intervals.csv").read_text().splitlines()
    report.write_text("\n".join(lines[:21]) + "\n")
    runner = CliRunner()
    result = runner.invoke(
        app, ["backtest", str(LINE), "--actuals", str(report), "-n", "9", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert "coverage" in result.output and "sl_all" in result.output
    assert "9 replications give 80% bands, not 90%; use -n 19 or more" in result.output
    assert (tmp_path / "backtest.png").stat().st_size > 0
    summary = pd.read_csv(tmp_path / "backtest_summary.csv")
    assert summary["intervals"].max() == 20
    for options, message in [
        (["--actuals", str(tmp_path / "none.csv")], "expected an existing CSV file"),
        (["--actuals", str(report), "--column", "offered"], "--column: expected STANDARD=HEADER"),
        (["--actuals", str(report), "--time-zone", "CET+1"], "--time-zone: expected an IANA"),
        (["--actuals", str(report), "--band", "1.5"], "--band: expected a share"),
    ]:
        bad = runner.invoke(app, ["backtest", str(LINE), *options])
        assert bad.exit_code == 2 and message in bad.output, (options, bad.output)

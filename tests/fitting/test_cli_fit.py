"""``queuesim fit``: files written, and clean errors."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from queuesim.cli import app

ROOT = Path(__file__).parents[2]
DATA = ROOT / "scenarios" / "data"
runner = CliRunner()


def test_fit_writes_scenario_tables_and_plots_that_validate(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["fit", str(DATA / "example_contact_log.csv"), "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert "patience_mean" in result.output and "naive" in result.output
    for name in (
        "scenario.yaml",
        "estimates.csv",
        "handle_time.csv",
        "kaplan_meier.csv",
        "profile.png",
        "handle_time_qq.png",
        "patience_survival.png",
    ):
        assert (tmp_path / name).stat().st_size > 0, name
    validated = runner.invoke(app, ["validate", str(tmp_path / "scenario.yaml")])
    assert validated.exit_code == 0, validated.output
    estimates = pd.read_csv(tmp_path / "estimates.csv")
    assert (estimates["ci_low"] <= estimates["estimate"]).all()


def test_fit_of_an_interval_report(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["fit", str(DATA / "example_intervals.csv"), "--report", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert "Erlang A inversion" in result.output
    assert runner.invoke(app, ["validate", str(tmp_path / "scenario.yaml")]).exit_code == 0


def test_malformed_log_exits_2_naming_file_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("arrival,outcome,wait,handle_time\n2026-03-02 08:00,gone,1,\n")
    result = runner.invoke(app, ["fit", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert f"{path} line 2, column outcome: expected an outcome" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_bad_options_exit_2(tmp_path: Path) -> None:
    log = str(DATA / "example_contact_log.csv")
    result = runner.invoke(app, ["fit", log, "--out", str(tmp_path), "--column", "when"])
    assert result.exit_code == 2 and "--column: expected STANDARD=HEADER" in result.output
    result = runner.invoke(app, ["fit", log, "--out", str(tmp_path), "--interval", "7 min"])
    assert (
        result.exit_code == 2 and "--interval: expected an interval that divides" in result.output
    )
    for options, message in [
        (["--duration-unit", "h"], "--duration-unit: expected s or min, got 'h'"),
        (["--time-zone", "Mars"], "--time-zone: expected an IANA time zone"),
        (["--time-format", "%Y"], "line 2, column arrival: expected a date-time in the format"),
    ]:
        result = runner.invoke(app, ["fit", log, "--out", str(tmp_path), *options])
        assert result.exit_code == 2 and message in result.output, (options, result.output)


def test_handle_times_that_cannot_be_fitted_are_named(tmp_path: Path) -> None:
    path = tmp_path / "same.csv"
    path.write_text(
        "arrival,outcome,wait,handle_time\n"
        "2026-03-02 08:00:00,answered,1,100\n2026-03-02 08:05:00,answered,2,100\n"
    )
    result = runner.invoke(app, ["fit", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert f"{path}: handle times of phone / general: expected durations that vary" in (
        result.output.replace("\n", "")
    )
    assert "Traceback" not in result.output and "Warning" not in result.output

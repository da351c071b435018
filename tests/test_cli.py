"""The command line: what it prints, writes and exits with."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from queuesim import analytic
from queuesim.cli import app

ROOT = Path(__file__).parents[1]
PHONE = str(ROOT / "scenarios" / "phone_steady_state.yaml")
BRANCH = str(ROOT / "scenarios" / "bank_branch_day.yaml")
SHORT = ["--set", "horizon=6 h", "-n", "3"]

runner = CliRunner()


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_run_prints_the_summary_and_writes_the_tables(tmp_path: Path) -> None:
    code, output = invoke("run", PHONE, *SHORT, "--out", str(tmp_path), "--records")
    assert code == 0, output
    assert "sl_all" in output and "occupancy" in output
    summary = pd.read_csv(tmp_path / "summary.csv")
    assert list(summary.columns) == [
        "channel",
        "contact_type",
        "agent_group",
        "metric",
        "unit",
        "mean",
        "ci_low",
        "ci_high",
        "n_reps",
    ]
    expected = {
        "offered",
        "answered",
        "abandoned",
        "blocked",
        "abandon_rate",
        "p_wait",
        "asa",
        "mean_wait",
        "wait_p90",
        "sl_all",
        "sl_answered",
        "sl_excl_short_abandons",
        "sl_all@60s",
        "occupancy",
        "utilisation",
        "overtime",
    }
    assert expected <= set(summary.metric)
    assert (summary.n_reps == 3).all()
    runs = pd.read_csv(tmp_path / "runs.csv")
    assert list(runs.replication) == [0, 1, 2]
    assert runs.scenario_hash.nunique() == 1
    assert json.loads(runs.overrides[0]) == {"horizon": "6 h"}
    contacts = pd.read_csv(tmp_path / "contacts.csv")
    intervals = pd.read_csv(tmp_path / "intervals.csv")
    assert len(contacts) == intervals.query("channel == 'all'")["offered"].sum()
    assert (tmp_path / "agents.csv").exists()


def test_run_writes_parquet_when_asked(tmp_path: Path) -> None:
    code, output = invoke("run", BRANCH, "-n", "2", "--out", str(tmp_path), "--format", "parquet")
    assert code == 0, output
    assert set(pd.read_parquet(tmp_path / "summary.parquet").channel) == {"branch", "all"}


def test_seed_and_set_reach_the_simulation(tmp_path: Path) -> None:
    outs = {}
    for name, extra in {
        "a": [],
        "b": [],
        "c": ["--seed", "99"],
        "d": ["--set", "agent_groups.team.size=50"],
    }.items():
        code, output = invoke("run", PHONE, *SHORT, *extra, "--out", str(tmp_path / name))
        assert code == 0, output
        outs[name] = pd.read_csv(tmp_path / name / "summary.csv")
    pd.testing.assert_frame_equal(outs["a"], outs["b"])
    assert not outs["a"]["mean"].equals(outs["c"]["mean"])
    asa = {
        k: v.query("metric == 'asa' and channel == 'all'")["mean"].item() for k, v in outs.items()
    }
    assert asa["d"] < asa["a"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run", "missing.yaml"], "missing.yaml: expected an existing scenario file"),
        (["run", PHONE, "--set", "agent_groups.team.size=many"], "--set: agent_groups.team.size"),
        (["run", PHONE, "--set", "agent_groups.team.sise=3"], "did you mean 'size'?"),
        (["run", PHONE, "--format", "xlsx"], "'xlsx' is not one of"),
        (["run", PHONE, "-n", "0"], "--replications: expected a positive integer, got 0"),
        (["erlang", "c", "--rate", "10", "--aht", "4 min", "--agents", "4"], "--rate: expected"),
        (
            [
                "erlang",
                "a",
                "--rate",
                "10/min",
                "--aht",
                "4 min",
                "--agents",
                "0",
                "--patience",
                "1 min",
            ],
            "--agents",
        ),
    ],
)
def test_bad_input_is_a_clear_error_without_traceback(args: list[str], message: str) -> None:
    code, output = invoke(*args)
    assert code == 2
    assert message in output
    assert "Traceback" not in output


def test_bad_scenario_file_names_file_field_expected_and_given(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    text = Path(PHONE).read_text().replace('mean: "4 min"', "mean: 240")
    bad.write_text(text)
    code, output = invoke("validate", PHONE, str(bad))
    assert code == 2
    assert "phone_steady_state.yaml: ok" in output
    assert (
        f"{bad}: contact_types.general.handle_time.mean: expected a duration with a unit" in output
    )
    assert "got 240" in output


def test_erlang_commands_print_the_analytic_figures() -> None:
    code, output = invoke(
        "erlang", "a", "--rate", "10/min", "--aht", "4 min", "--agents", "44",
        "--patience", "2 min", "--threshold", "20 s",
    )  # fmt: skip
    assert code == 0, output
    expected = analytic.erlang_a(10 / 60, 240, 44, 120, 20)
    assert f"{expected.p_abandon:.2%}" in output
    assert f"{expected.service_level:.2%}" in output
    code, output = invoke("erlang", "b", "--load", "10", "--agents", "10")
    assert code == 0
    assert f"{analytic.erlang_b(10, 10):.4%}" in output


def test_schema_is_json_schema() -> None:
    code, output = invoke("schema")
    assert code == 0
    schema = json.loads(output)
    assert {"channels", "contact_types", "agent_groups"} <= set(schema["properties"])

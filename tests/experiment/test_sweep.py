import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from queuesim.experiment.design import Factor, factorial
from queuesim.experiment.executors import make_executor
from queuesim.experiment.store import StoreMismatchError
from queuesim.experiment.sweep import sweep

FACTORS = ["agent_groups.agents.size=7,8,9", "channels.phone.arrivals.rate=90/h,100/h"]


def design():
    return factorial([Factor.parse(text) for text in FACTORS])


def comparable(runs: pd.DataFrame) -> pd.DataFrame:
    """Everything but wall-clock time."""
    return runs.drop(columns=["wall_seconds"]).reset_index(drop=True)


def test_one_row_per_point_and_replication_with_parameters_seed_and_hash(small_scenario):
    result = sweep(small_scenario, design(), replications=3)
    runs = result.runs
    assert len(runs) == 6 * 3
    assert list(runs.columns[:3]) == ["point", *[f.split("=")[0] for f in FACTORS]]
    assert {"replication", "seed", "scenario_hash", "queuesim_version", "status"} <= set(runs)
    assert (runs.status == "ok").all()
    assert runs.groupby("point").scenario_hash.nunique().eq(1).all()
    assert runs.scenario_hash.nunique() == 6
    # common random numbers: the same customers arrive at every staffing level
    offered = runs.pivot(index="replication", columns="point", values="offered")
    assert (offered[0] == offered[2]).all() and (offered[0] == offered[4]).all()
    summary = result.summary
    assert set(summary.point) == set(range(6))
    asa = summary[(summary.metric == "asa") & (summary.channel == "all")].set_index("point")
    assert asa.loc[0, "mean"] > asa.loc[4, "mean"]  # 7 agents wait longer than 9


def test_a_failing_point_is_recorded_and_the_rest_complete(small_scenario, tmp_path):
    points = [{"agent_groups.agents.size": 8}, {"agent_groups.agents.size": -1}, {}]
    result = sweep(small_scenario, points, replications=2, out=tmp_path / "out")
    failed = result.failures
    assert set(failed.point) == {1}
    assert failed.error.str.contains(
        "agent_groups.agents.size: expected a value of at least 0"
    ).all()
    assert (result.runs[result.runs.point != 1].status == "ok").all()
    assert set(result.summary.point) == {0, 2}


def test_executors_give_identical_numbers(small_scenario):
    serial = sweep(small_scenario, design(), replications=3).runs
    with make_executor("processes", workers=2) as pool:
        processes = sweep(small_scenario, design(), replications=3, executor=pool).runs
    with make_executor("dask", workers=2) as cluster:
        dask = sweep(small_scenario, design(), replications=3, executor=cluster).runs
    pd.testing.assert_frame_equal(comparable(serial), comparable(processes))
    pd.testing.assert_frame_equal(comparable(serial), comparable(dask))


def test_killed_sweep_resumes_to_exactly_the_uninterrupted_rows(small_scenario, tmp_path):
    factors = [*FACTORS, "contact_types.general.handle_time.mean=3.5 min,4 min,4.5 min"]
    arguments = [
        sys.executable, "-m", "queuesim", "sweep", str(small_scenario),
        "--executor", "serial", "-n", "6",
        *[item for factor in factors for item in ("--factor", factor)],
    ]  # fmt: skip
    killed = tmp_path / "killed"
    process = subprocess.Popen([*arguments, "--out", str(killed)], stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while len(list((killed / "points").glob("*.runs.parquet"))) < 3:
        assert process.poll() is None, "the sweep ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    stored = len(list((killed / "points").glob("*.runs.parquet")))
    assert 3 <= stored < 18, "kill the sweep part-way"
    points = factorial([Factor.parse(text) for text in factors])
    resumed = sweep(small_scenario, points, replications=6, out=killed).runs
    whole = sweep(small_scenario, points, replications=6, out=tmp_path / "whole").runs
    assert len(resumed) == 18 * 6
    pd.testing.assert_frame_equal(comparable(resumed), comparable(whole))


def test_a_folder_of_another_experiment_is_refused(small_scenario, tmp_path):
    sweep(small_scenario, design()[:2], replications=2, out=tmp_path)
    with pytest.raises(StoreMismatchError, match="different points"):
        sweep(small_scenario, design()[:3], replications=2, out=tmp_path)
    with pytest.raises(StoreMismatchError, match="different replications"):
        sweep(small_scenario, design()[:2], replications=3, out=tmp_path)


def test_resume_skips_finished_points(small_scenario, tmp_path):
    first = sweep(small_scenario, design(), replications=2, out=tmp_path)
    stamps = {p: p.stat().st_mtime_ns for p in Path(tmp_path, "points").glob("*.parquet")}
    again = sweep(small_scenario, design(), replications=2, out=tmp_path)
    assert {p: p.stat().st_mtime_ns for p in stamps} == stamps
    pd.testing.assert_frame_equal(first.runs, again.runs)

"""Sweep throughput: a 2-core process pool against serial execution (measured, never asserted).

A 40-point full factorial over the agent count of the steady-state phone scenario
(``scenarios/phone_steady_state.yaml``), each point ``--replications`` replications of a
horizon sized so that one point is at least ``--point-seconds`` of work (SEMANTICS: a pool's
speed-up is measured with at least 5 s per point). The same sweep runs serially and on a
``ProcessExecutor`` with ``--workers`` workers (pool start-up included), results are checked
identical, and the speed-up serial / pool is reported.

The overhead per design point is measured on a sweep of tiny points: the wall time of
``sweep`` minus the time of the same replications run directly with ``simulate_replication``
in the same process, divided by the number of points (it covers validating each point's
scenario, building the tables and the summary, and, with ``--out``, writing Parquet files).

Run ``python benchmarks/bench_sweep.py`` (about 6 minutes on 2 cores).
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from pathlib import Path

import pandas as pd

from queuesim.experiment.design import Factor, factorial
from queuesim.experiment.executors import ProcessExecutor, SerialExecutor
from queuesim.experiment.sweep import sweep
from queuesim.model.engine import simulate_replication
from queuesim.scenario import load_scenario
from queuesim.version import __version__

SCENARIO = Path(__file__).parents[1] / "scenarios" / "phone_steady_state.yaml"
POINTS = 40


def _horizon_for(seconds: float, replications: int) -> str:
    """A horizon (whole hours) whose ``replications`` take about ``seconds`` serially."""
    probe = load_scenario(SCENARIO, {"horizon": "26 h"})
    start = time.perf_counter()
    simulate_replication(probe, 1, 0)
    per_hour = (time.perf_counter() - start) / 26
    hours = max(3, round(seconds / (per_hour * replications)) + 1)
    return f"{hours} h"


def _timed_sweep(points, executor, replications, horizon, out=None) -> tuple[float, pd.DataFrame]:
    start = time.perf_counter()
    result = sweep(
        SCENARIO,
        points,
        replications=replications,
        overrides={"horizon": horizon},
        executor=executor,
        out=out,
    )
    seconds = time.perf_counter() - start
    if not result.failures.empty:
        raise RuntimeError(f"a replication failed: {result.failures['error'].iloc[0]}")
    return seconds, result.runs.drop(columns=["wall_seconds"])


def speed_up(workers: int, replications: int, point_seconds: float) -> None:
    horizon = _horizon_for(point_seconds, replications)
    points = factorial(
        [Factor.parse(f"agent_groups.team.size={','.join(map(str, range(41, 41 + POINTS)))}")]
    )
    serial_seconds, serial = _timed_sweep(points, SerialExecutor(), replications, horizon)
    with ProcessExecutor(workers) as pool:
        pool_seconds, pooled = _timed_sweep(points, pool, replications, horizon)
    pd.testing.assert_frame_equal(serial, pooled)
    print(f"40-point sweep, {replications} replications of {horizon} per point")
    print(f"  serial         {serial_seconds:8.1f} s  ({serial_seconds / POINTS:.2f} s per point)")
    print(f"  {workers} processes    {pool_seconds:8.1f} s  (start-up included)")
    print(f"  speed-up       {serial_seconds / pool_seconds:8.2f}x  (results identical)")


def overhead(replications: int) -> None:
    points = factorial(
        [Factor.parse(f"agent_groups.team.size={','.join(map(str, range(41, 41 + POINTS)))}")]
    )
    horizon = "3 h"
    scenarios = [load_scenario(SCENARIO, {"horizon": horizon, **p}) for p in points]
    start = time.perf_counter()
    for scenario in scenarios:
        for replication in range(replications):
            simulate_replication(scenario, scenario.seed, replication)
    direct = time.perf_counter() - start
    memory_seconds, _ = _timed_sweep(points, SerialExecutor(), replications, horizon)
    with tempfile.TemporaryDirectory() as folder:
        stored_seconds, _ = _timed_sweep(
            points, SerialExecutor(), replications, horizon, Path(folder)
        )
    print(f"overhead per design point ({replications} replications of {horizon}, serial)")
    print(f"  direct simulation       {direct / POINTS * 1000:8.1f} ms per point")
    print(
        f"  sweep, in memory        {(memory_seconds - direct) / POINTS * 1000:8.1f} ms per point"
    )
    print(
        f"  sweep, Parquet store    {(stored_seconds - direct) / POINTS * 1000:8.1f} ms per point"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--replications", type=int, default=4)
    parser.add_argument("--point-seconds", type=float, default=5.0)
    args = parser.parse_args()
    print(f"queuesim {__version__}, Python {platform.python_version()}, {os.cpu_count()} CPUs")
    overhead(args.replications)
    speed_up(args.workers, args.replications, args.point_seconds)


if __name__ == "__main__":
    main()

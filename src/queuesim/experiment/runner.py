"""Run replications of one or many scenarios on an executor and gather their tables."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence

import pandas as pd

from queuesim.experiment.executors import Executor, SerialExecutor
from queuesim.experiment.replication import ReplicationRecord, ReplicationTask, run_replication
from queuesim.results import SimulationResult, summarise
from queuesim.scenario.loading import scenario_hash
from queuesim.scenario.schema import Scenario
from queuesim.version import __version__

ProgressCallback = Callable[[int, int], None]
"""Called as ``progress(done, total)`` after each replication."""


def check_counts(replications: int, seed: int) -> None:
    """Raise ``ValueError`` unless ``replications`` ≥ 1 and ``seed`` ≥ 0."""
    if replications < 1:
        raise ValueError(f"replications must be at least 1, got {replications}")
    if seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed}")


def run_points(
    scenarios: Mapping[int, Scenario],
    replications: int,
    seed: int,
    executor: Executor | None = None,
    *,
    records: bool = False,
    progress: ProgressCallback | None = None,
) -> Iterator[tuple[int, list[ReplicationRecord]]]:
    """Run ``replications`` of every design point; yield ``(point, records)`` as points finish.

    Replication ``r`` of every point uses the streams of ``(seed, r)``: common random numbers
    across points. A point's records come sorted by replication; a replication that raised is
    a record with its ``error``.
    """
    check_counts(replications, seed)
    tasks = [
        ReplicationTask(point, scenario, seed, replication, records)
        for point, scenario in scenarios.items()
        for replication in range(replications)
    ]
    finished: dict[int, list[ReplicationRecord]] = defaultdict(list)
    results = (executor or SerialExecutor()).map_unordered(run_replication, tasks)
    for done, record in enumerate(results, start=1):
        if progress is not None:
            progress(done, len(tasks))
        finished[record.point].append(record)
        if len(finished[record.point]) == replications:
            yield record.point, sorted(finished.pop(record.point), key=lambda r: r.replication)


def runs_frame(
    records: Sequence[ReplicationRecord], scenario_hash: str, overrides: Mapping[str, object]
) -> pd.DataFrame:
    """One row per replication: what reproduces it, and whether it finished."""
    return pd.DataFrame(
        {
            "replication": [r.replication for r in records],
            "seed": [r.seed for r in records],
            "scenario_hash": scenario_hash,
            "queuesim_version": __version__,
            "overrides": json.dumps(dict(overrides), sort_keys=True, default=str),
            "status": ["ok" if r.ok else "error" for r in records],
            "error": [r.error_summary for r in records],
            "end_time": [r.end_time for r in records],
            "wall_seconds": [r.wall_seconds for r in records],
        }
    )


def _concat(frames: list[pd.DataFrame | None]) -> pd.DataFrame:
    present = [frame for frame in frames if frame is not None]
    return pd.concat(present, ignore_index=True) if present else pd.DataFrame()


def result_from_records(
    scenario: Scenario,
    records: Sequence[ReplicationRecord],
    overrides: Mapping[str, object] | None = None,
) -> SimulationResult:
    """Assemble a :class:`SimulationResult` from a point's finished replications.

    Raises ``RuntimeError`` with the first failure's traceback if any replication failed.
    """
    failed = [record for record in records if not record.ok]
    if failed:
        raise RuntimeError(
            f"replication {failed[0].replication} of {scenario.name!r} failed:\n{failed[0].error}"
        )
    metrics = _concat([r.run_metrics for r in records])
    wanted_contacts = any(r.contacts is not None for r in records)
    return SimulationResult(
        scenario=scenario,
        summary=summarise(metrics),
        intervals=_concat([r.intervals for r in records]),
        agents=_concat([r.agents for r in records]),
        run_metrics=metrics,
        runs=runs_frame(records, scenario_hash(scenario), overrides or {}),
        contacts=_concat([r.contacts for r in records]) if wanted_contacts else None,
    )


def simulate(
    scenario: Scenario,
    replications: int | None = None,
    seed: int | None = None,
    *,
    records: bool = False,
    overrides: Mapping[str, object] | None = None,
    progress: ProgressCallback | None = None,
    executor: Executor | None = None,
) -> SimulationResult:
    """Simulate ``scenario`` and return its tables with confidence intervals.

    ``replications`` and ``seed`` default to the scenario's own. Replication ``r`` uses the
    streams of (seed, r), so the same call gives identical numbers every time and on every
    executor (serial by default; see :mod:`queuesim.experiment.executors`), and two scenarios
    that differ only in staffing meet the same customers. ``overrides`` is only recorded in the
    ``runs`` table (apply it when loading). ``records`` keeps one row per contact.
    """
    n = scenario.replications if replications is None else replications
    seed = scenario.seed if seed is None else seed
    [(_, finished)] = run_points(
        {0: scenario}, n, seed, executor, records=records, progress=progress
    )
    return result_from_records(scenario, finished, overrides)

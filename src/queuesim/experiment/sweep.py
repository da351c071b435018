"""Sweeps: many design points, replications at each, common random numbers across points.

Every point's replication ``r`` uses the streams of ``(seed, r)``, so differences between points
come from the parameters, not from luck. With an output folder, each point is stored as it
finishes and a re-run of the same sweep skips the finished points (see
:mod:`queuesim.experiment.store`); a point whose scenario is invalid, or whose replication
raises, is recorded with its error and the sweep goes on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from queuesim.experiment.design import DesignPoint
from queuesim.experiment.executors import Executor
from queuesim.experiment.replication import ReplicationRecord
from queuesim.experiment.runner import ProgressCallback, check_counts, run_points, runs_frame
from queuesim.experiment.sources import ScenarioSource, load_point, parse_source
from queuesim.experiment.store import ResultStore
from queuesim.results import ALL, KEYS, summarise
from queuesim.scenario.errors import ScenarioError
from queuesim.scenario.loading import scenario_hash
from queuesim.scenario.schema import Scenario
from queuesim.version import __version__


@dataclass(frozen=True)
class SweepResult:
    """The tables of a sweep.

    * ``runs``: one row per point × replication: ``point``, one column per parameter (its
      dotted path), ``replication, seed, scenario_hash, queuesim_version, status, error``,
      ``wall_seconds``, then one column per KPI: ``asa`` for the whole operation,
      ``asa/phone`` per channel, ``occupancy/tier1`` per agent group,
      ``asa/phone/billing`` per channel and contact type;
    * ``metrics``: the same KPIs long (``point, replication, channel, contact_type,
      agent_group, metric, unit, value``);
    * ``summary``: per point and KPI the mean over replications with a 95% CI
      (``point``, parameters, then the columns of a run's summary).
    """

    points: list[DesignPoint]
    runs: pd.DataFrame
    metrics: pd.DataFrame
    summary: pd.DataFrame
    directory: Path | None = None

    @property
    def failures(self) -> pd.DataFrame:
        """The rows of replications that did not finish, with their errors."""
        return self.runs[self.runs["status"] != "ok"]


def kpi_column(metric: str, channel: str, contact_type: str, agent_group: str) -> str:
    """The wide column name of a KPI: ``metric`` then the parts that are not ``all``."""
    parts = [part for part in (channel, contact_type, agent_group) if part != ALL]
    return "/".join([metric, *parts])


def wide_kpis(metrics: pd.DataFrame) -> pd.DataFrame:
    """One row per replication, one column per KPI (see :func:`kpi_column`), totals first."""
    if metrics.empty:
        return pd.DataFrame(index=pd.Index([], name="replication"))
    names = [kpi_column(*key) for key in metrics[["metric", *KEYS]].itertuples(index=False)]
    table = metrics.assign(column=names).pivot(
        index="replication", columns="column", values="value"
    )
    ordered = sorted(dict.fromkeys(names), key=lambda name: name.count("/"))
    return table[ordered]


def _labelled(table: pd.DataFrame, point: int, parameters: DesignPoint) -> pd.DataFrame:
    """``table`` with ``point`` and one column per parameter in front (in place)."""
    for position, (path, value) in enumerate(parameters.items()):
        table.insert(position, path, [value] * len(table))
    table.insert(0, "point", point)
    return table


def _point_tables(
    point: int,
    parameters: DesignPoint,
    records: Sequence[ReplicationRecord],
    digest: str,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The runs (wide) and long KPI rows of one finished point."""
    runs = runs_frame(records, digest, parameters).drop(columns=["overrides"])
    ok = [record.run_metrics for record in records if record.ok and record.run_metrics is not None]
    metrics = pd.concat(ok, ignore_index=True) if ok else pd.DataFrame()
    runs = _labelled(runs.join(wide_kpis(metrics), on="replication"), point, parameters)
    if not metrics.empty:
        metrics.insert(0, "point", point)
    return runs, metrics


def _failed_point(
    point: int, parameters: DesignPoint, error: str, replications: int, seed: int
) -> pd.DataFrame:
    records = [ReplicationRecord(point, r, seed, error=error) for r in range(replications)]
    return _point_tables(point, parameters, records, "")[0]


def summarise_points(metrics: pd.DataFrame, points: Sequence[DesignPoint]) -> pd.DataFrame:
    """Per point and KPI: mean over replications with a 95% CI, parameters as columns."""
    frames = []
    for point, rows in metrics.groupby("point", sort=True):
        summary = summarise(rows.drop(columns="point"))
        frames.append(_labelled(summary, int(point), points[int(point)]))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def sweep(
    scenario: ScenarioSource,
    points: Sequence[DesignPoint],
    *,
    out: str | Path | None = None,
    replications: int | None = None,
    seed: int | None = None,
    overrides: Mapping[str, object] | None = None,
    executor: Executor | None = None,
    progress: ProgressCallback | None = None,
) -> SweepResult:
    """Run every design point of ``points`` (dotted path → value) on ``scenario``.

    ``overrides`` apply at every point, before the point's own values. ``replications`` and
    ``seed`` default to the base scenario's. With ``out``, results are stored there as each
    point finishes and a second call with the same arguments resumes (points that failed
    are run again); the returned tables then hold every stored point.
    Raises :class:`ScenarioError` if the base scenario is invalid,
    :class:`~queuesim.experiment.store.StoreMismatchError` if ``out`` holds another experiment.
    """
    out = None if out is None else Path(out)
    base_overrides = dict(overrides or {})
    scenario = parse_source(scenario)
    base = load_point(scenario, base_overrides)
    n = base.replications if replications is None else replications
    seed = base.seed if seed is None else seed
    check_counts(n, seed)
    points = [dict(point) for point in points]
    store = None
    finished: set[int] = set()
    if out is not None:
        manifest = {
            "kind": "sweep",
            "scenario": base.name,
            "scenario_hash": scenario_hash(base),
            "overrides": base_overrides,
            "replications": n,
            "seed": seed,
            "queuesim_version": __version__,
            "points": points,
        }
        store = ResultStore(out, manifest)
        finished = store.finished()
    runs: list[pd.DataFrame] = []
    metrics: list[pd.DataFrame] = []

    def keep(point_runs: pd.DataFrame, point_metrics: pd.DataFrame, point: int) -> None:
        if store is not None:
            store.write(point, point_runs, point_metrics)
        else:
            runs.append(point_runs)
            metrics.append(point_metrics)

    scenarios: dict[int, Scenario] = {}
    for point, parameters in enumerate(points):
        if point in finished:
            continue
        try:
            scenarios[point] = load_point(scenario, {**base_overrides, **parameters})
        except ScenarioError as error:
            message = f"point {point}: {error}"
            keep(_failed_point(point, parameters, message, n, seed), pd.DataFrame(), point)
    digests = {point: scenario_hash(s) for point, s in scenarios.items()}
    for point, records in run_points(scenarios, n, seed, executor, progress=progress):
        keep(*_point_tables(point, points[point], records, digests[point]), point)
    if store is not None:
        all_runs, all_metrics = store.runs(), store.metrics()
    else:
        all_runs = pd.concat(runs, ignore_index=True) if runs else pd.DataFrame()
        all_metrics = pd.concat([m for m in metrics if not m.empty] or [pd.DataFrame()])
    if not all_runs.empty:
        all_runs = all_runs.sort_values(["point", "replication"], ignore_index=True)
    if not all_metrics.empty:
        all_metrics = all_metrics.sort_values(["point", "replication"], kind="stable")
        all_metrics = all_metrics.reset_index(drop=True)
    return SweepResult(
        points=points,
        runs=all_runs,
        metrics=all_metrics,
        summary=summarise_points(all_metrics, points) if not all_metrics.empty else pd.DataFrame(),
        directory=out,
    )


__all__ = ["SweepResult", "kpi_column", "summarise_points", "sweep", "wide_kpis"]

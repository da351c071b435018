"""Run a scenario's replications and gather their tables."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from queuesim.model.engine import simulate_replication
from queuesim.results import (
    ReplicationTables,
    SimulationResult,
    add_replication,
    contacts_table,
    runs_table,
    summarise,
)
from queuesim.scenario.loading import scenario_hash
from queuesim.scenario.schema import Scenario
from queuesim.version import __version__

ProgressCallback = Callable[[int, int], None]
"""Called as ``progress(done, total)`` after each replication."""


def simulate(
    scenario: Scenario,
    replications: int | None = None,
    seed: int | None = None,
    *,
    records: bool = False,
    overrides: Mapping[str, object] | None = None,
    progress: ProgressCallback | None = None,
) -> SimulationResult:
    """Simulate ``scenario`` and return its tables with confidence intervals.

    ``replications`` and ``seed`` default to the scenario's own. Replication ``r`` uses the
    streams of (seed, r), so the same call gives identical numbers every time, and two
    scenarios that differ only in staffing meet the same customers. ``overrides`` is only
    recorded in the ``runs`` table (apply it when loading). ``records`` keeps one row per
    contact.
    """
    n = scenario.replications if replications is None else replications
    if n < 1:
        raise ValueError(f"replications must be at least 1, got {n}")
    seed = scenario.seed if seed is None else seed
    if seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed}")
    outputs = []
    tables = ReplicationTables.empty()
    for replication in range(n):
        output = simulate_replication(scenario, seed, replication, records)
        add_replication(tables, scenario, output)
        output.segments.clear()
        output.groups.clear()
        outputs.append(output)
        if progress is not None:
            progress(replication + 1, n)
    metrics = tables.run_metrics.frame()
    return SimulationResult(
        scenario=scenario,
        summary=summarise(metrics),
        intervals=tables.intervals.frame(),
        agents=tables.agents.frame(),
        run_metrics=metrics,
        runs=runs_table(outputs, seed, scenario_hash(scenario), __version__, dict(overrides or {})),
        contacts=contacts_table(scenario, outputs) if records else None,
    )

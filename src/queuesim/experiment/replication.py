"""One replication as a unit of work: what a worker process receives and what it sends back.

A replication is fully determined by (scenario, seed, replication index), so it can run in any
process or on any machine and give the same numbers. The worker returns small tidy frames, never
simulation objects; an exception is caught and returned as text, so one failing replication
cannot stop the others.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass

import pandas as pd

from queuesim.model.engine import simulate_replication
from queuesim.results import ReplicationTables, add_replication, contacts_table
from queuesim.scenario.schema import Scenario


@dataclass(frozen=True)
class ReplicationTask:
    """Replication ``replication`` of ``scenario`` under ``seed``, for design point ``point``."""

    point: int
    scenario: Scenario
    seed: int
    replication: int
    records: bool = False


@dataclass(frozen=True)
class ReplicationRecord:
    """What a replication produced: its tables, or the error that stopped it."""

    point: int
    replication: int
    seed: int
    intervals: pd.DataFrame | None = None
    agents: pd.DataFrame | None = None
    run_metrics: pd.DataFrame | None = None
    contacts: pd.DataFrame | None = None
    end_time: float = float("nan")
    wall_seconds: float = float("nan")
    error: str | None = None

    @property
    def error_summary(self) -> str:
        """The last line of the error's traceback (empty when the replication finished)."""
        return self.error.strip().splitlines()[-1] if self.error else ""

    @property
    def ok(self) -> bool:
        """True when the replication finished."""
        return self.error is None


def run_replication(task: ReplicationTask) -> ReplicationRecord:
    """Simulate one replication; an exception becomes the record's ``error``."""
    try:
        output = simulate_replication(task.scenario, task.seed, task.replication, task.records)
        tables = ReplicationTables.empty()
        add_replication(tables, task.scenario, output)
        contacts = contacts_table(task.scenario, [output]) if task.records else None
    except Exception as error:  # recorded with its traceback, never fatal to the others
        trace = "".join(traceback.format_exception(error))
        return ReplicationRecord(task.point, task.replication, task.seed, error=trace)
    return ReplicationRecord(
        point=task.point,
        replication=task.replication,
        seed=task.seed,
        intervals=tables.intervals.frame(),
        agents=tables.agents.frame(),
        run_metrics=tables.run_metrics.frame(),
        contacts=contacts,
        end_time=output.end_time,
        wall_seconds=output.wall_seconds,
    )

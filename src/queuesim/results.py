"""Tidy tables of a simulation and the summary with confidence intervals across replications.

* ``intervals``: one row per replication × interval × channel × contact type (``all`` rows
  total a channel, or the whole operation), customer KPIs as columns;
* ``agents``: one row per replication × interval × agent group (and ``all``);
* ``run_metrics``: one row per replication × KPI × channel / contact type / agent group, the
  whole-run values from which the summary is built;
* ``summary``: per KPI the mean over replications with a 95% Student-t interval;
* ``runs``: one row per replication with its seed, scenario hash, version and wall time;
* ``contacts``: one row per contact, only when records were asked for;
* ``journeys``: with records in a scenario with empowerment, one row per journey.

Statistics before the warm-up are left out of every table.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from queuesim.metrics import agent_kpis, combine, customer_kpis, metric_unit, whole_run
from queuesim.model.engine import CONTACT_COLUMNS, ReplicationOutput
from queuesim.model.journeys import (
    DECISION_COLUMNS,
    journey_metrics,
    journeys_table,
    satisfaction_metrics,
    score_replication,
)
from queuesim.scenario.schema import Scenario
from queuesim.scenario.units import SECONDS_PER_DAY, format_time_of_day

ALL = "all"
CONFIDENCE = 0.95
KEYS = ["channel", "contact_type", "agent_group"]


def _sum(tables: Iterable[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    return combine(list(tables))


def _slice(table: dict[str, np.ndarray], start: int) -> dict[str, np.ndarray]:
    return {key: values[start:] for key, values in table.items()}


def _customer_levels(
    scenario: Scenario, output: ReplicationOutput, start: int
) -> dict[tuple[str, str], dict[str, np.ndarray]]:
    """Per-interval totals for each channel × contact type, each channel, and everything."""
    segments = {key: _slice(s.table(), start) for key, s in output.segments.items()}
    levels = dict(segments)
    for channel in scenario.channels:
        levels[(channel, ALL)] = _sum(v for (c, _), v in segments.items() if c == channel)
    levels[(ALL, ALL)] = _sum(segments.values())
    return levels


def _agent_levels(
    scenario: Scenario, output: ReplicationOutput, start: int
) -> dict[str, dict[str, np.ndarray]]:
    levels = {}
    for name, group_stats in output.groups.items():
        table = _slice(group_stats.table(), start)
        hours = (table["paid"] + table["overtime"]) / 3600.0
        table["staff_cost"] = hours * scenario.agent_groups[name].cost_per_hour
        levels[name] = table
    levels[ALL] = _sum(levels.values())
    return levels


class TableRows:
    """Columns of a table gathered block by block and turned into one DataFrame at the end.

    Building a DataFrame per replication costs far more than simulating a short one, so the
    blocks stay numpy arrays (or scalars repeated over the block) until :meth:`frame`.
    """

    def __init__(self) -> None:
        self.blocks: list[tuple[int, dict[str, object]]] = []

    def add(self, length: int, columns: dict[str, object]) -> None:
        self.blocks.append((length, columns))

    def frame(self) -> pd.DataFrame:
        if not self.blocks:
            return pd.DataFrame()
        names = list(self.blocks[0][1])
        return pd.DataFrame(
            {
                name: np.concatenate(
                    [np.broadcast_to(np.asarray(cols[name]), (n,)) for n, cols in self.blocks]
                )
                for name in names
            }
        )


@dataclass
class ReplicationTables:
    """The rows of ``intervals``, ``agents`` and ``run_metrics`` gathered over replications."""

    intervals: TableRows
    agents: TableRows
    run_metrics: TableRows

    @classmethod
    def empty(cls) -> ReplicationTables:
        return cls(TableRows(), TableRows(), TableRows())


def _long_block(kpis: dict[str, np.ndarray], replication: int, **keys: str) -> dict[str, object]:
    """One row per KPI of a whole-run (single-row) KPI dictionary."""
    names = list(kpis)
    return {
        "replication": replication,
        **{k: keys.get(k, ALL) for k in KEYS},
        "metric": np.array(names, dtype=object),
        "unit": np.array([metric_unit(m) for m in names], dtype=object),
        "value": np.array([float(kpis[m][0]) for m in names]),
    }


def channel_features(scenario: Scenario) -> frozenset[str]:
    """The channel features a scenario uses, whose KPIs its tables report."""
    channels = list(scenario.channels.values())
    used = {
        "deferred": any(c.deferred for c in channels),
        "callback": any(c.callback is not None for c in channels),
        "chatbot": any(c.bot is not None for c in channels),
        "balking": any(c.balking is not None for c in channels),
        "retrial": any(c.retrial is not None for c in channels),
        "empowerment": scenario.uses_empowerment,
        "satisfaction": scenario.satisfaction is not None,
    }
    return frozenset(name for name, present in used.items() if present)


def add_replication(
    tables: ReplicationTables, scenario: Scenario, output: ReplicationOutput
) -> None:
    """Add one replication's rows to ``tables`` (statistics before the warm-up left out)."""
    start = round(scenario.warmup / scenario.interval)
    thresholds = scenario.service_level.thresholds
    rep = output.replication
    starts = np.arange(start, scenario.n_intervals) * scenario.interval
    n = len(starts)
    times = {
        "replication": rep,
        "interval_start": starts,
        "day": (starts // SECONDS_PER_DAY).astype(int) + 1,
        "time": np.array([format_time_of_day(s) for s in starts], dtype=object),
    }
    features = channel_features(scenario)
    customers = _customer_levels(scenario, output, start)
    for (channel, contact_type), totals in customers.items():
        keys = {"channel": channel, "contact_type": contact_type}
        kpis = customer_kpis(totals, thresholds, features)
        tables.intervals.add(n, {**times, **keys, **kpis})
        whole = customer_kpis(whole_run(totals), thresholds, features)
        tables.run_metrics.add(len(whole), _long_block(whole, rep, **keys))
    training = any(
        g.learning is not None and g.learning.training is not None
        for g in scenario.agent_groups.values()
    )
    agents = _agent_levels(scenario, output, start)
    for group, totals in agents.items():
        tables.agents.add(n, {**times, "agent_group": group, **agent_kpis(totals, training)})
        whole = agent_kpis(whole_run(totals), training)
        tables.run_metrics.add(len(whole), _long_block(whole, rep, agent_group=group))
    if output.journeys is not None:
        figures = journey_metrics(output.journeys)
        staff = float(agents[ALL]["staff_cost"].sum())
        concessions = float(customers[(ALL, ALL)]["concession_cost"].sum())
        resolved = int(output.journeys["resolved"].sum())
        figures |= cost_metrics(staff, concessions, resolved)
        if output.satisfaction is not None:
            policy = scenario.detractor_follow_up is not None
            figures |= satisfaction_metrics(output.satisfaction, policy)
        journey_kpis = {name: np.array([value]) for name, value in figures.items()}
        tables.run_metrics.add(len(journey_kpis), _long_block(journey_kpis, rep))


def cost_metrics(staff: float, concessions: float, resolved: int) -> dict[str, float]:
    """``total_cost`` (staff cost of all agents + concessions granted) and
    ``cost_per_resolution`` (that over the ``resolved`` journeys; NaN with none) of one run."""
    total = staff + concessions
    return {
        "total_cost": total,
        "cost_per_resolution": total / resolved if resolved > 0 else float("nan"),
    }


def contacts_table(scenario: Scenario, outputs: Iterable[ReplicationOutput]) -> pd.DataFrame:
    """One row per contact arriving after the warm-up, across replications (with empowerment,
    also :data:`~queuesim.model.journeys.DECISION_COLUMNS`)."""
    columns = list(CONTACT_COLUMNS)
    if scenario.uses_empowerment:
        columns += DECISION_COLUMNS
    frames = []
    for output in outputs:
        frame = pd.DataFrame(output.contacts, columns=columns)
        frame.insert(0, "replication", output.replication)
        frames.append(frame[frame["arrival"] >= scenario.warmup])
    return pd.concat(frames, ignore_index=True).sort_values(
        ["replication", "arrival", "customer"], kind="stable", ignore_index=True
    )


def summarise(run_metrics: pd.DataFrame) -> pd.DataFrame:
    """Mean of each KPI over replications with a 95% Student-t confidence interval.

    Replications where a KPI is undefined (NaN, e.g. no customer answered) are left out;
    ``n_reps`` says how many remain. With one replication the bounds are NaN.
    """
    groups = [*KEYS, "metric", "unit"]
    values = run_metrics["value"].astype(float)
    by_kpi = run_metrics.assign(value=values, infinite=np.isinf(values)).groupby(groups, sort=False)
    n = by_kpi["value"].count()
    mean = by_kpi["value"].mean()
    spread = by_kpi["value"].std(ddof=1)
    quantile = stats.t.ppf(0.5 + CONFIDENCE / 2, np.maximum(n.to_numpy() - 1, 1))
    half = quantile * spread / np.sqrt(n)
    half[(n <= 1) | by_kpi["infinite"].any()] = np.nan
    summary = pd.DataFrame(
        {"mean": mean, "ci_low": mean - half, "ci_high": mean + half, "n_reps": n}
    )
    return summary.reset_index()


def _select(
    table: pd.DataFrame, metric: str, channel: str, contact_type: str, agent_group: str
) -> pd.DataFrame:
    """The rows of one KPI for one channel / contact type / agent group."""
    return table[
        (table.metric == metric)
        & (table.channel == channel)
        & (table.contact_type == contact_type)
        & (table.agent_group == agent_group)
    ]


@dataclass(frozen=True)
class SimulationResult:
    """Everything a simulation produced, as tidy pandas tables (module docstring)."""

    scenario: Scenario
    summary: pd.DataFrame
    intervals: pd.DataFrame
    agents: pd.DataFrame
    run_metrics: pd.DataFrame
    runs: pd.DataFrame
    contacts: pd.DataFrame | None = None

    def kpi(
        self,
        metric: str,
        channel: str = ALL,
        contact_type: str = ALL,
        agent_group: str = ALL,
    ) -> pd.Series:
        """The summary row (``mean``, ``ci_low``, ``ci_high``, ``n_reps``) of one KPI."""
        row = _select(self.summary, metric, channel, contact_type, agent_group)
        if len(row) != 1:
            raise KeyError(
                f"no summary row for metric={metric!r}, channel={channel!r}, "
                f"contact_type={contact_type!r}, agent_group={agent_group!r}"
            )
        return row.iloc[0]

    def values(
        self,
        metric: str,
        channel: str = ALL,
        contact_type: str = ALL,
        agent_group: str = ALL,
    ) -> np.ndarray:
        """One KPI's whole-run value in each replication, in replication order."""
        rows = _select(self.run_metrics, metric, channel, contact_type, agent_group)
        return rows.sort_values("replication")["value"].to_numpy()

    @property
    def journeys(self) -> pd.DataFrame | None:
        """With ``records`` in a scenario with empowerment: one row per journey (columns of
        :func:`queuesim.model.journeys.journeys_table`), scored by the satisfaction model when
        the scenario has a ``satisfaction`` section (the same scores as the run's metrics)."""
        if self.contacts is None or not self.scenario.uses_empowerment:
            return None
        scenario = self.scenario
        table = journeys_table(self.contacts, scenario.horizon, scenario.warmup)
        if scenario.satisfaction is None:
            return table
        seeds = dict(zip(self.runs["replication"], self.runs["seed"], strict=True))
        scored = [
            score_replication(part, scenario, int(seeds[rep]), int(rep))[0]
            for rep, part in table.groupby("replication", sort=True)
        ]
        return pd.concat(scored, ignore_index=True) if scored else table

    def write(self, directory: Path, format: Literal["csv", "parquet"] = "csv") -> list[Path]:
        """Write the tables to ``directory`` (created if needed); returns the files written."""
        directory.mkdir(parents=True, exist_ok=True)
        tables = {
            "summary": self.summary,
            "intervals": self.intervals,
            "agents": self.agents,
            "runs": self.runs,
        }
        if self.contacts is not None:
            tables["contacts"] = self.contacts
        journeys = self.journeys
        if journeys is not None:
            tables["journeys"] = journeys
        written = []
        for name, table in tables.items():
            path = directory / f"{name}.{format}"
            if format == "csv":
                table.to_csv(path, index=False)
            else:
                table.to_parquet(path, index=False)
            written.append(path)
        return written

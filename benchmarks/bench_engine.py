"""Speed of the queuesim engine against a lean plain-SimPy model (a benchmark, never asserted).

Two M/M/c+M cases, both starting empty, one replication each:

* ``small``: 10 arrivals/min, exponential handle time of mean 4 min, 44 agents, exponential
  patience of mean 2 min (offered load 40 Erlang);
* ``large``: 200 arrivals/min, same handle time and patience, 830 agents (800 Erlang).

The horizon is the whole number of 30-min intervals that brings the expected number of customers
to ``--customers`` (rounded up). In one process, alternating, each repeat times

1. the queuesim engine with its statistics (``simulate_replication``),
2. the post-processing of that replication into the tidy tables,
3. the lean model (``lean_simpy.py``) on the same rate and horizon,

and the best of ``--repeats`` runs is reported as customers per second, with the ratios
queuesim / lean and sanity figures (abandon rate, mean wait) of both models beside the exact
Erlang-A values.

Run ``python benchmarks/bench_engine.py`` (200k customers per case, about a minute on 2 cores)
or ``python benchmarks/bench_engine.py --customers 2000000 --case large``.
"""

from __future__ import annotations

import argparse
import gc
import math
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import simpy

from lean_simpy import LeanResult, run_lean
from queuesim.analytic.erlang import erlang_a
from queuesim.model.engine import ReplicationOutput, simulate_replication
from queuesim.results import ReplicationTables, add_replication
from queuesim.scenario.schema import Scenario
from queuesim.version import __version__

INTERVAL_MINUTES = 30
SEED = 1


@dataclass(frozen=True)
class Case:
    """An M/M/c+M benchmark case (rates per minute, times in minutes)."""

    name: str
    rate: float
    aht: float
    agents: int
    patience: float

    def horizon_hours(self, customers: int) -> float:
        """The horizon in whole intervals whose expected number of arrivals is ≥ ``customers``."""
        intervals = math.ceil(customers / self.rate / INTERVAL_MINUTES)
        return max(intervals, 1) * INTERVAL_MINUTES / 60

    def scenario(self, customers: int) -> Scenario:
        """The queuesim scenario of this case, sized for about ``customers`` arrivals."""
        data = {
            "version": 1,
            "name": f"bench-{self.name}",
            "horizon": f"{self.horizon_hours(customers):g} h",
            "interval": f"{INTERVAL_MINUTES} min",
            "replications": 1,
            "seed": SEED,
            "channels": {
                "phone": {
                    "kind": "phone",
                    "arrivals": {"rate": f"{self.rate:g}/min"},
                    "mix": {"general": 1.0},
                    "patience": {"dist": "exponential", "mean": f"{self.patience:g} min"},
                }
            },
            "contact_types": {
                "general": {"handle_time": {"dist": "exponential", "mean": f"{self.aht:g} min"}}
            },
            "agent_groups": {"team": {"size": self.agents, "channels": ["phone"]}},
        }
        return Scenario.model_validate(data, context={"interval_seconds": INTERVAL_MINUTES * 60})

    def lean(self, customers: int) -> LeanResult:
        """Run the lean SimPy model on the same rate and horizon (seconds inside)."""
        return run_lean(
            arrival_rate=self.rate / 60,
            mean_handle=self.aht * 60,
            agents=self.agents,
            mean_patience=self.patience * 60,
            horizon=self.horizon_hours(customers) * 3600,
            seed=SEED,
        )


CASES = {
    "small": Case("small", rate=10, aht=4, agents=44, patience=2),
    "large": Case("large", rate=200, aht=4, agents=830, patience=2),
}


@dataclass(frozen=True)
class Outcome:
    """Customer counts and mean wait (seconds) of one run, from either model."""

    customers: int
    answered: int
    abandoned: int
    mean_wait: float

    @property
    def abandon_rate(self) -> float:
        return self.abandoned / self.customers if self.customers else math.nan


def queuesim_outcome(output: ReplicationOutput) -> Outcome:
    """Totals over all intervals and segments of a queuesim replication."""
    offered = answered = abandoned = closed_out = 0
    queue_time = 0.0
    for stats in output.segments.values():
        offered += sum(stats.offered)
        answered += sum(stats.answered)
        abandoned += sum(stats.abandoned)
        closed_out += sum(stats.closed_out)
        queue_time += sum(stats.queue_time)
    resolved = answered + abandoned + closed_out
    return Outcome(offered, answered, abandoned, queue_time / resolved if resolved else math.nan)


def make_tables(scenario: Scenario, output: ReplicationOutput) -> tuple[Any, ...]:
    """The tidy tables of one replication, as ``simulate`` builds them."""
    tables = ReplicationTables.empty()
    add_replication(tables, scenario, output)
    return (tables.intervals.frame(), tables.agents.frame(), tables.run_metrics.frame())


@dataclass
class Timings:
    """Wall seconds of each repeat of the three measured steps, and the last outcomes."""

    engine: list[float]
    tables: list[float]
    lean: list[float]
    queuesim: Outcome | None = None
    baseline: Outcome | None = None


def _timed(function: Callable[..., Any], *args: Any) -> tuple[Any, float]:
    """``function(*args)`` and its wall time, after a garbage collection."""
    gc.collect()
    started = time.perf_counter()
    value = function(*args)
    return value, time.perf_counter() - started


def _engine(scenario: Scenario) -> ReplicationOutput:
    return simulate_replication(scenario, seed=SEED, replication=0)


def measure(case: Case, customers: int, repeats: int) -> Timings:
    """Time engine, tables and lean model ``repeats`` times, alternating, in this process."""
    scenario = case.scenario(customers)
    timings = Timings([], [], [])
    for _ in range(repeats):
        output, seconds = _timed(_engine, scenario)
        timings.engine.append(seconds)
        timings.queuesim = queuesim_outcome(output)
        _, seconds = _timed(make_tables, scenario, output)
        timings.tables.append(seconds)
        del output
        lean, seconds = _timed(case.lean, customers)
        timings.lean.append(seconds)
        timings.baseline = Outcome(lean.customers, lean.answered, lean.abandoned, lean.mean_wait)
        del lean
    return timings


def report(case: Case, customers: int, timings: Timings) -> dict[str, float]:
    """Print one case's figures; return the headline numbers."""
    qs, lean = timings.queuesim, timings.baseline
    assert qs is not None and lean is not None
    engine, tables, baseline = min(timings.engine), min(timings.tables), min(timings.lean)
    qs_rate, lean_rate = qs.customers / engine, lean.customers / baseline
    full_rate = qs.customers / (engine + tables)
    theory = erlang_a(case.rate / 60, case.aht * 60, case.agents, case.patience * 60)
    hours = case.horizon_hours(customers)
    print(
        f"\n== case {case.name}: {case.rate:g}/min, AHT {case.aht:g} min, {case.agents} agents, "
        f"patience {case.patience:g} min; horizon {hours:g} h (~{customers:,} customers)"
    )
    print(f"{'':18}{'best s':>9}{'median s':>10}{'customers/s':>13}")
    for label, runs, count in (
        ("queuesim engine", timings.engine, qs.customers),
        ("queuesim tables", timings.tables, 0),
        ("lean SimPy", timings.lean, lean.customers),
    ):
        rate = f"{count / min(runs):>13,.0f}" if count else f"{'':>13}"
        print(f"{label:18}{min(runs):>9.3f}{statistics.median(runs):>10.3f}{rate}")
    print(
        f"ratio queuesim/lean: engine {qs_rate / lean_rate:.2f}x, "
        f"engine+tables {full_rate / lean_rate:.2f}x"
    )
    print(f"{'sanity':18}{'customers':>10}{'abandon':>9}{'mean wait s':>13}")
    print(f"{'queuesim':18}{qs.customers:>10,}{qs.abandon_rate:>9.4f}{qs.mean_wait:>13.3f}")
    print(f"{'lean SimPy':18}{lean.customers:>10,}{lean.abandon_rate:>9.4f}{lean.mean_wait:>13.3f}")
    print(f"{'Erlang A':18}{'':>10}{theory.p_abandon:>9.4f}{theory.mean_wait:>13.3f}")
    return {
        "queuesim": qs_rate,
        "queuesim+tables": full_rate,
        "lean": lean_rate,
        "ratio": qs_rate / lean_rate,
        "ratio+tables": full_rate / lean_rate,
    }


def environment() -> str:
    """One line naming the interpreter, libraries and machine."""
    return (
        f"python {platform.python_version()}, simpy {simpy.__version__}, "
        f"numpy {np.__version__}, queuesim {__version__}, {platform.machine()}"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--customers", type=int, default=200_000, help="per case (expected)")
    parser.add_argument("--case", choices=[*CASES, "all"], default="all")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each model; best counts")
    args = parser.parse_args(argv)
    print(environment())
    cases = list(CASES.values()) if args.case == "all" else [CASES[args.case]]
    summary = []
    for case in cases:
        timings = measure(case, args.customers, args.repeats)
        summary.append((case.name, report(case, args.customers, timings)))
    print(
        f"\n{'case':8}{'queuesim/s':>12}{'+tables/s':>12}{'lean/s':>10}{'ratio':>8}{'+tables':>9}"
    )
    for name, row in summary:
        print(
            f"{name:8}{row['queuesim']:>12,.0f}{row['queuesim+tables']:>12,.0f}"
            f"{row['lean']:>10,.0f}{row['ratio']:>7.2f}x{row['ratio+tables']:>8.2f}x"
        )


if __name__ == "__main__":
    main()

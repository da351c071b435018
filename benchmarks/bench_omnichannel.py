"""Throughput and peak memory of the omnichannel example (a benchmark, never asserted).

``scenarios/omnichannel.yaml`` (phone with call-backs, chat with three sessions per agent,
email with a deadline, a chatbot handing over to chat; two skill groups with overflow and a
blended group) is run for one replication over a horizon of ``--days`` days each.

* **Throughput**: in this process, ``simulate_replication`` alone (all statistics, no
  per-contact records), best of ``--repeats`` runs after a garbage collection each; reported
  as contacts per second (every channel's offered contacts, chatbot conversations and
  hand-overs included) beside the engine case ``small`` of ``bench_engine.py`` for scale.
* **Peak memory**: a **fresh** subprocess per size (this script with ``--child``) reads its
  peak resident set size (``ru_maxrss``) once the scenario is loaded and again after the run;
  the difference is what the run needed.

Run ``python benchmarks/bench_omnichannel.py`` (1, 7 and 28 days, about a minute on 2 cores)
or e.g. ``python benchmarks/bench_omnichannel.py --days 7 --repeats 5``.
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench_engine import environment
from queuesim.model.engine import ReplicationOutput, simulate_replication
from queuesim.scenario.loading import load_scenario
from queuesim.scenario.schema import Scenario

SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "omnichannel.yaml"
SEED = 1


def scenario_for(days: int) -> Scenario:
    """The omnichannel example over ``days`` days."""
    return load_scenario(SCENARIO, {"horizon": f"{days} d"})


def contacts(output: ReplicationOutput) -> int:
    """Contacts offered on every channel in one replication."""
    return int(sum(sum(stats.offered) for stats in output.segments.values()))


def peak_mib() -> float:
    """Peak resident set size of this process so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(days: int) -> None:
    """Run one replication in this (fresh) process and print its memory figures as JSON."""
    scenario = scenario_for(days)
    before = peak_mib()
    output = simulate_replication(scenario, seed=SEED, replication=0)
    print(json.dumps({"before": before, "peak": peak_mib(), "contacts": contacts(output)}))


def memory(days: int) -> dict[str, float]:
    """Memory figures of one run of ``days`` days, measured in a fresh interpreter."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", str(days)]
    completed = subprocess.run(command, check=True, capture_output=True, text=True)
    figures: dict[str, float] = json.loads(completed.stdout.strip().splitlines()[-1])
    return figures


def throughput(days: int, repeats: int) -> tuple[int, float, float]:
    """Contacts, and the best and median wall seconds of ``repeats`` runs."""
    scenario = scenario_for(days)
    seconds = []
    count = 0
    for _ in range(repeats):
        gc.collect()
        started = time.perf_counter()
        output = simulate_replication(scenario, seed=SEED, replication=0)
        seconds.append(time.perf_counter() - started)
        count = contacts(output)
    return count, min(seconds), statistics.median(seconds)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--days", type=int, nargs="+", default=[1, 7, 28])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--child", type=int, metavar="DAYS")
    args = parser.parse_args(argv)
    if args.child is not None:
        child(args.child)
        return
    print(environment())
    print(f"scenario {SCENARIO.name}, one replication, seed {SEED}")
    print(
        f"{'days':>5}{'contacts':>11}{'best s':>9}{'median s':>10}{'contacts/s':>12}"
        f"{'before MiB':>12}{'peak MiB':>10}{'run MiB':>9}"
    )
    # Memory first, while this process is small: a child may start with its parent's peak.
    figures_by_days = {days: memory(days) for days in args.days}
    for days in args.days:
        count, best, median = throughput(days, args.repeats)
        figures = figures_by_days[days]
        print(
            f"{days:>5}{count:>11,}{best:>9.3f}{median:>10.3f}{count / best:>12,.0f}"
            f"{figures['before']:>12.1f}{figures['peak']:>10.1f}"
            f"{figures['peak'] - figures['before']:>9.1f}",
            flush=True,
        )


if __name__ == "__main__":
    main()

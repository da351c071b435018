"""Peak memory of one replication against its length (a benchmark, never asserted).

For each case and size, a **fresh** subprocess (this script with ``--child``) imports
everything, builds the scenario, reads its peak resident set size (``ru_maxrss``), runs one
replication of queuesim (without per-contact records) or of the lean SimPy model, and reads the
peak again. The difference is what the run itself needed; it should stay flat as the run gets
longer, since statistics accumulate per interval and customers are dropped once they leave.

Run ``python benchmarks/bench_memory.py`` (cases ``large`` and ``small`` at 200k and 2M
customers, a few minutes on 2 cores) or e.g. ``--case large --sizes 200000 2000000``.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

from bench_engine import CASES, INTERVAL_MINUTES, SEED, environment

MODELS = ("queuesim", "lean")


def peak_mib() -> float:
    """Peak resident set size of this process so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(model: str, case_name: str, customers: int) -> None:
    """Run one replication in this (fresh) process and print its memory figures as JSON."""
    case = CASES[case_name]
    scenario = case.scenario(customers)
    from queuesim.model.engine import simulate_replication

    before = peak_mib()
    started = time.perf_counter()
    if model == "queuesim":
        output = simulate_replication(scenario, seed=SEED, replication=0)
        count = sum(sum(stats.offered) for stats in output.segments.values())
    else:
        count = case.lean(customers).customers
    seconds = time.perf_counter() - started
    print(json.dumps({"before": before, "peak": peak_mib(), "customers": count, "s": seconds}))


def measure(model: str, case_name: str, customers: int) -> dict[str, float]:
    """The figures of one run, measured in a fresh interpreter."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", model, case_name]
    completed = subprocess.run(
        [*command, str(customers)], check=True, capture_output=True, text=True
    )
    figures: dict[str, float] = json.loads(completed.stdout.strip().splitlines()[-1])
    return figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--case", choices=[*CASES, "all"], default="all")
    parser.add_argument("--sizes", type=int, nargs="+", default=[200_000, 2_000_000])
    parser.add_argument("--models", choices=MODELS, nargs="+", default=list(MODELS))
    parser.add_argument("--child", nargs=3, metavar=("MODEL", "CASE", "CUSTOMERS"))
    args = parser.parse_args(argv)
    if args.child:
        model, case_name, customers = args.child
        child(model, case_name, int(customers))
        return
    print(environment())
    print("peak RSS (ru_maxrss) of a fresh process per run, MiB; 'run' = peak − peak before run")
    header = f"{'case':7}{'model':10}{'customers':>11}{'intervals':>10}{'before':>8}"
    print(header + f"{'peak':>8}{'run':>8}{'wall s':>8}")
    cases = ["large", "small"] if args.case == "all" else [args.case]
    for case_name in cases:
        for model in args.models:
            for size in args.sizes:
                figures = measure(model, case_name, size)
                intervals = round(CASES[case_name].horizon_hours(size) * 60 / INTERVAL_MINUTES)
                print(
                    f"{case_name:7}{model:10}{int(figures['customers']):>11,}{intervals:>10,}"
                    f"{figures['before']:>8.1f}{figures['peak']:>8.1f}"
                    f"{figures['peak'] - figures['before']:>8.1f}{figures['s']:>8.1f}",
                    flush=True,
                )


if __name__ == "__main__":
    main()

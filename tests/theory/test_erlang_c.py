"""M/M/n without abandonment against Erlang C, at moderate and very high load and with 100 agents.

Compared (|sim − theory| ≤ 4·SE + floor, SE over ≥ 10 replications after a warm-up of at
least 50 mean handle times): P(wait > 0), ASA, mean wait (all customers, zero waits
included), service level at 20 s and 60 s (answered within t over offered), occupancy and the
percentiles of the answered customers' waits, from P(W ≤ t) = 1 − C·exp(−(n − A)·t/s).
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass

import pytest

from queuesim.analytic import erlang_c
from queuesim.experiment.runner import simulate

AHT = 240.0
PROBABILITY_FLOOR = 0.002


@dataclass(frozen=True)
class Case:
    agents: int
    load: float
    customers: int
    """Customers per replication after the warm-up."""
    warmup_hours: float
    max_relative_se: float
    """Guard on the test's power: the largest standard error of the ASA, relative to theory."""
    replications: int = 20


CASES = [
    pytest.param(Case(10, 8.0, 10_000, 4, 0.05), id="n10-rho0.80"),
    pytest.param(Case(3, 2.85, 20_000, 72, 0.12), id="n3-rho0.95"),
    pytest.param(Case(100, 95.0, 40_000, 6, 0.12), id="n100-rho0.95"),
    pytest.param(Case(3, 2.85, 200_000, 72, 0.04), id="n3-rho0.95-long", marks=pytest.mark.slow),
    pytest.param(Case(100, 95.0, 400_000, 6, 0.04), id="n100-rho0.95-long", marks=pytest.mark.slow),
]


def erlang_b_recursion(load: float, servers: int) -> float:
    """B(0) = 1, B(k) = A·B(k−1) / (k + A·B(k−1)), written here independently of the engine."""
    b = 1.0
    for k in range(1, servers + 1):
        b = load * b / (k + load * b)
    return b


def wait_quantile(p_wait: float, agents: int, load: float, q: float) -> float:
    """The q-quantile of the waits: 0 when at least q are served at once."""
    if p_wait <= 1 - q:
        return 0.0
    return AHT / (agents - load) * math.log(p_wait / (1 - q))


@pytest.mark.parametrize("case", CASES)
def test_simulation_matches_erlang_c(case: Case, steady, agreement) -> None:
    rate = case.load / AHT
    scenario = steady(
        arrivals_per_hour=rate * 3600,
        handle_time={"dist": "exponential", "mean": f"{AHT:g} s"},
        agents=case.agents,
        customers=case.customers,
        warmup_hours=case.warmup_hours,
    )
    seed = zlib.crc32(repr(case).encode())  # its own streams for every case
    result = simulate(scenario, replications=case.replications, seed=seed)
    theory = erlang_c(rate, AHT, case.agents, threshold=20.0)
    sl60 = erlang_c(rate, AHT, case.agents, threshold=60.0).service_level
    # Erlang C from an independent Erlang B: C = n·B / (n − A(1 − B)).
    b = erlang_b_recursion(case.load, case.agents)
    c = case.agents * b / (case.agents - case.load * (1 - b))
    assert theory.p_wait == pytest.approx(c, rel=1e-9)

    agreement.compare("p_wait", result.values("p_wait"), c, PROBABILITY_FLOOR)
    asa = agreement.compare("asa [s]", result.values("asa"), theory.asa, 0.005 * theory.asa)
    agreement.compare(
        "mean_wait [s]", result.values("mean_wait"), theory.mean_wait, 0.005 * theory.mean_wait
    )
    agreement.compare(
        "sl_all (20 s)", result.values("sl_all"), theory.service_level, PROBABILITY_FLOOR
    )
    agreement.compare("sl_all@60s", result.values("sl_all@60s"), sl60, PROBABILITY_FLOOR)
    agreement.compare(
        "occupancy",
        result.values("occupancy", agent_group="team"),
        theory.occupancy,
        PROBABILITY_FLOOR,
    )
    for q in (50, 90, 95):
        if abs(c - (1 - q / 100)) < 0.1:
            continue  # the quantile sits at the jump of the distribution at zero
        expected = wait_quantile(c, case.agents, case.load, q / 100)
        # Floor: the histogram's resolution, 1 s below a minute and 1% relative above.
        agreement.compare(
            f"wait_p{q} [s]", result.values(f"wait_p{q}"), expected, 1.0 + 0.01 * expected
        )
    agreement.check(
        f"Erlang C: n={case.agents}, A={case.load:g} (ρ={case.load / case.agents:.3f}), "
        f"{case.replications} × {case.customers} customers"
    )
    assert asa.se <= case.max_relative_se * theory.asa, "too few customers to test anything"

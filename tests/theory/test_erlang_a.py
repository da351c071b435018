"""M/M/n+M (exponential patience) against Erlang A, including overload with occupancy ≥ 0.95
and a centre of 120 agents.

Compared (|sim − theory| ≤ 4·SE + floor, SE over ≥ 10 replications after a warm-up of at
least 50 mean handle times): P(wait > 0), abandonment rate, ASA (answered customers), mean
time in queue over all customers (abandoners count their time to abandon, zero waits count),
service level at 20 s and 60 s (answered within t over offered) and occupancy.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import pytest

from queuesim.analytic import erlang_a
from queuesim.experiment.runner import simulate

AHT = 240.0
PROBABILITY_FLOOR = 0.002


@dataclass(frozen=True)
class Case:
    agents: int
    load: float
    patience: float
    """Mean patience in seconds."""
    customers: int
    """Customers per replication after the warm-up."""
    max_relative_se: float
    """Guard on the test's power: the largest standard error of the abandon rate, relative."""
    warmup_hours: float = 4
    replications: int = 20


CASES = [
    pytest.param(Case(10, 13.0, 240.0, 10_000, 0.03), id="n10-A13-overload"),
    pytest.param(Case(20, 17.0, 180.0, 10_000, 0.08), id="n20-A17"),
    pytest.param(Case(120, 120.0, 120.0, 20_000, 0.08), id="n120-A120"),
    pytest.param(
        Case(10, 13.0, 240.0, 100_000, 0.01),
        id="n10-A13-overload-long",
        marks=pytest.mark.slow,
    ),
    pytest.param(
        Case(120, 120.0, 120.0, 200_000, 0.03), id="n120-A120-long", marks=pytest.mark.slow
    ),
    pytest.param(
        Case(500, 510.0, 60.0, 250_000, 0.03), id="n500-A510-long", marks=pytest.mark.slow
    ),
]


@pytest.mark.parametrize("case", CASES)
def test_simulation_matches_erlang_a(case: Case, steady, agreement) -> None:
    rate = case.load / AHT
    scenario = steady(
        arrivals_per_hour=rate * 3600,
        handle_time={"dist": "exponential", "mean": f"{AHT:g} s"},
        patience={"dist": "exponential", "mean": f"{case.patience:g} s"},
        agents=case.agents,
        customers=case.customers,
        warmup_hours=case.warmup_hours,
    )
    seed = zlib.crc32(repr(case).encode())  # its own streams for every case
    result = simulate(scenario, replications=case.replications, seed=seed)
    theory = erlang_a(rate, AHT, case.agents, case.patience, threshold=20.0)
    sl60 = erlang_a(rate, AHT, case.agents, case.patience, threshold=60.0).service_level

    agreement.compare("p_wait", result.values("p_wait"), theory.p_wait, PROBABILITY_FLOOR)
    abandon = agreement.compare(
        "abandon_rate", result.values("abandon_rate"), theory.p_abandon, PROBABILITY_FLOOR
    )
    agreement.compare("asa [s]", result.values("asa"), theory.asa, 0.005 * theory.asa)
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
    agreement.check(
        f"Erlang A: n={case.agents}, A={case.load:g}, mean patience {case.patience:g} s, "
        f"{case.replications} × {case.customers} customers"
    )
    assert abandon.se <= case.max_relative_se * theory.p_abandon, "too few customers"


def test_overload_case_is_at_high_occupancy() -> None:
    """The first case is the required high-occupancy one (theory, no simulation)."""
    assert erlang_a(13.0 / AHT, AHT, 10, 240.0).occupancy >= 0.95
    assert erlang_a(120.0 / AHT, AHT, 120, 120.0).occupancy >= 0.95

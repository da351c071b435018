"""One agent, Poisson arrivals, general service: Pollaczek–Khinchine.

Mean wait in queue W_q = λ·E[S²] / (2(1 − ρ)) = ρ·E[S]·(1 + cv²) / (2(1 − ρ)), written here
from the textbook; for deterministic service (M/D/1) W_q = ρ·S / (2(1 − ρ)), half the M/M/1
wait ρ·S / (1 − ρ) at the same load. By PASTA P(wait > 0) = ρ for any service distribution,
and the occupancy is ρ. All compared within 4·SE + floor over ≥ 10 replications after a
warm-up of at least 50 mean handle times; the halving is tested on the paired per-replication
difference W(M/D/1) − W(M/M/1)/2, the two systems meeting the same arrivals (common random
numbers).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest

from queuesim.experiment.runner import simulate

AHT = 60.0
PROBABILITY_FLOOR = 0.002
SEED = 4242
REPLICATIONS = 20


def pollaczek_khinchine_wait(rho: float, mean: float, variance: float) -> float:
    """W_q of M/G/1: λ·E[S²] / (2(1 − ρ)) with λ = ρ / E[S]."""
    return rho / mean * (variance + mean**2) / (2 * (1 - rho))


DETERMINISTIC = {"dist": "deterministic", "value": f"{AHT:g} s"}
EXPONENTIAL = {"dist": "exponential", "mean": f"{AHT:g} s"}
GAMMA = {"dist": "gamma", "mean": f"{AHT:g} s", "cv": 0.5}
EMPIRICAL = {"dist": "empirical", "values": ["20 s", "40 s", "60 s", "120 s"]}  # mean 60 s


@dataclass(frozen=True)
class Case:
    handle_time: dict[str, Any]
    rho: float
    customers: int
    max_relative_se: float
    seed: int
    replications: int = 20


CASES = [
    pytest.param(Case(GAMMA, 0.8, 20_000, 0.05, 41), id="M/G/1-gamma-cv0.5-rho0.8"),
    pytest.param(Case(EMPIRICAL, 0.7, 15_000, 0.05, 42), id="M/G/1-empirical-rho0.7"),
    pytest.param(
        Case(DETERMINISTIC, 0.9, 250_000, 0.02, 43),
        id="M/D/1-rho0.9-long",
        marks=pytest.mark.slow,
    ),
    pytest.param(
        Case({"dist": "lognormal", "mean": f"{AHT:g} s", "cv": 1.5}, 0.8, 250_000, 0.03, 44),
        id="M/G/1-lognormal-cv1.5-rho0.8-long",
        marks=pytest.mark.slow,
    ),
]


def one_agent(steady, handle_time: dict[str, Any], rho: float, customers: int):
    return steady(
        arrivals_per_hour=rho / AHT * 3600,
        handle_time=handle_time,
        agents=1,
        customers=customers,
        warmup_hours=2,
    )


@pytest.mark.parametrize("case", CASES)
def test_mean_wait_is_pollaczek_khinchine(case: Case, steady, agreement) -> None:
    scenario = one_agent(steady, case.handle_time, case.rho, case.customers)
    service = scenario.contact_types["general"].handle_time
    assert service.expected == pytest.approx(AHT)
    result = simulate(scenario, replications=case.replications, seed=case.seed)
    wq = pollaczek_khinchine_wait(case.rho, service.expected, service.variance)

    asa = agreement.compare("asa [s]", result.values("asa"), wq, 0.005 * wq)
    agreement.compare("mean_wait [s]", result.values("mean_wait"), wq, 0.005 * wq)
    agreement.compare("p_wait", result.values("p_wait"), case.rho, PROBABILITY_FLOOR)
    agreement.compare(
        "occupancy",
        result.values("occupancy", agent_group="team"),
        case.rho,
        PROBABILITY_FLOOR,
    )
    agreement.check(
        f"Pollaczek–Khinchine: {service.dist} service (cv² {service.variance / AHT**2:.3g}), "
        f"ρ={case.rho}, {case.replications} × {case.customers} customers"
    )
    assert asa.se <= case.max_relative_se * wq, "too few customers to test anything"


@pytest.mark.parametrize(
    ("rho", "customers", "max_relative_se"),
    [
        pytest.param(0.8, 20_000, 0.05, id="rho0.8"),
        pytest.param(0.9, 250_000, 0.02, id="rho0.9-long", marks=pytest.mark.slow),
    ],
)
def test_md1_matches_pollaczek_khinchine_and_waits_half_as_long_as_mm1(
    rho: float, customers: int, max_relative_se: float, steady, agreement
) -> None:
    deterministic = simulate(
        one_agent(steady, DETERMINISTIC, rho, customers), replications=REPLICATIONS, seed=SEED
    )
    exponential = simulate(
        one_agent(steady, EXPONENTIAL, rho, customers), replications=REPLICATIONS, seed=SEED
    )
    # Same seed and stream names: both systems meet the same arrival times.
    np.testing.assert_array_equal(deterministic.values("offered"), exponential.values("offered"))
    w_d, w_m = deterministic.values("mean_wait"), exponential.values("mean_wait")
    md1 = pollaczek_khinchine_wait(rho, AHT, 0.0)
    mm1 = rho * AHT / (1 - rho)
    assert md1 == pytest.approx(rho * AHT / (2 * (1 - rho)))
    agreement.compare("M/D/1 asa [s]", deterministic.values("asa"), md1, 0.005 * md1)
    agreement.compare("M/D/1 mean_wait [s]", w_d, md1, 0.005 * md1)
    agreement.compare("M/D/1 p_wait", deterministic.values("p_wait"), rho, PROBABILITY_FLOOR)
    agreement.compare(
        "M/D/1 occupancy",
        deterministic.values("occupancy", agent_group="team"),
        rho,
        PROBABILITY_FLOOR,
    )
    agreement.compare("M/M/1 mean_wait [s]", w_m, mm1, 0.005 * mm1)
    halving = agreement.compare("W(M/D/1) − W(M/M/1)/2 [s]", w_d - w_m / 2, 0.0, 0.0025 * mm1)
    agreement.check(
        f"M/D/1 against Pollaczek–Khinchine and M/M/1 at ρ={rho}, {REPLICATIONS} × {customers} "
        f"customers: ratio of mean waits {w_d.mean() / w_m.mean():.4f} (theory 0.5)"
    )
    assert halving.se <= max_relative_se * md1, "too few customers to test anything"

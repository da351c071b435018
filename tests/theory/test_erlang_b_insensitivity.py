"""Erlang B insensitivity: with no queue (``queue_capacity: 0``), the share of customers blocked
is the Erlang B value B(A, n) whatever the service-time distribution beyond its mean.

Checked for lognormal (cv 1.5), deterministic, empirical and exponential handle times against
the textbook recursion written below (independent of :mod:`queuesim.analytic`): blocked /
offered per replication, and the occupancy A·(1 − B)/n (carried load per agent), within
4·SE + 0.002. Nobody waits in a loss system, so P(wait) and ASA are exactly zero.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest

from queuesim.analytic import erlang_b
from queuesim.experiment.runner import simulate

AHT = 240.0
FLOOR = 0.002


def erlang_b_recursion(load: float, servers: int) -> float:
    """B(0) = 1, B(k) = A·B(k−1) / (k + A·B(k−1))."""
    b = 1.0
    for k in range(1, servers + 1):
        b = load * b / (k + load * b)
    return b


LOGNORMAL = {"dist": "lognormal", "mean": f"{AHT:g} s", "cv": 1.5}
DETERMINISTIC = {"dist": "deterministic", "value": f"{AHT:g} s"}
EMPIRICAL = {"dist": "empirical", "values": ["60 s", "120 s", "180 s", "600 s"]}  # mean 240 s
EXPONENTIAL = {"dist": "exponential", "mean": f"{AHT:g} s"}


@dataclass(frozen=True)
class Case:
    handle_time: dict[str, Any]
    agents: int
    load: float
    customers: int
    replications: int = 20


CASES = [
    pytest.param(Case(LOGNORMAL, 10, 8.0, 10_000), id="lognormal-cv1.5-n10"),
    pytest.param(Case(DETERMINISTIC, 10, 8.0, 10_000), id="deterministic-n10"),
    pytest.param(Case(EMPIRICAL, 10, 8.0, 10_000), id="empirical-n10"),
    pytest.param(Case(EXPONENTIAL, 10, 8.0, 10_000), id="exponential-n10"),
    pytest.param(Case(LOGNORMAL, 100, 95.0, 15_000), id="lognormal-cv1.5-n100"),
    pytest.param(Case(DETERMINISTIC, 100, 95.0, 15_000), id="deterministic-n100"),
    pytest.param(
        Case(LOGNORMAL, 10, 8.0, 200_000), id="lognormal-cv1.5-n10-long", marks=pytest.mark.slow
    ),
    pytest.param(
        Case(DETERMINISTIC, 10, 8.0, 200_000),
        id="deterministic-n10-long",
        marks=pytest.mark.slow,
    ),
    pytest.param(
        Case(LOGNORMAL, 100, 95.0, 400_000),
        id="lognormal-cv1.5-n100-long",
        marks=pytest.mark.slow,
    ),
]


@pytest.mark.parametrize("case", CASES)
def test_blocking_is_erlang_b_whatever_the_service_distribution(
    case: Case, steady, agreement
) -> None:
    rate = case.load / AHT
    scenario = steady(
        arrivals_per_hour=rate * 3600,
        handle_time=case.handle_time,
        agents=case.agents,
        customers=case.customers,
        warmup_hours=4,
        queue_capacity=0,
    )
    assert scenario.contact_types["general"].handle_time.expected == pytest.approx(AHT)
    seed = zlib.crc32(repr(case).encode())  # its own streams for every case
    result = simulate(scenario, replications=case.replications, seed=seed)
    b = erlang_b_recursion(case.load, case.agents)
    assert erlang_b(case.load, case.agents) == pytest.approx(b, rel=1e-12)

    blocked, offered = result.values("blocked"), result.values("offered")
    blocking = agreement.compare("blocked / offered", blocked / offered, b, FLOOR)
    agreement.compare(
        "occupancy",
        result.values("occupancy", agent_group="team"),
        case.load * (1 - b) / case.agents,
        FLOOR,
    )
    agreement.check(
        f"Erlang B: n={case.agents}, A={case.load:g}, {case.handle_time['dist']} service, "
        f"{case.replications} × {case.customers} customers"
    )
    assert np.all(result.values("p_wait") == 0)
    assert np.all(result.values("asa") == 0)
    assert np.all(result.values("abandoned") == 0)
    assert blocking.se < 0.05 * b, "too few customers to test anything"

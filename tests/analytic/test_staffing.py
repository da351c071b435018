"""Tests of square-root staffing and the least-agents search."""

from __future__ import annotations

import math
import time

import pytest

from queuesim.analytic import (
    ErlangAResult,
    ErlangCResult,
    erlang_a,
    erlang_c,
    min_agents,
    sqrt_staffing,
)

# ---------------------------------------------------------------------------------------------
# sqrt_staffing
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("load", "beta", "expected"),
    [
        (100.0, 1.0, 110),
        (100.0, 0.0, 100),  # an exact integer is not pushed up by rounding noise
        (100.0, 0.5, 105),
        (9.0, 0.5, 11),  # ⌈10.5⌉
        (10.0, 1.0, 14),  # ⌈13.16⌉
        (5000.0, 1.0, 5071),  # ⌈5070.71⌉
        (100.0, -1.0, 90),  # negative β (Erlang A, GMR 2002)
        (1.0, -5.0, 0),  # never negative
        (0.0, 2.0, 0),
    ],
)
def test_sqrt_staffing(load: float, beta: float, expected: int) -> None:
    assert sqrt_staffing(load, beta) == expected


@pytest.mark.parametrize(
    ("load", "beta", "match"),
    [
        (-1.0, 1.0, "load"),
        (math.inf, 1.0, "load"),
        (10.0, math.nan, "beta"),
        (10.0, math.inf, "beta"),
    ],
)
def test_sqrt_staffing_invalid(load: float, beta: float, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        sqrt_staffing(load, beta)


# ---------------------------------------------------------------------------------------------
# min_agents: published example
# ---------------------------------------------------------------------------------------------


def test_min_agents_call_centre_helper_example() -> None:
    # Call Centre Helper, "Erlang C Formula – Made Simple With an Easy Worked Example":
    # 100 calls / 30 min, AHT 180 s, 80% in 20 s, max occupancy 85% -> 14 agents (occupancy
    # 71.4%, below the cap) before shrinkage.
    lam, aht = 100 / 1800, 180.0
    assert min_agents(lam, aht, service_level=0.8, threshold=20.0) == 14
    assert min_agents(lam, aht, service_level=0.8, threshold=20.0, max_occupancy=0.85) == 14
    # An occupancy cap of 70% binds: ⌈10 / 0.7⌉ = 15 (same as pyworkforce's ErlangC test).
    assert min_agents(lam, aht, service_level=0.8, threshold=20.0, max_occupancy=0.7) == 15


# ---------------------------------------------------------------------------------------------
# min_agents: minimality, every target, both models
# ---------------------------------------------------------------------------------------------


def _meets(n: int, lam: float, s: float, targets: dict[str, float], patience: float | None) -> bool:
    if n < 1:
        return False
    t = targets.get("threshold")
    r: ErlangCResult | ErlangAResult
    if patience is None:
        r = erlang_c(lam, s, n, threshold=t)
        if not r.stable:
            return False
        p_ab = 0.0
    else:
        r = erlang_a(lam, s, n, patience, threshold=t)
        p_ab = r.p_abandon
    ok = True
    if "service_level" in targets:
        ok &= r.service_level >= targets["service_level"]
    if "asa" in targets:
        ok &= r.asa <= targets["asa"]
    if "abandon_rate" in targets:
        ok &= p_ab <= targets["abandon_rate"]
    if "max_occupancy" in targets:
        ok &= r.occupancy <= targets["max_occupancy"]
    return bool(ok)


CASES = [
    # (arrival_rate, service_time, targets, patience)
    (100 / 1800, 180.0, {"service_level": 0.8, "threshold": 20.0}, None),
    (100 / 1800, 180.0, {"asa": 5.0}, None),
    (100 / 1800, 180.0, {"max_occupancy": 0.8}, None),
    (360 / 1800, 240.0, {"service_level": 0.9, "threshold": 15.0, "asa": 3.0}, None),
    (0.001, 300.0, {"service_level": 0.8, "threshold": 20.0}, None),  # tiny load -> 1 agent
    (360 / 1800, 240.0, {"service_level": 0.8, "threshold": 20.0}, 90.0),
    (360 / 1800, 240.0, {"abandon_rate": 0.02}, 90.0),
    (360 / 1800, 240.0, {"asa": 10.0, "max_occupancy": 0.9}, 60.0),
    (
        3600 / 1800,
        240.0,
        {"service_level": 0.8, "threshold": 60.0, "abandon_rate": 0.05, "asa": 30.0},
        30.0,
    ),
    (5000 / 300, 300.0, {"service_level": 0.8, "threshold": 20.0}, None),
    (5000 / 300, 300.0, {"service_level": 0.8, "threshold": 20.0, "abandon_rate": 0.01}, 120.0),
]


@pytest.mark.parametrize("case", CASES)
def test_min_agents_is_least_meeting_every_target(
    case: tuple[float, float, dict[str, float], float | None],
) -> None:
    lam, s, targets, patience = case
    n = min_agents(lam, s, patience=patience, **targets)
    assert _meets(n, lam, s, targets, patience)
    assert not _meets(n - 1, lam, s, targets, patience)


def test_min_agents_erlang_c_is_always_stable() -> None:
    # occupancy <= 1 alone would allow n = A, which is unstable: the answer is ⌊A⌋ + 1
    assert min_agents(1.0, 10.0, max_occupancy=1.0) == 11
    assert min_agents(1.0, 10.5, max_occupancy=1.0) == 11
    # exact occupancy target is not missed through rounding: 12 / 16 = 0.75
    assert min_agents(1.0, 12.0, max_occupancy=0.75) == 16


def test_min_agents_erlang_a_can_staff_below_load() -> None:
    # With impatient callers a service-level target can be met below the offered load A = 480.
    n = min_agents(3600 / 1800, 240.0, service_level=0.8, threshold=60.0, patience=30.0)
    assert n < 480
    assert erlang_a(2.0, 240.0, n, 30.0, threshold=60.0).service_level >= 0.8
    assert erlang_a(2.0, 240.0, n - 1, 30.0, threshold=60.0).service_level < 0.8


def test_min_agents_zero_demand() -> None:
    assert min_agents(0.0, 180.0, service_level=0.8, threshold=20.0) == 0
    assert min_agents(0.0, 180.0, asa=10.0, patience=60.0) == 0


def test_min_agents_is_fast_for_5000_agents() -> None:
    start = time.perf_counter()
    n_c = min_agents(5000 / 300, 300.0, service_level=0.95, threshold=10.0, asa=2.0)
    n_a = min_agents(5000 / 300, 300.0, service_level=0.95, threshold=10.0, patience=60.0)
    assert time.perf_counter() - start < 2.0
    assert 5000 < n_c < 5200
    # impatient callers (mean patience 60 s, a fifth of the AHT) thin the queue: fewer agents
    assert 4000 < n_a < n_c


# ---------------------------------------------------------------------------------------------
# min_agents: invalid targets
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({}, "at least one target"),
        ({"threshold": 20.0}, "at least one target"),
        ({"service_level": 0.8}, "threshold"),
        ({"service_level": 1.0, "threshold": 20.0}, "service_level"),
        ({"service_level": 0.0, "threshold": 20.0}, "service_level"),
        ({"service_level": 80.0, "threshold": 20.0}, "service_level"),
        ({"service_level": 0.8, "threshold": -1.0}, "threshold"),
        ({"asa": 10.0, "threshold": 20.0}, "threshold is given but service_level is not"),
        ({"asa": 0.0}, "asa"),
        ({"asa": -1.0}, "asa"),
        ({"abandon_rate": 0.05}, "patience"),
        ({"abandon_rate": 1.5, "patience": 60.0}, "abandon_rate"),
        ({"max_occupancy": 0.0}, "max_occupancy"),
        ({"max_occupancy": 1.2}, "max_occupancy"),
        ({"asa": 10.0, "patience": 0.0}, "patience"),
        ({"asa": 10.0, "arrival_rate": -1.0}, "arrival_rate"),
        ({"asa": 10.0, "service_time": 0.0}, "service_time"),
    ],
)
def test_min_agents_invalid(kwargs: dict[str, float], match: str) -> None:
    args: dict[str, float] = {"arrival_rate": 1.0, "service_time": 10.0}
    args.update(kwargs)
    lam = args.pop("arrival_rate")
    s = args.pop("service_time")
    with pytest.raises(ValueError, match=match):
        min_agents(lam, s, **args)

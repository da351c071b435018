"""Tests of the Erlang B, C and A formulas.

Every quantity is checked against a method that shares no code with the implementation:
direct log-space sums, a numerical solve of the truncated CTMC generator (numpy), an absorbing
Markov chain with the matrix exponential (scipy) for the Erlang A waiting-time distribution,
published worked examples and heavy-traffic limits from the literature.
"""

from __future__ import annotations

import dataclasses
import itertools
import math

import numpy as np
import pytest
from scipy.linalg import expm
from scipy.stats import gamma, norm

from queuesim.analytic import ErlangAResult, ErlangCResult, erlang_a, erlang_b, erlang_c

# ---------------------------------------------------------------------------------------------
# Independent reference computations
# ---------------------------------------------------------------------------------------------


def _logsumexp(xs: list[float]) -> float:
    m = max(xs)
    return m + math.log(math.fsum(math.exp(x - m) for x in xs))


def erlang_b_direct(load: float, n: int) -> float:
    """B = (A^n/n!) / sum_{k<=n} A^k/k!, as a log-space direct sum (no recursion)."""
    terms = [k * math.log(load) - math.lgamma(k + 1) for k in range(n + 1)]
    return math.exp(terms[-1] - _logsumexp(terms))


def erlang_c_direct(load: float, n: int) -> float:
    """C = X / (Y + X), X = A^n/n! · n/(n−A), Y = sum_{k<n} A^k/k!, in log space."""
    log_x = n * math.log(load) - math.lgamma(n + 1) + math.log(n / (n - load))
    terms = [k * math.log(load) - math.lgamma(k + 1) for k in range(n)]
    return math.exp(log_x - _logsumexp([*terms, log_x]))


def stationary(lam: float, mu: float, n: int, theta: float, size: int) -> np.ndarray:
    """Stationary law of the birth–death chain truncated at `size` states.

    Solves πQ = 0 with one balance equation replaced by the normalisation Σπ = 1.
    """
    q = np.zeros((size, size))
    for k in range(size):
        if k + 1 < size:
            q[k, k + 1] = lam
        if k > 0:
            q[k, k - 1] = min(k, n) * mu + max(k - n, 0) * theta
        q[k, k] = -q[k].sum()
    a = q.T.copy()
    a[-1, :] = 1.0
    b = np.zeros(size)
    b[-1] = 1.0
    return np.linalg.solve(a, b)


def erlang_a_ctmc(
    lam: float, s: float, n: int, patience: float, t: float, extra: int = 300
) -> dict[str, float]:
    """Erlang A by brute force: generator solve plus an absorbing chain for one customer.

    A tagged arrival finding j customers waiting sits in position j; it moves up at rate
    nμ + jθ (service of the head or abandonment of one ahead), abandons itself at rate θ and is
    served from position 0 at rate nμ. P(served by t) comes from expm, E[W·1{served}] from the
    fundamental matrix: α (−T)^−2 t_s.
    """
    mu, th = 1.0 / s, 1.0 / patience
    pi = stationary(lam, mu, n, th, n + extra)
    q = pi[n:]
    p_wait = float(q.sum())
    mean_queue = float(np.dot(np.arange(q.size), q))
    p_abandon = th * mean_queue / lam  # abandonment rate / arrival rate
    size = q.size
    tm = np.zeros((size, size))
    for j in range(size):
        tm[j, j] = -(n * mu + (j + 1) * th)
        if j > 0:
            tm[j, j - 1] = n * mu + j * th
    t_s = np.zeros(size)
    t_s[0] = n * mu
    inv = np.linalg.inv(-tm)
    p_answered = (1.0 - p_wait) + float(q @ inv @ t_s)
    asa = float(q @ inv @ inv @ t_s) / p_answered
    g = np.zeros((size + 1, size + 1))
    g[:size, :size] = tm
    g[:size, size] = t_s
    served_by_t = float(q @ expm(g * t)[:size, size])
    sl = (1.0 - p_wait) + served_by_t
    return {
        "p_wait": p_wait,
        "p_abandon": p_abandon,
        "p_answered": p_answered,
        "mean_queue": mean_queue,
        "asa": asa,
        "service_level": sl,
        "sl_answered": sl / p_answered,
        "occupancy": lam * s * p_answered / n,
    }


# ---------------------------------------------------------------------------------------------
# Erlang B
# ---------------------------------------------------------------------------------------------


def test_erlang_b_published_capacity_example() -> None:
    # Westbay Engineers' Erlang calculator manual, "How much traffic can a trunk group handle"
    # (erlang.com/calculatormanual/howmuchtrafficcanatrunkgrouphandle.htm): 15 lines at 1%
    # blocking carry 8.108 Erlangs (the figure is rounded to 3 decimals).
    assert erlang_b(8.108, 15) == pytest.approx(0.01, abs=2e-5)
    assert erlang_b(8.12, 15) > 0.01 > erlang_b(8.10, 15)


def test_erlang_b_textbook_values() -> None:
    assert erlang_b(1.0, 1) == pytest.approx(0.5, abs=1e-15)  # A/(1+A)
    assert erlang_b(2.0, 2) == pytest.approx(2.0 / 5.0, abs=1e-15)  # (A²/2)/(1+A+A²/2)
    assert erlang_b(0.0, 3) == 0.0


@pytest.mark.parametrize(
    ("load", "n"),
    [(0.5, 1), (2.0, 5), (10.0, 10), (10.0, 14), (48.0, 55), (100.0, 80), (4900.0, 5000)],
)
def test_erlang_b_matches_direct_sum(load: float, n: int) -> None:
    assert erlang_b(load, n) == pytest.approx(erlang_b_direct(load, n), rel=1e-11)


def test_erlang_b_large_and_decreasing() -> None:
    values = [erlang_b(5000.0, n) for n in range(4900, 5101, 20)]
    assert all(0.0 < v < 1.0 for v in values)
    assert all(b < a for a, b in itertools.pairwise(values))
    # far more servers than load: underflows gracefully, no overflow or NaN
    assert 0.0 <= erlang_b(1.0, 5000) < 1e-300


# ---------------------------------------------------------------------------------------------
# Erlang C
# ---------------------------------------------------------------------------------------------


def test_erlang_c_call_centre_helper_worked_example() -> None:
    # Call Centre Helper, "Erlang C Formula – Made Simple With an Easy Worked Example"
    # (callcentrehelper.com): 100 calls per 30 min, AHT 180 s, target 80% in 20 s.
    # Traffic 10 Erlangs; with N = 14: P(wait) = 0.1741, service level 88.8%, ASA 7.8 s,
    # 82.6% answered immediately, occupancy 71.4% (N = 14 is the first N meeting 80/20).
    r = erlang_c(100 / 1800, 180.0, 14, threshold=20.0)
    assert r.load == pytest.approx(10.0)
    assert r.stable
    assert r.p_wait == pytest.approx(0.1741, abs=5e-5)
    assert r.service_level == pytest.approx(0.888, abs=5e-4)
    assert r.asa == pytest.approx(7.8, abs=0.05)
    assert 1.0 - r.p_wait == pytest.approx(0.826, abs=5e-4)
    assert r.occupancy == pytest.approx(0.714, abs=5e-4)
    assert erlang_c(100 / 1800, 180.0, 13, threshold=20.0).service_level < 0.8


@pytest.mark.parametrize(
    ("load", "n"), [(0.3, 1), (2.0, 3), (10.0, 11), (10.0, 14), (48.0, 55), (99.0, 100)]
)
def test_erlang_c_matches_direct_sum(load: float, n: int) -> None:
    r = erlang_c(load / 60.0, 60.0, n)
    assert r.p_wait == pytest.approx(erlang_c_direct(load, n), rel=1e-11)


@pytest.mark.parametrize(("load", "n", "t"), [(2.0, 3, 0.7), (10.0, 12, 0.1), (18.0, 21, 0.05)])
def test_erlang_c_matches_birth_death_solve(load: float, n: int, t: float) -> None:
    # Independent: stationary law from the generator; the wait of an arrival that finds
    # j waiting is Gamma(j + 1, rate nμ) (FCFS, PASTA).
    s = 1.0
    lam = load / s
    pi = stationary(lam, 1.0 / s, n, 0.0, n + 600)
    q = pi[n:]
    j = np.arange(q.size)
    p_wait = q.sum()
    mean_wait = float(np.dot(q, (j + 1) * s / n))
    sl = (1.0 - p_wait) + float(np.dot(q, gamma.cdf(t, a=j + 1, scale=s / n)))
    r = erlang_c(lam, s, n, threshold=t)
    assert r.p_wait == pytest.approx(p_wait, rel=1e-9)
    assert r.mean_wait == pytest.approx(mean_wait, rel=1e-9)
    assert r.asa == r.mean_wait
    assert r.mean_wait_queued == pytest.approx(mean_wait / p_wait, rel=1e-9)
    assert r.service_level == pytest.approx(sl, rel=1e-9)
    assert r.occupancy == pytest.approx(load / n)


def test_erlang_c_overloaded_does_not_raise() -> None:
    for n in (9, 10):  # load == servers is unstable too
        r = erlang_c(10.0, 1.0, n, threshold=20.0)
        assert not r.stable
        assert r.p_wait == 1.0
        assert r.asa == math.inf and r.mean_wait == math.inf and r.mean_wait_queued == math.inf
        assert r.service_level == 0.0
        assert r.occupancy == 1.0
    assert math.isnan(erlang_c(10.0, 1.0, 9).service_level)


def test_erlang_c_zero_arrivals_and_thresholds() -> None:
    r = erlang_c(0.0, 180.0, 3, threshold=20.0)
    assert (r.p_wait, r.asa, r.mean_wait, r.service_level, r.occupancy) == (0, 0, 0, 1, 0)
    r = erlang_c(10 / 180, 180.0, 14)
    assert math.isnan(r.service_level) and r.threshold is None
    assert erlang_c(10 / 180, 180.0, 14, threshold=math.inf).service_level == 1.0
    r0 = erlang_c(10 / 180, 180.0, 14, threshold=0.0)
    assert r0.service_level == pytest.approx(1.0 - r0.p_wait)
    # integral floats are accepted as server counts
    assert erlang_c(10 / 180, 180.0, 14.0).servers == 14


def test_erlang_c_result_is_frozen() -> None:
    r = erlang_c(1.0, 1.0, 2)
    assert isinstance(r, ErlangCResult)
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.p_wait = 0.0  # type: ignore[misc]


@pytest.mark.parametrize("load", [100.0, 4500.0, 4990.0, 4999.99])
def test_erlang_c_5000_agents_is_stable(load: float) -> None:
    r = erlang_c(load / 300.0, 300.0, 5000, threshold=20.0)
    fields = (r.p_wait, r.asa, r.mean_wait, r.service_level, r.occupancy)
    assert all(math.isfinite(v) for v in fields)
    assert 0.0 <= r.p_wait <= 1.0 and 0.0 <= r.service_level <= 1.0
    if load > 4999:
        assert r.p_wait > 0.99 and r.asa > 1e4  # nearly critical: long waits, still finite


@pytest.mark.parametrize("beta", [0.2, 0.5, 1.0, 1.5])
def test_erlang_c_halfin_whitt_limit(beta: float) -> None:
    # Halfin & Whitt (1981), Oper. Res. 29(3): with n = A + β√A, P(wait) → [1 + βΦ(β)/φ(β)]^-1.
    load = 5000.0
    n = math.ceil(load + beta * math.sqrt(load))
    b = (n - load) / math.sqrt(load)
    limit = 1.0 / (1.0 + b * norm.cdf(b) / norm.pdf(b))
    assert erlang_c(load, 1.0, n).p_wait == pytest.approx(limit, abs=0.005)


def test_erlang_c_monotone_in_servers() -> None:
    rs = [erlang_c(48 / 240, 240.0, n, threshold=20.0) for n in range(49, 75)]
    for a, b in itertools.pairwise(rs):
        assert b.p_wait < a.p_wait
        assert b.asa < a.asa
        assert b.service_level > a.service_level
        assert b.occupancy < a.occupancy


# ---------------------------------------------------------------------------------------------
# Erlang A
# ---------------------------------------------------------------------------------------------

ERLANG_A_CASES = [
    # (arrival_rate, service_time, servers, patience, threshold)
    (1.0, 1.0, 3, 2.0, 0.5),
    (6 / 300, 300.0, 5, 90.0, 20.0),  # overloaded (A = 6 > 5): abandonment keeps it stable
    (48 / 240, 240.0, 44, 60.0, 20.0),
    (100 / 1800, 180.0, 14, 300.0, 20.0),
    (2.0, 1.0, 1, 0.25, 0.1),
    (0.5, 1.0, 4, 10.0, 3.0),  # patience much longer than service
]


@pytest.mark.parametrize("case", ERLANG_A_CASES)
def test_erlang_a_matches_ctmc(case: tuple[float, float, int, float, float]) -> None:
    lam, s, n, pat, t = case
    ref = erlang_a_ctmc(lam, s, n, pat, t)
    r = erlang_a(lam, s, n, pat, threshold=t)
    for name in ("p_wait", "p_abandon", "mean_queue", "asa", "service_level", "sl_answered"):
        assert getattr(r, name) == pytest.approx(ref[name], rel=1e-8, abs=1e-12), name
    assert r.occupancy == pytest.approx(ref["occupancy"], rel=1e-8)
    assert 1.0 - r.p_abandon == pytest.approx(ref["p_answered"], rel=1e-8)


def test_erlang_a_pyworkforce_regression_values() -> None:
    # Cross-implementation check against the exact Erlang A of the pyworkforce library
    # (rodrigo-arenas/pyworkforce, pyworkforce/queuing/tests/test_abandonment.py): 100 calls per
    # 30 min, AHT 3 min, mean patience 5 min, 14 agents, 20 s threshold. Not a textbook example;
    # the values agree with the CTMC check above.
    r = erlang_a(100 / 30, 3.0, 14, 5.0, threshold=20 / 60)
    assert round(r.p_wait, 5) == 0.14526
    assert round(r.p_abandon, 6) == 0.013984
    assert round(r.occupancy, 6) == 0.704297
    assert round(r.service_level, 6) == 0.916792
    assert round(r.mean_wait, 6) == 0.069919  # their "ASA" is E[queue]/λ over all arrivals


@pytest.mark.parametrize("case", ERLANG_A_CASES)
def test_erlang_a_identities(case: tuple[float, float, int, float, float]) -> None:
    lam, s, n, pat, t = case
    r = erlang_a(lam, s, n, pat, threshold=t)
    assert isinstance(r, ErlangAResult)
    # P(abandon) = θ·E[W] (exact for exponential patience) and Little's law for the queue
    assert r.p_abandon == pytest.approx(r.mean_wait / pat, rel=1e-12)
    assert r.mean_wait == pytest.approx(r.mean_queue / lam, rel=1e-9)
    assert r.mean_wait == pytest.approx(r.p_wait * r.mean_wait_queued, rel=1e-12)
    assert r.sl_answered == pytest.approx(r.service_level / (1.0 - r.p_abandon), rel=1e-9)
    # threshold 0: only those served at once; threshold ∞: everyone answered
    assert erlang_a(lam, s, n, pat, threshold=0.0).service_level == pytest.approx(1 - r.p_wait)
    r_inf = erlang_a(lam, s, n, pat, threshold=math.inf)
    assert r_inf.service_level == pytest.approx(1.0 - r.p_abandon, rel=1e-9)
    assert r_inf.sl_answered == pytest.approx(1.0, rel=1e-9)
    assert 0.0 < r.service_level < r_inf.service_level
    assert r.asa < r.mean_wait_queued or r.p_wait < 1e-9


@pytest.mark.parametrize("n", [11, 14, 20])
def test_erlang_a_tends_to_erlang_c_with_infinite_patience(n: int) -> None:
    a = erlang_a(10 / 180, 180.0, n, 1e12, threshold=20.0)
    c = erlang_c(10 / 180, 180.0, n, threshold=20.0)
    assert a.p_wait == pytest.approx(c.p_wait, rel=1e-6)
    assert a.asa == pytest.approx(c.asa, rel=1e-6)
    assert a.mean_wait == pytest.approx(c.mean_wait, rel=1e-6)
    assert a.mean_wait_queued == pytest.approx(c.mean_wait_queued, rel=1e-6)
    assert a.service_level == pytest.approx(c.service_level, rel=1e-6)
    assert a.occupancy == pytest.approx(c.occupancy, rel=1e-6)
    assert a.p_abandon < 1e-9


@pytest.mark.parametrize(("load", "n"), [(10.0, 14), (10.0, 8), (48.0, 50)])
def test_erlang_a_tends_to_erlang_b_with_no_patience(load: float, n: int) -> None:
    # Customers who find all agents busy leave at once: the M/M/n/n loss system.
    b = erlang_b(load, n)
    r = erlang_a(load / 180, 180.0, n, 1e-9, threshold=20.0)
    assert r.p_wait == pytest.approx(b, rel=1e-6)
    assert r.p_abandon == pytest.approx(b, rel=1e-6)
    assert r.service_level == pytest.approx(1.0 - b, rel=1e-6)
    assert r.occupancy == pytest.approx(load * (1 - b) / n, rel=1e-6)


@pytest.mark.parametrize("beta", [-1.0, 0.0, 1.0])
@pytest.mark.parametrize("theta_over_mu", [0.5, 4.0])
def test_erlang_a_qed_limit(beta: float, theta_over_mu: float) -> None:
    # Garnett, Mandelbaum & Reiman (2002), MSOM 4(3): with n = R + β√R,
    # P(wait) → [1 + h(β√(μ/θ)) / (√(μ/θ)·h(−β))]^-1, h = φ/(1 − Φ) the normal hazard rate.
    load = 5000.0
    n = math.ceil(load + beta * math.sqrt(load))
    b = (n - load) / math.sqrt(load)
    y = math.sqrt(1.0 / theta_over_mu)

    def h(x: float) -> float:
        return float(norm.pdf(x) / norm.sf(x))

    limit = 1.0 / (1.0 + h(b * y) / (y * h(-b)))
    r = erlang_a(load, 1.0, n, 1.0 / theta_over_mu)
    assert r.p_wait == pytest.approx(limit, abs=0.005)


@pytest.mark.parametrize("load", [100.0, 4000.0, 4999.0, 5000.0, 5050.0, 6000.0, 20000.0])
@pytest.mark.parametrize("patience", [1.0, 60.0, 3600.0])
def test_erlang_a_5000_agents_is_stable(load: float, patience: float) -> None:
    r = erlang_a(load / 300.0, 300.0, 5000, patience, threshold=20.0)
    values = dataclasses.astuple(r)
    assert all(isinstance(v, int) or math.isfinite(v) for v in values)
    for p in (r.p_wait, r.p_abandon, r.service_level, r.sl_answered, r.occupancy):
        assert 0.0 <= p <= 1.0
    assert r.p_abandon <= r.p_wait + 1e-15


def test_erlang_a_heavy_overload_fluid_limit() -> None:
    # With load A far above n and long patience almost every agent is busy and the excess
    # λ − nμ abandons: P(abandon) → 1 − n/A (Whitt's fluid model; GMR 2002 ED regime).
    r = erlang_a(5000 / 300, 300.0, 4000, 1e5)
    assert r.p_abandon == pytest.approx(0.2, abs=1e-3)
    assert r.occupancy == pytest.approx(1.0, abs=1e-3)
    r1 = erlang_a(5000 / 300, 300.0, 1, 180.0, threshold=20.0)
    assert r1.p_abandon == pytest.approx(1.0 - 1 / 5000, abs=1e-6)


def test_erlang_a_monotone_in_servers() -> None:
    rs = [erlang_a(48 / 240, 240.0, n, 90.0, threshold=20.0) for n in range(30, 70)]
    for a, b in itertools.pairwise(rs):
        assert b.p_wait < a.p_wait
        assert b.p_abandon < a.p_abandon
        assert b.asa < a.asa
        assert b.service_level > a.service_level


def test_erlang_a_zero_arrivals_and_no_threshold() -> None:
    r = erlang_a(0.0, 180.0, 3, 60.0, threshold=20.0)
    assert (r.p_wait, r.p_abandon, r.asa, r.mean_wait, r.occupancy) == (0, 0, 0, 0, 0)
    assert r.service_level == 1.0 and r.sl_answered == 1.0
    r = erlang_a(1.0, 1.0, 2, 1.0)
    assert math.isnan(r.service_level) and math.isnan(r.sl_answered)


# ---------------------------------------------------------------------------------------------
# Invalid input
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"arrival_rate": -1.0}, "arrival_rate"),
        ({"arrival_rate": math.inf}, "arrival_rate"),
        ({"arrival_rate": math.nan}, "arrival_rate"),
        ({"service_time": 0.0}, "service_time"),
        ({"service_time": -3.0}, "service_time"),
        ({"servers": 0}, "servers"),
        ({"servers": -2}, "servers"),
        ({"servers": 2.5}, r"servers must be a positive integer, got 2\.5"),
        ({"servers": True}, "servers"),
        ({"threshold": -1.0}, "threshold"),
    ],
)
def test_erlang_c_invalid_input(kwargs: dict[str, object], match: str) -> None:
    args: dict[str, object] = {"arrival_rate": 1.0, "service_time": 1.0, "servers": 2}
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        erlang_c(**args)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"arrival_rate": -0.1}, "arrival_rate"),
        ({"service_time": 0.0}, "service_time"),
        ({"servers": 0}, "servers"),
        ({"servers": 1.5}, "servers must be a positive integer"),
        ({"patience": 0.0}, "patience"),
        ({"patience": -5.0}, "patience"),
        ({"patience": math.inf}, "patience"),
        ({"threshold": -0.5}, "threshold"),
    ],
)
def test_erlang_a_invalid_input(kwargs: dict[str, object], match: str) -> None:
    args: dict[str, object] = {
        "arrival_rate": 1.0,
        "service_time": 1.0,
        "servers": 2,
        "patience": 1.0,
    }
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        erlang_a(**args)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("load", "servers", "match"),
    [(-1.0, 2, "load"), (math.nan, 2, "load"), (1.0, 0, "servers"), (1.0, 2.5, "servers")],
)
def test_erlang_b_invalid_input(load: float, servers: int, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        erlang_b(load, servers)

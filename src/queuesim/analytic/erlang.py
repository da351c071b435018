"""Erlang B, C and A: exact steady-state formulas for single-skill queues.

All functions take the *arrival rate* and the *mean service (handle) time* in any consistent time
unit (e.g. calls per second and seconds); waits come back in that unit. The offered load in
Erlangs is ``load = arrival_rate * service_time``.

Models (Kendall notation):

* Erlang B — M/M/n/n loss system: a customer who finds every server busy is lost.
* Erlang C — M/M/n queue with infinite patience (no abandonment). Stable only if load < servers;
  an overloaded system is reported (``stable=False``, infinite waits) rather than raising.
* Erlang A — M/M/n+M (Palm's model): exponential patience with mean ``patience``; customers who
  wait longer than their patience abandon. Always stable.

Conventions shared with the simulator's metrics (see SEMANTICS.md, "Metrics"): ``p_wait`` is the
share of arrivals who wait a positive time; ``asa`` is the mean wait of *answered* customers;
``service_level`` counts customers *answered* within the threshold over *all* arrivals
(abandoned customers count as misses); a wait of exactly the threshold counts as within it.

References:

* A. K. Erlang (1917) for B and C; the numerically stable recursion
  B(0) = 1, B(k) = A·B(k−1) / (k + A·B(k−1)) and C = n·B / (n − A(1 − B)) are standard, see e.g.
  Gans, Koole & Mandelbaum (2003), *Telephone call centers: tutorial, review, and research
  prospects*, MSOM 5(2).
* Erlang A: Garnett, Mandelbaum & Reiman (2002), *Designing a call center with impatient
  customers*, MSOM 4(3); Mandelbaum & Zeltyn (2007), *Service engineering in action: the
  Palm/Erlang-A queue, with applications to call centers*, Advances in Services Innovations
  (Springer).
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import numpy as np
from scipy.special import betainc, digamma, expit, gammaln, logsumexp

__all__ = ["ErlangAResult", "ErlangCResult", "erlang_a", "erlang_b", "erlang_c"]

# Log-weight drop at which the stationary distribution is truncated: states whose probability is
# below e^-60 (~1e-26) of the modal state are ignored. The distribution is log-concave, so the
# neglected tail is of the same negligible order.
_LOG_DROP = 60.0
# Queue states are processed in chunks of this many, so memory stays bounded however long the
# (truncated) queue-length distribution is.
_CHUNK = 1 << 18


# --------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------


def _as_real(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a real number, got {value!r}")
    x = float(value)
    if math.isnan(x):
        raise ValueError(f"{name} must not be NaN")
    return x


def _nonnegative_finite(name: str, value: object) -> float:
    x = _as_real(name, value)
    if x < 0 or math.isinf(x):
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    return x


def _positive_finite(name: str, value: object) -> float:
    x = _as_real(name, value)
    if x <= 0 or math.isinf(x):
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}")
    return x


def _positive_int(name: str, value: object) -> int:
    """Accept ints (and integral floats such as ``3.0``); reject bools and fractions."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    x = float(value)
    if not math.isfinite(x) or x != math.floor(x) or x < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(x)


def _threshold(value: object) -> float | None:
    if value is None:
        return None
    x = _as_real("threshold", value)
    if x < 0:
        raise ValueError(f"threshold must be >= 0, got {value!r}")
    return x


# --------------------------------------------------------------------------------------------
# Erlang B
# --------------------------------------------------------------------------------------------


def erlang_b(load: float, servers: int) -> float:
    """Blocking probability of the M/M/n/n loss system (Erlang B, Erlang 1917).

    Uses the numerically stable recursion B(0) = 1, B(k) = A·B(k−1) / (k + A·B(k−1)), which needs
    no factorials or powers and cannot overflow (it underflows gracefully to 0 for loads far below
    the number of servers). The result holds for any service-time distribution (insensitivity).

    Args:
        load: offered load A in Erlangs (arrival rate × mean service time), finite and >= 0.
        servers: number of servers n, a positive integer.

    Returns:
        B(A, n), the probability that an arrival finds all n servers busy and is lost.

    Raises:
        ValueError: if ``load`` is negative or not finite, or ``servers`` is not a positive
            integer.
    """
    a = _nonnegative_finite("load", load)
    n = _positive_int("servers", servers)
    b = 1.0
    for k in range(1, n + 1):
        ab = a * b
        b = ab / (k + ab)
    return b


# --------------------------------------------------------------------------------------------
# Erlang C
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ErlangCResult:
    """Steady-state performance of the M/M/n queue without abandonment (Erlang C).

    Times are in the unit of the inputs.

    Attributes:
        servers: number of servers n.
        load: offered load A = arrival_rate × service_time, in Erlangs.
        threshold: service-level threshold t, or None if none was given.
        stable: True iff load < servers (otherwise the queue grows without bound).
        p_wait: probability that an arrival waits a positive time (the Erlang C value C(n, A)).
        asa: average speed of answer, the mean wait of answered customers. Without abandonment
            every customer is answered, so this equals ``mean_wait``.
        mean_wait: mean time in queue over all arrivals (zero waits included), C·s / (n − A).
        mean_wait_queued: mean time in queue of those who wait > 0, s / (n − A).
        service_level: share of all arrivals answered within ``threshold`` (wait <= t),
            1 − C·exp(−(n − A)·t / s); ``nan`` when no threshold was given.
        occupancy: carried load per server, A / n (capped at 1 when unstable).
    """

    servers: int
    load: float
    threshold: float | None
    stable: bool
    p_wait: float
    asa: float
    mean_wait: float
    mean_wait_queued: float
    service_level: float
    occupancy: float


def erlang_c(
    arrival_rate: float,
    service_time: float,
    servers: int,
    threshold: float | None = None,
) -> ErlangCResult:
    """Exact steady-state measures of the M/M/n queue (Erlang C, Erlang 1917).

    The probability of waiting is computed from the Erlang B recursion,
    C = n·B / (n − A(1 − B)) (see e.g. Gans, Koole & Mandelbaum 2003, MSOM 5(2)); the waiting time
    of a delayed customer is exponential with rate (n − A)/s, so
    P(W <= t) = 1 − C·exp(−(n − A)·t/s), E[W] = C·s/(n − A).

    An overloaded system (load >= servers) does not raise: it is returned with ``stable=False``,
    ``p_wait=1``, infinite waits, ``service_level=0`` and ``occupancy=1``, so staffing loops can
    step through it.

    Args:
        arrival_rate: arrivals per time unit (finite, >= 0; zero gives an idle system).
        service_time: mean service time in the same time unit (finite, > 0).
        servers: number of servers, a positive integer.
        threshold: optional service-level threshold t >= 0 (may be ``math.inf``).

    Returns:
        An :class:`ErlangCResult`.

    Raises:
        ValueError: naming the offending argument if an input is invalid.
    """
    lam = _nonnegative_finite("arrival_rate", arrival_rate)
    s = _positive_finite("service_time", service_time)
    n = _positive_int("servers", servers)
    t = _threshold(threshold)
    a = lam * s

    if a >= n:
        return ErlangCResult(
            servers=n,
            load=a,
            threshold=t,
            stable=False,
            p_wait=1.0,
            asa=math.inf,
            mean_wait=math.inf,
            mean_wait_queued=math.inf,
            service_level=math.nan if t is None else 0.0,
            occupancy=1.0,
        )

    b = erlang_b(a, n)
    c = n * b / (n - a * (1.0 - b))
    c = min(max(c, 0.0), 1.0)
    wait_queued = s / (n - a)
    mean_wait = c * wait_queued
    sl = math.nan if t is None else 1.0 - c * math.exp(-(n - a) * t / s)
    return ErlangCResult(
        servers=n,
        load=a,
        threshold=t,
        stable=True,
        p_wait=c,
        asa=mean_wait,
        mean_wait=mean_wait,
        mean_wait_queued=wait_queued,
        service_level=sl,
        occupancy=a / n,
    )


# --------------------------------------------------------------------------------------------
# Erlang A
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ErlangAResult:
    """Steady-state performance of the M/M/n+M queue (Erlang A / Palm), always stable.

    Times are in the unit of the inputs. "Arrivals" are all offered customers.

    Attributes:
        servers: number of servers n.
        load: offered load A = arrival_rate × service_time, in Erlangs.
        patience: mean patience 1/θ.
        threshold: service-level threshold t, or None if none was given.
        p_wait: probability that an arrival waits a positive time, P(N >= n) by PASTA.
        p_abandon: probability that an arrival abandons (= θ·mean_wait exactly).
        asa: mean wait of answered customers.
        mean_wait: mean time in queue over ALL arrivals, abandoners counting their time to
            abandon and customers served at once counting 0: the E[W] of P(abandon) = θ·E[W].
            Equals ``mean_queue / arrival_rate`` (Little's law). This is what the simulator
            reports as ``mean_wait`` (docs/metrics.md).
        mean_wait_queued: mean time in queue of the customers who wait > 0 (abandoners
            included), ``mean_wait / p_wait``.
        mean_queue: mean number of customers waiting, E[(N − n)^+].
        service_level: share of ALL arrivals answered within ``threshold`` (wait <= t; abandoners
            are misses). ``nan`` if no threshold was given.
        sl_answered: share of ANSWERED customers answered within ``threshold``
            (``service_level / (1 − p_abandon)``), ``nan`` if no threshold was given.
        occupancy: carried load per server, arrival_rate·(1 − p_abandon)·service_time / n.
    """

    servers: int
    load: float
    patience: float
    threshold: float | None
    p_wait: float
    p_abandon: float
    asa: float
    mean_wait: float
    mean_wait_queued: float
    mean_queue: float
    service_level: float
    sl_answered: float
    occupancy: float


def _s_closed(i: float, c: float) -> float:
    """sum_{l=1..i} log(1 + l/c) = lnΓ(c+i+1) − lnΓ(c+1) − i·ln c, without cancellation."""
    if i <= 0:
        return 0.0
    if c < 1e4:
        return float(gammaln(c + i + 1.0) - gammaln(c + 1.0)) - i * math.log(c)
    # Stirling series difference, accurate to ~1e-14 for c >= 1e4.
    z0 = c + 1.0
    z1 = c + 1.0 + i
    main = (c + 0.5) * math.log1p(i / z0) + i * math.log1p((i + 1.0) / c) - i
    corr = (1.0 / z1 - 1.0 / z0) / 12.0 - (1.0 / z1**3 - 1.0 / z0**3) / 360.0
    return main + corr


def _harmonic_shift(k: int, c: float) -> float:
    """sum_{m=1..k} 1/(c + m) = ψ(c+k+1) − ψ(c+1), evaluated without cancellation."""
    if k <= 0:
        return 0.0
    if k <= 4_000_000:
        m = np.arange(1, k + 1, dtype=float)
        return float(np.sum(1.0 / (c + m)))
    if c < 1e4:
        return float(digamma(c + k + 1.0) - digamma(c + 1.0))
    z0 = c + 1.0
    z1 = c + 1.0 + k
    # ψ(z) ~ ln z − 1/(2z) − 1/(12 z²) + 1/(120 z⁴)
    return (
        math.log1p(k / z0)
        - 0.5 * (1.0 / z1 - 1.0 / z0)
        - (1.0 / z1**2 - 1.0 / z0**2) / 12.0
        + (1.0 / z1**4 - 1.0 / z0**4) / 120.0
    )


def erlang_a(
    arrival_rate: float,
    service_time: float,
    servers: int,
    patience: float,
    threshold: float | None = None,
) -> ErlangAResult:
    """Exact steady-state measures of the M/M/n+M (Palm / Erlang A) queue.

    Customers arrive at rate λ, need exponential service of mean s (μ = 1/s) and abandon after an
    exponential patience of mean ``patience`` (θ = 1/patience) if not yet served; FCFS. The
    number in system N is a birth–death chain with birth rate λ and death rate
    min(k, n)·μ + (k − n)^+·θ (Garnett, Mandelbaum & Reiman 2002, MSOM 4(3); Mandelbaum & Zeltyn
    2007). Its stationary distribution is evaluated in log space and truncated where the
    log-concave weights fall 60 nats below their maximum, which keeps the computation exact to
    double precision and stable for thousands of agents and heavy overload.

    Per arriving customer (PASTA), with j customers already waiting and c = nμ/θ:

    * P(answered | j) = c / (c + j + 1) (telescoping product of "the queue ahead moves before I
      abandon" probabilities), so P(abandon) = Σ π_{n+j} (j+1)/(c+j+1);
    * E[time in queue | j] = (j + 1) / (nμ + (j + 1)θ), giving the exact identity
      P(abandon) = θ·E[W];
    * given it is answered, its wait is hypoexponential with rates nμ + mθ, m = 1..j+1, i.e.
      exp(−θW) ~ Beta(c + 1, j + 1), so P(W <= t | answered, j) = I_{1−e^{−θt}}(j + 1, c + 1)
      (regularised incomplete beta) and E[W | answered, j] = Σ_{m=1}^{j+1} 1/(nμ + mθ).

    Args:
        arrival_rate: arrivals per time unit (finite, >= 0).
        service_time: mean service time (finite, > 0).
        servers: number of servers, a positive integer.
        patience: mean patience (finite, > 0). Use :func:`erlang_c` for infinite patience.
        threshold: optional service-level threshold t >= 0 (may be ``math.inf``).

    Returns:
        An :class:`ErlangAResult`.

    Raises:
        ValueError: naming the offending argument if an input is invalid.
    """
    lam = _nonnegative_finite("arrival_rate", arrival_rate)
    s = _positive_finite("service_time", service_time)
    n = _positive_int("servers", servers)
    pat = _positive_finite("patience", patience)
    t = _threshold(threshold)
    a = lam * s
    c = n * pat / s  # nμ/θ
    nan = math.nan

    if lam == 0.0:
        return ErlangAResult(
            servers=n,
            load=0.0,
            patience=pat,
            threshold=t,
            p_wait=0.0,
            p_abandon=0.0,
            asa=0.0,
            mean_wait=0.0,
            # limit as λ → 0: an arrival finds an empty queue, waits min(Exp(nμ), Exp(θ))
            mean_wait_queued=pat / (c + 1.0),
            mean_queue=0.0,
            service_level=nan if t is None else 1.0,
            sl_answered=nan if t is None else 1.0,
            occupancy=0.0,
        )

    log_a = math.log(a)
    # ---- states k < n (no queue), weights relative to state n: log(π_k / π_n)
    lg_n1 = float(gammaln(n + 1.0))

    def below(k: np.ndarray) -> np.ndarray:
        return (k - n) * log_a + (lg_n1 - gammaln(k + 1.0))

    def below1(k: int) -> float:
        return float(below(np.array([float(k)]))[0])

    # log-concave in k with its maximum at min(⌊A⌋, n − 1); keep the states within _LOG_DROP
    mode_b = min(math.floor(a), n - 1)
    top = below1(mode_b)
    d = 16
    while mode_b - d > 0 and below1(mode_b - d) > top - _LOG_DROP:
        d *= 2
    k_lo = max(0, mode_b - d)
    k_hi = n - 1
    d = 16
    while mode_b + d < k_hi and below1(mode_b + d) > top - _LOG_DROP:
        d *= 2
    k_hi = min(k_hi, mode_b + d)
    ks = np.arange(k_lo, k_hi + 1, dtype=float)
    log_below = float(logsumexp(below(ks))) if ks.size else -math.inf

    # ---- queue states k = n + i, i >= 0: log(π_{n+i} / π_n) = i·log ρ − Σ_{l=1..i} log(1 + l/c)
    log_rho = math.log(lam * s / n)
    x = lam * pat  # λ/θ

    def queue_closed(i: float) -> float:
        return i * log_rho - _s_closed(i, c)

    mode_q = max(0, math.floor(x - c))
    top_q = queue_closed(mode_q)
    i_lo = 0
    if mode_q > 0:
        d = 16
        while mode_q - d > 0 and queue_closed(mode_q - d) > top_q - _LOG_DROP:
            d *= 2
        i_lo = max(0, mode_q - d)
    d = 16
    while queue_closed(mode_q + d) > top_q - _LOG_DROP:
        d *= 2
    i_hi = mode_q + d

    want_sl = t is not None
    # P(W <= t | answered, j) = I_{x_t}(j + 1, c + 1) with x_t = 1 − exp(−θt)
    x_t = 0.0 if t is None else (1.0 if math.isinf(t) else -math.expm1(-t / pat))

    # Accumulate, relative to exp(top_q), the conditional sums over the queue window.
    tot = 0.0
    s_i = 0.0  # Σ w_i·i
    s_ans = 0.0  # Σ w_i·c/(c+i+1)              (answered after queueing)
    s_wait = 0.0  # Σ w_i·(i+1)/(c+i+1)       (× patience → time in queue)
    s_ans_w = 0.0  # Σ w_i·c/(c+i+1)·H_i       (× patience → answered wait)
    s_sl = 0.0  # Σ w_i·c/(c+i+1)·I_x(i+1, c+1)
    # running values at the start of the window
    log_w_prev = queue_closed(i_lo)  # log weight of state i_lo
    h_prev = _harmonic_shift(i_lo, c)  # Σ_{m=1..i_lo} 1/(c+m)
    start = i_lo
    first = True
    while start <= i_hi:
        stop = min(i_hi, start + _CHUNK - 1)
        idx = np.arange(start, stop + 1, dtype=float)
        if first:
            # log w over [start, stop]: cumulative from state start
            steps = log_rho - np.log1p(idx[1:] / c)
            lw = np.concatenate(([log_w_prev], log_w_prev + np.cumsum(steps)))
            first = False
        else:
            steps = log_rho - np.log1p(idx / c)
            lw = log_w_prev + np.cumsum(steps)
        log_w_prev = float(lw[-1])
        w = np.exp(lw - top_q)
        # H_i = Σ_{m=1..i+1} 1/(c+m)
        h = h_prev + np.cumsum(1.0 / (c + idx + 1.0))
        h_prev = float(h[-1])
        p_ans = c / (c + idx + 1.0)
        tot += float(np.sum(w))
        s_i += float(np.dot(w, idx))
        s_ans += float(np.dot(w, p_ans))
        s_wait += float(np.dot(w, (idx + 1.0) / (c + idx + 1.0)))
        s_ans_w += float(np.dot(w, p_ans * h))
        if want_sl:
            s_sl += float(np.dot(w, p_ans * betainc(idx + 1.0, c + 1.0, x_t)))
        start = stop + 1

    log_queue = top_q + math.log(tot)
    p_wait = float(expit(log_queue - log_below))
    p_no_wait = float(expit(log_below - log_queue))
    # conditional on waiting (N >= n)
    eq_q = s_i / tot
    wait_q = pat * s_wait / tot
    ans_wait_q = pat * s_ans_w / tot  # E[W·1{answered} | queued]

    p_abandon = p_wait * wait_q / pat
    # computed from its own sum (not 1 − p_abandon) to keep relative precision near 0
    p_answered = p_no_wait + p_wait * (s_ans / tot)
    mean_wait = p_wait * wait_q
    asa = p_wait * ans_wait_q / p_answered if p_answered > 0 else math.inf
    if want_sl:
        sl = p_no_wait + p_wait * (s_sl / tot)
        sl = min(max(sl, 0.0), 1.0)
        sl_ans = min(sl / p_answered, 1.0) if p_answered > 0 else 0.0
    else:
        sl = sl_ans = nan
    return ErlangAResult(
        servers=n,
        load=a,
        patience=pat,
        threshold=t,
        p_wait=p_wait,
        p_abandon=p_abandon,
        asa=asa,
        mean_wait=mean_wait,
        mean_wait_queued=wait_q,
        mean_queue=p_wait * eq_q,
        service_level=sl,
        sl_answered=sl_ans,
        occupancy=min(a * p_answered / n, 1.0),
    )

"""Staffing rules: square-root staffing and the least number of agents meeting targets.

References:

* Halfin & Whitt (1981), *Heavy-traffic limits for queues with many exponential servers*,
  Operations Research 29(3): with n = A + β√A servers, P(wait) tends to a non-degenerate limit.
* Borst, Mandelbaum & Reiman (2004), *Dimensioning large call centers*, Operations Research
  52(1): square-root staffing n = A + β√A is asymptotically optimal.
* Garnett, Mandelbaum & Reiman (2002), MSOM 4(3): the same regime for Erlang A (where β may be
  negative thanks to abandonment).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from queuesim.analytic.erlang import (
    ErlangAResult,
    ErlangCResult,
    _as_real,
    _nonnegative_finite,
    _positive_finite,
    _threshold,
    erlang_a,
    erlang_c,
)

__all__ = ["StaffingTargets", "min_agents", "sqrt_staffing"]

# Relative slack when comparing a computed measure with its target, so that a target met
# exactly (e.g. occupancy 12/16 = 0.75) is not missed through floating-point rounding.
_TOL = 1e-12
# Staffing levels above this are treated as "no finite staffing meets the targets".
_MAX_AGENTS = 10_000_000


@dataclass(frozen=True)
class StaffingTargets:
    """What every interval must achieve (times in seconds); ``None`` means no target.

    ``threshold`` is the service-level threshold (a simulated scenario's first threshold when
    None there). Checked on creation: at least one target, ratios in (0, 1) (occupancy in
    (0, 1]), times positive.
    """

    service_level: float | None = None
    threshold: float | None = None
    asa: float | None = None
    abandon_rate: float | None = None
    max_occupancy: float | None = None

    def __post_init__(self) -> None:
        goals = (self.service_level, self.asa, self.abandon_rate, self.max_occupancy)
        if all(goal is None for goal in goals):
            raise ValueError(
                "expected at least one target: service_level, asa, abandon_rate or max_occupancy"
            )
        for name in ("service_level", "abandon_rate"):
            value = getattr(self, name)
            if value is not None and not 0 < value < 1:
                raise ValueError(f"{name} must lie strictly between 0 and 1, got {value}")
        if self.max_occupancy is not None and not 0 < self.max_occupancy <= 1:
            raise ValueError(f"max_occupancy must lie in (0, 1], got {self.max_occupancy}")
        for name in ("threshold", "asa"):
            value = getattr(self, name)
            if value is not None and not value >= 0:
                raise ValueError(f"{name} must be at least 0 s, got {value}")

    def min_agents_arguments(self) -> dict[str, float | None]:
        """The targets as keyword arguments of :func:`min_agents`."""
        return asdict(self)


def sqrt_staffing(load: float, beta: float) -> int:
    """Square-root staffing rule n = ⌈A + β·√A⌉ (Halfin & Whitt 1981; Borst, Mandelbaum & Reiman
    2004, Operations Research 52(1)).

    Args:
        load: offered load A in Erlangs (finite, >= 0).
        beta: the service-grade parameter β (finite; may be negative, which is meaningful for
            Erlang A with abandonment, Garnett, Mandelbaum & Reiman 2002).

    Returns:
        The number of agents, never negative (0 for zero load). A relative slack of 1e-12 is
        applied before rounding up so that an exact integer is not pushed up by rounding noise.

    Raises:
        ValueError: if ``load`` is negative or not finite, or ``beta`` is not finite.
    """
    a = _nonnegative_finite("load", load)
    b = _as_real("beta", beta)
    if not math.isfinite(b):
        raise ValueError(f"beta must be a finite number, got {beta!r}")
    raw = a + b * math.sqrt(a)
    n = math.ceil(raw - _TOL * max(1.0, abs(raw)))
    return max(n, 0)


def _open_unit(name: str, value: object) -> float:
    x = _as_real(name, value)
    if not 0.0 < x < 1.0:
        raise ValueError(f"{name} must be strictly between 0 and 1, got {value!r}")
    return x


def min_agents(
    arrival_rate: float,
    service_time: float,
    *,
    service_level: float | None = None,
    threshold: float | None = None,
    asa: float | None = None,
    abandon_rate: float | None = None,
    max_occupancy: float | None = None,
    patience: float | None = None,
) -> int:
    """The least number of agents meeting EVERY target given.

    The model is Erlang C (M/M/n, no abandonment) when ``patience`` is None, otherwise Erlang A
    (M/M/n+M with mean patience ``patience``; Garnett, Mandelbaum & Reiman 2002; Mandelbaum &
    Zeltyn 2007). All targets are checked on the exact steady-state measures of
    :func:`~queuesim.analytic.erlang.erlang_c` / :func:`~queuesim.analytic.erlang.erlang_a`:

    * ``service_level`` (with ``threshold``): share of all arrivals answered within ``threshold``
      is >= ``service_level`` (abandoners count as misses);
    * ``asa``: mean wait of answered customers is <= ``asa``;
    * ``abandon_rate``: probability of abandoning is <= ``abandon_rate`` (Erlang A only);
    * ``max_occupancy``: carried load per agent is <= ``max_occupancy``.

    Under Erlang C the answer is always a stable staffing (more agents than the offered load),
    even when only ``max_occupancy=1`` is asked. The search starts from a lower bound (the
    stability bound and ⌈A / max_occupancy⌉ for Erlang C, 1 for Erlang A), doubles an upper
    bound from the square-root staffing level (Borst, Mandelbaum & Reiman 2004) until it is
    feasible, then bisects; all measures are monotone in the number of agents. A few dozen
    evaluations suffice even for thousands of agents.

    Args:
        arrival_rate: arrivals per time unit (finite, >= 0). Zero demand needs 0 agents.
        service_time: mean service time in the same unit (finite, > 0).
        service_level: target share in (0, 1); requires ``threshold``.
        threshold: service-level threshold >= 0 (same unit); only with ``service_level``.
        asa: maximum average speed of answer (> 0).
        abandon_rate: maximum abandonment probability in (0, 1); requires ``patience``.
        max_occupancy: maximum occupancy in (0, 1].
        patience: mean patience (> 0) to use Erlang A; None for Erlang C.

    Returns:
        The least number of agents n >= 1 meeting every target (0 if ``arrival_rate`` is 0).

    Raises:
        ValueError: if no target is given, a target is out of range or lacks what it needs
            (``service_level`` without ``threshold`` or vice versa, ``abandon_rate`` without
            ``patience``), an input is invalid, or no staffing up to 10 million agents meets
            the targets.
    """
    lam = _nonnegative_finite("arrival_rate", arrival_rate)
    s = _positive_finite("service_time", service_time)
    pat = None if patience is None else _positive_finite("patience", patience)

    if service_level is None and asa is None and abandon_rate is None and max_occupancy is None:
        raise ValueError(
            "min_agents needs at least one target: service_level (with threshold), asa, "
            "abandon_rate or max_occupancy"
        )
    sl_target = None if service_level is None else _open_unit("service_level", service_level)
    t = _threshold(threshold)
    if sl_target is not None and t is None:
        raise ValueError("service_level needs a threshold (the answer time it refers to)")
    if sl_target is None and t is not None:
        raise ValueError("threshold is given but service_level is not")
    asa_target = None
    if asa is not None:
        asa_target = _positive_finite("asa", asa)
    ab_target = None
    if abandon_rate is not None:
        ab_target = _open_unit("abandon_rate", abandon_rate)
        if pat is None:
            raise ValueError(
                "abandon_rate needs patience (Erlang C has no abandonment; give the mean "
                "patience to use Erlang A)"
            )
    occ_target = None
    if max_occupancy is not None:
        occ_target = _as_real("max_occupancy", max_occupancy)
        if not 0.0 < occ_target <= 1.0:
            raise ValueError(f"max_occupancy must be in (0, 1], got {max_occupancy!r}")

    if lam == 0.0:
        return 0
    load = lam * s

    def ok_at_most(value: float, target: float) -> bool:
        return value <= target * (1.0 + _TOL)

    def ok_at_least(value: float, target: float) -> bool:
        return value >= target * (1.0 - _TOL)

    def feasible(n: int) -> bool:
        """Whether ``n`` agents meet every target (Erlang C without patience, else A)."""
        r: ErlangCResult | ErlangAResult
        if pat is None:
            r = erlang_c(lam, s, n, threshold=t)
            if not r.stable:
                return False
        else:
            r = erlang_a(lam, s, n, pat, threshold=t)
            if ab_target is not None and not ok_at_most(r.p_abandon, ab_target):
                return False
        if sl_target is not None and not ok_at_least(r.service_level, sl_target):
            return False
        if asa_target is not None and not ok_at_most(r.asa, asa_target):
            return False
        return occ_target is None or ok_at_most(r.occupancy, occ_target)

    lo = 1
    if pat is None:
        lo = math.floor(load) + 1
        if occ_target is not None:
            lo = max(lo, math.ceil(load / occ_target * (1.0 - _TOL)))

    # Exponential search for a feasible upper bound, starting near square-root staffing.
    hi = max(lo, sqrt_staffing(load, 1.0))
    while not feasible(hi):
        lo = hi + 1
        hi = max(2 * hi, hi + 1)
        if hi > _MAX_AGENTS:
            raise ValueError(
                f"no staffing up to {_MAX_AGENTS} agents meets the targets; check that they are "
                "attainable"
            )
    # Bisection: every n < lo is infeasible, hi is feasible.
    while lo < hi:
        mid = (lo + hi) // 2
        if feasible(mid):
            hi = mid
        else:
            lo = mid + 1
    return hi

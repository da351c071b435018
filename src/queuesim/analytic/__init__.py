"""Analytic queueing formulas for contact centres: Erlang B, C and A, and staffing rules.

Exact steady-state results in closed form, used to size staffing quickly and to check the
simulator against theory. Inputs are an arrival rate and a mean service time in any consistent
time unit; results are frozen dataclasses whose fields follow the simulator's metric names
(``p_wait``, ``asa``, ``mean_wait``, ``service_level``, ``sl_answered``, ``occupancy``).
See :mod:`queuesim.analytic.erlang` and :mod:`queuesim.analytic.staffing` for the sources.
"""

from queuesim.analytic.erlang import ErlangAResult, ErlangCResult, erlang_a, erlang_b, erlang_c
from queuesim.analytic.staffing import StaffingTargets, min_agents, sqrt_staffing

__all__ = [
    "ErlangAResult",
    "ErlangCResult",
    "StaffingTargets",
    "erlang_a",
    "erlang_b",
    "erlang_c",
    "min_agents",
    "sqrt_staffing",
]

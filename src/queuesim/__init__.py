"""queuesim: a discrete-event simulator and what-if modeller for service operations.

Describe an operation in a scenario file, simulate it, and read waits, abandonment, service
levels and agent occupancy with confidence intervals, cross-checked against queueing theory::

    import queuesim

    scenario = queuesim.load_scenario("scenarios/phone_steady_state.yaml")
    result = queuesim.simulate(scenario)
    result.summary           # one row per KPI: mean, ci_low, ci_high, n_reps
    queuesim.erlang_a(10 / 60, 240, 44, patience=120, threshold=20)
"""

from queuesim.analytic import (
    ErlangAResult,
    ErlangCResult,
    erlang_a,
    erlang_b,
    erlang_c,
    min_agents,
    sqrt_staffing,
)
from queuesim.experiment.runner import simulate
from queuesim.results import SimulationResult
from queuesim.scenario import Scenario, ScenarioError, load_scenario, scenario_from_dict
from queuesim.version import __version__

__all__ = [
    "ErlangAResult",
    "ErlangCResult",
    "Scenario",
    "ScenarioError",
    "SimulationResult",
    "__version__",
    "erlang_a",
    "erlang_b",
    "erlang_c",
    "load_scenario",
    "min_agents",
    "scenario_from_dict",
    "simulate",
    "sqrt_staffing",
]

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
    StaffingTargets,
    erlang_a,
    erlang_b,
    erlang_c,
    min_agents,
    sqrt_staffing,
)
from queuesim.experiment import (
    Comparison,
    Factor,
    Range,
    Sampling,
    StaffingPlan,
    SweepResult,
    compare,
    factorial,
    make_executor,
    sample,
    sensitivity,
    staff,
    sweep,
)
from queuesim.experiment.runner import simulate
from queuesim.fitting import (
    FitResult,
    LogLayout,
    fit_contact_log,
    fit_interval_report,
    read_contact_log,
    read_interval_report,
)
from queuesim.planning import (
    BacktestResult,
    IntradayResult,
    backtest,
    intraday,
    read_forecast,
    simulate_staffing,
    staffing_table,
)
from queuesim.results import SimulationResult
from queuesim.scenario import Scenario, ScenarioError, load_scenario, scenario_from_dict
from queuesim.version import __version__

__all__ = [
    "BacktestResult",
    "Comparison",
    "ErlangAResult",
    "ErlangCResult",
    "Factor",
    "FitResult",
    "IntradayResult",
    "LogLayout",
    "Range",
    "Sampling",
    "Scenario",
    "ScenarioError",
    "SimulationResult",
    "StaffingPlan",
    "StaffingTargets",
    "SweepResult",
    "__version__",
    "backtest",
    "compare",
    "erlang_a",
    "erlang_b",
    "erlang_c",
    "factorial",
    "fit_contact_log",
    "fit_interval_report",
    "intraday",
    "load_scenario",
    "make_executor",
    "min_agents",
    "read_contact_log",
    "read_forecast",
    "read_interval_report",
    "sample",
    "scenario_from_dict",
    "sensitivity",
    "simulate",
    "simulate_staffing",
    "sqrt_staffing",
    "staff",
    "staffing_table",
    "sweep",
]

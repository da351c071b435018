"""Scenario files: the typed, frozen schema, loading with overrides and CSV tables, and errors.

``load_scenario("day.yaml", ["agent_groups.team.size=50"])`` reads, overrides and validates a
scenario; every problem is reported as ``{source}: {dotted.path}: expected ..., got ...`` in a
:class:`ScenarioError`.
"""

from queuesim.scenario.distributions import (
    Deterministic,
    Empirical,
    Exponential,
    Gamma,
    Lognormal,
    NoPatience,
    PatienceDistribution,
    ServiceDistribution,
)
from queuesim.scenario.errors import Problem, ScenarioError
from queuesim.scenario.loading import (
    load_scenario,
    scenario_from_dict,
    scenario_hash,
    scenario_json_schema,
)
from queuesim.scenario.overrides import apply_overrides
from queuesim.scenario.schema import (
    AgentGroup,
    Arrivals,
    Break,
    Channel,
    ChannelKind,
    ClosePolicy,
    ContactType,
    Dispersion,
    ProfilePoint,
    Scenario,
    ServiceLevel,
    Shift,
)
from queuesim.scenario.tables import read_profile_csv, read_roster_csv

__all__ = [
    "AgentGroup",
    "Arrivals",
    "Break",
    "Channel",
    "ChannelKind",
    "ClosePolicy",
    "ContactType",
    "Deterministic",
    "Dispersion",
    "Empirical",
    "Exponential",
    "Gamma",
    "Lognormal",
    "NoPatience",
    "PatienceDistribution",
    "Problem",
    "ProfilePoint",
    "Scenario",
    "ScenarioError",
    "ServiceDistribution",
    "ServiceLevel",
    "Shift",
    "apply_overrides",
    "load_scenario",
    "read_profile_csv",
    "read_roster_csv",
    "scenario_from_dict",
    "scenario_hash",
    "scenario_json_schema",
]

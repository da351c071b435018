"""Where an experiment's scenarios come from: a file (or parsed data) plus overrides."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from queuesim.scenario.loading import load_scenario, scenario_from_dict
from queuesim.scenario.schema import Scenario

ScenarioSource = str | Path | Mapping[str, Any]
"""A scenario file's path, or its parsed content (CSV paths then relative to the working
directory). Experiments re-validate the source at every design point, so each point's
overrides are checked like ``--set``."""


def load_point(
    source: ScenarioSource,
    overrides: Mapping[str, object] | None = None,
    variant: str | None = None,
) -> Scenario:
    """The validated scenario of ``source`` with ``variant`` and then ``overrides`` applied."""
    if isinstance(source, Mapping):
        return scenario_from_dict(source, overrides=overrides or {}, variant=variant)
    return load_scenario(source, overrides or {}, variant)


__all__ = ["ScenarioSource", "load_point"]

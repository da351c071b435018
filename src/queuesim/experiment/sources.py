"""Where an experiment's scenarios come from: a file (or parsed data) plus overrides."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from queuesim.scenario.errors import ScenarioError
from queuesim.scenario.loading import read_scenario_file, scenario_from_dict
from queuesim.scenario.schema import Scenario


@dataclass(frozen=True)
class ParsedScenario:
    """A scenario file read once: its parsed ``data``, the ``source`` name errors give, and
    the folder its CSV files are read from (None: the working directory)."""

    data: Mapping[str, Any]
    source: str
    base_dir: Path | None


ScenarioSource = str | Path | Mapping[str, Any] | ParsedScenario
"""A scenario file's path, its parsed content (CSV paths then relative to the working
directory), or a :class:`ParsedScenario`. Experiments re-validate the source at every design
point, so each point's overrides are checked like ``--set``."""


def parse_source(source: ScenarioSource) -> ParsedScenario:
    """Read ``source`` once (a path is parsed, nothing is validated yet)."""
    if isinstance(source, ParsedScenario):
        return source
    if isinstance(source, Mapping):
        return ParsedScenario(source, "<dict>", None)
    data = read_scenario_file(source)
    if not isinstance(data, Mapping):
        raise ScenarioError.single(
            str(source), (), "expected a mapping of scenario fields (version: 1, name: ...)"
        )
    return ParsedScenario(data, str(source), Path(source).parent)


def load_point(
    source: ScenarioSource,
    overrides: Mapping[str, object] | None = None,
    variant: str | None = None,
) -> Scenario:
    """The validated scenario of ``source`` with ``variant`` and then ``overrides`` applied."""
    parsed = parse_source(source)
    return scenario_from_dict(
        parsed.data,
        source=parsed.source,
        base_dir=parsed.base_dir,
        overrides=overrides or {},
        variant=variant,
    )


__all__ = ["ParsedScenario", "ScenarioSource", "load_point", "parse_source"]

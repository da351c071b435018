"""One-at-a-time sensitivity: each parameter moved down and up alone, on common random numbers.

A variation is ``PATH=LOW,HIGH`` (two values, as for ``--set``) or ``PATH=±10%`` (the base
value, with its unit, scaled by 0.9 and 1.1). The table gives, per parameter and KPI, the KPI at
the base, low and high values: the data of a tornado chart.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from queuesim.experiment.design import DesignError, Quantity
from queuesim.experiment.executors import Executor
from queuesim.experiment.runner import ProgressCallback
from queuesim.experiment.sources import ScenarioSource, parse_source
from queuesim.experiment.sweep import sweep
from queuesim.results import ALL
from queuesim.scenario.overrides import parse_value

_PERCENT = re.compile(r"^\s*(?:±|\+-|\+/-)\s*([0-9]+(?:\.[0-9]*)?)\s*%\s*$")


@dataclass(frozen=True)
class Variation:
    """A parameter and the low and high values it is moved to."""

    path: str
    low: object
    high: object


def _value_at(data: Any, path: str) -> object:
    node = data
    for part in path.split("."):
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        elif isinstance(node, Mapping) and part in node:
            node = node[part]
        else:
            raise DesignError(
                f"--vary {path}: ±% needs a value written in the scenario file at this path"
            )
    return node


def parse_variation(
    text: str, source: ScenarioSource, overrides: Mapping[str, object] | None = None
) -> Variation:
    """Read ``PATH=LOW,HIGH`` or ``PATH=±P%`` (relative to the base value at ``PATH``)."""
    path, sep, spec = text.partition("=")
    path, spec = path.strip(), spec.strip()
    if not sep or not path or not spec:
        raise DesignError(f"--vary: expected PATH=LOW,HIGH or PATH=±10%, got {text!r}")
    percent = _PERCENT.match(spec)
    if percent is None:
        levels = spec.split(",")
        if len(levels) != 2:
            raise DesignError(f"--vary {path}: expected LOW,HIGH or ±P%, got {spec!r}")
        return Variation(path, parse_value(levels[0]), parse_value(levels[1]))
    base = (overrides or {}).get(path, None)
    if base is None:
        base = _value_at(parse_source(source).data, path)
    quantity = Quantity.parse(base, f"--vary {path}")
    share = float(percent.group(1)) / 100
    return Variation(
        path,
        quantity.with_number(quantity.number * (1 - share)),
        quantity.with_number(quantity.number * (1 + share)),
    )


def sensitivity(
    scenario: ScenarioSource,
    variations: Sequence[Variation],
    *,
    replications: int | None = None,
    seed: int | None = None,
    overrides: Mapping[str, object] | None = None,
    executor: Executor | None = None,
    progress: ProgressCallback | None = None,
) -> pd.DataFrame:
    """Whole-operation KPIs at the base and at each variation's low and high value.

    Columns: ``parameter, metric, unit, base_value, low_value, high_value, base, low, high``
    (means over replications; every point runs on the same seeds), sorted by the swing
    ``|high − low|`` within each metric, largest first.
    """
    if not variations:
        raise DesignError("--vary: expected at least one parameter to vary")
    scenario = parse_source(scenario)
    points: list[dict[str, object]] = [{}]
    for variation in variations:
        points += [{variation.path: variation.low}, {variation.path: variation.high}]
    result = sweep(
        scenario,
        points,
        replications=replications,
        seed=seed,
        overrides=overrides,
        executor=executor,
        progress=progress,
    )
    failed = result.failures
    if not failed.empty:
        raise RuntimeError(f"point {failed['point'].iloc[0]} failed: {failed['error'].iloc[0]}")
    summary = result.summary
    totals = summary[
        (summary["channel"] == ALL)
        & (summary["contact_type"] == ALL)
        & (summary["agent_group"] == ALL)
    ]
    means = totals.pivot_table(index=["metric", "unit"], columns="point", values="mean", sort=False)
    rows = []
    for index, variation in enumerate(variations):
        low, high = 1 + 2 * index, 2 + 2 * index
        base_value = (overrides or {}).get(variation.path, _base_value(scenario, variation))
        for (metric, unit), values in means.iterrows():
            rows.append(
                {
                    "parameter": variation.path,
                    "metric": metric,
                    "unit": unit,
                    "base_value": base_value,
                    "low_value": variation.low,
                    "high_value": variation.high,
                    "base": values[0],
                    "low": values[low],
                    "high": values[high],
                }
            )
    table = pd.DataFrame(rows)
    swing = (table["high"] - table["low"]).abs()
    order = table.assign(_swing=swing).sort_values(
        ["metric", "_swing"], ascending=[True, False], kind="stable"
    )
    return order.drop(columns="_swing").reset_index(drop=True)


def _base_value(source: ScenarioSource, variation: Variation) -> object:
    try:
        return _value_at(parse_source(source).data, variation.path)
    except DesignError:
        return None


__all__ = ["Variation", "parse_variation", "sensitivity"]

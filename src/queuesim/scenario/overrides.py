"""Dotted-path overrides of a parsed scenario: the CLI's ``--set PATH=VALUE`` and the API's dict.

``PATH`` names mapping keys (``agent_groups.team.size``) and indexes lists with integers
(``agent_groups.team.shifts.0.agents``). On the command line ``VALUE`` is read as YAML
(``42`` an int, ``4 min`` a string, ``[a, b]`` a list, ``null`` nothing), except that a time of
day such as ``12:00`` stays a string (YAML 1.1 would read it as the number 720). Overrides apply
to the parsed file, before CSV files are read and before validation, so validation checks the
result and names ``--set`` as the source of what an override brought in.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping, Sequence
from typing import Any

import yaml

from queuesim.scenario.errors import Loc, Problem, ScenarioError, dotted, kind_of, suggest

SOURCE = "--set"
"""The source named by every error an override causes."""

Overrides = Sequence[str] | Mapping[str, object]
"""``["a.b=1", ...]`` as given to ``--set``, or ``{"a.b": 1}`` from Python."""

_TIME_OF_DAY = re.compile(r"^\s*[0-9]{1,2}:[0-9]{2}\s*$")
_INDEX = re.compile(r"^[0-9]+$")
_FROM_CSV = {"profile": "profile_csv", "shifts": "roster_csv"}
"""Lists the loader fills from a CSV file after the overrides are applied."""


def parse_value(text: str) -> object:
    """Read a ``--set`` VALUE: a YAML scalar or flow list; times of day stay strings."""
    if _TIME_OF_DAY.match(text):
        return text.strip()
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        problem = getattr(error, "problem", None) or "invalid YAML"
        raise ScenarioError.single(
            SOURCE, (), f"expected a YAML scalar or flow list as VALUE, got {text!r} ({problem})"
        ) from None


def _split(item: object) -> tuple[str, object]:
    if not isinstance(item, str) or "=" not in item:
        raise ScenarioError.single(
            SOURCE,
            (),
            f"expected PATH=VALUE, such as agent_groups.team.size=50, got {kind_of(item)}",
        )
    path, _, value = item.partition("=")
    return path.strip(), parse_value(value)


def parse_assignments(items: Sequence[str]) -> dict[str, object]:
    """``["a.b=1", "c=4 min"]`` as given to ``--set`` → ``{"a.b": 1, "c": "4 min"}``."""
    return dict(_split(item) for item in items)


def _parse_path(path: object) -> list[str]:
    if not isinstance(path, str) or not path.strip():
        raise ScenarioError.single(
            SOURCE, (), f"expected a dotted path such as agent_groups.team.size, got {path!r}"
        )
    parts = path.strip().split(".")
    if any(not part for part in parts):
        raise ScenarioError.single(
            SOURCE, (), f"expected a dotted path without empty parts, got {path!r}"
        )
    return parts


def _set(data: dict[str, Any], parts: list[str], value: object) -> Loc:
    """Set ``value`` at ``parts`` inside ``data`` (in place); return the location set."""
    node: Any = data
    loc: list[str | int] = []
    for depth, part in enumerate(parts):
        last = depth == len(parts) - 1
        if isinstance(node, list):
            if not _INDEX.match(part):
                raise ScenarioError.single(
                    SOURCE,
                    (*loc, part),
                    f"expected a list index (0 to {len(node) - 1}), got {part!r}",
                )
            index = int(part)
            if index >= len(node):
                where = f"{dotted(tuple(loc))} has {len(node)} item{'s' * (len(node) != 1)}"
                expected = (
                    f"an index from 0 to {len(node) - 1}" if node else "no index (empty list)"
                )
                raise ScenarioError.single(
                    SOURCE, (*loc, index), f"expected {expected} ({where}), got {index}"
                )
            loc.append(index)
            if last:
                node[index] = value
            else:
                node = node[index]
        elif isinstance(node, dict):
            if not last and part not in node:
                keys = [str(key) for key in node]
                message = f"expected one of the keys {', '.join(keys) or '(none)'}, got {part!r}"
                close = suggest(part, keys)
                if _FROM_CSV.get(part) in node:
                    message += (
                        f" ({part} come from {_FROM_CSV[part]}, read after overrides: edit the "
                        f"CSV file or set {dotted((*loc, _FROM_CSV[part]))})"
                    )
                elif close is not None:
                    message += f"; did you mean {close!r}?"
                else:
                    where = dotted((*loc, part))
                    message += f" (to add it, set it whole: {where}={{...}} or {where}=[...])"
                raise ScenarioError.single(SOURCE, (*loc, part), message)
            loc.append(part)
            if last:
                node[part] = value
            else:
                node = node[part]
        else:
            message = f"expected a mapping or a list to go into, got {kind_of(node)}"
            raise ScenarioError.single(SOURCE, tuple(loc), message)
    return tuple(loc)


def _items(overrides: Overrides) -> list[tuple[object, object] | ScenarioError]:
    """(path, value) per override, or the error that reading it gave."""
    if isinstance(overrides, Mapping):
        return [(path, copy.deepcopy(value)) for path, value in overrides.items()]
    if isinstance(overrides, str):
        overrides = [overrides]
    items: list[tuple[object, object] | ScenarioError] = []
    for item in overrides:
        try:
            items.append(_split(item))
        except ScenarioError as error:
            items.append(error)
    return items


def apply_overrides_with_locations(
    data: Mapping[str, Any], overrides: Overrides
) -> tuple[dict[str, Any], list[Loc]]:
    """:func:`apply_overrides`, also returning the location each override set."""
    result: dict[str, Any] = copy.deepcopy(dict(data))
    locations: list[Loc] = []
    problems: list[Problem] = []
    for item in _items(overrides):
        try:
            if isinstance(item, ScenarioError):
                raise item
            path, value = item
            locations.append(_set(result, _parse_path(path), value))
        except ScenarioError as error:
            problems.extend(error.problems)
    if problems:
        raise ScenarioError(problems)
    return result, locations


def apply_overrides(data: Mapping[str, Any], overrides: Overrides) -> dict[str, Any]:
    """Return a deep copy of the parsed scenario ``data`` with ``overrides`` applied.

    ``overrides`` is a sequence of ``"dotted.path=VALUE"`` strings (VALUE read as YAML) or a
    mapping of dotted path to value. The last key may be new (validation later rejects unknown
    keys, naming ``--set``); every key before it must exist.
    Indexing past a list's end or into a scalar, an empty path and an item without ``=`` raise
    :class:`ScenarioError` naming ``--set``. ``data`` is never modified.
    """
    return apply_overrides_with_locations(data, overrides)[0]


__all__ = [
    "SOURCE",
    "Overrides",
    "apply_overrides",
    "apply_overrides_with_locations",
    "parse_assignments",
    "parse_value",
]

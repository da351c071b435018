"""From a scenario file (or a dict) to a validated :class:`Scenario`, with errors to act on.

The stages, in order: read the file; parse it with ``yaml.safe_load``; check the top level is a
mapping with ``version: 1``; apply the overrides (``--set``); read the CSV files it references
(relative to the scenario file's folder); validate with pydantic, the reporting interval given
as context so rates such as ``"30/interval"`` can be read. Every failure raises
:class:`ScenarioError`, whose lines name the file (or ``--set``, or a CSV line and column), the
dotted field path, what was expected and what was given.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from queuesim.scenario.errors import (
    Loc,
    Problem,
    ScenarioError,
    kind_of,
    problems_from_validation,
    suggest,
)
from queuesim.scenario.overrides import SOURCE as OVERRIDE_SOURCE
from queuesim.scenario.overrides import Overrides, apply_overrides_with_locations
from queuesim.scenario.schema import Scenario
from queuesim.scenario.tables import Table, read_profile_table, read_roster_table
from queuesim.scenario.units import (
    SECONDS_PER_DAY,
    format_time_of_day,
    parse_duration,
    parse_time_of_day,
)

SCHEMA_VERSION = 1
"""The version of the scenario file format this queuesim reads."""

_COMPOSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""Builds the node tree (no Python objects) to find duplicate keys; libyaml's when present."""


def load_scenario(
    path: str | Path, overrides: Overrides = (), variant: str | None = None
) -> Scenario:
    """Read, override and validate the scenario file at ``path``.

    ``overrides`` are ``"dotted.path=VALUE"`` strings (as given to ``--set``) or a mapping of
    dotted path to value. ``variant`` names one of the file's ``variants``, applied before
    ``overrides``. CSV files named in the scenario are read relative to its folder.
    Raises :class:`ScenarioError` listing every problem found, one per line.
    """
    data = read_scenario_file(path)
    return scenario_from_dict(
        data, source=str(path), base_dir=Path(path).parent, overrides=overrides, variant=variant
    )


def read_scenario_file(path: str | Path) -> Any:
    """The parsed content of the scenario file at ``path`` (``yaml.safe_load``), not yet
    validated; unreadable files, YAML errors and duplicate keys raise :class:`ScenarioError`."""
    source = str(path)
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ScenarioError.single(
            source, (), f"expected an existing scenario file, got nothing at {file.resolve()}"
        ) from None
    except IsADirectoryError:
        raise ScenarioError.single(
            source, (), "expected an existing scenario file, got a folder"
        ) from None
    except UnicodeDecodeError as error:
        raise ScenarioError.single(
            source, (), f"expected UTF-8 text, got a byte that is not UTF-8 at offset {error.start}"
        ) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise _yaml_error(source, error) from None
    duplicates = _duplicate_keys(source, text)
    if duplicates:
        raise ScenarioError(duplicates)
    if data is None:
        raise ScenarioError.single(
            source,
            (),
            "expected a mapping of scenario fields (version: 1, name: ...), got an empty file",
        )
    return data


def _yaml_error(source: str, error: yaml.YAMLError) -> ScenarioError:
    """A YAML syntax error as one problem with its line and column (1-based), no traceback."""
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    where = f"{source} line {mark.line + 1}, column {mark.column + 1}" if mark else source
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    message = f"expected valid YAML, got a syntax error: {problem}"
    context = getattr(error, "context", None)
    context_mark = getattr(error, "context_mark", None)
    if context:
        message += f" ({context}"
        if context_mark is not None and context_mark is not mark:
            message += f" started at line {context_mark.line + 1}, column {context_mark.column + 1}"
        message += ")"
    return ScenarioError.single(where, (), message)


def _duplicate_keys(source: str, text: str) -> list[Problem]:
    """Keys given twice in one mapping (``yaml.safe_load`` silently keeps the last)."""
    problems: list[Problem] = []

    def walk(node: yaml.Node, loc: Loc) -> None:
        if isinstance(node, yaml.MappingNode):
            first: dict[str, int] = {}
            for key_node, value_node in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
                if key is not None and key in first:
                    mark = key_node.start_mark
                    problems.append(
                        Problem(
                            f"{source} line {mark.line + 1}, column {mark.column + 1}",
                            (*loc, key),
                            f"expected each key once, got {key!r} again "
                            f"(first on line {first[key]})",
                        )
                    )
                elif key is not None:
                    first[key] = key_node.start_mark.line + 1
                walk(value_node, (*loc, key) if key is not None else loc)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                walk(item, (*loc, index))

    root = yaml.compose(text, Loader=_COMPOSER)
    if root is not None:
        walk(root, ())
    return problems


def scenario_from_dict(
    data: object,
    *,
    source: str = "<dict>",
    base_dir: str | Path | None = None,
    overrides: Overrides = (),
    variant: str | None = None,
) -> Scenario:
    """Validate parsed scenario ``data`` (as from YAML) into a :class:`Scenario`.

    ``source`` names the data in errors; CSV files are read relative to ``base_dir`` (the
    working directory when None); ``overrides`` and ``variant`` as for :func:`load_scenario`.
    ``data`` is not modified. Raises :class:`ScenarioError`.
    """
    if data is None:
        raise ScenarioError.single(
            source, (), "expected a mapping of scenario fields (version: 1, name: ...), got nothing"
        )
    if not isinstance(data, Mapping):
        raise ScenarioError.single(
            source,
            (),
            f"expected a mapping of scenario fields (version: 1, name: ...), got {kind_of(data)}",
        )
    _check_version(source, data)
    variant_source, variant_locs = source, []
    if variant is not None:
        variant_source = f"{source}: variants.{variant}"
        data, variant_locs = _apply_variant(data, variant, source, variant_source)
    data, override_locs = apply_overrides_with_locations(data, overrides)

    def source_of(loc: Loc) -> str:
        if any(loc[: len(set_loc)] == set_loc for set_loc in override_locs):
            return OVERRIDE_SOURCE
        if any(loc[: len(set_loc)] == set_loc for set_loc in variant_locs):
            return variant_source
        return source

    folder = Path(base_dir) if base_dir is not None else Path()
    interval = _interval_seconds(data)
    tables = _read_tables(data, folder, source_of, interval)
    context = {"interval_seconds": interval}
    try:
        return Scenario.model_validate(data, context=context)
    except ValidationError as error:
        raise ScenarioError(
            problems_from_validation(error, Scenario, lambda loc: _locate(loc, tables, source_of))
        ) from None


def _apply_variant(
    data: Mapping[str, Any], name: str, source: str, variant_source: str
) -> tuple[dict[str, Any], list[Loc]]:
    """``data`` with the overrides of its variant ``name``; errors name the variant."""
    variants = data.get("variants") or {}
    if not isinstance(variants, Mapping) or not all(
        isinstance(overrides, Mapping) for overrides in variants.values()
    ):
        raise ScenarioError.single(
            source,
            ("variants",),
            f"expected a mapping of variant names to mappings of dotted paths, got "
            f"{kind_of(variants)}",
        )
    if name not in variants:
        names = ", ".join(map(str, variants)) or "(none)"
        message = f"expected the name of a variant ({names}), got {name!r}"
        close = suggest(name, [str(key) for key in variants])
        if close is not None:
            message += f"; did you mean {close!r}?"
        raise ScenarioError.single(source, ("variants",), message)
    try:
        return apply_overrides_with_locations(data, variants[name])
    except ScenarioError as error:
        raise ScenarioError(
            [replace(problem, source=variant_source) for problem in error.problems]
        ) from None


def _check_version(source: str, data: Mapping[str, Any]) -> None:
    if "version" not in data:
        raise ScenarioError.single(
            source,
            ("version",),
            f"expected {SCHEMA_VERSION} (write 'version: {SCHEMA_VERSION}' at the top of the "
            "file), got nothing",
        )
    version = data["version"]
    if type(version) is not int or version != SCHEMA_VERSION:
        raise ScenarioError.single(
            source,
            ("version",),
            f"expected {SCHEMA_VERSION} (the scenario file version this queuesim reads), "
            f"got {kind_of(version)}",
        )


def _interval_seconds(data: Mapping[str, Any]) -> float | None:
    """The reporting interval in seconds, or None when invalid (validation will say why)."""
    if "interval" not in data:
        return Scenario.model_fields["interval"].default
    try:
        return parse_duration(data["interval"])
    except ValueError:
        return None


_CSV_REFERENCES = (
    ("channels", ("arrivals",), "profile_csv", "profile", read_profile_table),
    ("agent_groups", (), "roster_csv", "shifts", read_roster_table),
)


def _read_tables(
    data: dict[str, Any],
    folder: Path,
    source_of: Callable[[Loc], str],
    interval: float | None,
) -> dict[Loc, Table]:
    """Fill ``profile``/``shifts`` from the CSV files referenced in ``data`` (in place).

    Returns the tables read, keyed by the location of the list they filled. A profile read
    from CSV must step by the reporting ``interval`` (when valid) from row to row.
    """
    tables: dict[Loc, Table] = {}
    problems: list[Problem] = []
    for section, inner, csv_key, target, reader in _CSV_REFERENCES:
        items = data.get(section)
        if not isinstance(items, dict):
            continue
        for name, item in items.items():
            holder: Any = item
            for key in inner:
                holder = holder.get(key) if isinstance(holder, dict) else None
            if not isinstance(holder, dict) or not isinstance(holder.get(csv_key), str):
                continue
            base: Loc = (section, name, *inner)
            csv_loc: Loc = (*base, csv_key)
            if holder.get(target) is not None:
                problems.append(
                    Problem(
                        source_of(csv_loc),
                        base,
                        f"expected either '{target}' or '{csv_key}', got both",
                    )
                )
                continue
            csv_path = folder / holder[csv_key]
            if not csv_path.is_file():
                problems.append(
                    Problem(
                        source_of(csv_loc),
                        csv_loc,
                        f"expected an existing CSV file, got nothing at {csv_path.resolve()}",
                    )
                )
                continue
            try:
                table = reader(csv_path, name)
            except ScenarioError as error:
                problems.extend(error.problems)
                continue
            holder[target] = table.rows
            tables[(*base, target)] = table
            if target == "profile" and interval:
                problems.extend(_gaps(table, (*base, target), interval))
    if problems:
        raise ScenarioError(problems)
    return tables


def _gaps(table: Table, loc: Loc, interval: float) -> list[Problem]:
    """Rows of a CSV profile that do not follow the previous row by one reporting interval.

    Rows not aligned to the interval are left to the schema, which reports them.
    """
    problems: list[Problem] = []
    starts = [parse_time_of_day(row["start"]) for row in table.rows]
    for index in range(1, len(starts)):
        previous, start = starts[index - 1], starts[index]
        if previous % interval or start % interval:
            continue
        expected = (previous + interval) % SECONDS_PER_DAY
        if start != expected:
            problems.append(
                Problem(
                    f"{table.source} line {table.lines[index]}, column {table.fields['start']}",
                    (*loc, index, "start"),
                    f"expected {format_time_of_day(expected)}, the interval after "
                    f"{format_time_of_day(previous)} on line {table.lines[index - 1]}, "
                    f"got {table.rows[index]['start']}",
                )
            )
    return problems


def _locate(
    loc: Loc, tables: Mapping[Loc, Table], source_of: Callable[[Loc], str]
) -> tuple[str, Loc]:
    """The source of a validation problem at ``loc``: a CSV line and column, or the file."""
    for prefix, table in tables.items():
        n = len(prefix)
        if loc[:n] == prefix and len(loc) > n and isinstance(loc[n], int):
            index = loc[n]
            if index < len(table.lines):
                where = f"{table.source} line {table.lines[index]}"
                column = table.fields.get(str(loc[n + 1])) if len(loc) > n + 1 else None
                if column:
                    where += f", column {column}"
                return where, loc
    return source_of(loc), loc


def scenario_json_schema() -> dict[str, Any]:
    """The JSON Schema of scenario files, for editors that check and complete YAML."""
    schema = Scenario.model_json_schema(mode="validation")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def scenario_hash(scenario: Scenario) -> str:
    """SHA-256 (hex) of the validated scenario's canonical JSON.

    Canonical: ``scenario.model_dump(mode="json")`` with sorted keys and compact separators,
    without ``variants`` (they do not change what is simulated).
    CSV contents enter through the profile and shift values read from them.
    """
    content = scenario.model_dump(mode="json", exclude={"variants"})
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


__all__ = [
    "SCHEMA_VERSION",
    "load_scenario",
    "read_scenario_file",
    "scenario_from_dict",
    "scenario_hash",
    "scenario_json_schema",
]

"""The journeys table: the input contract of the satisfaction model.

One row per journey, that is all the contacts of one customer issue. The columns, their types
and ranges are in :data:`JOURNEY_COLUMNS` (documented in docs/satisfaction.md);
:func:`check_journeys` refuses a table that breaks them with a :class:`JourneyTableError`
listing every problem as ``{source}: column {name}: expected ..., got ...``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from queuesim.scenario.errors import show


@dataclass(frozen=True)
class JourneyColumn:
    """One column of the journeys table: its name, kind and meaning."""

    name: str
    kind: str
    meaning: str


JOURNEY_COLUMNS: tuple[JourneyColumn, ...] = (
    JourneyColumn("journey", "whole number", "journey id"),
    JourneyColumn("channel", "text", "channel of the first contact"),
    JourneyColumn("contact_type", "text", "contact type of the issue"),
    JourneyColumn("wait", "seconds ≥ 0", "total time waited over all contacts"),
    JourneyColumn("contacts", "whole number ≥ 1", "contacts of the journey, abandoned included"),
    JourneyColumn("transfers", "whole number ≥ 0", "transfers and escalations"),
    JourneyColumn("abandoned", "whole number 0..contacts", "contacts abandoned"),
    JourneyColumn("errors", "whole number 0..contacts", "contacts where the agent made an error"),
    JourneyColumn("resolved", "true/false", "the issue was resolved"),
    JourneyColumn(
        "time_to_resolution", "seconds ≥ 0, empty when unresolved", "first arrival to resolution"
    ),
    JourneyColumn(
        "proficiency",
        "number ≥ 0, empty if never served",
        "mean proficiency of the agents who served (1 = fully proficient)",
    ),
    JourneyColumn(
        "empowered",
        "share 0..1, empty if never served",
        "share of served contacts where the agent had the authority to act",
    ),
    JourneyColumn(
        "followed_up", "true/false, optional (default false)", "a detractor follow-up took place"
    ),
)
"""Every column of the journeys table, in order."""

OPTIONAL_DEFAULTS = {"followed_up": False}
_INTEGER = ("journey", "contacts", "transfers", "abandoned", "errors")
_NUMBER = ("wait", "time_to_resolution", "proficiency", "empowered")
_BOOLEAN = ("resolved", "followed_up")


class JourneyTableError(ValueError):
    """A journeys table that cannot be scored; ``problems`` holds one line per problem."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems: list[str] = list(problems)
        super().__init__("\n".join(self.problems))


def _first_bad(table: pd.DataFrame, mask: np.ndarray, column: str) -> str:
    """``-3.0 (row 4, journey 17)``: the first offending value and where it is."""
    position = int(np.flatnonzero(mask)[0])
    value = table[column].iloc[position]
    if isinstance(value, np.generic):
        value = value.item()
    where = f"row {position}"
    if "journey" in table.columns and column != "journey":
        where += f", journey {table['journey'].iloc[position]}"
    count = int(mask.sum())
    more = f"; {count} rows in all" if count > 1 else ""
    return f"{show(value)} ({where}{more})"


def column_kind(dtype: object) -> str:
    """A planner's word for a column's type."""
    if pd.api.types.is_bool_dtype(dtype):
        return "true/false values"
    if pd.api.types.is_integer_dtype(dtype):
        return "whole numbers"
    if pd.api.types.is_float_dtype(dtype):
        return "decimal numbers"
    if pd.api.types.is_string_dtype(dtype):
        return "text"
    return f"values of type {dtype}"


def _type_problem(table: pd.DataFrame, name: str) -> str | None:
    """What is wrong with a column's type, if anything."""
    series = table[name]
    dtype = series.dtype
    is_bool = pd.api.types.is_bool_dtype(dtype)
    if name in _INTEGER or name in _BOOLEAN:
        expected = "whole numbers" if name in _INTEGER else "true/false values"
        right = is_bool if name in _BOOLEAN else pd.api.types.is_integer_dtype(dtype)
        if not right or (name in _INTEGER and is_bool):
            return f"expected {expected}, got a column of {column_kind(dtype)}"
        empty = series.isna().to_numpy(dtype=bool)
        if empty.any():
            return f"expected {expected} in every row, got {_first_bad(table, empty, name)}"
        return None
    if name in _NUMBER:
        if pd.api.types.is_numeric_dtype(dtype) and not is_bool:
            return None
        return f"expected numbers, got a column of {column_kind(dtype)}"
    not_text = series.map(lambda value: not isinstance(value, str)).to_numpy(dtype=bool)
    if not_text.any():
        return f"expected text, got {_first_bad(table, not_text, name)}"
    return None


def check_journeys(journeys: pd.DataFrame, source: str = "journeys") -> pd.DataFrame:
    """Check a journeys table against the contract and return it with optional columns filled.

    ``source`` names the table in messages (a file name, or ``journeys``). Raises
    :class:`JourneyTableError` naming every missing column, column of the wrong type and
    value out of range, with the first offending row.
    """
    if not isinstance(journeys, pd.DataFrame):
        raise JourneyTableError(
            [f"{source}: expected a pandas DataFrame, got {type(journeys).__name__}"]
        )
    table = journeys.copy()
    for name, default in OPTIONAL_DEFAULTS.items():
        if name not in table.columns:
            table[name] = default
    expected = [column.name for column in JOURNEY_COLUMNS]
    missing = [name for name in expected if name not in table.columns]
    if missing:
        kinds = {column.name: column.kind for column in JOURNEY_COLUMNS}
        raise JourneyTableError(
            f"{source}: column {name}: expected a column of {kinds[name]} "
            "(required), got no such column"
            for name in missing
        )
    problems = [
        f"{source}: column {name}: {problem}"
        for name in expected
        if (problem := _type_problem(table, name)) is not None
    ]
    if problems:
        raise JourneyTableError(problems)
    problems.extend(_range_problems(table, source))
    if problems:
        raise JourneyTableError(problems)
    return table


def _range_problems(table: pd.DataFrame, source: str) -> list[str]:
    """Values outside their column's range, and rows whose columns disagree."""
    contacts = table["contacts"].to_numpy(dtype=np.int64)
    resolved = table["resolved"].to_numpy(dtype=bool)
    resolution = table["time_to_resolution"].to_numpy(dtype=float)
    proficiency = table["proficiency"].to_numpy(dtype=float)
    empowered = table["empowered"].to_numpy(dtype=float)
    served = ~np.isnan(proficiency)
    rules: list[tuple[str, np.ndarray, str]] = [
        ("journey", table["journey"].duplicated().to_numpy(), "expected unique ids, got"),
        (
            "wait",
            ~(table["wait"].to_numpy(dtype=float) >= 0) | np.isinf(table["wait"].to_numpy()),
            "expected finite seconds ≥ 0, got",
        ),
        ("contacts", contacts < 1, "expected at least 1, got"),
        ("transfers", table["transfers"].to_numpy(dtype=np.int64) < 0, "expected at least 0, got"),
    ]
    for name in ("abandoned", "errors"):
        values = table[name].to_numpy(dtype=np.int64)
        rules.append((name, (values < 0) | (values > contacts), "expected 0..contacts, got"))
    rules += [
        (
            "time_to_resolution",
            resolved & ~(np.isfinite(resolution) & (resolution >= 0)),
            "expected finite seconds ≥ 0 on a resolved journey, got",
        ),
        (
            "time_to_resolution",
            ~resolved & ~np.isnan(resolution),
            "expected empty (NaN) on an unresolved journey, got",
        ),
        (
            "proficiency",
            served & ~(np.isfinite(proficiency) & (proficiency >= 0)),
            "expected a finite number ≥ 0 or empty, got",
        ),
        (
            "empowered",
            ~np.isnan(empowered) & ~((empowered >= 0) & (empowered <= 1)),
            "expected a share in 0..1 or empty, got",
        ),
        (
            "empowered",
            served != ~np.isnan(empowered),
            "expected empty exactly where proficiency is empty (never served), got",
        ),
    ]
    return [
        f"{source}: column {name}: {message} {_first_bad(table, mask, name)}"
        for name, mask, message in rules
        if mask.any()
    ]


__all__ = ["JOURNEY_COLUMNS", "JourneyColumn", "JourneyTableError", "check_journeys"]

"""Scenario errors a planner can act on: where the problem is, what was expected, what was given.

Every problem names its **source** (the scenario file as given, ``--set`` for an override, or a
CSV file with its line and column), the **dotted field path** inside the scenario
(``agent_groups.team.shifts.0.breaks.1.start``; list indices are integers, the tag segments
pydantic adds for discriminated unions are dropped) and a message in the form
``expected ..., got ...``. ``str(ScenarioError)`` is one line per problem::

    day.yaml: agent_groups.team.sizee: unknown key 'sizee'; did you mean 'size'?
    --set: agent_groups.team.size: expected a whole number, got 'many'
    calls.csv line 4, column volume: expected a number, got 'twelve'

Convention for the schema's own validators: a message that starts with a dotted path, ``": "``
and then ``expected`` or ``unknown`` (e.g. ``"channels.phone.mix: expected one of ..."``) has
that path moved from the text onto the problem's location, appended to where pydantic raised
it (so a model validator may also give a path relative to its own model, such as
``"profile_csv: expected ..."``).
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

Loc = tuple[str | int, ...]
"""A location inside the scenario: mapping keys as strings, list indices as integers."""

_MAX_REPR = 60
_NAME_PATTERN = "^[A-Za-z][A-Za-z0-9_-]*$"
_SEGMENT = r"(?:[A-Za-z_][A-Za-z0-9_-]*|[0-9]+)"
_PATH_PREFIX = re.compile(rf"^({_SEGMENT}(?:\.{_SEGMENT})*): ((?:expected|unknown) .*)$", re.S)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario.

    ``source`` is where it was written (a file path as given, ``--set``, or
    ``"calls.csv line 4, column volume"``), ``loc`` the field inside the scenario (empty for
    the file as a whole) and ``message`` what was expected and what was given.
    """

    source: str
    loc: Loc
    message: str

    @property
    def path(self) -> str:
        """The dotted field path, e.g. ``agent_groups.team.shifts.0.agents``."""
        return dotted(self.loc)

    def __str__(self) -> str:
        if self.loc:
            return f"{self.source}: {self.path}: {self.message}"
        return f"{self.source}: {self.message}"


class ScenarioError(ValueError):
    """A scenario (file, overrides or referenced CSV) that cannot be used, with every problem.

    ``problems`` lists them; ``str(error)`` is one line per problem,
    ``{source}: {dotted.path}: expected ..., got ...``.
    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        unique: list[Problem] = []
        for problem in problems:
            if problem not in unique:
                unique.append(problem)
        self.problems: list[Problem] = unique
        super().__init__("\n".join(str(p) for p in unique))

    @classmethod
    def single(cls, source: str, loc: Loc | str, message: str) -> ScenarioError:
        """An error with one problem; ``loc`` may be given dotted (``"agent_groups.team"``)."""
        return cls([Problem(source, parse_path(loc) if isinstance(loc, str) else loc, message)])

    def __reduce__(self) -> tuple[type[ScenarioError], tuple[list[Problem]]]:
        return (type(self), (self.problems,))


def dotted(loc: Loc) -> str:
    """Join a location into a dotted path."""
    return ".".join(str(part) for part in loc)


def parse_path(path: str) -> Loc:
    """Split a dotted path, reading all-digit segments as list indices."""
    if not path:
        return ()
    return tuple(int(part) if part.isdigit() else part for part in path.split("."))


def show(value: object) -> str:
    """A short ``repr`` of a value given in a file, for ``got ...``."""
    text = repr(value)
    if len(text) > _MAX_REPR:
        text = text[: _MAX_REPR - 3] + "..."
    return text


def kind_of(value: object) -> str:
    """A planner's word for the type of a value read from YAML."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value)"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list | tuple):
        return f"a list {show(value)}"
    return show(value)


def suggest(given: str, allowed: Iterable[str]) -> str | None:
    """The closest allowed name to ``given``, if any is close."""
    matches = difflib.get_close_matches(given, list(allowed), n=1, cutoff=0.6)
    return matches[0] if matches else None


def unknown_name(what: str, given: str, allowed: Sequence[str]) -> str:
    """``unknown key 'sizee'; did you mean 'size'?``, or the allowed names when none is close."""
    close = suggest(given, allowed)
    if close is not None:
        return f"unknown {what} {given!r}; did you mean {close!r}?"
    return f"unknown {what} {given!r}; expected one of {', '.join(allowed)}"


# --- walking the schema along a pydantic location -------------------------------------------


def _unwrap(annotation: Any) -> Any:
    """Strip ``Annotated`` and ``Optional`` wrappers."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
            continue
        if origin in (typing.Union, types.UnionType):
            members = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(members) == 1:
                annotation = members[0]
                continue
        return annotation


def _union_members(annotation: Any) -> list[type[BaseModel]]:
    if typing.get_origin(annotation) not in (typing.Union, types.UnionType):
        return []
    return [
        a for a in typing.get_args(annotation) if isinstance(a, type) and issubclass(a, BaseModel)
    ]


def _tags(model: type[BaseModel]) -> set[object]:
    """The values of the model's ``Literal`` fields (its discriminator tags)."""
    tags: set[object] = set()
    for field in model.model_fields.values():
        if typing.get_origin(field.annotation) is typing.Literal:
            tags.update(typing.get_args(field.annotation))
    return tags


def _field_names(model: type[BaseModel]) -> list[str]:
    names: list[str] = []
    for name, field in model.model_fields.items():
        names.append(name)
        if field.alias and field.alias not in names:
            names.append(field.alias)
    return names


def _step(annotation: Any, part: str | int) -> tuple[Any, bool]:
    """The type found at ``part`` inside ``annotation``, and whether ``part`` is a real segment.

    A discriminated union's tag segment is not real (it is dropped from the path).
    """
    annotation = _unwrap(annotation)
    members = _union_members(annotation)
    if members:
        for member in members:
            if part in _tags(member):
                return member, False
        return None, True
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        for name, field in annotation.model_fields.items():
            if part in (name, field.alias):
                return field.rebuild_annotation(), True
        return None, True
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (dict, Mapping) and len(args) == 2:
        return (None if part == "[key]" else args[1]), True
    if origin in (tuple, list, Sequence) and args:
        return args[0], True
    return None, True


def _walk(root: type[BaseModel], loc: Sequence[str | int]) -> tuple[Loc, Any]:
    """Clean ``loc`` (drop union tags and ``[key]``) and return it with the type found there."""
    annotation: Any = root
    cleaned: list[str | int] = []
    for part in loc:
        if annotation is None:
            if part != "[key]":
                cleaned.append(part)
            continue
        annotation, real = _step(annotation, part)
        if real and part != "[key]":
            cleaned.append(part)
    return tuple(cleaned), annotation


def _describe_type(annotation: Any) -> str | None:
    """How a planner should write a value of this type, for 'expected ...'."""
    annotation = _unwrap(annotation)
    members = _union_members(annotation)
    if members:
        tags = [t for m in members for t in sorted(_tags(m), key=str)]
        listed = ", ".join(repr(t) for t in tags)
        shorthand = "none" if "none" in tags else "a fixed duration such as '4 min'"
        return f"a mapping with 'dist' (one of {listed}) and its parameters, or {shorthand}"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"a mapping of settings ({', '.join(_field_names(annotation))})"
    return None


# --- pydantic errors → problems --------------------------------------------------------------


def _bound(ctx: Mapping[str, Any], key: str) -> str:
    value = ctx.get(key)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _items(count: object, field_type: object = None) -> str:
    if field_type == "Dictionary":
        return "1 entry" if count == 1 else f"{count} entries"
    return "1 item" if count == 1 else f"{count} items"


def _pydantic_message(error: Mapping[str, Any], found: Any, model: Any) -> tuple[str, Loc]:
    """Rewrite one pydantic error as ``expected ..., got ...``; also return a path suffix."""
    kind = error["type"]
    given = error.get("input")
    ctx: Mapping[str, Any] = error.get("ctx") or {}
    got = kind_of(given)
    if kind == "missing":
        return "expected a value (required field), got nothing", ()
    if kind == "extra_forbidden":
        key = str(error["loc"][-1]) if error["loc"] else "?"
        allowed = _field_names(model) if isinstance(model, type) else []
        if allowed:
            return unknown_name("key", key, allowed), ()
        return f"unknown key {key!r}", ()
    if kind in ("value_error", "assertion_error"):
        cause = ctx.get("error")
        text = str(cause) if cause is not None else str(error.get("msg", ""))
        for prefix in ("Value error, ", "Assertion failed, "):
            text = text.removeprefix(prefix)
        match = _PATH_PREFIX.match(text)
        if match:
            return match.group(2), parse_path(match.group(1))
        if text.startswith("expected a time of day") and type(given) is int and given <= 1440:
            written = f"{given // 60}:{given % 60:02d}"
            text += f" (YAML reads an unquoted {written} as a number: write '{written}' in quotes)"
        return text, ()
    if kind == "union_tag_invalid":
        tags = re.findall(r"'([^']*)'", str(ctx.get("expected_tags", "")))
        tag = str(ctx.get("tag", ""))
        message = f"expected one of {', '.join(repr(t) for t in tags)}, got {tag!r}"
        close = suggest(tag, tags)
        if close is not None:
            message += f"; did you mean {close!r}?"
        return message, (str(ctx.get("discriminator", "dist")).strip("'"),)
    if kind == "union_tag_not_found":
        key = str(ctx.get("discriminator", "dist")).strip("'")
        tags = [t for m in _union_members(_unwrap(found)) for t in sorted(_tags(m), key=str)]
        listed = f"one of {', '.join(repr(t) for t in tags)}" if tags else "a value"
        return f"expected {listed} (required field), got nothing", (key,)
    if kind in ("model_type", "model_attributes_type", "dict_type", "mapping_type"):
        described = _describe_type(found) or "a mapping (key: value lines)"
        return f"expected {described}, got {got}", ()
    if kind in ("int_parsing", "int_from_float", "int_type"):
        return f"expected a whole number, got {got}", ()
    if kind in ("float_parsing", "float_type"):
        return f"expected a number, got {got}", ()
    if kind in ("bool_parsing", "bool_type"):
        return f"expected true or false, got {got}", ()
    if kind in ("string_type", "string_unicode"):
        return f"expected text, got {got}", ()
    if kind in ("list_type", "tuple_type", "set_type", "iterable_type"):
        return f"expected a list, such as [a, b], got {got}", ()
    if kind == "finite_number":
        return f"expected a finite number, got {got}", ()
    if kind == "literal_error":
        return f"expected {ctx.get('expected', '?')}, got {got}", ()
    if kind == "greater_than":
        return f"expected a value greater than {_bound(ctx, 'gt')}, got {got}", ()
    if kind == "greater_than_equal":
        return f"expected a value of at least {_bound(ctx, 'ge')}, got {got}", ()
    if kind == "less_than":
        return f"expected a value less than {_bound(ctx, 'lt')}, got {got}", ()
    if kind == "less_than_equal":
        return f"expected a value of at most {_bound(ctx, 'le')}, got {got}", ()
    if kind == "string_pattern_mismatch":
        if ctx.get("pattern") == _NAME_PATTERN:
            return (
                f"expected a name of a letter followed by letters, digits, '_' or '-', got {got}",
                (),
            )
        return f"expected text matching {ctx.get('pattern')}, got {got}", ()
    if kind == "string_too_short":
        return f"expected at least {_bound(ctx, 'min_length')} characters, got {got}", ()
    if kind == "string_too_long":
        return f"expected at most {_bound(ctx, 'max_length')} characters, got {got}", ()
    if kind == "too_short":
        actual, field_type = ctx.get("actual_length", 0), ctx.get("field_type")
        return (
            f"expected at least {_items(ctx.get('min_length'), field_type)}, "
            f"got {_items(actual, field_type) if actual else 'none'}",
            (),
        )
    if kind == "too_long":
        field_type = ctx.get("field_type")
        return (
            f"expected at most {_items(ctx.get('max_length'), field_type)}, "
            f"got {_items(ctx.get('actual_length'), field_type)}",
            (),
        )
    message = str(error.get("msg", "invalid value"))
    if message.startswith("Input should be "):
        return f"expected {message.removeprefix('Input should be ')}, got {got}", ()
    return f"expected a valid value ({message}), got {got}", ()


SourceOf = Callable[[Loc], tuple[str, Loc]]
"""Given a problem's location, return its source and (possibly unchanged) location."""


def problems_from_validation(
    error: ValidationError, root: type[BaseModel], source_of: SourceOf
) -> list[Problem]:
    """Turn a pydantic ``ValidationError`` on ``root`` into problems.

    ``source_of`` names where each location was written (the file, ``--set``, a CSV line).
    """
    problems: list[Problem] = []
    for item in error.errors(include_url=False):
        raw = tuple(item["loc"])
        cleaned, found = _walk(root, raw)
        model = None
        if item["type"] == "extra_forbidden":
            _, model = _walk(root, raw[:-1])
            model = _unwrap(model)
            if not (isinstance(model, type) and issubclass(model, BaseModel)):
                model = None
        message, suffix = _pydantic_message(item, found, model)
        source, loc = source_of(cleaned + suffix)
        problems.append(Problem(source, loc, message))
    return problems


__all__ = [
    "Loc",
    "Problem",
    "ScenarioError",
    "dotted",
    "kind_of",
    "parse_path",
    "problems_from_validation",
    "show",
    "suggest",
    "unknown_name",
]

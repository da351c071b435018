"""Annotated value types of the scenario schema: durations, rates, times of day, names.

Each parses the unit-bearing text of a file into seconds (or events per second) and shows
itself as a string with examples in the JSON Schema, so editors complete files correctly.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field, ValidationInfo, WithJsonSchema

from queuesim.scenario.units import (
    DURATION_EXAMPLE,
    RATE_EXAMPLE,
    TIME_OF_DAY_EXAMPLE,
    parse_duration,
    parse_rate,
    parse_time_of_day,
)


def _positive(value: float) -> float:
    if value <= 0:
        raise ValueError(f"expected a duration greater than zero, got {value:g} s")
    return value


def _rate(value: object, info: ValidationInfo) -> float:
    context = info.context or {}
    return parse_rate(value, context.get("interval_seconds"))


Duration = Annotated[
    float,
    BeforeValidator(parse_duration),
    WithJsonSchema({"type": "string", "description": DURATION_EXAMPLE, "examples": ["4 min"]}),
]
"""A duration written with its unit, held in seconds."""

PositiveDuration = Annotated[Duration, AfterValidator(_positive)]
"""A duration greater than zero, held in seconds."""

Rate = Annotated[
    float,
    BeforeValidator(_rate),
    WithJsonSchema({"type": "string", "description": RATE_EXAMPLE, "examples": ["120/h"]}),
]
"""A rate written with its unit, held in events per second."""

TimeOfDay = Annotated[
    float,
    BeforeValidator(parse_time_of_day),
    WithJsonSchema({"type": "string", "description": TIME_OF_DAY_EXAMPLE, "examples": ["08:30"]}),
]
"""A time of day 'HH:MM', held in seconds after midnight."""

Name = Annotated[
    str,
    Field(pattern=r"^[A-Za-z][A-Za-z0-9_-]*$", max_length=64),
]
"""The name of a channel, contact type, agent group or shift."""

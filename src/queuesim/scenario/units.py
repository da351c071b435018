"""Parsing of durations, rates and times of day as written in scenario files.

Every quantity in a file carries its unit, so a figure can never be read in the wrong one:
durations such as ``"4 min"``, ``"20 s"`` or ``"1.5 h"``, rates such as ``"120/h"`` or
``"30/interval"`` and times of day such as ``"08:30"``. Internally the clock counts seconds.
"""

from __future__ import annotations

import re

SECONDS_PER_UNIT: dict[str, float] = {
    "s": 1.0,
    "sec": 1.0,
    "secs": 1.0,
    "second": 1.0,
    "seconds": 1.0,
    "min": 60.0,
    "mins": 60.0,
    "minute": 60.0,
    "minutes": 60.0,
    "h": 3600.0,
    "hr": 3600.0,
    "hrs": 3600.0,
    "hour": 3600.0,
    "hours": 3600.0,
    "d": 86400.0,
    "day": 86400.0,
    "days": 86400.0,
}
SECONDS_PER_DAY = 86400.0

_NUMBER = r"[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+"
_DURATION = re.compile(rf"^\s*({_NUMBER})\s*([a-zA-Z]+)\s*$")
_RATE = re.compile(rf"^\s*({_NUMBER})\s*(?:/|per\s+)\s*([a-zA-Z]+)\s*$")
_TIME_OF_DAY = re.compile(r"^\s*([0-9]{1,2}):([0-9]{2})\s*$")

DURATION_EXAMPLE = "a duration with a unit, such as '4 min', '20 s' or '1.5 h'"
RATE_EXAMPLE = "a rate with a unit, such as '120/h', '2/min' or '30/interval'"
TIME_OF_DAY_EXAMPLE = "a time of day 'HH:MM' between 00:00 and 24:00"


def parse_duration(value: object) -> float:
    """Return the duration written as ``value`` (e.g. ``"4 min"``) in seconds.

    Bare numbers are refused: a duration without a unit is the most common way to be wrong
    by a factor of 60.
    """
    if isinstance(value, str):
        match = _DURATION.match(value)
        if match:
            unit = match.group(2).lower()
            if unit in SECONDS_PER_UNIT:
                return float(match.group(1)) * SECONDS_PER_UNIT[unit]
    raise ValueError(f"expected {DURATION_EXAMPLE}, got {value!r}")


def parse_rate(value: object, interval_seconds: float | None = None) -> float:
    """Return a rate such as ``"120/h"`` in events per second.

    ``"N/interval"`` needs the reporting interval's length; without it the unit is refused.
    """
    if isinstance(value, str):
        match = _RATE.match(value)
        if match:
            unit = match.group(2).lower()
            count = float(match.group(1))
            if unit in SECONDS_PER_UNIT:
                return count / SECONDS_PER_UNIT[unit]
            if unit == "interval" and interval_seconds is not None:
                return count / interval_seconds
    raise ValueError(f"expected {RATE_EXAMPLE}, got {value!r}")


def parse_time_of_day(value: object) -> float:
    """Return the seconds after midnight of a time of day ``"HH:MM"`` (``"24:00"`` allowed)."""
    if isinstance(value, str):
        match = _TIME_OF_DAY.match(value)
        if match:
            hours, minutes = int(match.group(1)), int(match.group(2))
            if minutes < 60 and (hours < 24 or (hours == 24 and minutes == 0)):
                return hours * 3600.0 + minutes * 60.0
    raise ValueError(f"expected {TIME_OF_DAY_EXAMPLE}, got {value!r}")


def format_time_of_day(seconds: float) -> str:
    """Inverse of :func:`parse_time_of_day` for whole minutes (days beyond the first wrap)."""
    minutes = round(seconds / 60.0) % (24 * 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"

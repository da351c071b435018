"""Design points of an experiment: which overrides each point applies.

A design point is a mapping of dotted paths (as for ``--set``) to values. Points come from a
full factorial over ``--factor PATH=v1,v2,...``, from an explicit table (CSV, one column per
path), or from a Latin hypercube or scrambled Sobol sample over ``--range PATH=LOW:HIGH``
(``scipy.stats.qmc``). Ranged values keep their unit: ``channels.phone.arrivals.rate=80/h:120/h``
samples the number and writes ``"97.3/h"``; bare integer bounds (``40:60``, a count such as an
agent group's size) sample integers.
"""

from __future__ import annotations

import csv
import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import numpy as np
from scipy.stats import qmc

from queuesim.scenario.overrides import parse_value

DesignPoint = dict[str, object]
"""Dotted path → value for one point."""

_QUANTITY = re.compile(
    r"^\s*([-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?)(\s*)(.*?)\s*$"
)


class DesignError(ValueError):
    """A factor, range or design that cannot be built; the message names the option."""


@dataclass(frozen=True)
class Quantity:
    """A number written with an optional unit suffix, e.g. ``4 min``, ``120/h`` or ``42``.

    A bare integer (``42``) is a count and stays an integer when scaled or sampled; a number
    with a unit is a measure and may take any value.
    """

    number: float
    unit: str = ""
    separator: str = ""
    integer: bool = False

    @classmethod
    def parse(cls, text: object, what: str) -> Quantity:
        """Read ``text``; ``what`` names it in the error."""
        if isinstance(text, bool) or not isinstance(text, str | int | float):
            raise DesignError(f"{what}: expected a number with an optional unit, got {text!r}")
        if isinstance(text, int | float):
            return cls(float(text), integer=isinstance(text, int))
        match = _QUANTITY.match(text)
        if match is None:
            raise DesignError(
                f"{what}: expected a number with an optional unit such as '4 min' or '120/h', "
                f"got {text!r}"
            )
        number, separator, unit = match.groups()
        integer = not unit and re.fullmatch(r"[-+]?[0-9]+", number) is not None
        return cls(float(number), unit, separator, integer)

    def with_number(self, number: float) -> object:
        """The same quantity with another number: an int, a float or a string with the unit."""
        if self.integer:
            number = round(number)
        if not self.unit:
            return int(number) if self.integer else float(number)
        text = str(int(number)) if self.integer else f"{number:.6g}"
        return f"{text}{self.separator}{self.unit}"


@dataclass(frozen=True)
class Factor:
    """A parameter with listed levels: ``PATH=v1,v2,...``."""

    path: str
    levels: tuple[object, ...]

    @classmethod
    def parse(cls, text: str) -> Factor:
        """Read ``PATH=v1,v2,...``; each level is a YAML scalar, as for ``--set``."""
        path, levels = _assignment(text, "--factor", "PATH=v1,v2,...")
        values = tuple(parse_value(level) for level in levels.split(","))
        if any(isinstance(value, str) and not value.strip() for value in values):
            raise DesignError(f"--factor {path}: expected non-empty levels, got {levels!r}")
        return cls(path, values)


@dataclass(frozen=True)
class Range:
    """A parameter sampled between two bounds: ``PATH=LOW:HIGH`` (same unit on both)."""

    path: str
    low: Quantity
    high: Quantity

    @classmethod
    def parse(cls, text: str) -> Range:
        """Read ``PATH=LOW:HIGH`` such as ``agent_groups.agents.size=40:60``."""
        path, bounds = _assignment(text, "--range", "PATH=LOW:HIGH")
        parts = bounds.split(":")
        if len(parts) != 2:
            raise DesignError(
                f"--range {path}: expected LOW:HIGH such as 40:60 or '2 min:5 min', got {bounds!r}"
            )
        low, high = (Quantity.parse(part, f"--range {path}") for part in parts)
        if low.unit != high.unit:
            raise DesignError(
                f"--range {path}: expected the same unit on both bounds, got {low.unit!r} and "
                f"{high.unit!r}"
            )
        if not low.number < high.number:
            raise DesignError(
                f"--range {path}: expected LOW below HIGH, got {low.number:g} and {high.number:g}"
            )
        return cls(path, low, high)

    def value(self, u: float) -> object:
        """The value at ``u`` in [0, 1): integer ranges give each integer an equal share."""
        if self.low.integer and self.high.integer:
            span = self.high.number - self.low.number + 1
            number = min(self.low.number + math.floor(u * span), self.high.number)
            return self.low.with_number(number)
        number = self.low.number + u * (self.high.number - self.low.number)
        return Quantity(number, self.low.unit, self.low.separator).with_number(number)


def _assignment(text: str, option: str, form: str) -> tuple[str, str]:
    path, sep, value = text.partition("=")
    if not sep or not path.strip() or not value.strip():
        raise DesignError(f"{option}: expected {form}, got {text!r}")
    return path.strip(), value.strip()


class Sampling(StrEnum):
    """Space-filling designs over ranges."""

    lhs = "lhs"
    sobol = "sobol"


def factorial(factors: Sequence[Factor]) -> list[DesignPoint]:
    """Every combination of the factors' levels, the last factor varying fastest."""
    paths = [factor.path for factor in factors]
    if len(set(paths)) != len(paths):
        raise DesignError(f"--factor: expected each path once, got {paths}")
    return [
        dict(zip(paths, combination, strict=True))
        for combination in itertools.product(*(factor.levels for factor in factors))
    ]


def sample(ranges: Sequence[Range], n: int, method: Sampling, seed: int) -> list[DesignPoint]:
    """``n`` points of a Latin hypercube or scrambled Sobol design over ``ranges``.

    The design is drawn from ``seed``, so the same command gives the same points (which is
    what lets an interrupted sweep resume). A Sobol sample needs ``n`` a power of two.
    """
    if not ranges:
        raise DesignError(f"--{method.value}: expected at least one --range")
    if n < 1:
        raise DesignError(f"--{method.value}: expected a positive number of points, got {n}")
    generator = np.random.default_rng(seed)
    if method is Sampling.sobol:
        if n & (n - 1):
            raise DesignError(f"--sobol: expected a power of two (64, 128, ...), got {n}")
        unit = qmc.Sobol(len(ranges), scramble=True, seed=generator).random_base2(int(math.log2(n)))
    else:
        unit = qmc.LatinHypercube(len(ranges), seed=generator).random(n)
    return [{r.path: r.value(u) for r, u in zip(ranges, row, strict=True)} for row in unit]


def points_from_csv(path: Path) -> list[DesignPoint]:
    """One point per row of a CSV whose header names dotted paths; cells are YAML scalars."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as file:
            rows = list(csv.reader(file))
    except OSError as error:
        raise DesignError(
            f"--points: expected a readable CSV file, got {path} ({error.strerror})"
        ) from None
    if len(rows) < 2:
        raise DesignError(f"{path}: expected a header of dotted paths and at least one row")
    header = [name.strip() for name in rows[0]]
    if any(not name for name in header) or len(set(header)) != len(header):
        raise DesignError(f"{path} line 1: expected distinct, non-empty column names, got {header}")
    points = []
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise DesignError(f"{path} line {number}: expected {len(header)} cells, got {len(row)}")
        points.append({name: parse_value(cell) for name, cell in zip(header, row, strict=True)})
    return points


__all__ = [
    "DesignError",
    "DesignPoint",
    "Factor",
    "Quantity",
    "Range",
    "Sampling",
    "factorial",
    "points_from_csv",
    "sample",
]

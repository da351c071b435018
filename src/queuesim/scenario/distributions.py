"""Schema of the duration distributions used for handle time, after-contact work and patience.

Each distribution knows its analytic mean and variance (in seconds, seconds²), so theory tests
and the analytic cross-checks can use them without sampling.
"""

from __future__ import annotations

import math
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, PositiveFloat

from queuesim.scenario.base import FrozenModel
from queuesim.scenario.values import Duration, PositiveDuration


class Exponential(FrozenModel):
    """Exponential durations with the given mean."""

    dist: Literal["exponential"]
    mean: PositiveDuration

    @property
    def expected(self) -> float:
        return self.mean

    @property
    def variance(self) -> float:
        return self.mean**2


class _MeanAndCv(FrozenModel):
    """A distribution given by its mean and coefficient of variation (std / mean)."""

    mean: PositiveDuration
    cv: PositiveFloat

    @property
    def expected(self) -> float:
        return self.mean

    @property
    def variance(self) -> float:
        return (self.cv * self.mean) ** 2


class Lognormal(_MeanAndCv):
    """Lognormal durations given by their mean and coefficient of variation."""

    dist: Literal["lognormal"]

    @property
    def sigma(self) -> float:
        """Standard deviation of the underlying normal."""
        return math.sqrt(math.log1p(self.cv**2))

    @property
    def mu(self) -> float:
        """Mean of the underlying normal."""
        return math.log(self.mean) - self.sigma**2 / 2


class Gamma(_MeanAndCv):
    """Gamma durations given by their mean and coefficient of variation (shape = 1 / cv²)."""

    dist: Literal["gamma"]


class Deterministic(FrozenModel):
    """The same duration every time."""

    dist: Literal["deterministic"]
    value: Duration

    @property
    def expected(self) -> float:
        return self.value

    @property
    def variance(self) -> float:
        return 0.0


class Empirical(FrozenModel):
    """Durations resampled with equal probability from a list of observed values."""

    dist: Literal["empirical"]
    values: tuple[Duration, ...] = Field(min_length=1)

    @property
    def expected(self) -> float:
        return sum(self.values) / len(self.values)

    @property
    def variance(self) -> float:
        mean = self.expected
        return sum((v - mean) ** 2 for v in self.values) / len(self.values)


class NoPatience(FrozenModel):
    """Customers never abandon."""

    dist: Literal["none"]

    @property
    def expected(self) -> float:
        return math.inf

    @property
    def variance(self) -> float:
        return math.inf


def _shorthand_deterministic(value: object) -> object:
    """A bare duration such as ``"30 s"`` means a deterministic distribution."""
    if isinstance(value, str):
        return {"dist": "deterministic", "value": value}
    return value


def _shorthand_no_patience(value: object) -> object:
    """``patience: none`` (YAML string) or ``null`` means no abandonment."""
    if value is None or value == "none":
        return {"dist": "none"}
    return value


ServiceDistribution = Annotated[
    Exponential | Lognormal | Gamma | Deterministic | Empirical,
    Field(discriminator="dist"),
    BeforeValidator(_shorthand_deterministic),
]
"""A handle-time or after-contact-work distribution."""

PatienceDistribution = Annotated[
    NoPatience | Exponential | Lognormal | Gamma | Deterministic | Empirical,
    Field(discriminator="dist"),
    BeforeValidator(_shorthand_no_patience),
]
"""How long a customer is willing to wait before abandoning."""


__all__ = [
    "Deterministic",
    "Empirical",
    "Exponential",
    "Gamma",
    "Lognormal",
    "NoPatience",
    "PatienceDistribution",
    "ServiceDistribution",
]

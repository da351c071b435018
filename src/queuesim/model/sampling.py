"""Samplers: endless iterators of durations drawn in blocks from a named stream.

A numpy draw one value at a time costs several hundred nanoseconds; drawing a block and handing
out Python floats costs a fraction of that, so every sampler draws ``BLOCK`` values at once.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import numpy as np

from queuesim.scenario.distributions import (
    Deterministic,
    Empirical,
    Exponential,
    Gamma,
    Lognormal,
    NoPatience,
)

BLOCK = 4096

DurationSpec = Exponential | Lognormal | Gamma | Deterministic | Empirical | NoPatience


def _blocks(rng: np.random.Generator, spec: DurationSpec) -> Iterator[float]:
    values = np.asarray(spec.values) if isinstance(spec, Empirical) else None
    while True:
        match spec:
            case Exponential():
                block = rng.exponential(spec.mean, BLOCK)
            case Lognormal():
                block = rng.lognormal(spec.mu, spec.sigma, BLOCK)
            case Gamma():
                shape = 1.0 / spec.cv**2
                block = rng.gamma(shape, spec.mean / shape, BLOCK)
            case Empirical():
                block = rng.choice(values, BLOCK)
            case _:
                raise TypeError(f"no block sampler for {type(spec).__name__}")
        yield from block.tolist()


def sampler(spec: DurationSpec, rng: np.random.Generator) -> Iterator[float]:
    """An endless iterator of durations in seconds distributed as ``spec``.

    Deterministic and no-patience distributions consume no random numbers.
    """
    if isinstance(spec, Deterministic):
        return itertools.repeat(spec.value)
    if isinstance(spec, NoPatience):
        return itertools.repeat(float("inf"))
    return _blocks(rng, spec)


def choices(weights: list[float], rng: np.random.Generator) -> Iterator[int]:
    """An endless iterator of indices drawn with the given probabilities."""
    cumulative = np.cumsum(weights) / sum(weights)
    cumulative[-1] = 1.0
    if len(weights) == 1:
        return itertools.repeat(0)

    def _draw() -> Iterator[int]:
        while True:
            yield from np.searchsorted(cumulative, rng.random(BLOCK), side="right").tolist()

    return _draw()

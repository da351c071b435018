"""Samplers: endless iterators of durations drawn in blocks from a named stream.

A numpy draw one value at a time costs several hundred nanoseconds; drawing a block and handing
out Python floats costs a fraction of that, so every sampler draws ``BLOCK`` values at once.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Callable, Iterator

import numpy as np

from queuesim.scenario.distributions import (
    Deterministic,
    Empirical,
    Exponential,
    Gamma,
    Lognormal,
    NoPatience,
)
from queuesim.scenario.schema import Amount

BLOCK = 4096

DurationSpec = Exponential | Lognormal | Gamma | Deterministic | Empirical | NoPatience


def _in_blocks(draw: Callable[[int], np.ndarray]) -> Iterator[float]:
    """Endless floats from ``draw(BLOCK)`` called again whenever a block runs out.

    Built from C-level iterators only, so handing out one value costs a single ``next``.
    """
    blocks = map(draw, itertools.repeat(BLOCK))
    return itertools.chain.from_iterable(map(np.ndarray.tolist, blocks))


def _draw(spec: DurationSpec, rng: np.random.Generator) -> Callable[[int], np.ndarray]:
    match spec:
        case Exponential():
            return functools.partial(rng.exponential, spec.mean)
        case Lognormal():
            return functools.partial(rng.lognormal, spec.mu, spec.sigma)
        case Gamma():
            shape = 1.0 / spec.cv**2
            return functools.partial(rng.gamma, shape, spec.mean / shape)
        case Empirical():
            return functools.partial(rng.choice, np.asarray(spec.values))
    raise TypeError(f"no random sampler for {type(spec).__name__}")


def sampler(spec: DurationSpec, rng: np.random.Generator) -> Iterator[float]:
    """An endless iterator of durations in seconds distributed as ``spec``.

    Deterministic and no-patience distributions consume no random numbers.
    """
    if isinstance(spec, Deterministic):
        return itertools.repeat(spec.value)
    if isinstance(spec, NoPatience):
        return itertools.repeat(float("inf"))
    return _in_blocks(_draw(spec, rng))


def amounts(spec: Amount, rng: np.random.Generator) -> Iterator[float]:
    """An endless iterator of plain numbers distributed as ``spec`` (a fixed one draws none)."""
    match spec.dist:
        case "deterministic":
            return itertools.repeat(float(spec.value))  # type: ignore[arg-type]
        case "uniform":
            return _in_blocks(functools.partial(rng.uniform, spec.low, spec.high))
        case "exponential":
            return _in_blocks(functools.partial(rng.exponential, spec.mean))
        case "empirical":
            return _in_blocks(functools.partial(rng.choice, np.asarray(spec.values)))
    sigma = math.sqrt(math.log1p(spec.cv**2))  # type: ignore[operator]
    mu = math.log(spec.mean) - sigma**2 / 2  # type: ignore[arg-type]
    return _in_blocks(functools.partial(rng.lognormal, mu, sigma))


def uniforms(rng: np.random.Generator) -> Iterator[float]:
    """An endless iterator of uniform numbers in [0, 1)."""
    return _in_blocks(rng.random)


def choices(weights: list[float], rng: np.random.Generator) -> Iterator[int]:
    """An endless iterator of indices drawn with the given probabilities."""
    if len(weights) == 1:
        return itertools.repeat(0)
    cumulative = np.cumsum(weights) / sum(weights)
    cumulative[-1] = 1.0

    def draw(size: int) -> np.ndarray:
        return np.searchsorted(cumulative, rng.random(size), side="right")

    return _in_blocks(draw)

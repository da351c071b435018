"""A lean, honest plain-SimPy M/M/c+M model: the baseline queuesim is measured against.

This is the model a competent SimPy user would write for a call centre with impatient callers:

* one generator process per customer, started by an arrival generator that draws exponential
  interarrival times;
* the agents are one ``simpy.Resource(capacity=c)``;
* a customer who finds a free agent (``resource.count < capacity`` and nobody queued) just
  requests one and is served; otherwise it draws a patience and waits with
  ``yield request | env.timeout(patience)`` and, if no agent came first, abandons by cancelling
  its request;
* random numbers come from one ``numpy.random.Generator``, drawn **one at a time** where they are
  needed (``rng.exponential(mean)``), as a typical model does;
* the only metrics are counts and a running sum of waits (answered and abandoned customers), so
  the baseline does not pay for statistics queuesim keeps (per-interval counts, histograms,
  service levels, agent time).

Customers still waiting or in service at the horizon are not counted as answered or abandoned
(queuesim reports them as ``pending``).
"""

from __future__ import annotations

import time
from collections.abc import Generator
from dataclasses import dataclass

import numpy as np
import simpy


@dataclass(frozen=True)
class LeanResult:
    """What the lean model reports: enough to sanity-check it against queuesim."""

    customers: int
    answered: int
    abandoned: int
    mean_wait: float
    """Mean wait in seconds of the customers answered or abandoned."""
    wall_seconds: float

    @property
    def abandon_rate(self) -> float:
        """Abandoned customers over all arrivals."""
        return self.abandoned / self.customers if self.customers else float("nan")


class LeanModel:
    """M/M/c+M on plain SimPy, one process per customer. Times are in seconds."""

    def __init__(
        self,
        arrival_rate: float,
        mean_handle: float,
        agents: int,
        mean_patience: float,
        seed: int = 1,
    ) -> None:
        self.env = simpy.Environment()
        self.agents = simpy.Resource(self.env, capacity=agents)
        self.rng = np.random.default_rng(seed)
        self.mean_interarrival = 1.0 / arrival_rate
        self.mean_handle = mean_handle
        self.mean_patience = mean_patience
        self.customers = 0
        self.answered = 0
        self.abandoned = 0
        self.wait_sum = 0.0
        self.wait_count = 0

    def arrivals(self) -> Generator[simpy.Event, object, None]:
        """Start a customer process after each exponential interarrival time."""
        env, rng = self.env, self.rng
        while True:
            yield env.timeout(rng.exponential(self.mean_interarrival))
            self.customers += 1
            env.process(self.customer())

    def customer(self) -> Generator[simpy.Event, object, None]:
        """One caller: served at once if an agent is free, else waits until served or gone."""
        env, agents, rng = self.env, self.agents, self.rng
        handle = rng.exponential(self.mean_handle)
        if agents.count < agents.capacity and not agents.queue:
            with agents.request() as request:
                yield request
                self.answered += 1
                self.wait_count += 1
                yield env.timeout(handle)
            return
        patience = rng.exponential(self.mean_patience)
        arrival = env.now
        request = agents.request()
        yield request | env.timeout(patience)
        self.wait_sum += env.now - arrival
        self.wait_count += 1
        if not request.triggered:  # the patience ran out first (a tie goes to the agent)
            request.cancel()
            self.abandoned += 1
            return
        self.answered += 1
        yield env.timeout(handle)
        agents.release(request)

    def run(self, horizon: float) -> LeanResult:
        """Simulate from an empty system to ``horizon`` seconds."""
        started = time.perf_counter()
        self.env.process(self.arrivals())
        self.env.run(until=horizon)
        wall = time.perf_counter() - started
        mean_wait = self.wait_sum / self.wait_count if self.wait_count else float("nan")
        return LeanResult(self.customers, self.answered, self.abandoned, mean_wait, wall)


def run_lean(
    arrival_rate: float,
    mean_handle: float,
    agents: int,
    mean_patience: float,
    horizon: float,
    seed: int = 1,
) -> LeanResult:
    """Run the lean model once (rates per second, times in seconds)."""
    return LeanModel(arrival_rate, mean_handle, agents, mean_patience, seed).run(horizon)


if __name__ == "__main__":
    result = run_lean(10 / 60, 240.0, 44, 120.0, horizon=24 * 3600.0)
    print(result, f"abandon rate {result.abandon_rate:.4f}")

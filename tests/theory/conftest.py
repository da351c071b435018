"""Fixtures of the theory tests: scenario builders and the CI comparison rule.

The rule (SEMANTICS.md, "Testing statistics"): a simulated mean agrees with theory when
|sim − theory| ≤ 4·SE + floor, SE the standard error over at least 10 independent
replications (std with ddof=1 over √n). Every comparison is printed, so ``pytest -s`` shows
the simulated and theoretical numbers side by side.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pytest

from queuesim.scenario.schema import Scenario

Z = 4.0
"""Standard errors allowed between a simulated mean and theory."""
MIN_REPLICATIONS = 10
MIN_WARMUP_HANDLE_TIMES = 50


def build(data: dict[str, Any]) -> Scenario:
    return Scenario.model_validate(data, context={"interval_seconds": 1800})


def steady_state(
    *,
    arrivals_per_hour: float,
    handle_time: dict[str, Any],
    agents: int,
    customers: int,
    warmup_hours: float,
    patience: dict[str, Any] | None = None,
    queue_capacity: int | None = None,
    thresholds: Sequence[str] = ("20 s", "60 s"),
) -> Scenario:
    """A one-channel, one-group scenario at a constant Poisson rate, long enough that about
    ``customers`` arrive after a warm-up of ``warmup_hours`` (at least 50 mean handle times)."""
    warmup = math.ceil(warmup_hours)
    horizon = warmup + math.ceil(customers / arrivals_per_hour)
    channel: dict[str, Any] = {
        "kind": "phone",
        "arrivals": {"rate": f"{arrivals_per_hour:.12g}/h"},
        "mix": {"general": 1.0},
    }
    if patience is not None:
        channel["patience"] = patience
    if queue_capacity is not None:
        channel["queue_capacity"] = queue_capacity
    scenario = build(
        {
            "version": 1,
            "name": "theory",
            "horizon": f"{horizon} h",
            "interval": "1 h",
            "warmup": f"{warmup} h",
            "service_level": {"thresholds": list(thresholds)},
            "channels": {"phone": channel},
            "contact_types": {"general": {"handle_time": handle_time}},
            "agent_groups": {"team": {"size": agents, "channels": ["phone"]}},
        }
    )
    mean_handle = scenario.contact_types["general"].handle_time.expected
    assert scenario.warmup >= MIN_WARMUP_HANDLE_TIMES * mean_handle, "warm-up too short"
    return scenario


def standard_error(values: np.ndarray) -> float:
    values = np.asarray(values, dtype=float)
    return float(values.std(ddof=1) / math.sqrt(len(values)))


@dataclass(frozen=True)
class Comparison:
    label: str
    sim: float
    se: float
    theory: float
    floor: float
    n: int

    @property
    def ok(self) -> bool:
        return (
            self.n >= MIN_REPLICATIONS
            and math.isfinite(self.sim)
            and abs(self.sim - self.theory) <= Z * self.se + self.floor
        )

    def __str__(self) -> str:
        z = (self.sim - self.theory) / self.se if self.se > 0 else math.nan
        return (
            f"{'ok  ' if self.ok else 'FAIL'} {self.label:<26} sim {self.sim:11.5g} "
            f"± {self.se:<9.2g} theory {self.theory:11.5g}  z {z:+6.2f}  "
            f"(floor {self.floor:.3g}, n {self.n})"
        )


@dataclass
class Agreement:
    """Collects simulated-versus-theory comparisons, then checks them all at once."""

    comparisons: list[Comparison] = field(default_factory=list)

    def compare(self, label: str, values: Any, theory: float, floor: float) -> Comparison:
        """The mean of per-replication ``values`` against ``theory`` (all must be defined)."""
        values = np.asarray(values, dtype=float)
        assert np.isfinite(values).all(), f"{label}: undefined in some replication: {values}"
        comparison = Comparison(
            label, float(values.mean()), standard_error(values), theory, floor, len(values)
        )
        self.comparisons.append(comparison)
        return comparison

    def check(self, title: str) -> None:
        """Print every comparison and fail, listing all of them, if any disagrees."""
        report = "\n".join(str(c) for c in self.comparisons)
        print(f"\n{title}\n{report}")
        assert all(c.ok for c in self.comparisons), f"{title}: disagrees with theory\n{report}"


@pytest.fixture
def agreement() -> Agreement:
    return Agreement()


@pytest.fixture
def steady() -> Callable[..., Scenario]:
    """Builder of one-channel steady-state scenarios (see :func:`steady_state`)."""
    return steady_state


@pytest.fixture
def scenario_from() -> Callable[[dict[str, Any]], Scenario]:
    """Validates a scenario dictionary."""
    return build

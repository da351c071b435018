"""Exact sample-path checks on runs that end empty: Kiefer–Wolfowitz and Little's law.

The channel takes calls from 00:00 to 10:00 and the run lasts a day, so every customer is
answered before the horizon (no patience). On such a path these hold exactly, not only in
expectation:

* FCFS with c identical agents: every simulated wait equals the Kiefer–Wolfowitz (1955)
  workload recursion run on the same arrival and service times (handle + after-contact work);
* Little's law for the queue, L_q = λ·W_q over [0, T]: the time integral of the number waiting,
  swept from the contact records, equals the mean-wait KPI × the customers it covers;
* Little's law for the agents: the agents' busy time, accounted over agent states and split at
  interval borders, equals the sum of the service times the customers brought.
"""

from __future__ import annotations

import numpy as np
import pytest

from queuesim.experiment.runner import simulate

HORIZON = 86_400.0


def kiefer_wolfowitz_waits(arrivals: np.ndarray, services: np.ndarray, servers: int) -> np.ndarray:
    """FCFS waits of a c-server queue by the Kiefer–Wolfowitz workload recursion.

    ``work`` holds the servers' remaining workloads in increasing order: customer k waits
    ``work[0]``, adds its service to that server, and every workload runs down by the time to
    the next arrival (never below zero).
    """
    work = np.zeros(servers)
    waits = np.empty(len(arrivals))
    for k in range(len(arrivals)):
        waits[k] = work[0]
        work[0] += services[k]
        if k + 1 < len(arrivals):
            work = np.maximum(work - (arrivals[k + 1] - arrivals[k]), 0.0)
        work.sort()
    return waits


def queue_length_integral(arrivals: np.ndarray, starts: np.ndarray) -> float:
    """∫ Q(t) dt, Q the number waiting, by a sweep over the arrival and service-start events."""
    times = np.concatenate([arrivals, starts])
    steps = np.concatenate([np.ones(len(arrivals)), -np.ones(len(starts))])
    order = np.lexsort((-steps, times))  # at equal times, the arrival (+1) first
    times, steps = times[order], steps[order]
    queue = np.cumsum(steps)
    assert queue.min() >= 0 and queue[-1] == 0
    return float(np.sum(queue[:-1] * np.diff(times)))


CASES = [
    pytest.param(
        1, {"dist": "lognormal", "mean": "1 min", "cv": 1.2}, "0 s", "48/h", id="c1-lognormal"
    ),
    pytest.param(
        3, {"dist": "gamma", "mean": "2 min", "cv": 0.7}, "30 s", "61.2/h", id="c3-gamma-acw"
    ),
]


@pytest.mark.parametrize(("servers", "handle", "acw", "rate"), CASES)
def test_waits_follow_kiefer_wolfowitz_and_littles_law_holds(
    servers: int, handle: dict, acw: str, rate: str, scenario_from
) -> None:
    scenario = scenario_from(
        {
            "version": 1,
            "name": "ends empty",
            "horizon": "1 d",
            "interval": "30 min",
            "channels": {
                "phone": {
                    "kind": "phone",
                    "open": "00:00",
                    "close": "10:00",
                    "arrivals": {"rate": rate},
                    "mix": {"general": 1.0},
                }
            },
            "contact_types": {"general": {"handle_time": handle, "after_contact_work": acw}},
            "agent_groups": {"team": {"size": servers, "channels": ["phone"]}},
        }
    )
    replications = 3
    result = simulate(scenario, replications=replications, seed=99, records=True)
    contacts = result.contacts
    assert set(contacts["outcome"]) == {"answered"}, "the run must end empty"
    busy_time = result.values("busy_time", agent_group="team")
    mean_wait = result.values("mean_wait")
    answered = result.values("answered")

    for r in range(replications):
        records = contacts[contacts.replication == r].sort_values("arrival")
        arrivals = records["arrival"].to_numpy()
        waits = records["wait"].to_numpy()
        services = (records["handle_time"] + records["after_contact_work"]).to_numpy()
        assert len(records) == answered[r] > 300
        assert np.all(np.diff(arrivals) > 0)

        expected = kiefer_wolfowitz_waits(arrivals, services, servers)
        worst = np.max(np.abs(waits - expected))
        print(
            f"\nc={servers} rep {r}: {len(records)} customers, {np.mean(waits > 0):.1%} "
            f"waited, mean wait {waits.mean():.2f} s, max |sim − KW| {worst:.2e} s"
        )
        assert worst <= 1e-6
        assert (waits > 0).any()

        # Little's law for the queue over [0, T]: mean number waiting = λ·E[W].
        area = queue_length_integral(arrivals, arrivals + waits)
        arrival_rate = len(records) / HORIZON
        assert area / HORIZON == pytest.approx(arrival_rate * mean_wait[r], rel=1e-9)
        # Little's law for the agents: mean number busy × T = Σ service times.
        assert busy_time[r] == pytest.approx(services.sum(), rel=1e-9)

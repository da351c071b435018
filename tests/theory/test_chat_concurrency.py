"""Chat concurrency against theory.

* k = 1: a chat channel is the phone model, so M/M/n+M matches Erlang A.
* k > 1, one agent, exponential work, no abandonment: the number of customers present is a
  birth-death chain (arrivals λ; completions at μ_min(n, k), since each of the n ≤ k sessions
  drains at μ_n / n and work is memoryless). Its stationary law, computed here independently
  of the engine, gives P(wait) (an arrival finding k or more present, PASTA), the mean wait
  L_q / λ, occupancy P(n ≥ 1) and slot occupancy E[min(n, k)] / k.

Each comparison is |sim − theory| ≤ 4·SE + floor, SE over 20 replications after a warm-up of
at least 50 mean handle times.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from queuesim.analytic import erlang_a
from queuesim.experiment.runner import simulate

AHT = 240.0
FLOOR = 0.002


def chat_scenario(
    scenario_from, *, rate_per_hour: float, agents: int, concurrency: dict[str, Any], **channel
) -> Any:
    customers, warmup = 10_000, 4
    horizon = warmup + math.ceil(customers / rate_per_hour)
    return scenario_from(
        {
            "version": 1,
            "name": "chat theory",
            "horizon": f"{horizon} h",
            "interval": "1 h",
            "warmup": f"{warmup} h",
            "channels": {
                "chat": {
                    "kind": "chat",
                    "arrivals": {"rate": f"{rate_per_hour:.12g}/h"},
                    "mix": {"question": 1.0},
                    "concurrency": concurrency,
                    **channel,
                }
            },
            "contact_types": {
                "question": {"handle_time": {"dist": "exponential", "mean": f"{AHT:g} s"}}
            },
            "agent_groups": {"team": {"size": agents, "channels": ["chat"]}},
        }
    )


def test_one_session_at_a_time_matches_erlang_a(scenario_from, agreement) -> None:
    agents, load, patience = 10, 9.5, 300.0
    rate = load / AHT
    scenario = chat_scenario(
        scenario_from,
        rate_per_hour=rate * 3600,
        agents=agents,
        concurrency={"sessions": 1, "slowdown": 0.7},
        patience={"dist": "exponential", "mean": f"{patience:g} s"},
    )
    result = simulate(scenario, replications=20, seed=8123)
    theory = erlang_a(rate, AHT, agents, patience, threshold=20.0)
    agreement.compare("abandon_rate", result.values("abandon_rate"), theory.p_abandon, FLOOR)
    agreement.compare("p_wait", result.values("p_wait"), theory.p_wait, FLOOR)
    agreement.compare("asa [s]", result.values("asa"), theory.asa, 0.005 * theory.asa)
    agreement.compare("sl_all (20 s)", result.values("sl_all"), theory.service_level, FLOOR)
    occupancy = result.values("occupancy", agent_group="team")
    agreement.compare("occupancy", occupancy, theory.occupancy, FLOOR)
    slots = result.values("slot_occupancy", agent_group="team")
    agreement.check(f"Chat k=1 against Erlang A: n={agents}, A={load:g}, patience {patience:g} s")
    np.testing.assert_allclose(slots, occupancy, rtol=1e-12)


def birth_death(rate: float, mu: list[float], k: int, states: int = 4000) -> dict[str, float]:
    """Stationary figures of the one-agent chain with completion rate ``mu[min(n, k) - 1]``."""
    weights = [1.0]
    for n in range(1, states):
        weights.append(weights[-1] * rate / mu[min(n, k) - 1])
    pi = np.array(weights) / sum(weights)
    n = np.arange(states)
    lq = float((np.maximum(n - k, 0) * pi).sum())
    return {
        "p_wait": float(pi[k:].sum()),
        "mean_wait": lq / rate,
        "occupancy": float(1 - pi[0]),
        "slot_occupancy": float((np.minimum(n, k) * pi).sum() / k),
    }


@pytest.mark.parametrize(
    ("concurrency", "speedups"),
    [
        ({"sessions": 3, "slowdown": 0.5}, [1.0, 2 / 1.5, 3 / 2.0]),
        ({"sessions": 2, "speedup": [1, 1.8]}, [1.0, 1.8]),
    ],
    ids=["k3-q0.5", "k2-table"],
)
def test_one_agent_with_k_sessions_matches_its_birth_death_chain(
    concurrency: dict[str, Any], speedups: list[float], scenario_from, agreement
) -> None:
    k = concurrency["sessions"]
    mu = [s / AHT for s in speedups]
    rate = 0.8 * mu[-1]
    scenario = chat_scenario(
        scenario_from, rate_per_hour=rate * 3600, agents=1, concurrency=concurrency
    )
    result = simulate(scenario, replications=20, seed=9001 + k)
    theory = birth_death(rate, mu, k)
    agreement.compare("p_wait", result.values("p_wait"), theory["p_wait"], FLOOR)
    agreement.compare(
        "mean_wait [s]",
        result.values("mean_wait"),
        theory["mean_wait"],
        0.005 * theory["mean_wait"],
    )
    for name in ("occupancy", "slot_occupancy"):
        agreement.compare(name, result.values(name, agent_group="team"), theory[name], FLOOR)
    agreement.check(f"One chat agent, {concurrency}, ρ = 0.8 of μ_k")

"""P(abandon) = θ·E[time in queue] for exponential patience of rate θ.

For a FCFS customer whose offered wait V (the wait until an agent would take it) does not
depend on its own patience P ~ Exp(θ): P(abandon) = E[1 − e^{−θV}] = θ·E[min(P, V)], and
min(P, V) is its time in queue. So the identity holds in expectation customer by customer,
whatever the service times, the arrival profile, the staffing and its breaks — steady state or
not — as long as every customer's outcome is known (no one pending). Tested per replication as
the paired difference (abandoned − θ·total time in queue) / customers, whose mean must be 0
within 4·SE + 0.002.
"""

from __future__ import annotations

import numpy as np

from queuesim.experiment.runner import simulate

PATIENCE = 120.0
FLOOR = 0.002


def test_identity_in_steady_state_with_lognormal_service(steady, agreement) -> None:
    """M/G/n+M (lognormal handle times, cv 1.5), where Erlang A itself does not apply."""
    scenario = steady(
        arrivals_per_hour=16 / 240 * 3600,
        handle_time={"dist": "lognormal", "mean": "240 s", "cv": 1.5},
        patience={"dist": "exponential", "mean": f"{PATIENCE:g} s"},
        agents=15,
        customers=10_000,
        warmup_hours=4,
    )
    result = simulate(scenario, replications=20, seed=31)
    abandoned, answered = result.values("abandoned"), result.values("answered")
    resolved = abandoned + answered
    share = abandoned / resolved
    # The same identity read off the KPIs: abandon_rate against mean_wait / mean patience.
    agreement.compare(
        "abandon_rate − mean_wait/θ⁻¹",
        result.values("abandon_rate") - result.values("mean_wait") / PATIENCE,
        0.0,
        FLOOR,
    )
    agreement.compare(
        "abandoned/resolved − θ·W",
        share - result.values("mean_wait") / PATIENCE,
        0.0,
        FLOOR,
    )
    agreement.check(
        f"P(abandon) = θ·E[W], M/G/15+M, A = 16, lognormal cv 1.5: abandon rate "
        f"{share.mean():.4f}, mean wait {result.values('mean_wait').mean():.2f} s"
    )
    assert share.mean() > 0.05, "too little abandonment to test anything"


def test_identity_over_a_day_with_profile_shifts_and_breaks(scenario_from, agreement) -> None:
    """A day that ends empty: time-varying arrivals, two shifts with breaks, lognormal service
    with after-contact work, and no agents at all after 18:00 while callers still wait."""
    volumes = [20, 30, 40, 50, 60, 60, 55, 50, 45, 45, 50, 55, 60, 60, 50, 40, 35, 30, 25, 20]
    profile = [
        {"start": f"{8 + i // 2:02d}:{30 * (i % 2):02d}", "volume": v}
        for i, v in enumerate(volumes)
    ]
    scenario = scenario_from(
        {
            "version": 1,
            "name": "abandonment day",
            "horizon": "1 d",
            "interval": "30 min",
            "channels": {
                "phone": {
                    "kind": "phone",
                    "open": "08:00",
                    "close": "18:00",
                    "arrivals": {"profile": profile},
                    "mix": {"general": 1.0},
                    "patience": {"dist": "exponential", "mean": f"{PATIENCE:g} s"},
                }
            },
            "contact_types": {
                "general": {
                    "handle_time": {"dist": "lognormal", "mean": "5 min", "cv": 1.0},
                    "after_contact_work": "30 s",
                }
            },
            "agent_groups": {
                "team": {
                    "channels": ["phone"],
                    "shifts": [
                        {
                            "name": "early",
                            "start": "08:00",
                            "end": "14:00",
                            "agents": 9,
                            "breaks": [{"start": "10:30", "duration": "15 min"}],
                        },
                        {
                            "name": "late",
                            "start": "12:00",
                            "end": "18:00",
                            "agents": 9,
                            "breaks": [{"start": "15:00", "duration": "15 min"}],
                        },
                    ],
                }
            },
        }
    )
    replications = 150
    result = simulate(scenario, replications=replications, seed=5)
    assert np.all(result.values("pending") == 0), "every outcome must be known"
    assert np.all(result.values("closed_out") == 0)
    abandoned, answered = result.values("abandoned"), result.values("answered")
    queue_time = result.values("mean_wait") * (abandoned + answered)
    expected_customers = float(sum(volumes))
    agreement.compare(
        "(abandoned − θ·Σwait)/E[N]",
        (abandoned - queue_time / PATIENCE) / expected_customers,
        0.0,
        FLOOR,
    )
    agreement.check(
        f"P(abandon) = θ·E[W] over a non-stationary day, {replications} days: abandoned "
        f"{abandoned.mean():.1f} of {result.values('offered').mean():.1f} a day"
    )
    assert abandoned.sum() / result.values("offered").sum() > 0.05, "too little abandonment"

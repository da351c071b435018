"""Repeat contacts: with first-contact resolution q and a return probability r for the
unresolved, a journey makes 1 / (1 − (1 − q)·r) contacts on average (a geometric number of
attempts), so the offered load grows by that factor; and a share q of journeys is resolved
at the first contact."""

from __future__ import annotations

import math

import numpy as np

from queuesim.experiment.runner import simulate
from queuesim.scenario.schema import Scenario

QUALITY, RETURN = 0.6, 0.5
HORIZON_HOURS, SETTLE_HOURS = 10, 2
"""Journeys starting within the last SETTLE_HOURS may still be going at the end."""


def scenario() -> Scenario:
    return Scenario.model_validate(
        {
            "version": 1,
            "name": "repeat load",
            "horizon": f"{HORIZON_HOURS} h",
            "interval": "1 h",
            "seed": 7,
            "replications": 20,
            "channels": {
                "phone": {
                    "kind": "phone",
                    "arrivals": {"rate": "60/h"},
                    "mix": {"general": 1.0},
                    "repeat": {"probability": RETURN, "delay": "2 min", "limit": 40},
                }
            },
            "contact_types": {"general": {"handle_time": {"dist": "exponential", "mean": "3 min"}}},
            "agent_groups": {
                "team": {"size": 8, "channels": ["phone"], "empowerment": {"resolution": QUALITY}}
            },
        },
        context={"interval_seconds": 3600},
    )


def test_contacts_per_journey_grow_by_the_geometric_factor() -> None:
    result = simulate(scenario(), records=True)
    journeys = result.journeys
    contacts = result.contacts
    start = contacts.set_index(["replication", "customer"])["arrival"]
    first_arrival = start.loc[list(zip(journeys.replication, journeys.journey, strict=True))]
    settled = journeys[first_arrival.to_numpy() < (HORIZON_HOURS - SETTLE_HOURS) * 3600]
    per_rep = settled.groupby("replication")
    checks = {
        "contacts per journey": (per_rep["contacts"].mean(), 1 / (1 - (1 - QUALITY) * RETURN)),
        "journey fcr": (
            per_rep.apply(lambda j: (j.resolved & (j.contacts == 1)).mean()),
            QUALITY,
        ),
        "contact fcr": (result.values("fcr"), QUALITY),
    }
    for name, (values, theory) in checks.items():
        values = np.asarray(values, dtype=float)
        se = values.std(ddof=1) / math.sqrt(len(values))
        print(f"{name}: sim {values.mean():.4f} ± {se:.4f}, theory {theory:.4f}")
        assert abs(values.mean() - theory) <= 4 * se + 0.005, name

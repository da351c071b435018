"""Regenerate the figures shown in the README: ``python docs/images/make_images.py``.

Simulates the insurance phone day (20 replications, seed 1) and writes its interval overview
and wait distribution next to this script.
"""

from __future__ import annotations

from pathlib import Path

import queuesim
from queuesim import plotting

HERE = Path(__file__).parent
SCENARIO = HERE.parents[1] / "scenarios" / "insurance_phone_day.yaml"


def main() -> None:
    """Simulate the scenario and write ``insurance_overview.png`` and ``insurance_waits.png``."""
    scenario = queuesim.load_scenario(SCENARIO)
    result = queuesim.simulate(scenario, replications=20, seed=1, records=True)
    overview = plotting.interval_overview(
        result.intervals,
        result.agents,
        target=0.8,
        title=f"{scenario.name}: arrivals, agents and service level within 20 s",
    )
    overview.savefig(HERE / "insurance_overview.png", dpi=90)
    waits = plotting.wait_distribution(
        result.contacts, thresholds=scenario.service_level.thresholds
    )
    waits.savefig(HERE / "insurance_waits.png", dpi=90)


if __name__ == "__main__":
    main()

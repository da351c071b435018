"""Shared tables for the plotting tests: one small simulation and hand-made experiment tables."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest

import queuesim
from queuesim.results import SimulationResult

matplotlib.use("Agg")

ROOT = Path(__file__).parents[2]


@pytest.fixture(scope="session")
def branch_result() -> SimulationResult:
    """The bank branch day (walk-ins, shifts with breaks), 3 replications, with contacts."""
    scenario = queuesim.load_scenario(ROOT / "scenarios" / "bank_branch_day.yaml")
    return queuesim.simulate(scenario, replications=3, seed=11, records=True)


@pytest.fixture
def differences() -> pd.DataFrame:
    """A compare table: two variants × two metrics, paired CIs."""
    return pd.DataFrame(
        {
            "variant": ["more_staff", "chatbot", "more_staff", "chatbot"],
            "channel": "all",
            "contact_type": "all",
            "agent_group": "all",
            "metric": ["sl_all", "sl_all", "asa", "asa"],
            "unit": ["ratio", "ratio", "s", "s"],
            "base": [0.80, 0.80, 30.0, 30.0],
            "value": [0.90, 0.81, 12.0, 33.0],
            "difference": [0.10, 0.01, -18.0, 3.0],
            "ci_low": [0.07, -0.02, -22.0, -1.0],
            "ci_high": [0.13, 0.04, -14.0, 7.0],
            "n_reps": 10,
        }
    )


@pytest.fixture
def sweep() -> pd.DataFrame:
    """A long sweep summary: one parameter at four points, cost, service level and CSAT."""
    rows = []
    for point, size in enumerate([40, 42, 44, 46]):
        for metric, unit, mean in [
            ("staff_cost", "currency", 720.0 * size),
            ("sl_all", "ratio", 0.5 + 0.1 * point),
            ("csat_mean", "score", 3.6 + 0.1 * point),
        ]:
            rows.append(
                {
                    "point": point,
                    "agent_groups.team.size": size,
                    "channel": "all",
                    "contact_type": "all",
                    "agent_group": "all",
                    "metric": metric,
                    "unit": unit,
                    "mean": mean,
                    "ci_low": mean * 0.98,
                    "ci_high": mean * 1.02,
                    "n_reps": 10,
                }
            )
    return pd.DataFrame(rows)


@pytest.fixture
def journeys() -> pd.DataFrame:
    """Journeys with known score counts: CSAT 1..5 ×(1,1,2,4,2); LTR 0..10 as below."""
    csat = np.repeat([1, 2, 3, 4, 5], [1, 1, 2, 4, 2])
    ltr = np.repeat(np.arange(11), [1, 0, 0, 0, 0, 1, 0, 2, 2, 3, 1])
    return pd.DataFrame({"csat": csat, "likelihood_to_recommend": ltr})

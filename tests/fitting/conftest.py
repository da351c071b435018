"""A contact log simulated from a scenario with known parameters, shared by the fitting tests."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import queuesim
from queuesim.fitting import fit_contact_log, read_contact_log

DAYS = 4
RATE_PER_HOUR = 120
OPEN, CLOSE = 8, 18


@dataclass(frozen=True)
class KnownLog:
    """The log file and the parameters it was simulated with."""

    path: Path
    scenario: queuesim.Scenario
    contacts: pd.DataFrame
    days: int = DAYS
    rate_per_hour: float = RATE_PER_HOUR
    open_hour: int = OPEN
    close_hour: int = CLOSE


def known_scenario_data(agents: int = 7) -> dict:
    """Claims: lognormal handle times (mean 300 s, cv 0.8); policy: gamma (200 s, cv 0.6);
    lognormal patience with mean 300 s and cv 2 (far from exponential); 120 calls an hour from
    08:00 to 18:00 with 7 agents, so many callers wait and a fifth abandon."""
    return {
        "version": 1,
        "name": "known",
        "horizon": "1 d",
        "interval": "30 min",
        "channels": {
            "phone": {
                "kind": "phone",
                "open": f"{OPEN:02d}:00",
                "close": f"{CLOSE:02d}:00",
                "arrivals": {"rate": f"{RATE_PER_HOUR}/h"},
                "mix": {"claims": 0.4, "policy": 0.6},
                "patience": {"dist": "lognormal", "mean": "300 s", "cv": 2.0},
            }
        },
        "contact_types": {
            "claims": {"handle_time": {"dist": "lognormal", "mean": "300 s", "cv": 0.8}},
            "policy": {"handle_time": {"dist": "gamma", "mean": "200 s", "cv": 0.6}},
        },
        "agent_groups": {"team": {"channels": ["phone"], "size": agents}},
    }


def contacts_to_log(contacts: pd.DataFrame, first_day: str = "2026-03-02") -> pd.DataFrame:
    """queuesim's per-contact records as a phone system's log: one replication per day."""
    day = pd.Timestamp(first_day) + pd.to_timedelta(contacts["replication"], unit="D")
    answered = contacts["outcome"] == "answered"
    return pd.DataFrame(
        {
            "arrival": (day + pd.to_timedelta(contacts["arrival"], unit="s")).dt.strftime(
                "%Y-%m-%d %H:%M:%S.%f"
            ),
            "channel": contacts["channel"],
            "contact_type": contacts["contact_type"],
            "outcome": contacts["outcome"],
            "wait": contacts["wait"],
            "handle_time": contacts["handle_time"].where(answered, np.nan),
        }
    )


@pytest.fixture(scope="session")
def known_log(tmp_path_factory: pytest.TempPathFactory) -> KnownLog:
    scenario = queuesim.scenario_from_dict(known_scenario_data())
    contacts = queuesim.simulate(scenario, replications=DAYS, seed=11, records=True).contacts
    path = tmp_path_factory.mktemp("log") / "calls.csv"
    contacts_to_log(contacts).to_csv(path, index=False)
    return KnownLog(path, scenario, contacts)


@pytest.fixture(scope="session")
def fitted(known_log: KnownLog) -> queuesim.FitResult:
    """The fit of the known log."""
    return fit_contact_log(read_contact_log(known_log.path), 1800.0, str(known_log.path))


@pytest.fixture(scope="session")
def scenario_data():
    """``scenario_data(agents=7)``: the known scenario as parsed YAML (a fresh dict)."""
    return known_scenario_data


@pytest.fixture(scope="session")
def as_log():
    """``as_log(contacts)``: per-contact records written as a phone system's log."""
    return contacts_to_log

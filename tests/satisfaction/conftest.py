"""Journeys tables shared by the satisfaction tests: a hand-made one and a random one."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

CHANNELS = ("phone", "chat", "walk_in", "email")
MEAN_WAIT = {"phone": 90.0, "chat": 60.0, "walk_in": 400.0, "email": 4 * 3600.0}


def journey(**changes: object) -> dict[str, object]:
    """One journey: answered in 30 s on the phone, resolved at the first contact in 6 min by
    a fully proficient, empowered agent; ``changes`` override any column."""
    row: dict[str, object] = {
        "journey": 0,
        "channel": "phone",
        "contact_type": "billing",
        "wait": 30.0,
        "contacts": 1,
        "transfers": 0,
        "abandoned": 0,
        "errors": 0,
        "resolved": True,
        "time_to_resolution": 360.0,
        "proficiency": 1.0,
        "empowered": 1.0,
    }
    row.update(changes)
    return row


def table(*rows: dict[str, object]) -> pd.DataFrame:
    """A journeys table of the given rows, numbered 0, 1, 2, ... in order."""
    frame = pd.DataFrame(list(rows))
    frame["journey"] = np.arange(len(frame), dtype=np.int64)
    return frame


def random_journeys(n: int, seed: int) -> pd.DataFrame:
    """``n`` journeys with experiences spread over every column (four channels, waits,
    repeats, errors, transfers, abandonment, resolution, never-served customers)."""
    rng = np.random.default_rng(seed)
    channel = rng.choice(CHANNELS, size=n)
    wait = rng.exponential(np.array([MEAN_WAIT[c] for c in channel]))
    contacts = rng.geometric(0.6, size=n)
    abandoned = rng.binomial(contacts, 0.15)
    served = abandoned < contacts
    errors = np.where(served, rng.binomial(contacts - abandoned, 0.1), 0)
    resolved = served & (rng.random(n) < 0.8)
    resolution = np.where(resolved, rng.exponential(86400.0, size=n) * (contacts - 1) + 600, np.nan)
    proficiency = np.where(served, rng.uniform(0.5, 1.0, size=n), np.nan)
    empowered = np.where(served, rng.uniform(0.0, 1.0, size=n), np.nan)
    return pd.DataFrame(
        {
            "journey": np.arange(n, dtype=np.int64),
            "channel": channel.astype(object),
            "contact_type": "billing",
            "wait": wait,
            "contacts": contacts.astype(np.int64),
            "transfers": np.where(served, rng.binomial(1, 0.2, size=n), 0).astype(np.int64),
            "abandoned": abandoned.astype(np.int64),
            "errors": errors.astype(np.int64),
            "resolved": resolved,
            "time_to_resolution": resolution,
            "proficiency": proficiency,
            "empowered": empowered,
        }
    )


@pytest.fixture
def make_journey():
    """The one-journey factory (see :func:`journey`)."""
    return journey


@pytest.fixture
def make_table():
    """The table builder (see :func:`table`)."""
    return table


@pytest.fixture(scope="session")
def many_journeys() -> pd.DataFrame:
    """20 000 random journeys with a fixed seed."""
    return random_journeys(20_000, seed=11)


@pytest.fixture(scope="session")
def make_random_journeys():
    """The random table builder (see :func:`random_journeys`)."""
    return random_journeys

"""Checks shared by the model tests: the accounting identity, times read off the records and the
message of a rejected scenario."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest

from queuesim.results import SimulationResult
from queuesim.scenario import ScenarioError, scenario_from_dict

OUTCOMES = [
    "answered",
    "abandoned",
    "blocked",
    "balked",
    "closed_out",
    "pending",
    "contained",
    "handed_over",
]
"""Every way a contact can end: the right-hand side of the accounting identity."""


def _check_accounting(result: SimulationResult) -> None:
    table = result.intervals
    assert (table["offered"] == table[OUTCOMES].sum(axis=1)).all()
    if result.contacts is None:
        return
    recorded = result.contacts.groupby(["channel", "outcome"]).size().unstack(fill_value=0)
    recorded.loc["all"] = recorded.sum()
    totals = table.query("contact_type == 'all'").groupby("channel")[OUTCOMES].sum()
    assert set(recorded.columns) <= set(OUTCOMES)
    assert set(recorded.index) <= set(totals.index)
    recorded = recorded.reindex(index=totals.index, columns=OUTCOMES, fill_value=0)
    pd.testing.assert_frame_equal(recorded, totals, check_dtype=False, check_names=False)


@pytest.fixture
def check_accounting() -> Callable[[SimulationResult], None]:
    """Assert that nothing is dropped: in every row of the interval table ``offered`` is the
    sum of the outcomes and, when the result holds contact records, each channel's records
    (and all of them together) end with each outcome as often as its interval rows count."""
    return _check_accounting


def _service_starts(contacts: pd.DataFrame) -> pd.DataFrame:
    answered = contacts[contacts.outcome == "answered"].copy()
    answered["start"] = answered["arrival"] + answered["wait"]
    return answered


@pytest.fixture
def service_starts() -> Callable[[pd.DataFrame], pd.DataFrame]:
    """The answered contacts of a records table, with the time their service began (``start``)."""
    return _service_starts


def _left_queue_at(contacts: pd.DataFrame) -> np.ndarray:
    return np.where(contacts.outcome == "pending", np.inf, contacts["arrival"] + contacts["wait"])


@pytest.fixture
def left_queue_at() -> Callable[[pd.DataFrame], np.ndarray]:
    """When each contact of a records table stopped waiting (answered, abandoned, blocked...;
    pending: never, ``inf``)."""
    return _left_queue_at


def _scenario_error(data: dict[str, Any], source: str) -> str:
    with pytest.raises(ScenarioError) as error:
        scenario_from_dict(data, source=source)
    return str(error.value)


@pytest.fixture
def scenario_error() -> Callable[[dict[str, Any], str], str]:
    """The message of the :class:`ScenarioError` that validating ``data`` read from ``source``
    raises (the test fails when ``data`` is valid)."""
    return _scenario_error

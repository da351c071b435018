"""The journeys-table contract and the parameters: bad input gives clear errors."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest
from pydantic import ValidationError

from queuesim.satisfaction import (
    JOURNEY_COLUMNS,
    JourneyTableError,
    SatisfactionParameters,
    check_journeys,
    score_journeys,
)


def test_every_column_is_named_in_the_contract(make_journey, make_table):
    names = [column.name for column in JOURNEY_COLUMNS]
    assert names[-1] == "followed_up"
    assert set(make_table(make_journey()).columns) == set(names) - {"followed_up"}


def test_followed_up_is_optional(make_journey, make_table):
    checked = check_journeys(make_table(make_journey()))
    assert checked["followed_up"].tolist() == [False]


def test_missing_column_is_named(make_journey, make_table):
    journeys = make_table(make_journey()).drop(columns=["wait", "empowered"])
    with pytest.raises(JourneyTableError) as caught:
        score_journeys(journeys, SatisfactionParameters(), np.random.default_rng(0))
    assert caught.value.problems == [
        "journeys: column wait: expected a column of seconds ≥ 0 (required), got no such column",
        "journeys: column empowered: expected a column of share 0..1, empty if never served "
        "(required), got no such column",
    ]


def test_wrong_types_are_named(make_journey, make_table):
    journeys = make_table(make_journey())
    journeys["contacts"] = 1.5
    journeys["resolved"] = "yes"
    journeys["channel"] = 3
    with pytest.raises(JourneyTableError) as caught:
        check_journeys(journeys, source="day1.csv")
    assert caught.value.problems == [
        "day1.csv: column channel: expected text, got 3 (row 0, journey 0)",
        "day1.csv: column contacts: expected whole numbers, got a column of decimal numbers",
        "day1.csv: column resolved: expected true/false values, got a column of text",
    ]


def test_empty_values_in_nullable_columns_are_named(make_journey, make_table):
    journeys = make_table(make_journey(), make_journey(), make_journey())
    journeys = journeys.astype({"errors": "Int64", "resolved": "boolean"})
    journeys.loc[2, "errors"] = pd.NA
    with pytest.raises(JourneyTableError) as caught:
        check_journeys(journeys)
    assert caught.value.problems == [
        "journeys: column errors: expected whole numbers in every row, got <NA> (row 2, journey 2)"
    ]
    journeys.loc[2, "errors"] = 0
    assert check_journeys(journeys)["errors"].tolist() == [0, 0, 0]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"wait": -3.0}, "column wait: expected finite seconds ≥ 0, got -3.0 (row 1, journey 1)"),
        ({"contacts": 0}, "column contacts: expected at least 1, got 0 (row 1, journey 1)"),
        ({"abandoned": 2}, "column abandoned: expected 0..contacts, got 2 (row 1, journey 1)"),
        (
            {"time_to_resolution": math.nan},
            "column time_to_resolution: expected finite seconds ≥ 0 on a resolved journey, "
            "got nan (row 1, journey 1)",
        ),
        (
            {"resolved": False},
            "column time_to_resolution: expected empty (NaN) on an unresolved journey, "
            "got 360.0 (row 1, journey 1)",
        ),
        ({"empowered": 1.5}, "column empowered: expected a share in 0..1 or empty, got 1.5"),
        (
            {"empowered": math.nan},
            "column empowered: expected empty exactly where proficiency is empty "
            "(never served), got nan (row 1, journey 1)",
        ),
    ],
)
def test_values_out_of_range_name_column_row_and_journey(
    make_journey, make_table, changes, message
):
    journeys = make_table(make_journey(), make_journey(**changes))
    with pytest.raises(JourneyTableError, match=r"^journeys: " + re.escape(message)):
        check_journeys(journeys)


def test_duplicate_journey_ids(make_journey, make_table):
    journeys = make_table(make_journey(), make_journey())
    journeys["journey"] = 7
    with pytest.raises(JourneyTableError, match="column journey: expected unique ids, got 7"):
        check_journeys(journeys)


def test_not_a_table():
    with pytest.raises(JourneyTableError, match="expected a pandas DataFrame, got list"):
        check_journeys([1, 2])


def test_parameters_take_durations_with_units_and_refuse_bad_values():
    parameters = SatisfactionParameters.model_validate(
        {
            "perceived_wait": {"unit": "30 s"},
            "responsiveness": {"acceptable_resolution": "2 d", "unresolved_time": "36 h"},
            "weights": {
                "reliability": 32,
                "responsiveness": 22,
                "assurance": 19,
                "empathy": 16,
                "tangibles": 11,
            },
        }
    )
    assert parameters.perceived_wait.unit == 30.0
    assert parameters.responsiveness.acceptable_resolution == 2 * 86400.0
    assert parameters.weights.normalised()["reliability"] == pytest.approx(0.32)
    with pytest.raises(ValidationError, match="expected a duration with a unit"):
        SatisfactionParameters.model_validate({"perceived_wait": {"unit": 60}})
    with pytest.raises(ValidationError, match="cut_points: expected increasing values"):
        SatisfactionParameters.model_validate({"csat": {"cut_points": [0.4, 0.3, 0.7, 0.8]}})
    with pytest.raises(ValidationError, match="expected at least one weight greater than zero"):
        SatisfactionParameters.model_validate(
            {
                "weights": dict.fromkeys(
                    ("reliability", "responsiveness", "assurance", "empathy", "tangibles"), 0
                )
            }
        )
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        SatisfactionParameters.model_validate({"survey": {"rate": 0.1}})


def test_parameters_are_frozen():
    parameters = SatisfactionParameters()
    with pytest.raises(ValidationError):
        parameters.csat.noise = 0.0  # type: ignore[misc]

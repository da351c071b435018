from pathlib import Path

import numpy as np
import pytest

from queuesim.experiment.design import (
    DesignError,
    Factor,
    Quantity,
    Range,
    Sampling,
    factorial,
    points_from_csv,
    sample,
)


def test_factorial_is_every_combination_last_factor_fastest():
    points = factorial([Factor.parse("a.size=1,2,3"), Factor.parse("b.mean=4 min,5 min")])
    assert len(points) == 6
    assert points[0] == {"a.size": 1, "b.mean": "4 min"}
    assert points[1] == {"a.size": 1, "b.mean": "5 min"}
    assert points[-1] == {"a.size": 3, "b.mean": "5 min"}


def test_factorial_refuses_a_path_twice():
    with pytest.raises(DesignError, match="each path once"):
        factorial([Factor.parse("a=1,2"), Factor.parse("a=3")])


@pytest.mark.parametrize(
    ("text", "number", "unit", "integer"),
    [
        ("4 min", 4.0, "min", False),
        ("120/h", 120.0, "/h", False),
        ("0.25", 0.25, "", False),
        ("42", 42.0, "", True),
    ],
)
def test_quantity_reads_number_and_unit(text, number, unit, integer):
    quantity = Quantity.parse(text, "x")
    assert (quantity.number, quantity.unit, quantity.integer) == (number, unit, integer)


def test_range_keeps_the_unit_and_integer_ranges_give_integers():
    rate = Range.parse("channels.phone.arrivals.rate=80/h:120/h")
    assert rate.value(0.5) == "100/h"
    size = Range.parse("agent_groups.a.size=40:43")
    assert [size.value(u) for u in (0.0, 0.26, 0.51, 0.99)] == [40, 41, 42, 43]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x=5:4", "LOW below HIGH"),
        ("x=1 min:5 s", "same unit"),
        ("x=1:2:3", "LOW:HIGH"),
        ("x", "PATH=LOW:HIGH"),
        ("x=a:b", "number with an optional unit"),
    ],
)
def test_bad_ranges_are_named(text, message):
    with pytest.raises(DesignError, match=message):
        Range.parse(text)


def test_latin_hypercube_puts_one_point_in_each_stratum():
    points = sample([Range.parse("x=0.0:1.0"), Range.parse("y=10.0:20.0")], 16, Sampling.lhs, 3)
    x = np.array([p["x"] for p in points])
    y = (np.array([p["y"] for p in points]) - 10) / 10
    assert sorted(np.floor(x * 16).astype(int)) == list(range(16))
    assert sorted(np.floor(y * 16).astype(int)) == list(range(16))


def test_sobol_is_reproducible_and_needs_a_power_of_two():
    ranges = [Range.parse("x=0.0:1.0")]
    assert sample(ranges, 8, Sampling.sobol, 5) == sample(ranges, 8, Sampling.sobol, 5)
    with pytest.raises(DesignError, match="power of two"):
        sample(ranges, 10, Sampling.sobol, 5)


def test_points_from_csv_reads_yaml_cells_and_names_bad_rows(tmp_path: Path):
    path = tmp_path / "points.csv"
    path.write_text("agent_groups.a.size,channels.p.arrivals.rate\n8,100/h\n9,90/h\n")
    assert points_from_csv(path) == [
        {"agent_groups.a.size": 8, "channels.p.arrivals.rate": "100/h"},
        {"agent_groups.a.size": 9, "channels.p.arrivals.rate": "90/h"},
    ]
    path.write_text("a,b\n1,2\n3\n")
    with pytest.raises(DesignError, match="line 3: expected 2 cells, got 1"):
        points_from_csv(path)

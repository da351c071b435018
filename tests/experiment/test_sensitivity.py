import pytest

from queuesim.experiment.design import DesignError
from queuesim.experiment.sensitivity import parse_variation, sensitivity


def test_percent_variations_keep_units_and_counts(small_scenario):
    rate = parse_variation("channels.phone.arrivals.rate=±5%", small_scenario)
    assert (rate.low, rate.high) == ("95/h", "105/h")
    size = parse_variation("agent_groups.agents.size=±10%", small_scenario)
    assert (size.low, size.high) == (7, 9)  # a count stays a whole number (8 × 0.9 → 7)
    listed = parse_variation("contact_types.general.handle_time.mean=3 min,5 min", small_scenario)
    assert (listed.low, listed.high) == ("3 min", "5 min")


def test_percent_of_a_missing_value_is_an_error(small_scenario):
    with pytest.raises(DesignError, match="needs a value written in the scenario file"):
        parse_variation("channels.phone.queue_capacity=±10%", small_scenario)


def test_tornado_rows_move_the_right_way_on_common_seeds(small_scenario):
    variations = [
        parse_variation("agent_groups.agents.size=7,9", small_scenario),
        parse_variation("channels.phone.arrivals.rate=±10%", small_scenario),
    ]
    table = sensitivity(small_scenario, variations, replications=4)
    assert list(table.columns) == [
        "parameter", "metric", "unit", "base_value", "low_value", "high_value",
        "base", "low", "high",
    ]  # fmt: skip
    asa = table[table.metric == "asa"].set_index("parameter")
    assert asa.loc["agent_groups.agents.size", "low"] > asa.loc["agent_groups.agents.size", "high"]
    assert (
        asa.loc["channels.phone.arrivals.rate", "low"]
        < asa.loc["channels.phone.arrivals.rate", "high"]
    )
    offered = table[table.metric == "offered"].set_index("parameter")
    # the same customers arrive whatever the staffing
    staffing = offered.loc["agent_groups.agents.size"]
    assert staffing["low"] == staffing["base"] == staffing["high"]

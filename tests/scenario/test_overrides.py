"""Dotted-path overrides (``--set PATH=VALUE`` and the API's mapping) and their errors."""

from __future__ import annotations

import copy
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from queuesim.scenario import ScenarioError, apply_overrides, load_scenario, scenario_hash

EXAMPLES = Path(__file__).resolve().parents[2] / "scenarios"

DATA: dict[str, Any] = {
    "version": 1,
    "agent_groups": {
        "team": {
            "channels": ["phone"],
            "shifts": [
                {"name": "early", "start": "08:00", "agents": 3, "breaks": []},
                {"name": "late", "start": "12:00", "agents": 4},
            ],
        }
    },
}


def exactly(text: str) -> pytest.RaisesExc[ScenarioError]:
    """``pytest.raises`` matching the whole error text."""
    return pytest.raises(ScenarioError, match=f"^{re.escape(text)}$")


@pytest.fixture
def examples(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The example scenarios copied into the working directory."""
    for name in ("phone_steady_state.yaml", "bank_branch_day.yaml"):
        shutil.copy(EXAMPLES / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


# --- apply_overrides ---------------------------------------------------------------------------


def test_values_are_read_as_yaml_scalars_and_flow_lists() -> None:
    result = apply_overrides(
        DATA,
        [
            "agent_groups.team.shifts.0.agents=42",
            "agent_groups.team.shifts.1.start=4 min",
            "agent_groups.team.channels=[phone, chat]",
            "agent_groups.team.shrinkage=0.25",
            "agent_groups.team.shifts.0.breaks=null",
        ],
    )
    team = result["agent_groups"]["team"]
    assert team["shifts"][0]["agents"] == 42
    assert team["shifts"][1]["start"] == "4 min"
    assert team["channels"] == ["phone", "chat"]
    assert team["shrinkage"] == 0.25
    assert team["shifts"][0]["breaks"] is None


def test_time_of_day_values_stay_text() -> None:
    # YAML 1.1 would read 12:00 as the sexagesimal number 720.
    result = apply_overrides(DATA, ["agent_groups.team.shifts.1.start=12:00"])
    assert result["agent_groups"]["team"]["shifts"][1]["start"] == "12:00"


def test_value_may_contain_equals_sign() -> None:
    result = apply_overrides(DATA, ["agent_groups.team.note=a=b"])
    assert result["agent_groups"]["team"]["note"] == "a=b"


def test_mapping_overrides_use_values_as_given() -> None:
    result = apply_overrides(DATA, {"agent_groups.team.shifts.0.agents": "42", "seed": 3})
    assert result["agent_groups"]["team"]["shifts"][0]["agents"] == "42"
    assert result["seed"] == 3


def test_input_is_never_modified() -> None:
    before = copy.deepcopy(DATA)
    value = [1, 2]
    result = apply_overrides(DATA, {"agent_groups.team.channels": value})
    assert before == DATA
    result["agent_groups"]["team"]["channels"].append(3)
    assert value == [1, 2]
    assert result["agent_groups"]["team"]["shifts"] is not DATA["agent_groups"]["team"]["shifts"]


def test_new_key_in_an_existing_mapping_is_set() -> None:
    result = apply_overrides(DATA, ["agent_groups.team.size=5"])
    assert result["agent_groups"]["team"]["size"] == 5


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        (
            "agent_groups.team.shifts.2.agents=3",
            "--set: agent_groups.team.shifts.2: expected an index from 0 to 1 "
            "(agent_groups.team.shifts has 2 items), got 2",
        ),
        (
            "agent_groups.team.shifts.first.agents=3",
            "--set: agent_groups.team.shifts.first: expected a list index (0 to 1), got 'first'",
        ),
        (
            "agent_groups.team.channels.0.name=x",
            "--set: agent_groups.team.channels.0: expected a mapping or a list to go into, "
            "got 'phone'",
        ),
        (
            "agent_groups.teem.size=3",
            "--set: agent_groups.teem: expected one of the keys team, got 'teem'; "
            "did you mean 'team'?",
        ),
        (
            "agent_groups.backoffice.size=3",
            "--set: agent_groups.backoffice: expected one of the keys team, got 'backoffice' "
            "(to add it, set it whole: agent_groups.backoffice={...} or "
            "agent_groups.backoffice=[...])",
        ),
        (
            "agent_groups.team.size",
            "--set: expected PATH=VALUE, such as agent_groups.team.size=50, "
            "got 'agent_groups.team.size'",
        ),
        (
            "=3",
            "--set: expected a dotted path such as agent_groups.team.size, got ''",
        ),
        (
            "agent_groups..size=3",
            "--set: expected a dotted path without empty parts, got 'agent_groups..size'",
        ),
        (
            "seed=[1, 2",
            "--set: expected a YAML scalar or flow list as VALUE, got '[1, 2' "
            "(expected ',' or ']', but got '<stream end>')",
        ),
    ],
)
def test_bad_overrides(override: str, expected: str) -> None:
    with exactly(expected):
        apply_overrides(DATA, [override])


def test_all_bad_overrides_are_reported() -> None:
    with pytest.raises(ScenarioError) as caught:
        apply_overrides(DATA, ["a.b=1", "seed", "agent_groups.team.size=3"])
    assert [str(p) for p in caught.value.problems] == [
        "--set: a: expected one of the keys version, agent_groups, got 'a' "
        "(to add it, set it whole: a={...} or a=[...])",
        "--set: expected PATH=VALUE, such as agent_groups.team.size=50, got 'seed'",
    ]


def test_bad_path_in_mapping_overrides_names_set() -> None:
    with exactly("--set: expected a dotted path such as agent_groups.team.size, got ''"):
        apply_overrides(DATA, {"": 3})


# --- overrides while loading -------------------------------------------------------------------


def test_set_changes_size_and_hash(examples: Path) -> None:
    base = load_scenario("phone_steady_state.yaml")
    again = load_scenario("phone_steady_state.yaml")
    changed = load_scenario("phone_steady_state.yaml", ["agent_groups.team.size=50"])
    assert base.agent_groups["team"].size == 44
    assert changed.agent_groups["team"].size == 50
    assert scenario_hash(base) == scenario_hash(again)
    assert scenario_hash(changed) != scenario_hash(base)
    assert re.fullmatch("[0-9a-f]{64}", scenario_hash(base))


def test_set_same_as_mapping_overrides(examples: Path) -> None:
    by_cli = load_scenario("phone_steady_state.yaml", ["channels.phone.patience.mean=3 min"])
    by_api = load_scenario("phone_steady_state.yaml", {"channels.phone.patience.mean": "3 min"})
    assert by_cli == by_api
    assert by_cli.channels["phone"].patience.mean == 180.0


def test_set_can_swap_shifts_for_a_size(examples: Path) -> None:
    scenario = load_scenario(
        "bank_branch_day.yaml", ["agent_groups.tellers.shifts=null", "agent_groups.tellers.size=6"]
    )
    assert scenario.agent_groups["tellers"].size == 6
    assert scenario.agent_groups["tellers"].shifts is None


def test_set_interval_rate_uses_overridden_interval(examples: Path) -> None:
    scenario = load_scenario(
        "phone_steady_state.yaml",
        ["interval=15 min", "horizon=26 h", "channels.phone.arrivals.rate=150/interval"],
    )
    assert scenario.channels["phone"].arrivals.rate == pytest.approx(150 / 900)


def test_set_unknown_key_names_set(examples: Path) -> None:
    with exactly("--set: agent_groups.team.sizee: unknown key 'sizee'; did you mean 'size'?"):
        load_scenario("phone_steady_state.yaml", ["agent_groups.team.sizee=50"])


def test_set_value_of_wrong_type_names_set(examples: Path) -> None:
    with exactly("--set: agent_groups.team.size: expected a whole number, got 'many'"):
        load_scenario("phone_steady_state.yaml", ["agent_groups.team.size=many"])


def test_set_duration_without_unit_names_set(examples: Path) -> None:
    with exactly(
        "--set: channels.phone.patience.mean: expected a duration with a unit, such as "
        "'4 min', '20 s' or '1.5 h', got 120"
    ):
        load_scenario("phone_steady_state.yaml", ["channels.phone.patience.mean=120"])


def test_set_of_a_whole_item_names_set_for_errors_inside(examples: Path) -> None:
    with exactly(
        "--set: channels.phone.patience.dist: expected one of 'none', 'exponential', "
        "'lognormal', 'gamma', 'deterministic', 'empirical', got 'weibull'"
    ):
        load_scenario("phone_steady_state.yaml", ["channels.phone.patience={dist: weibull}"])


def test_set_errors_in_the_file_still_name_the_file(examples: Path) -> None:
    with exactly(
        "bank_branch_day.yaml: agent_groups.tellers: expected exactly one of 'size', 'shifts' "
        "or 'roster_csv', got size, shifts"
    ):
        load_scenario("bank_branch_day.yaml", ["agent_groups.tellers.size=6"])


def test_set_bad_path_while_loading(examples: Path) -> None:
    with exactly(
        "--set: agent_groups.team.shifts: expected one of the keys channels, size, "
        "cost_per_hour, got 'shifts' (to add it, set it whole: agent_groups.team.shifts={...} "
        "or agent_groups.team.shifts=[...])"
    ):
        load_scenario("phone_steady_state.yaml", ["agent_groups.team.shifts.0.agents=3"])

"""Skills, proficiency, overflow delays and priorities in scenario files: values and errors."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from queuesim.scenario import ScenarioError, load_scenario

BANK = yaml.safe_load(
    (Path(__file__).resolve().parents[2] / "scenarios" / "bank_branch_day.yaml").read_text(
        encoding="utf-8"
    )
)


def load_edited(tmp_path: Path, edit: Callable[[dict[str, Any]], object]):
    data = copy.deepcopy(BANK)
    edit(data)
    path = tmp_path / "bank.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return load_scenario(path), str(path)


def skilled(d: dict[str, Any], **skills: Any) -> None:
    d["contact_types"]["cash"]["skill"] = "cash"
    d["agent_groups"]["tellers"]["skills"] = skills


def test_skills_read_with_shorthand_and_defaults(tmp_path: Path) -> None:
    def edit(d: dict[str, Any]) -> None:
        skilled(d, cash={"proficiency": 0.8, "after": "30 s"})
        d["contact_types"]["account"]["priority"] = 2

    scenario, _ = load_edited(tmp_path, edit)
    level = scenario.agent_groups["tellers"].skills["cash"]
    assert (level.proficiency, level.after) == (0.8, 30.0)
    assert scenario.contact_types["cash"].skill == "cash"
    assert scenario.contact_types["account"].skill is None
    assert scenario.contact_types["account"].priority == 2
    assert scenario.contact_types["cash"].priority == 0

    scenario, _ = load_edited(tmp_path, lambda d: skilled(d, cash=1.5))
    level = scenario.agent_groups["tellers"].skills["cash"]
    assert (level.proficiency, level.after) == (1.5, 0.0)


CASES: dict[str, tuple[Callable[[dict[str, Any]], object], str]] = {
    "skill nobody holds": (
        lambda d: d["contact_types"]["cash"].update(skill="cash"),
        "contact_types.cash.skill: expected a skill held by an agent group serving channel "
        "'branch', got 'cash', which no such group lists under 'skills'",
    ),
    "skill no contact type needs": (
        lambda d: skilled(d, cahs=1.0),
        "agent_groups.tellers.skills.cahs: expected a skill that a contact type of its channels "
        "needs (one of ['cash']), got 'cahs'",
    ),
    "zero proficiency": (
        lambda d: skilled(d, cash=0),
        "agent_groups.tellers.skills.cash.proficiency: expected a value greater than 0, got 0",
    ),
    "unknown skill field": (
        lambda d: skilled(d, cash={"speed": 2}),
        "agent_groups.tellers.skills.cash.speed: unknown key 'speed'; expected one of "
        "proficiency, after",
    ),
    "priority not a number": (
        lambda d: d["contact_types"]["cash"].update(priority="high"),
        "contact_types.cash.priority: expected a whole number, got 'high'",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_routing_input_names_the_field(case: str, tmp_path: Path) -> None:
    edit, expected = CASES[case]
    with pytest.raises(ScenarioError) as error:
        load_edited(tmp_path, edit)
    assert re.fullmatch(rf".*bank\.yaml: {re.escape(expected)}", str(error.value))

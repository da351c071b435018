"""Every kind of invalid scenario gives one clear line: source, dotted path, expected, got.

Each case edits an example scenario, writes it to a file and loads it; the assertion is on the
exact text of the error (``pytest.raises(match=...)`` anchored at both ends).
"""

from __future__ import annotations

import copy
import pickle
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from queuesim.scenario import Scenario, ScenarioError, load_scenario
from queuesim.scenario.errors import Problem

EXAMPLES = Path(__file__).resolve().parents[2] / "scenarios"
BANK = yaml.safe_load((EXAMPLES / "bank_branch_day.yaml").read_text(encoding="utf-8"))
PHONE = yaml.safe_load((EXAMPLES / "phone_steady_state.yaml").read_text(encoding="utf-8"))

Edit = Callable[[dict[str, Any]], object]


def exactly(text: str) -> pytest.RaisesExc[ScenarioError]:
    """``pytest.raises`` matching the whole error text."""
    return pytest.raises(ScenarioError, match=f"^{re.escape(text)}$")


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def load_edited(base: dict[str, Any], edit: Edit, name: str) -> Scenario:
    data = copy.deepcopy(base)
    edit(data)
    Path(name).write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return load_scenario(name)


def group(d: dict[str, Any]) -> dict[str, Any]:
    return d["agent_groups"]["tellers"]


def shift(d: dict[str, Any], index: int = 0) -> dict[str, Any]:
    return group(d)["shifts"][index]


def branch(d: dict[str, Any]) -> dict[str, Any]:
    return d["channels"]["branch"]


BANK_CASES: dict[str, tuple[Edit, str]] = {
    "unknown top-level key": (
        lambda d: d.update(horizn="1 d"),
        "horizn: unknown key 'horizn'; did you mean 'horizon'?",
    ),
    "unknown key without a close match": (
        lambda d: d.update(colour="blue"),
        "colour: unknown key 'colour'; expected one of version, name, description, horizon, "
        "interval, warmup, replications, seed, service_level, channels, contact_types, "
        "agent_groups, satisfaction, detractor_follow_up, variants, initial_state",
    ),
    "unknown nested key": (
        lambda d: group(d).update(sizee=3),
        "agent_groups.tellers.sizee: unknown key 'sizee'; did you mean 'size'?",
    ),
    "unknown key in a list item": (
        lambda d: shift(d).update(agent=3),
        "agent_groups.tellers.shifts.0.agent: unknown key 'agent'; did you mean 'agents'?",
    ),
    "unknown key inside a discriminated union": (
        lambda d: branch(d)["patience"].update(meen="3 min"),
        "channels.branch.patience.meen: unknown key 'meen'; did you mean 'mean'?",
    ),
    "missing required field": (
        lambda d: d.pop("name"),
        "name: expected a value (required field), got nothing",
    ),
    "missing nested required field": (
        lambda d: shift(d).pop("start"),
        "agent_groups.tellers.shifts.0.start: expected a value (required field), got nothing",
    ),
    "wrong type: list for a mapping": (
        lambda d: d.update(channels=["branch"]),
        "channels: expected a mapping (key: value lines), got a list ['branch']",
    ),
    "wrong type: scalar for a model": (
        lambda d: d["agent_groups"].update(tellers=5),
        "agent_groups.tellers: expected a mapping of settings (channels, size, shifts, "
        "roster_csv, shrinkage, absenteeism, cost_per_hour, deferred_order, skills, "
        "empowerment, standards, learning), got 5",
    ),
    "wrong type: text for a list": (
        lambda d: group(d).update(channels="branch"),
        "agent_groups.tellers.channels: expected a list, such as [a, b], got 'branch'",
    ),
    "wrong type: text for a whole number": (
        lambda d: shift(d).update(agents="four"),
        "agent_groups.tellers.shifts.0.agents: expected a whole number, got 'four'",
    ),
    "fractional agents": (
        lambda d: shift(d).update(agents=2.5),
        "agent_groups.tellers.shifts.0.agents: expected a whole number, got 2.5",
    ),
    "wrong type: text for a number": (
        lambda d: group(d).update(cost_per_hour="cheap"),
        "agent_groups.tellers.cost_per_hour: expected a number, got 'cheap'",
    ),
    "wrong literal": (
        lambda d: branch(d).update(kind="fax"),
        "channels.branch.kind: expected 'phone', 'walk_in', 'chat', 'email', 'social' or "
        "'chatbot', got 'fax'",
    ),
    "duration without unit": (
        lambda d: d["contact_types"]["cash"]["handle_time"].update(mean=240),
        "contact_types.cash.handle_time.mean: expected a duration with a unit, such as "
        "'4 min', '20 s' or '1.5 h', got 240",
    ),
    "duration with a bad unit": (
        lambda d: d["contact_types"]["cash"]["handle_time"].update(mean="4 parsecs"),
        "contact_types.cash.handle_time.mean: expected a duration with a unit, such as "
        "'4 min', '20 s' or '1.5 h', got '4 parsecs'",
    ),
    "distribution given as a bare number": (
        lambda d: d["contact_types"]["cash"].update(handle_time=240),
        "contact_types.cash.handle_time: expected a mapping with 'dist' (one of "
        "'exponential', 'lognormal', 'gamma', 'deterministic', 'empirical') and its "
        "parameters, or a fixed duration such as '4 min', got 240",
    ),
    "bad time of day": (
        lambda d: branch(d).update(open="9am"),
        "channels.branch.open: expected a time of day 'HH:MM' between 00:00 and 24:00, got '9am'",
    ),
    "time of day read by YAML as a number": (
        lambda d: shift(d)["breaks"][0].update(start=690),
        "agent_groups.tellers.shifts.0.breaks.0.start: expected a time of day 'HH:MM' between "
        "00:00 and 24:00, got 690 (YAML reads an unquoted 11:30 as a number: write '11:30' in "
        "quotes)",
    ),
    "negative value": (
        lambda d: shift(d).update(agents=-1),
        "agent_groups.tellers.shifts.0.agents: expected a value of at least 0, got -1",
    ),
    "fraction out of range": (
        lambda d: group(d).update(shrinkage=1.5),
        "agent_groups.tellers.shrinkage: expected a value less than 1, got 1.5",
    ),
    "cv not positive": (
        lambda d: d["contact_types"]["cash"]["handle_time"].update(cv=0),
        "contact_types.cash.handle_time.cv: expected a value greater than 0, got 0",
    ),
    "zero duration": (
        lambda d: branch(d)["patience"].update(mean="0 s"),
        "channels.branch.patience.mean: expected a duration greater than zero, got 0 s",
    ),
    "unknown dist with a close match": (
        lambda d: branch(d)["patience"].update(dist="lognormall"),
        "channels.branch.patience.dist: expected one of 'none', 'exponential', 'lognormal', "
        "'gamma', 'deterministic', 'empirical', got 'lognormall'; did you mean 'lognormal'?",
    ),
    "unknown dist": (
        lambda d: branch(d)["patience"].update(dist="weibull"),
        "channels.branch.patience.dist: expected one of 'none', 'exponential', 'lognormal', "
        "'gamma', 'deterministic', 'empirical', got 'weibull'",
    ),
    "missing dist": (
        lambda d: branch(d)["patience"].pop("dist"),
        "channels.branch.patience.dist: expected one of 'none', 'exponential', 'lognormal', "
        "'gamma', 'deterministic', 'empirical' (required field), got nothing",
    ),
    "mix not summing to 1": (
        lambda d: branch(d)["mix"].update(cash=0.7),
        "channels.branch.mix: expected shares that sum to 1, got a sum of 1.1",
    ),
    "mix naming an unknown contact type": (
        lambda d: branch(d).update(mix={"cash": 0.6, "acount": 0.4}),
        "channels.branch.mix: expected one of the contact types ['account', 'cash'], got 'acount'",
    ),
    "group serving an unknown channel": (
        lambda d: group(d).update(channels=["phone"]),
        "agent_groups.tellers.channels: expected one of the channels ['branch'], got 'phone'",
    ),
    "bad name": (
        lambda d: shift(d).update(name="early shift"),
        "agent_groups.tellers.shifts.0.name: expected a name of a letter followed by letters, "
        "digits, '_' or '-', got 'early shift'",
    ),
    "bad name as a mapping key": (
        lambda d: d["agent_groups"].update({"front desk": d["agent_groups"].pop("tellers")}),
        "agent_groups.front desk: expected a name of a letter followed by letters, digits, '_' "
        "or '-', got 'front desk'",
    ),
    "empty mapping": (
        lambda d: d.update(contact_types={}),
        "contact_types: expected at least 1 entry, got none",
    ),
    "horizon not a multiple of the interval": (
        lambda d: d.update(horizon="25 min"),
        "expected 'horizon' to be a whole number of 30-min intervals, got 25 min",
    ),
    "interval not dividing a day": (
        lambda d: d.update(interval="7 min", horizon="7 min"),
        "expected an 'interval' that divides a day (15 min, 30 min, 1 h, ...), got 7 min",
    ),
    "warm-up as long as the horizon": (
        lambda d: d.update(warmup="1 d"),
        "expected 'warmup' shorter than 'horizon', got 24 h and 24 h",
    ),
    "break outside its shift": (
        lambda d: shift(d)["breaks"][0].update(start="14:30"),
        "agent_groups.tellers.shifts.0: expected break 0 to lie within the shift 08:45-14:45, "
        "got 14:30 for 30 min",
    ),
    "overlapping breaks": (
        lambda d: shift(d)["breaks"].append({"start": "11:45", "duration": "15 min"}),
        "agent_groups.tellers.shifts.0: expected breaks in time order without overlap, got "
        "break 1 at 11:45",
    ),
    "both size and shifts": (
        lambda d: group(d).update(size=8),
        "agent_groups.tellers: expected exactly one of 'size', 'shifts' or 'roster_csv', "
        "got size, shifts",
    ),
    "neither size nor shifts": (
        lambda d: group(d).pop("shifts"),
        "agent_groups.tellers: expected exactly one of 'size', 'shifts' or 'roster_csv', got none",
    ),
    "profile volume while closed": (
        lambda d: branch(d)["arrivals"]["profile"].append({"start": "17:00", "volume": 3}),
        "channels.branch.arrivals.profile.16.start: expected volume only while the channel is "
        "open (09:00-17:00), got 3 at 17:00",
    ),
    "misaligned profile row": (
        lambda d: branch(d)["arrivals"]["profile"][3].update(start="10:45"),
        "channels.branch.arrivals.profile.3.start: expected the start of a 30-min interval, "
        "got 10:45",
    ),
    "unknown version": (
        lambda d: d.update(version=2),
        "version: expected 1 (the scenario file version this queuesim reads), got 2",
    ),
    "version as text": (
        lambda d: d.update(version="1"),
        "version: expected 1 (the scenario file version this queuesim reads), got '1'",
    ),
    "missing version": (
        lambda d: d.pop("version"),
        "version: expected 1 (write 'version: 1' at the top of the file), got nothing",
    ),
}


@pytest.mark.parametrize("case", list(BANK_CASES))
def test_invalid_bank_scenario(case: str) -> None:
    edit, expected = BANK_CASES[case]
    with exactly(f"bank.yaml: {expected}"):
        load_edited(BANK, edit, "bank.yaml")


PHONE_CASES: dict[str, tuple[Edit, str]] = {
    "bad rate": (
        lambda d: d["channels"]["phone"]["arrivals"].update(rate="10/fortnight"),
        "channels.phone.arrivals.rate: expected a rate with a unit, such as '120/h', '2/min' "
        "or '30/interval', got '10/fortnight'",
    ),
    "rate without unit": (
        lambda d: d["channels"]["phone"]["arrivals"].update(rate=10),
        "channels.phone.arrivals.rate: expected a rate with a unit, such as '120/h', '2/min' "
        "or '30/interval', got 10",
    ),
    "both rate and profile": (
        lambda d: d["channels"]["phone"]["arrivals"].update(
            profile=[{"start": "00:00", "volume": 1}]
        ),
        "channels.phone.arrivals: expected exactly one of 'rate', 'profile' or 'profile_csv', "
        "got rate, profile",
    ),
    "bad interval": (
        lambda d: d.update(interval="half an hour"),
        "interval: expected a duration with a unit, such as '4 min', '20 s' or '1.5 h', "
        "got 'half an hour'",
    ),
}


@pytest.mark.parametrize("case", list(PHONE_CASES))
def test_invalid_phone_scenario(case: str) -> None:
    edit, expected = PHONE_CASES[case]
    with exactly(f"phone.yaml: {expected}"):
        load_edited(PHONE, edit, "phone.yaml")


def test_several_problems_are_reported_one_per_line() -> None:
    def edit(d: dict[str, Any]) -> None:
        group(d).update(sizee=3)
        d["contact_types"]["cash"]["handle_time"].update(mean=240)

    with pytest.raises(ScenarioError) as caught:
        load_edited(BANK, edit, "bank.yaml")
    assert str(caught.value).splitlines() == [
        "bank.yaml: contact_types.cash.handle_time.mean: expected a duration with a unit, "
        "such as '4 min', '20 s' or '1.5 h', got 240",
        "bank.yaml: agent_groups.tellers.sizee: unknown key 'sizee'; did you mean 'size'?",
    ]
    assert [p.path for p in caught.value.problems] == [
        "contact_types.cash.handle_time.mean",
        "agent_groups.tellers.sizee",
    ]
    assert caught.value.problems[1].loc == ("agent_groups", "tellers", "sizee")


def test_error_text_has_no_pydantic_phrasing() -> None:
    with pytest.raises(ScenarioError) as caught:
        load_edited(BANK, lambda d: shift(d).update(agents="x", name=5), "bank.yaml")
    text = str(caught.value)
    for phrase in ("Input should", "Value error", "errors.pydantic.dev", "validation error"):
        assert phrase not in text


def test_list_indices_in_paths_are_integers() -> None:
    with pytest.raises(ScenarioError) as caught:
        load_edited(BANK, lambda d: shift(d, 1)["breaks"][0].update(start="9am"), "bank.yaml")
    (problem,) = caught.value.problems
    assert problem.loc == ("agent_groups", "tellers", "shifts", 1, "breaks", 0, "start")
    assert problem.source == "bank.yaml"


def test_scenario_error_is_a_value_error_and_pickles() -> None:
    error = ScenarioError([Problem("a.yaml", ("seed",), "expected a whole number, got 'x'")])
    assert isinstance(error, ValueError)
    copied = pickle.loads(pickle.dumps(error))
    assert copied.problems == error.problems
    assert str(copied) == "a.yaml: seed: expected a whole number, got 'x'"

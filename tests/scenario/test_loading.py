"""Loading scenario files: examples, CSV references, file-level errors, schema and hash."""

from __future__ import annotations

import copy
import re
import textwrap
from pathlib import Path
from typing import Any

import pydantic
import pytest
import yaml

from queuesim.scenario import (
    Scenario,
    ScenarioError,
    load_scenario,
    scenario_from_dict,
    scenario_hash,
    scenario_json_schema,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "scenarios"


def exactly(text: str) -> pytest.RaisesExc[ScenarioError]:
    """``pytest.raises`` matching the whole error text."""
    return pytest.raises(ScenarioError, match=f"^{re.escape(text)}$")


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def write(name: str, text: str) -> Path:
    path = Path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


# A day scenario with its arrival profile and roster inline ...
INLINE = """
    version: 1
    name: CSV day
    horizon: "1 d"
    interval: "30 min"
    channels:
      phone:
        kind: phone
        open: "08:00"
        close: "10:00"
        arrivals:
          {arrivals}
        mix: {{general: 1.0}}
    contact_types:
      general:
        handle_time: {{dist: exponential, mean: "4 min"}}
    agent_groups:
      team:
        channels: [phone]
        {staffing}
    """
INLINE_PROFILE = """profile:
            - {start: "08:00", volume: 10, aht: "4 min"}
            - {start: "08:30", volume: 12.5}
            - {start: "09:00", volume: 3, aht: "5 min"}"""
INLINE_SHIFTS = """shifts:
          - name: early
            start: "08:00"
            end: "12:00"
            agents: 5
            breaks:
              - {start: "09:00", duration: "15 min"}
              - {start: "10:00", duration: "15 min"}
          - {name: late, start: "09:00", end: "13:00", agents: 3}"""

# ... and the same with both in CSV files.
PROFILE_CSV = """\
    interval_start,volume,aht,channel
    08:00,10,4 min,phone
    08:00,99,,chat
    08:30,12.5,,phone
    09:00,3,5 min,phone
    """
ROSTER_CSV = """\
    shift,start,end,agents,breaks
    early,08:00,12:00,5,09:00 for 15 min; 10:00 for 15 min
    late,09:00,13:00,3,
    """


def write_csv_scenario(
    folder: str = "plans", profile: str = PROFILE_CSV, roster: str = ROSTER_CSV
) -> Path:
    write(f"{folder}/calls.csv", profile)
    write(f"{folder}/roster.csv", roster)
    return write(
        f"{folder}/day.yaml",
        INLINE.format(arrivals="profile_csv: calls.csv", staffing="roster_csv: roster.csv"),
    )


def test_examples_load() -> None:
    phone = load_scenario(EXAMPLES / "phone_steady_state.yaml")
    bank = load_scenario(str(EXAMPLES / "bank_branch_day.yaml"))
    assert phone.agent_groups["team"].size == 44
    assert phone.channels["phone"].arrivals.rate == pytest.approx(10 / 60)
    assert bank.channels["branch"].arrivals.profile is not None
    assert len(bank.channels["branch"].arrivals.profile) == 16
    assert bank.agent_groups["tellers"].shifts is not None


def test_csv_scenario_equals_inline_scenario() -> None:
    inline_path = write(
        "inline.yaml", INLINE.format(arrivals=INLINE_PROFILE, staffing=INLINE_SHIFTS)
    )
    inline = load_scenario(inline_path)
    from_csv = load_scenario(write_csv_scenario())
    assert from_csv.channels["phone"].arrivals.profile_csv == "calls.csv"
    assert from_csv.agent_groups["team"].roster_csv == "roster.csv"
    provenance = {
        "channels": {"phone": {"arrivals": {"profile_csv"}}},
        "agent_groups": {"team": {"roster_csv"}},
    }
    assert from_csv.model_dump(exclude=provenance) == inline.model_dump(exclude=provenance)
    assert from_csv.channels == {
        "phone": inline.channels["phone"].model_copy(
            update={
                "arrivals": inline.channels["phone"].arrivals.model_copy(
                    update={"profile_csv": "calls.csv"}
                )
            }
        )
    }


def test_csv_read_relative_to_the_scenario_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_csv_scenario().resolve()
    monkeypatch.chdir("/")
    assert load_scenario(path).agent_groups["team"].shifts is not None


def test_csv_hash_depends_on_csv_contents() -> None:
    first = scenario_hash(load_scenario(write_csv_scenario()))
    assert first == scenario_hash(load_scenario("plans/day.yaml"))
    write("plans/roster.csv", ROSTER_CSV.replace("late,09:00,13:00,3", "late,09:00,13:00,4"))
    assert scenario_hash(load_scenario("plans/day.yaml")) != first


def test_scenario_from_dict_with_base_dir_and_no_mutation() -> None:
    write_csv_scenario()
    data = yaml.safe_load(Path("plans/day.yaml").read_text(encoding="utf-8"))
    before = copy.deepcopy(data)
    scenario = scenario_from_dict(data, base_dir="plans", overrides=["seed=5"])
    assert scenario.seed == 5
    assert scenario.channels["phone"].arrivals.profile is not None
    assert data == before


def test_interval_context_for_rates_per_interval() -> None:
    data = yaml.safe_load((EXAMPLES / "phone_steady_state.yaml").read_text(encoding="utf-8"))
    data["interval"] = "15 min"
    data["channels"]["phone"]["arrivals"]["rate"] = "150/interval"
    scenario = scenario_from_dict(data)
    assert scenario.channels["phone"].arrivals.rate == pytest.approx(150 / 900)


# --- errors found in CSV files, pointed back at their lines -------------------------------------


def test_misaligned_csv_row_names_file_line_and_column() -> None:
    profile = PROFILE_CSV.replace("09:00,3", "09:10,3")
    write_csv_scenario(profile=profile)
    with exactly(
        "plans/calls.csv line 5, column interval_start: "
        "channels.phone.arrivals.profile.2.start: expected the start of a 30-min interval, "
        "got 09:10"
    ):
        load_scenario("plans/day.yaml")


def test_csv_volume_while_closed_names_file_line_and_column() -> None:
    write_csv_scenario(profile=PROFILE_CSV + "    09:30,0,,phone\n    10:00,2,,phone\n")
    with exactly(
        "plans/calls.csv line 7, column interval_start: "
        "channels.phone.arrivals.profile.4.start: expected volume only while the channel is "
        "open (08:00-10:00), got 2 at 10:00"
    ):
        load_scenario("plans/day.yaml")


def test_csv_gap_names_file_line_and_column() -> None:
    write_csv_scenario(profile=PROFILE_CSV.replace("08:30,12.5", "09:30,12.5"))
    with exactly(
        "plans/calls.csv line 4, column interval_start: "
        "channels.phone.arrivals.profile.1.start: expected 08:30, the interval after 08:00 on "
        "line 2, got 09:30\n"
        "plans/calls.csv line 5, column interval_start: "
        "channels.phone.arrivals.profile.2.start: expected 10:00, the interval after 09:30 on "
        "line 4, got 09:00"
    ):
        load_scenario("plans/day.yaml")


def test_roster_break_outside_shift_names_file_and_line() -> None:
    write_csv_scenario(
        roster=ROSTER_CSV.replace("late,09:00,13:00,3,", "late,09:00,13:00,3,13:00 for 30 min")
    )
    with exactly(
        "plans/roster.csv line 3: agent_groups.team.shifts.1: expected break 0 to lie within "
        "the shift 09:00-13:00, got 13:00 for 30 min"
    ):
        load_scenario("plans/day.yaml")


def test_roster_bad_shift_name_names_column() -> None:
    write_csv_scenario(roster=ROSTER_CSV.replace("late,", "late shift,"))
    with exactly(
        "plans/roster.csv line 3, column shift: agent_groups.team.shifts.1.name: expected a "
        "name of a letter followed by letters, digits, '_' or '-', got 'late shift'"
    ):
        load_scenario("plans/day.yaml")


def test_csv_read_errors_name_the_csv() -> None:
    write_csv_scenario(profile=PROFILE_CSV.replace("12.5", "lots"))
    with exactly("plans/calls.csv line 4, column volume: expected a number, got 'lots'"):
        load_scenario("plans/day.yaml")


def test_missing_csv(tmp_path: Path) -> None:
    write_csv_scenario()
    Path("plans/roster.csv").unlink()
    with exactly(
        "plans/day.yaml: agent_groups.team.roster_csv: expected an existing CSV file, got "
        f"nothing at {tmp_path.resolve()}/plans/roster.csv"
    ):
        load_scenario("plans/day.yaml")


def test_set_cannot_index_rows_read_from_csv() -> None:
    write_csv_scenario()
    with exactly(
        "--set: agent_groups.team.shifts: expected one of the keys channels, roster_csv, got "
        "'shifts' (shifts come from roster_csv, read after overrides: edit the CSV file or set "
        "agent_groups.team.roster_csv)"
    ):
        load_scenario("plans/day.yaml", ["agent_groups.team.shifts.0.agents=3"])


def test_missing_csv_from_set(tmp_path: Path) -> None:
    write_csv_scenario()
    with exactly(
        "--set: channels.phone.arrivals.profile_csv: expected an existing CSV file, got "
        f"nothing at {tmp_path.resolve()}/plans/other.csv"
    ):
        load_scenario("plans/day.yaml", ["channels.phone.arrivals.profile_csv=other.csv"])


def test_both_profile_and_profile_csv() -> None:
    write("calls.csv", PROFILE_CSV)
    write(
        "day.yaml",
        INLINE.format(
            arrivals=INLINE_PROFILE + "\n          profile_csv: calls.csv",
            staffing="size: 3",
        ),
    )
    with exactly(
        "day.yaml: channels.phone.arrivals: expected either 'profile' or 'profile_csv', got both"
    ):
        load_scenario("day.yaml")


def test_both_shifts_and_roster_csv() -> None:
    write("roster.csv", ROSTER_CSV)
    write(
        "day.yaml",
        INLINE.format(
            arrivals=INLINE_PROFILE, staffing=INLINE_SHIFTS + "\n        roster_csv: roster.csv"
        ),
    )
    with exactly("day.yaml: agent_groups.team: expected either 'shifts' or 'roster_csv', got both"):
        load_scenario("day.yaml")


def test_size_and_roster_csv() -> None:
    write("roster.csv", ROSTER_CSV)
    write(
        "day.yaml",
        INLINE.format(arrivals=INLINE_PROFILE, staffing="size: 3\n        roster_csv: roster.csv"),
    )
    with exactly(
        "day.yaml: agent_groups.team: expected exactly one of 'size', 'shifts' or "
        "'roster_csv', got size, roster_csv"
    ):
        load_scenario("day.yaml")


def test_unread_csv_in_direct_validation_is_a_clear_error() -> None:
    data = yaml.safe_load(
        textwrap.dedent(INLINE.format(arrivals="profile_csv: calls.csv", staffing="size: 3"))
    )
    with pytest.raises(
        pydantic.ValidationError,
        match="profile_csv: expected the rows of "
        r"'calls.csv' read by load_scenario or scenario_from_dict",
    ):
        Scenario.model_validate(data)
    data["channels"]["phone"]["arrivals"] = {"rate": "1/min"}
    data["agent_groups"]["team"] = {"channels": ["phone"], "roster_csv": "roster.csv"}
    with pytest.raises(
        pydantic.ValidationError,
        match="roster_csv: expected the rows of "
        r"'roster.csv' read by load_scenario",
    ):
        Scenario.model_validate(data)


# --- errors in the file itself -----------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    with exactly(
        f"missing.yaml: expected an existing scenario file, got nothing at "
        f"{tmp_path.resolve()}/missing.yaml"
    ):
        load_scenario("missing.yaml")


def test_folder_instead_of_file() -> None:
    Path("plans").mkdir()
    with exactly("plans: expected an existing scenario file, got a folder"):
        load_scenario("plans")


def test_yaml_syntax_error() -> None:
    write("bad.yaml", "version: 1\nname: Day\n  horizon: 1 d\n")
    with exactly(
        "bad.yaml line 3, column 10: expected valid YAML, got a syntax error: mapping values "
        "are not allowed here"
    ):
        load_scenario("bad.yaml")


def test_yaml_unclosed_list() -> None:
    write("bad.yaml", "version: 1\nchannels: [phone\nname: x\n")
    with exactly(
        "bad.yaml line 3, column 5: expected valid YAML, got a syntax error: expected ',' or "
        "']', but got ':' (while parsing a flow sequence started at line 2, column 11)"
    ):
        load_scenario("bad.yaml")


def test_duplicate_key() -> None:
    text = (EXAMPLES / "phone_steady_state.yaml").read_text(encoding="utf-8")
    write("dup.yaml", text.replace("    size: 44\n", "    size: 44\n    size: 40\n"))
    line = text.splitlines().index("    size: 44") + 2
    with exactly(
        f"dup.yaml line {line}, column 5: agent_groups.team.size: expected each key once, got "
        f"'size' again (first on line {line - 1})"
    ):
        load_scenario("dup.yaml")


def test_top_level_not_a_mapping() -> None:
    write("list.yaml", "- version: 1\n- name: x\n")
    with exactly(
        "list.yaml: expected a mapping of scenario fields (version: 1, name: ...), got a list "
        "[{'version': 1}, {'name': 'x'}]"
    ):
        load_scenario("list.yaml")


def test_empty_file() -> None:
    write("empty.yaml", "# nothing yet\n")
    with exactly(
        "empty.yaml: expected a mapping of scenario fields (version: 1, name: ...), got an "
        "empty file"
    ):
        load_scenario("empty.yaml")


def test_version_is_checked_before_anything_else() -> None:
    write("v2.yaml", "version: 2\nchannels: 5\nnonsense: true\n")
    with exactly(
        "v2.yaml: version: expected 1 (the scenario file version this queuesim reads), got 2"
    ):
        load_scenario("v2.yaml")


def test_dict_source_name() -> None:
    with exactly("<dict>: expected a mapping of scenario fields (version: 1, name: ...), got 3"):
        scenario_from_dict(3)


# --- schema and hash ---------------------------------------------------------------------------


def test_json_schema() -> None:
    schema = scenario_json_schema()
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert {"version", "horizon", "channels"} <= set(schema["properties"])
    assert set(schema["required"]) >= {"version", "name", "horizon"}
    definitions: dict[str, Any] = schema["$defs"]
    assert definitions["Arrivals"]["properties"]["profile_csv"]


def test_hash_is_canonical_sha256() -> None:
    scenario = load_scenario(EXAMPLES / "bank_branch_day.yaml")
    digest = scenario_hash(scenario)
    assert re.fullmatch("[0-9a-f]{64}", digest)
    assert digest == scenario_hash(load_scenario(EXAMPLES / "bank_branch_day.yaml"))
    assert digest != scenario_hash(scenario.model_copy(update={"seed": 8}))

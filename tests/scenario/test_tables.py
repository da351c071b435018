"""Arrival-profile and roster CSV readers: formats, filters and every error with line and column.

Line numbers are those of the file: the header is line 1, the first data row line 2.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from queuesim.scenario import ScenarioError, read_profile_csv, read_roster_csv


def exactly(text: str) -> pytest.RaisesExc[ScenarioError]:
    """``pytest.raises`` matching the whole error text."""
    return pytest.raises(ScenarioError, match=f"^{re.escape(text)}$")


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def write(name: str, text: str) -> Path:
    path = Path(name)
    path.write_text(text, encoding="utf-8")
    return path


# --- profiles ----------------------------------------------------------------------------------


def test_profile_with_aht() -> None:
    path = write("calls.csv", "interval_start,volume,aht\n08:00,12.5,4 min\n08:30,20,\n")
    assert read_profile_csv(path, "phone") == [
        {"start": "08:00", "volume": 12.5, "aht": "4 min"},
        {"start": "08:30", "volume": 20.0},
    ]


def test_profile_tolerates_bom_spaces_case_and_blank_rows() -> None:
    path = write("calls.csv", "\ufeff Interval_Start , VOLUME\n\n 08:00 , 3 \n,\n08:30,4\n\n")
    assert read_profile_csv(path, "phone") == [
        {"start": "08:00", "volume": 3.0},
        {"start": "08:30", "volume": 4.0},
    ]


@pytest.mark.parametrize(
    ("column", "cell", "aht"), [("aht_s", "240", "240 s"), ("aht_min", "4.5", "4.5 min")]
)
def test_profile_aht_as_plain_numbers_when_the_header_says_the_unit(
    column: str, cell: str, aht: str
) -> None:
    path = write("calls.csv", f"interval_start,volume,{column}\n08:00,1,{cell}\n")
    assert read_profile_csv(path, "phone") == [{"start": "08:00", "volume": 1.0, "aht": aht}]


def test_profile_keeps_only_the_channel_rows() -> None:
    path = write(
        "calls.csv",
        "interval_start,volume,channel\n08:00,1,phone\n08:00,9,chat\n08:30,2,phone\n",
    )
    assert read_profile_csv(path, "phone") == [
        {"start": "08:00", "volume": 1.0},
        {"start": "08:30", "volume": 2.0},
    ]
    assert read_profile_csv(path, "chat") == [{"start": "08:00", "volume": 9.0}]


PROFILE_ERRORS = {
    "unknown column": (
        "interval_start,volumes\n08:00,1\n",
        [
            "calls.csv line 1, column volumes: unknown column 'volumes'; did you mean 'volume'?",
            "calls.csv line 1: expected the column volume, got interval_start, volumes",
        ],
    ),
    "unknown column without close match": (
        "interval_start,volume,weather\n08:00,1,rain\n",
        [
            "calls.csv line 1, column weather: unknown column 'weather'; expected one of "
            "interval_start, volume, aht, aht_s, aht_min, channel"
        ],
    ),
    "missing columns": (
        "volume\n1\n",
        ["calls.csv line 1: expected the column interval_start, got volume"],
    ),
    "duplicate column": (
        "interval_start,volume,volume\n08:00,1,2\n",
        ["calls.csv line 1, column volume: expected each column once, got 'volume' again"],
    ),
    "two handle-time columns": (
        "interval_start,volume,aht,aht_s\n08:00,1,4 min,240\n",
        ["calls.csv line 1, column aht_s: expected one handle-time column, got aht, aht_s"],
    ),
    "semicolon separated": (
        "interval_start;volume\n08:00;1\n",
        [
            "calls.csv line 1: expected columns separated by commas, got semicolons (save the "
            "sheet as 'CSV (comma delimited)')"
        ],
    ),
    "empty file": (
        "",
        [
            "calls.csv: expected a header line with the columns interval_start, volume, got an "
            "empty file"
        ],
    ),
    "header only": (
        "interval_start,volume\n",
        ["calls.csv: expected at least one data row below the header, got none"],
    ),
    "bad number": (
        "interval_start,volume\n08:00,twelve\n",
        ["calls.csv line 2, column volume: expected a number, got 'twelve'"],
    ),
    "decimal comma": (
        'interval_start,volume\n08:00,"12,5"\n',
        ["calls.csv line 2, column volume: expected a number, got '12,5'"],
    ),
    "empty volume": (
        "interval_start,volume\n08:00,\n",
        ["calls.csv line 2, column volume: expected a number, got an empty cell"],
    ),
    "negative volume": (
        "interval_start,volume\n08:00,1\n08:30,-3\n",
        ["calls.csv line 3, column volume: expected a volume of 0 or more, got -3"],
    ),
    "bad time": (
        "interval_start,volume\n8h00,1\n",
        [
            "calls.csv line 2, column interval_start: expected a time of day HH:MM from 00:00 "
            "to 23:59, got '8h00'"
        ],
    ),
    "aht without unit": (
        "interval_start,volume,aht\n08:00,1,240\n",
        [
            "calls.csv line 2, column aht: expected a duration with a unit, such as '4 min' or "
            "'240 s' (or name the column aht_s or aht_min for plain numbers), got '240'"
        ],
    ),
    "zero aht in seconds": (
        "interval_start,volume,aht_s\n08:00,1,0\n",
        ["calls.csv line 2, column aht_s: expected a handle time greater than 0, got 0"],
    ),
    "duplicate interval": (
        "interval_start,volume\n08:00,1\n08:30,1\n\n8:00,2\n",
        [
            "calls.csv line 5, column interval_start: expected each interval once, got 8:00 "
            "again (first on line 2)"
        ],
    ),
    "ragged row": (
        "interval_start,volume\n08:00,1,extra\n",
        ["calls.csv line 2: expected 2 cells (one per column), got 3"],
    ),
    "no row for the channel": (
        "interval_start,volume,channel\n08:00,1,chat\n08:00,1,email\n",
        [
            "calls.csv column channel: expected rows for the channel 'phone', got only 'chat', "
            "'email'"
        ],
    ),
    "several problems, in line order": (
        "interval_start,volume\n08:00,x\n25:00,-1\n",
        [
            "calls.csv line 2, column volume: expected a number, got 'x'",
            "calls.csv line 3, column interval_start: expected a time of day HH:MM from 00:00 "
            "to 23:59, got '25:00'",
            "calls.csv line 3, column volume: expected a volume of 0 or more, got -1",
        ],
    ),
}


@pytest.mark.parametrize("case", list(PROFILE_ERRORS))
def test_profile_errors(case: str) -> None:
    text, lines = PROFILE_ERRORS[case]
    path = write("calls.csv", text)
    with exactly("\n".join(lines)):
        read_profile_csv(path, "phone")


def test_missing_profile_file(tmp_path: Path) -> None:
    with exactly(
        f"nope.csv: expected an existing CSV file, got nothing at {tmp_path.resolve()}/nope.csv"
    ):
        read_profile_csv(Path("nope.csv"), "phone")


# --- rosters -----------------------------------------------------------------------------------


def test_roster_with_breaks_and_groups() -> None:
    path = write(
        "roster.csv",
        "shift,start,end,agents,breaks,group\n"
        'early,07:00,15:00,12,"10:00 for 15 min; 12:00 for 30 min",team\n'
        "late,12:00,20:00,10,,team\n"
        "night,22:00,06:00,2,,backoffice\n",
    )
    assert read_roster_csv(path, "team") == [
        {
            "name": "early",
            "start": "07:00",
            "end": "15:00",
            "agents": 12,
            "breaks": [
                {"start": "10:00", "duration": "15 min"},
                {"start": "12:00", "duration": "30 min"},
            ],
        },
        {"name": "late", "start": "12:00", "end": "20:00", "agents": 10, "breaks": []},
    ]
    assert read_roster_csv(path, "backoffice") == [
        {"name": "night", "start": "22:00", "end": "06:00", "agents": 2, "breaks": []}
    ]


def test_roster_end_at_midnight() -> None:
    path = write("roster.csv", "shift,start,end,agents\nlate,16:00,24:00,3\n")
    assert read_roster_csv(path, "team")[0]["end"] == "24:00"


ROSTER_ERRORS = {
    "unknown column": (
        "shift,start,end,agents,brakes\nearly,07:00,15:00,1,\n",
        ["roster.csv line 1, column brakes: unknown column 'brakes'; did you mean 'breaks'?"],
    ),
    "missing column": (
        "shift,start,end\nearly,07:00,15:00\n",
        ["roster.csv line 1: expected the column agents, got shift, start, end"],
    ),
    "non-integer agents": (
        "shift,start,end,agents\nearly,07:00,15:00,2.5\n",
        ["roster.csv line 2, column agents: expected a whole number, got '2.5'"],
    ),
    "negative agents": (
        "shift,start,end,agents\nearly,07:00,15:00,-2\n",
        ["roster.csv line 2, column agents: expected 0 or more agents, got -2"],
    ),
    "bad time": (
        "shift,start,end,agents\nearly,7am,15:00,2\n",
        [
            "roster.csv line 2, column start: expected a time of day 'HH:MM' between 00:00 and "
            "24:00, got '7am'"
        ],
    ),
    "bad breaks": (
        "shift,start,end,agents,breaks\nearly,07:00,15:00,2,10:00 15 min\n",
        [
            "roster.csv line 2, column breaks: expected breaks written as 'HH:MM for DURATION' "
            "separated by ';', such as '12:00 for 30 min; 15:30 for 15 min', got '10:00 15 min'"
        ],
    ),
    "break duration without unit": (
        "shift,start,end,agents,breaks\nearly,07:00,15:00,2,10:00 for 15\n",
        [
            "roster.csv line 2, column breaks: expected breaks written as 'HH:MM for DURATION' "
            "separated by ';', such as '12:00 for 30 min; 15:30 for 15 min', got '10:00 for 15'"
        ],
    ),
    "duplicate shift": (
        "shift,start,end,agents\nearly,07:00,15:00,2\nearly,08:00,16:00,2\n",
        [
            "roster.csv line 3, column shift: expected each shift name once, got 'early' again "
            "(first on line 2)"
        ],
    ),
    "empty shift name": (
        "shift,start,end,agents\n,07:00,15:00,2\n",
        ["roster.csv line 2, column shift: expected the shift's name, got an empty cell"],
    ),
    "no row for the group": (
        "shift,start,end,agents,group\nearly,07:00,15:00,2,backoffice\n",
        [
            "roster.csv column group: expected rows for the agent group 'team', got only "
            "'backoffice'"
        ],
    ),
}


@pytest.mark.parametrize("case", list(ROSTER_ERRORS))
def test_roster_errors(case: str) -> None:
    text, lines = ROSTER_ERRORS[case]
    path = write("roster.csv", text)
    with exactly("\n".join(lines)):
        read_roster_csv(path, "team")

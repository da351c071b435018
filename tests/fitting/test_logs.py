"""Reading contact logs and interval reports: layouts, and errors naming file, line, column."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from queuesim import ScenarioError
from queuesim.fitting import LogLayout, read_contact_log, read_interval_report

HEADER = "arrival,channel,contact_type,outcome,wait,handle_time\n"
GOOD = "2026-03-02 08:00:13,phone,claims,answered,12.5,300\n"


def write(tmp_path: Path, text: str, name: str = "calls.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_reads_the_default_layout(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEADER + GOOD + "2026-03-02T08:01:00,phone,policy,ABANDONED,40,\n"
        "2026-03-02 08:02:00,phone,policy,blocked,0,\n",
    )
    log = read_contact_log(path)
    assert list(log["outcome"]) == ["answered", "abandoned", "blocked"]
    assert log["arrival"].iloc[1] == pd.Timestamp("2026-03-02 08:01:00")
    assert log["wait"].tolist() == [12.5, 40.0, 0.0]
    assert log["handle_time"].iloc[0] == 300.0 and pd.isna(log["handle_time"].iloc[1])


def test_maps_columns_time_format_and_minutes(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "Start Time,Result,Queue Secs,Talk,Agent\n"
        "02/03/2026 08:00:13,answered,0.5,4,A12\n"
        "02/03/2026 08:03:00,abandoned,2,,\n",
    )
    layout = LogLayout(
        {"arrival": "Start Time", "outcome": "Result", "wait": "Queue Secs", "handle_time": "Talk"},
        time_format="%d/%m/%Y %H:%M:%S",
        duration_unit="min",
    )
    log = read_contact_log(path, layout)
    assert log["arrival"].iloc[0] == pd.Timestamp("2026-03-02 08:00:13")
    assert log["wait"].tolist() == [30.0, 120.0]
    assert log["handle_time"].iloc[0] == 240.0
    assert set(log["channel"]) == {"phone"} and set(log["contact_type"]) == {"general"}


def test_times_with_offsets_keep_their_clock_or_convert_to_the_time_zone(tmp_path: Path) -> None:
    # Paris moves its clocks from 02:00 to 03:00 on 2026-03-29; the log mixes written offsets,
    # UTC and a time without offset (taken as local).
    path = write(
        tmp_path,
        "arrival,outcome,wait,handle_time\n"
        "2026-03-29T01:59:00+01:00,answered,1,60\n"
        "2026-03-29T03:01:00+02:00,answered,1,60\n"
        "2026-03-29T08:00:00Z,answered,1,60\n"
        "2026-03-29 11:00:00,answered,1,60\n",
    )
    written = read_contact_log(path)["arrival"].dt.strftime("%H:%M").tolist()
    assert written == ["01:59", "03:01", "08:00", "11:00"]
    local = read_contact_log(path, LogLayout(time_zone="Europe/Paris"))
    assert local["arrival"].dt.strftime("%H:%M").tolist() == ["01:59", "03:01", "10:00", "11:00"]
    assert local["arrival"].dt.tz is None
    with pytest.raises(ScenarioError, match="expected an IANA time zone such as 'Europe/Paris'"):
        read_contact_log(path, LogLayout(time_zone="Paris"))


def test_unused_columns_are_ignored_even_twice_but_used_ones_must_be_unique(
    tmp_path: Path,
) -> None:
    path = write(
        tmp_path,
        "arrival,agent,outcome,agent,wait,handle_time\n"
        + "2026-03-02 08:00:00,a,answered,b,1,60\n",
    )
    assert len(read_contact_log(path)) == 1
    path = write(tmp_path, HEADER.strip() + ",wait\n" + GOOD.strip() + ",3\n")
    with pytest.raises(ScenarioError, match="line 1, column wait: expected each column once"):
        read_contact_log(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "arrival,outcome,wait\n" + "2026-03-02 08:00:00,answered,1\n",
            "calls.csv line 1: expected the column handle_time, got arrival, outcome, wait",
        ),
        (
            HEADER + GOOD + "yesterday,phone,claims,answered,1,2\n",
            "calls.csv line 3, column arrival: expected an ISO date-time such as "
            "'2026-03-02 08:00:13', got 'yesterday'",
        ),
        (
            HEADER + GOOD + GOOD + "2026-03-02 08:00:13,phone,claims,abandoned,-3,\n",
            "calls.csv line 4, column wait: expected a duration of 0 or more, got '-3'",
        ),
        (
            HEADER + "2026-03-02 08:00:13,phone,claims,hung up,3,\n",
            "calls.csv line 2, column outcome: expected an outcome answered, abandoned, blocked, "
            "closed_out, got 'hung up'",
        ),
        (
            HEADER + "2026-03-02 08:00:13,phone,claims,answered,3,\n",
            "calls.csv line 2, column handle_time: expected the handle time of an answered "
            "contact, got an empty cell",
        ),
        (
            HEADER + "2026-03-02 08:00:13,,claims,answered,3,5\n",
            "calls.csv line 2, column channel: expected a channel name, got an empty cell",
        ),
        (
            HEADER + "2026-03-02 08:00:13,phone,All,answered,3,5\n",
            "calls.csv line 2, column contact_type: expected a contact type name other than "
            "'all' (totals), got 'All'",
        ),
        (
            HEADER + "2026-03-02 08:00:13,phone,claims,answered,,5\n",
            "calls.csv line 2, column wait: expected a number of seconds or minutes, "
            "got an empty cell",
        ),
    ],
)
def test_malformed_log_names_file_line_and_column(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ScenarioError) as raised:
        read_contact_log(path)
    assert str(raised.value) == f"{path}{message.removeprefix('calls.csv')}"


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "x,phone,c,answered,-1,1\n" + "2026-03-02,phone,c,maybe,1,\n")
    with pytest.raises(ScenarioError) as raised:
        read_contact_log(path)
    lines = str(raised.value).splitlines()
    assert [line.split(":")[0] for line in lines] == [
        f"{path} line 2, column arrival",
        f"{path} line 2, column wait",
        f"{path} line 3, column outcome",
    ]


def test_unknown_column_mapping_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + GOOD)
    with pytest.raises(ScenarioError, match="expected column mappings for arrival"):
        read_contact_log(path, LogLayout({"arival": "x"}))


def test_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="expected an existing CSV file"):
        read_contact_log(tmp_path / "nope.csv")


def test_reads_interval_reports(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "interval_start,offered,answered,abandoned,asa,aht,sl,agents\n"
        "08:00,100,95,5,12.5,240,80%,10\n"
        "08:30,120,110,10,30,250,0.7,11.5\n",
        "report.csv",
    )
    report = read_interval_report(path)
    assert report["interval_start"].tolist() == [28800.0, 30600.0]
    assert report["sl"].tolist() == [0.8, 0.7]
    assert report["date"].isna().all()
    assert report["agents"].tolist() == [10.0, 11.5]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            "08:00,10\n08:00,12\n",
            "line 3, column interval_start: expected each interval once, "
            "got 08:00 again (first on line 2)",
        ),
        ("08:00,-1\n", "line 2, column offered: expected 0 or more, got '-1'"),
        (
            "8 am,3\n",
            "line 2, column interval_start: expected a time of day HH:MM or an ISO date-time",
        ),
    ],
)
def test_malformed_report_names_line_and_column(tmp_path: Path, rows: str, message: str) -> None:
    path = write(tmp_path, "interval_start,offered\n" + rows, "report.csv")
    with pytest.raises(ScenarioError) as raised:
        read_interval_report(path)
    assert str(raised.value).startswith(f"{path} {message}")


def test_report_service_level_must_be_a_ratio(tmp_path: Path) -> None:
    path = write(tmp_path, "interval_start,offered,sl\n08:00,3,1.5\n", "report.csv")
    with pytest.raises(ScenarioError, match=r"line 2, column sl: expected a ratio 0..1"):
        read_interval_report(path)

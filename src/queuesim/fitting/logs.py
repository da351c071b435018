"""Reading contact logs and interval reports exported from a phone system.

Both readers reuse the strict CSV reading of :mod:`queuesim.scenario.tables`: every problem
names the file, its line (the header is line 1) and the column, as
``calls.csv line 7, column wait: expected a wait of 0 or more seconds, got '-3'``, and is raised
as a :class:`~queuesim.scenario.errors.ScenarioError`. Unlike a scenario's CSV files, a log may
carry columns the reader does not use (agent ids, queue names...): they are ignored.

Contact log, one row per contact (the default layout; every name can be mapped)::

    arrival,channel,contact_type,outcome,wait,handle_time
    2026-03-02 08:00:13,phone,claims,answered,12.4,352.1
    2026-03-02 08:00:41,phone,policy,abandoned,95.0,

- ``arrival``: when the contact arrived, an ISO date-time by default (``2026-03-02 08:00:13``
  or ``2026-03-02T08:00:13``), or any ``strptime`` format given as ``time_format``. Profiles
  are per interval of the local day, so times are kept as local clock times: a time without
  an offset is taken as local; a time with one (``2026-03-29T09:00:00+02:00``, ``...Z``) is
  converted to ``time_zone`` (an IANA name such as ``Europe/Paris``) when the layout gives
  one, and otherwise keeps the clock time written (its offset dropped). A log written in UTC
  therefore needs ``time_zone``; across a daylight-saving change the local clock is right.
- ``outcome``: ``answered``, ``abandoned``, ``blocked`` (turned away, never queued) or
  ``closed_out`` (still queued when the line closed). Case is ignored.
- ``wait``: time in queue: until answered, until abandoning, or until closing; ``>= 0``.
- ``handle_time``: talk and hold time of answered contacts (empty for the others).
- optional ``channel`` and ``contact_type`` (one of each, named ``phone`` and ``general``, when
  absent; a cell may be neither empty nor ``all``, the name of totals) and
  ``after_contact_work`` (wrap-up time of answered contacts).

``wait``, ``handle_time`` and ``after_contact_work`` are plain numbers in seconds, or minutes
with ``duration_unit="min"``.

Interval report, one row per reporting interval (and channel)::

    interval_start,offered,answered,abandoned,asa,aht,sl,agents
    08:00,108,101,7,24.5,331.0,0.78,17.5

- ``interval_start``: ``HH:MM`` (one day) or a date-time as for the log's ``arrival``.
- ``offered`` (required), ``answered``, ``abandoned``: counts; ``asa`` and ``aht``: seconds
  (or minutes with ``duration_unit="min"``); ``sl``: service level as a ratio (``0.78``) or a
  percentage (``78%``); ``agents``: mean agents logged in; optional ``channel``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd

from queuesim.scenario.errors import ScenarioError
from queuesim.scenario.tables import CsvReader, parse_number
from queuesim.scenario.units import parse_time_of_day

LOG_COLUMNS = (
    "arrival",
    "outcome",
    "wait",
    "handle_time",
    "channel",
    "contact_type",
    "after_contact_work",
)
LOG_REQUIRED = LOG_COLUMNS[:4]
REPORT_COLUMNS = (
    "interval_start",
    "offered",
    "answered",
    "abandoned",
    "asa",
    "aht",
    "sl",
    "agents",
    "channel",
)
REPORT_REQUIRED = REPORT_COLUMNS[:2]
OUTCOMES = ("answered", "abandoned", "blocked", "closed_out")
ALL = "all"
DEFAULT_CHANNEL = "phone"
DEFAULT_CONTACT_TYPE = "general"
DURATION_UNITS = {"s": 1.0, "min": 60.0}


@dataclass(frozen=True)
class LogLayout:
    """How a file's columns and cells are written.

    Attributes:
        columns: the file's header for a standard column, e.g. ``{"arrival": "call_start"}``;
            standard names not listed keep their own name. Matched ignoring case.
        time_format: ``"iso"`` (ISO 8601 date-times) or a ``strptime`` format such as
            ``"%d/%m/%Y %H:%M:%S"``.
        duration_unit: ``"s"`` or ``"min"``: the unit of the plain numbers in the duration
            columns.
        time_zone: an IANA time zone (``"Europe/Paris"``) to which date-times written with an
            offset are converted; None keeps their written clock time (module docstring).
    """

    columns: Mapping[str, str] | None = None
    time_format: str = "iso"
    duration_unit: str = "s"
    time_zone: str | None = None

    def header(self, standard: str) -> str:
        """The (lower-case) header of the standard column ``standard`` in the file."""
        return (dict(self.columns or {}).get(standard, standard)).strip().lower()

    def check(self, known: Sequence[str]) -> None:
        """Raise ValueError for a mapping of an unknown column, an unknown unit or time zone."""
        unknown = sorted(set(self.columns or {}) - set(known))
        if unknown:
            raise ValueError(
                f"expected column mappings for {', '.join(known)}, got {', '.join(unknown)}"
            )
        if self.duration_unit not in DURATION_UNITS:
            raise ValueError(f"expected a duration unit s or min, got {self.duration_unit!r}")
        if self.time_zone is not None:
            zone(self.time_zone)


def zone(name: str) -> ZoneInfo:
    """The IANA time zone ``name``; ValueError naming what was expected otherwise."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"expected an IANA time zone such as 'Europe/Paris' or 'UTC', got {name!r}"
        ) from None


def _time_parser(layout: LogLayout) -> tuple[str, Callable[[str], datetime]]:
    """What a date-time cell must look like, and its parser to a naive local clock time."""
    target = None if layout.time_zone is None else zone(layout.time_zone)
    if layout.time_format == "iso":
        expected, read = "an ISO date-time such as '2026-03-02 08:00:13'", datetime.fromisoformat
    else:
        expected = f"a date-time in the format {layout.time_format!r}"

        def read(text: str) -> datetime:
            return datetime.strptime(text, layout.time_format)

    def parse(text: str) -> datetime:
        moment = read(text)
        if moment.tzinfo is not None and target is not None:
            moment = moment.astimezone(target)
        return moment.replace(tzinfo=None)

    return expected, parse


def _open(
    path: Path, layout: LogLayout, known: Sequence[str], required: Sequence[str]
) -> tuple[CsvReader, list[tuple[int, dict[str, str]]], dict[str, str], set[str]]:
    """Read ``path`` with the layout's headers; returns (reader, rows, header of each
    standard column, standard columns present)."""
    try:
        layout.check(known)
    except ValueError as error:
        raise ScenarioError.single(str(path), (), str(error)) from None
    names = {standard: layout.header(standard) for standard in known}
    reader = CsvReader(
        Path(path),
        [names[c] for c in required],
        [names[c] for c in known if c not in required],
        ignore_other_columns=True,
    )
    rows = reader.read()
    reader.check()
    present = {c for c in known if names[c] in reader.header}
    return reader, rows, names, present


def _duration(reader: CsvReader, line: int, column: str, text: str, scale: float) -> float | None:
    value = reader.parse(line, column, text, parse_number, "a number of seconds or minutes")
    if value is None:
        return None
    if value < 0:
        reader.problem(line, column, f"expected a duration of 0 or more, got {text!r}")
        return None
    return value * scale


def _label(
    reader: CsvReader,
    line: int,
    row: dict[str, str],
    names: dict[str, str],
    present: set[str],
    standard: str,
) -> str:
    """The channel or contact type of a row (the default name when the file has no such
    column); an empty cell or the name ``all``, which stands for totals, is a problem."""
    if standard not in present:
        return DEFAULT_CHANNEL if standard == "channel" else DEFAULT_CONTACT_TYPE
    text = row[names[standard]]
    what = standard.replace("_", " ")
    if not text:
        reader.problem(line, names[standard], f"expected a {what} name, got an empty cell")
    elif text.lower() == ALL:
        reader.problem(
            line, names[standard], f"expected a {what} name other than 'all' (totals), got {text!r}"
        )
    return text


def read_contact_log(path: str | Path, layout: LogLayout | None = None) -> pd.DataFrame:
    """Read a per-contact log (module docstring) into a DataFrame.

    Columns: ``arrival`` (``datetime64``), ``channel``, ``contact_type``, ``outcome``,
    ``wait``, ``handle_time`` and ``after_contact_work`` (seconds; NaN when not given or not
    answered). Raises :class:`ScenarioError` naming the file, line and column of every
    problem: a missing column, an unparsable time, a negative or missing wait, an unknown
    outcome, an answered contact without a handle time.
    """
    layout = layout or LogLayout()
    reader, rows, names, present = _open(Path(path), layout, LOG_COLUMNS, LOG_REQUIRED)
    expected_time, parse_time = _time_parser(layout)
    scale = DURATION_UNITS[layout.duration_unit]
    records = []
    for line, row in rows:
        column = names["arrival"]
        arrival = reader.parse(line, column, row[column], parse_time, expected_time)
        outcome = row[names["outcome"]].lower()
        if outcome not in OUTCOMES:
            reader.problem(
                line,
                names["outcome"],
                f"expected an outcome {', '.join(OUTCOMES)}, got {row[names['outcome']]!r}",
            )
        wait = _duration(reader, line, names["wait"], row[names["wait"]], scale)
        handle = math.nan
        text = row[names["handle_time"]]
        if outcome == "answered":
            if not text:
                reader.problem(
                    line,
                    names["handle_time"],
                    "expected the handle time of an answered contact, got an empty cell",
                )
            else:
                handle = _duration(reader, line, names["handle_time"], text, scale) or math.nan
        acw = math.nan
        if "after_contact_work" in present and outcome == "answered":
            text = row[names["after_contact_work"]]
            if text:
                acw = _duration(reader, line, names["after_contact_work"], text, scale)
                acw = math.nan if acw is None else acw
        records.append(
            (
                arrival,
                _label(reader, line, row, names, present, "channel"),
                _label(reader, line, row, names, present, "contact_type"),
                outcome,
                wait,
                handle,
                acw,
            )
        )
    reader.check()
    frame = pd.DataFrame(
        records,
        columns=[
            "arrival",
            "channel",
            "contact_type",
            "outcome",
            "wait",
            "handle_time",
            "after_contact_work",
        ],
    )
    frame["arrival"] = pd.to_datetime(frame["arrival"])
    return frame.sort_values("arrival", kind="stable", ignore_index=True)


def _interval_start(text: str, parse_time: Callable[[str], datetime]) -> tuple[object, float]:
    if len(text) <= 5 and ":" in text:
        seconds = parse_time_of_day(text)
        if seconds >= 86400:
            raise ValueError(text)
        return None, seconds
    moment = parse_time(text)
    return moment.date(), moment.hour * 3600.0 + moment.minute * 60.0 + moment.second


def _ratio(text: str) -> float:
    value = parse_number(text[:-1].strip()) / 100.0 if text.endswith("%") else parse_number(text)
    if not 0.0 <= value <= 1.0:
        raise ValueError(text)
    return value


def read_interval_report(path: str | Path, layout: LogLayout | None = None) -> pd.DataFrame:
    """Read an interval report (module docstring) into a DataFrame.

    Columns: ``date`` (a ``datetime.date``, or None for an ``HH:MM`` report), ``interval_start``
    (seconds from midnight), ``channel`` and, when given in the file, ``offered``,
    ``answered``, ``abandoned``, ``asa``, ``aht`` (seconds), ``sl`` (ratio) and ``agents``;
    missing cells are NaN. Raises :class:`ScenarioError` naming the file, line and column of
    every problem (a missing column, an unparsable time, a negative count, a duplicate
    interval).
    """
    layout = layout or LogLayout()
    reader, rows, names, present = _open(Path(path), layout, REPORT_COLUMNS, REPORT_REQUIRED)
    expected_time, parse_time = _time_parser(layout)
    scale = DURATION_UNITS[layout.duration_unit]
    records = []
    seen: dict[tuple[object, float, str], int] = {}
    for line, row in rows:
        column = names["interval_start"]
        start = reader.parse(
            line,
            column,
            row[column],
            lambda text: _interval_start(text, parse_time),
            f"a time of day HH:MM or {expected_time}",
        )
        channel = _label(reader, line, row, names, present, "channel")
        record: dict[str, object] = {"channel": channel}
        if start is not None:
            record["date"], record["interval_start"] = start
            key = (*start, channel)
            if key in seen:
                reader.problem(
                    line,
                    column,
                    f"expected each interval once, got {row[column]} again "
                    f"(first on line {seen[key]})",
                )
            seen[key] = line
        for name in ("offered", "answered", "abandoned", "agents"):
            if name not in present or (name != "offered" and not row[names[name]]):
                continue
            value = reader.parse(line, names[name], row[names[name]], parse_number, "a number")
            if value is not None and value < 0:
                reader.problem(line, names[name], f"expected 0 or more, got {row[names[name]]!r}")
            record[name] = value
        for name in ("asa", "aht"):
            if name in present and row[names[name]]:
                record[name] = _duration(reader, line, names[name], row[names[name]], scale)
        if "sl" in present and row[names["sl"]]:
            record["sl"] = reader.parse(
                line, names["sl"], row[names["sl"]], _ratio, "a ratio 0..1 or a percentage"
            )
        records.append(record)
    reader.check()
    frame = pd.DataFrame.from_records(records)
    columns = ["date", "interval_start", "channel"]
    columns += [c for c in REPORT_COLUMNS[1:-1] if c in present]
    frame = frame.reindex(columns=columns)
    for name in columns[3:]:
        frame[name] = frame[name].astype(float)
    return frame.sort_values(["channel", "date", "interval_start"], ignore_index=True)


def segments(log: pd.DataFrame) -> list[tuple[str, str, pd.DataFrame]]:
    """(channel, contact type, rows) of each channel (contact type ``all``) and, when a
    channel has several, of each of its contact types."""
    groups = []
    for channel, rows in log.groupby("channel", sort=True):
        groups.append((str(channel), "all", rows))
        types = sorted(rows["contact_type"].unique())
        if len(types) > 1:
            groups += [(str(channel), str(t), rows[rows["contact_type"] == t]) for t in types]
    return groups


__all__ = [
    "LOG_COLUMNS",
    "OUTCOMES",
    "REPORT_COLUMNS",
    "LogLayout",
    "read_contact_log",
    "read_interval_report",
    "segments",
]

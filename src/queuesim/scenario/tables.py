"""Readers for the CSV files planners keep beside a scenario: arrival profiles and rosters.

Both readers are strict and report every problem with the file, its **line number** (the
header is line 1, so the first data row is line 2; blank lines count, as in any text editor)
and the column. Column names are matched after trimming spaces and ignoring case; cells are
trimmed; rows whose cells are all empty are skipped; the file may start with a UTF-8 byte-order
mark (as Excel writes it). Separators are commas; a cell holding commas or semicolons is quoted.

Arrival profile (``channels.<name>.arrivals.profile_csv``)::

    interval_start,volume,aht
    08:00,12.5,4 min
    08:30,20,4.5 min

- ``interval_start`` (required): ``HH:MM``, the start of a reporting interval.
- ``volume`` (required): expected number of contacts arriving in that interval, ``>= 0``.
- ``aht`` (optional): mean handle time of those contacts, a duration with its unit
  (``4 min``, ``240 s``). Alternatively ``aht_s`` or ``aht_min`` hold plain numbers in
  seconds or minutes (the unit is in the header, never guessed). An empty cell means none.
- ``channel`` (optional): only the rows for the scenario's channel are kept.

Roster (``agent_groups.<name>.roster_csv``)::

    shift,start,end,agents,breaks
    early,07:00,15:00,12,10:00 for 15 min; 12:00 for 30 min
    late,12:00,20:00,10,

- ``shift`` (the shift's name), ``start``, ``end`` (``HH:MM``; an end before the start is an
  overnight shift) and ``agents`` (a whole number ``>= 0``) are required.
- ``breaks`` (optional): ``HH:MM for DURATION`` items separated by ``;`` (empty: no break).
- ``group`` (optional): only the rows for the scenario's agent group are kept.

The readers return the schema's input form (:class:`~queuesim.scenario.schema.ProfilePoint`,
:class:`~queuesim.scenario.schema.Shift`); the scenario's validation then checks what needs the
whole scenario (intervals aligned to the reporting interval, volume only while open, breaks
inside their shift), and the loader points those errors back at the CSV line.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from queuesim.scenario.errors import Problem, ScenarioError, show, unknown_name
from queuesim.scenario.units import TIME_OF_DAY_EXAMPLE, parse_duration, parse_time_of_day

_MAX_PROBLEMS = 20
_BREAK = re.compile(r"^(\S+)\s+for\s+(.+)$", re.IGNORECASE)
_INTEGER = re.compile(r"^[+-]?[0-9]+$")
_NUMBER = re.compile(r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$")

PROFILE_COLUMNS = ("interval_start", "volume", "aht", "aht_s", "aht_min", "channel")
ROSTER_COLUMNS = ("shift", "start", "end", "agents", "breaks", "group")


@dataclass
class Table:
    """Rows read from a CSV file, each with the line it came from and the columns present.

    ``fields`` maps each field of the returned dicts to the CSV column it was read from, so
    errors found later (by the schema) can name the column.
    """

    source: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)


class CsvReader:
    """Reads one CSV file strictly and collects its problems, each naming file, line and column.

    ``required`` columns must be in the header and ``optional`` ones may be (headers are
    matched in lower case). Any other column is an error, unless ``ignore_other_columns``: files
    exported from other systems (contact logs) carry columns nobody reads. Parse cells with
    :meth:`parse`, record other problems with :meth:`problem`, and raise them all with
    :meth:`check`.
    """

    def __init__(
        self,
        path: Path,
        required: Sequence[str],
        optional: Sequence[str],
        *,
        ignore_other_columns: bool = False,
    ) -> None:
        self.path = path
        self.source = str(path)
        self.required = tuple(required)
        self.allowed = (*required, *optional)
        self.ignore_other_columns = ignore_other_columns
        self.problems: list[tuple[int, Problem]] = []
        self.header: list[str] = []

    def problem(self, line: int | None, column: str | None, message: str) -> None:
        """Record ``message`` about ``line`` (header = 1; None: the whole file) and ``column``."""
        parts = [f"line {line}" if line else "", f"column {column}" if column else ""]
        where = " ".join([self.source, ", ".join(p for p in parts if p)]).rstrip()
        self.problems.append((line or 0, Problem(where, (), message)))

    def check(self) -> None:
        """Raise the problems found so far, in line order (at most 20 of them)."""
        if self.problems:
            ordered = sorted(self.problems, key=lambda item: item[0])
            raise ScenarioError(problem for _, problem in ordered[:_MAX_PROBLEMS])

    def read(self) -> list[tuple[int, dict[str, str]]]:
        """Return the data rows as (line, {column: trimmed cell})."""
        try:
            with self.path.open(encoding="utf-8-sig", newline="") as handle:
                return self._rows(handle)
        except FileNotFoundError:
            message = f"expected an existing CSV file, got nothing at {self.path.resolve()}"
            raise ScenarioError.single(self.source, (), message) from None
        except IsADirectoryError:
            raise ScenarioError.single(
                self.source, (), "expected a CSV file, got a folder"
            ) from None
        except UnicodeDecodeError as error:
            message = f"expected UTF-8 text, got a byte that is not UTF-8 at offset {error.start}"
            raise ScenarioError.single(self.source, (), message) from None
        except csv.Error as error:
            raise ScenarioError.single(
                self.source, (), f"expected well-formed CSV, got {error}"
            ) from None

    def _rows(self, handle: Any) -> list[tuple[int, dict[str, str]]]:
        reader = csv.reader(handle)
        header: list[str] | None = None
        rows: list[tuple[int, dict[str, str]]] = []
        for cells in reader:
            line = reader.line_num
            if header is None:
                if not any(cell.strip() for cell in cells):
                    continue
                header = [cell.strip().lower() for cell in cells]
                self._check_header(line, header)
                self.check()
                continue
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(header):
                self.problem(
                    line, None, f"expected {len(header)} cells (one per column), got {len(cells)}"
                )
                continue
            rows.append(
                (line, {name: cell.strip() for name, cell in zip(header, cells, strict=True)})
            )
        if header is None:
            expected = ", ".join(self.required)
            raise ScenarioError.single(
                self.source,
                (),
                f"expected a header line with the columns {expected}, got an empty file",
            )
        if not rows and not self.problems:
            self.problem(None, None, "expected at least one data row below the header, got none")
        self.header = header
        return rows

    def _check_header(self, line: int, header: list[str]) -> None:
        if len(header) == 1 and ";" in header[0]:
            self.problem(
                line,
                None,
                "expected columns separated by commas, got semicolons "
                "(save the sheet as 'CSV (comma delimited)')",
            )
            return
        seen: set[str] = set()
        for name in header:
            known = name in self.allowed
            if name in seen and (known or not self.ignore_other_columns):
                self.problem(line, name, f"expected each column once, got {name!r} again")
            seen.add(name)
            if not known and not self.ignore_other_columns:
                self.problem(line, name or "(empty)", unknown_name("column", name, self.allowed))
        missing = [name for name in self.required if name not in header]
        if missing:
            names = ", ".join(missing)
            self.problem(
                line,
                None,
                f"expected the column{'s' * (len(missing) > 1)} {names}, "
                f"got {', '.join(header) or 'none'}",
            )

    def parse(
        self, line: int, column: str, text: str, parse: Callable[[str], Any], expected: str
    ) -> Any:
        """``parse(text)``, or record ``expected ..., got ...`` and return None."""
        if not text:
            self.problem(line, column, f"expected {expected}, got an empty cell")
            return None
        try:
            return parse(text)
        except ValueError:
            self.problem(line, column, f"expected {expected}, got {show(text)}")
            return None


def parse_number(text: str) -> float:
    """A finite decimal number such as ``12``, ``-3.5`` or ``1e3``; ValueError otherwise
    (``nan``, ``inf``, ``1,5`` and empty text included)."""
    if not _NUMBER.match(text) or not math.isfinite(float(text)):
        raise ValueError(text)
    return float(text)


def _time(text: str) -> str:
    if parse_time_of_day(text) >= 86400:
        raise ValueError(text)
    return text


def _clock(text: str) -> str:
    parse_time_of_day(text)
    return text


def _duration(text: str) -> str:
    parse_duration(text)
    return text


def _filter(
    reader: CsvReader,
    rows: list[tuple[int, dict[str, str]]],
    column: str,
    wanted: str,
    what: str,
) -> list[tuple[int, dict[str, str]]]:
    if column not in reader.header:
        return rows
    kept = [(line, row) for line, row in rows if row[column] == wanted]
    if not kept:
        present = sorted({row[column] for _, row in rows})
        reader.problem(
            None,
            column,
            f"expected rows for the {what} {wanted!r}, got only {', '.join(map(repr, present))}",
        )
        reader.check()
    return kept


_AHT_UNITS = {"aht_s": "s", "aht_min": "min"}
_TIME_EXAMPLE = "a time of day HH:MM from 00:00 to 23:59"


def read_profile_table(path: Path, channel: str) -> Table:
    """:func:`read_profile_csv`, keeping each row's line number and the column names."""
    reader = CsvReader(path, ("interval_start", "volume"), PROFILE_COLUMNS[2:])
    rows = reader.read()
    aht_columns = [name for name in ("aht", *_AHT_UNITS) if name in reader.header]
    if len(aht_columns) > 1:
        reader.problem(
            1, aht_columns[1], f"expected one handle-time column, got {', '.join(aht_columns)}"
        )
    reader.check()
    rows = _filter(reader, rows, "channel", channel, "channel")
    aht_column = aht_columns[0] if aht_columns else None
    table = Table(reader.source, fields={"start": "interval_start", "volume": "volume"})
    if aht_column:
        table.fields["aht"] = aht_column
    first_line: dict[float, int] = {}
    for line, row in rows:
        start = reader.parse(line, "interval_start", row["interval_start"], _time, _TIME_EXAMPLE)
        volume = reader.parse(line, "volume", row["volume"], parse_number, "a number")
        if volume is not None and volume < 0:
            reader.problem(line, "volume", f"expected a volume of 0 or more, got {row['volume']}")
        point: dict[str, Any] = {"start": start, "volume": volume}
        if aht_column and row[aht_column]:
            text = row[aht_column]
            if aht_column == "aht":
                point["aht"] = reader.parse(
                    line,
                    aht_column,
                    text,
                    _duration,
                    "a duration with a unit, such as '4 min' or '240 s' (or name the column "
                    "aht_s or aht_min for plain numbers)",
                )
            else:
                amount = reader.parse(line, aht_column, text, parse_number, "a number")
                if amount is not None and amount <= 0:
                    reader.problem(
                        line, aht_column, f"expected a handle time greater than 0, got {text}"
                    )
                elif amount is not None:
                    point["aht"] = f"{amount:g} {_AHT_UNITS[aht_column]}"
        if start is not None:
            seconds_of_day = parse_time_of_day(start)
            if seconds_of_day in first_line:
                reader.problem(
                    line,
                    "interval_start",
                    f"expected each interval once, got {start} again "
                    f"(first on line {first_line[seconds_of_day]})",
                )
            else:
                first_line[seconds_of_day] = line
        table.rows.append(point)
        table.lines.append(line)
    reader.check()
    return table


def read_profile_csv(path: Path, channel: str) -> list[dict[str, Any]]:
    """Read an arrival profile CSV for ``channel`` into the schema's ``ProfilePoint`` form.

    Columns: ``interval_start`` (HH:MM), ``volume`` (>= 0), optional ``aht`` (duration with its
    unit; or ``aht_s`` / ``aht_min`` holding plain numbers) and optional ``channel`` (rows of
    other channels are dropped; no row for ``channel`` is an error). Returns
    ``[{"start": "08:00", "volume": 12.5, "aht": "4 min"}, ...]`` in file order. Raises
    :class:`ScenarioError` naming the file, line (header = line 1) and column of every problem.
    """
    return read_profile_table(Path(path), channel).rows


def _breaks(text: str) -> list[dict[str, str]]:
    breaks = []
    for item in text.split(";"):
        item = item.strip()
        if not item:
            continue
        match = _BREAK.match(item)
        if not match:
            raise ValueError(item)
        start, duration = match.group(1), match.group(2).strip()
        _time(start)
        parse_duration(duration)
        breaks.append({"start": start, "duration": duration})
    return breaks


def _agents(text: str) -> int:
    if not _INTEGER.match(text):
        raise ValueError(text)
    return int(text)


def read_roster_table(path: Path, group: str) -> Table:
    """:func:`read_roster_csv`, keeping each row's line number and the column names."""
    reader = CsvReader(path, ROSTER_COLUMNS[:4], ROSTER_COLUMNS[4:])
    rows = reader.read()
    rows = _filter(reader, rows, "group", group, "agent group")
    table = Table(
        reader.source,
        fields={"name": "shift", "start": "start", "end": "end", "agents": "agents"},
    )
    if "breaks" in reader.header:
        table.fields["breaks"] = "breaks"
    first_line: dict[str, int] = {}
    for line, row in rows:
        name = row["shift"]
        if not name:
            reader.problem(line, "shift", "expected the shift's name, got an empty cell")
        elif name in first_line:
            reader.problem(
                line,
                "shift",
                f"expected each shift name once, got {name!r} again "
                f"(first on line {first_line[name]})",
            )
        else:
            first_line[name] = line
        shift: dict[str, Any] = {
            "name": name,
            "start": reader.parse(line, "start", row["start"], _clock, TIME_OF_DAY_EXAMPLE),
            "end": reader.parse(line, "end", row["end"], _clock, TIME_OF_DAY_EXAMPLE),
            "agents": reader.parse(line, "agents", row["agents"], _agents, "a whole number"),
            "breaks": [],
        }
        if shift["agents"] is not None and shift["agents"] < 0:
            reader.problem(line, "agents", f"expected 0 or more agents, got {row['agents']}")
        if row.get("breaks"):
            shift["breaks"] = reader.parse(
                line,
                "breaks",
                row["breaks"],
                _breaks,
                "breaks written as 'HH:MM for DURATION' separated by ';', such as "
                "'12:00 for 30 min; 15:30 for 15 min'",
            )
        table.rows.append(shift)
        table.lines.append(line)
    reader.check()
    return table


def read_roster_csv(path: Path, group: str) -> list[dict[str, Any]]:
    """Read a roster CSV for agent group ``group`` into the schema's ``Shift`` form.

    Columns: ``shift, start, end, agents``, optional ``breaks`` (``"12:00 for 30 min; 15:30
    for 15 min"``, empty for none) and optional ``group`` (rows of other groups are dropped; no
    row for ``group`` is an error). Returns ``[{"name": "early", "start": "07:00", "end":
    "15:00", "agents": 12, "breaks": [{"start": "10:00", "duration": "15 min"}]}, ...]``.
    Raises :class:`ScenarioError` naming the file, line (header = line 1) and column of every
    problem.
    """
    return read_roster_table(Path(path), group).rows


__all__ = [
    "PROFILE_COLUMNS",
    "ROSTER_COLUMNS",
    "CsvReader",
    "Table",
    "parse_number",
    "read_profile_csv",
    "read_profile_table",
    "read_roster_csv",
    "read_roster_table",
]

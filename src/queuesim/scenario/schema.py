"""The scenario schema: typed, frozen objects validated from a scenario file.

A scenario describes one service operation over a horizon: its channels and arrivals, the
contact types customers bring, the agent groups that serve them, and how the run is reported.
All durations are held in seconds, rates in events per second, times of day in seconds after
midnight. ``queuesim schema`` prints the JSON Schema of :class:`Scenario`.
"""

from __future__ import annotations

import math
from typing import Literal

from pydantic import Field, NonNegativeFloat, NonNegativeInt, PositiveInt, model_validator

from queuesim.scenario.base import FrozenModel
from queuesim.scenario.distributions import PatienceDistribution, ServiceDistribution
from queuesim.scenario.units import SECONDS_PER_DAY, format_time_of_day
from queuesim.scenario.values import Duration, Name, PositiveDuration, Rate, TimeOfDay

ChannelKind = Literal["phone", "walk_in"]
ClosePolicy = Literal["wait", "serve", "close"]

DEFAULT_CLOSE_POLICY: dict[str, ClosePolicy] = {"phone": "wait", "walk_in": "serve"}
"""What a channel does with its queue at closing when the file does not say (SEMANTICS.md)."""

_UNREAD_CSV = (
    "{field}: expected the rows of {name!r} read by load_scenario or scenario_from_dict "
    "(Scenario.model_validate does not read CSV files), got a file name only"
)


class Dispersion(FrozenModel):
    """Forecast error carried as a gamma-Poisson mixture (Avramidis, Deslauriers, L'Ecuyer 2004).

    The Poisson rate is multiplied by a gamma variate of mean 1 and coefficient of variation
    ``cv``, drawn once per channel per day (``level: day``, forecast error shared through the
    day) or once per interval (``level: interval``).
    """

    cv: float = Field(gt=0)
    level: Literal["day", "interval"] = "day"


class ProfilePoint(FrozenModel):
    """Expected volume of one reporting interval of the day, optionally with its mean handle time.

    ``aht`` scales the handle-time distribution of contacts arriving in that interval to this
    mean, keeping its shape and coefficient of variation.
    """

    start: TimeOfDay
    volume: NonNegativeFloat
    aht: PositiveDuration | None = None


class Arrivals(FrozenModel):
    """Poisson arrivals at a constant ``rate`` or with a per-interval ``profile`` of volumes.

    The profile may be given inline or as a CSV file (``profile_csv``, columns
    ``interval_start, volume`` and optionally ``aht`` and ``channel``); a one-day profile
    repeats every day of the horizon. Rates are piecewise constant per interval, and arrivals
    happen only while the channel is open.
    """

    rate: Rate | None = None
    profile: tuple[ProfilePoint, ...] | None = None
    profile_csv: str | None = None
    dispersion: Dispersion | None = None

    @model_validator(mode="after")
    def _exactly_one_source(self) -> Arrivals:
        if self.profile_csv is not None and self.profile is None:
            raise ValueError(_UNREAD_CSV.format(field="profile_csv", name=self.profile_csv))
        given = [n for n in ("rate", "profile") if getattr(self, n) is not None]
        if self.profile_csv is not None:
            given[given.index("profile")] = "profile_csv"
        if len(given) != 1:
            raise ValueError(
                "expected exactly one of 'rate', 'profile' or 'profile_csv', "
                f"got {', '.join(given) or 'none'}"
            )
        return self


class Channel(FrozenModel):
    """A live channel (phone line, walk-in branch) with its own queue, hours and customers."""

    kind: ChannelKind
    open: TimeOfDay = 0.0
    close: TimeOfDay = SECONDS_PER_DAY
    arrivals: Arrivals
    mix: dict[Name, float] = Field(min_length=1)
    patience: PatienceDistribution = Field(
        default_factory=lambda: {"dist": "none"}, validate_default=True
    )
    queue_capacity: NonNegativeInt | None = None
    at_close: ClosePolicy | None = None

    @property
    def close_policy(self) -> ClosePolicy:
        """``at_close`` as given, or the channel kind's default."""
        return self.at_close or DEFAULT_CLOSE_POLICY[self.kind]

    @model_validator(mode="after")
    def _check(self) -> Channel:
        if self.close <= self.open:
            raise ValueError(
                f"expected 'close' after 'open', got open {format_time_of_day(self.open)} "
                f"and close {format_time_of_day(self.close)}"
            )
        bad = {k: v for k, v in self.mix.items() if not v > 0}
        if bad:
            raise ValueError(f"mix: expected positive shares, got {bad}")
        total = sum(self.mix.values())
        if not math.isclose(total, 1.0, abs_tol=1e-6):
            raise ValueError(f"mix: expected shares that sum to 1, got a sum of {total:g}")
        return self


class ContactType(FrozenModel):
    """A reason for contact: how long it takes to handle, talk plus after-contact work."""

    handle_time: ServiceDistribution
    after_contact_work: ServiceDistribution = Field(
        default_factory=lambda: {"dist": "deterministic", "value": "0 s"}, validate_default=True
    )


class Break(FrozenModel):
    """A break within a shift; taken in full once the current contact is finished."""

    start: TimeOfDay
    duration: PositiveDuration


class Shift(FrozenModel):
    """Agents on duty from ``start`` to ``end`` every day (``end`` before ``start``: overnight)."""

    name: Name
    start: TimeOfDay
    end: TimeOfDay
    agents: NonNegativeInt
    breaks: tuple[Break, ...] = ()

    @property
    def length(self) -> float:
        """Shift length in seconds (overnight shifts wrap past midnight)."""
        return (self.end - self.start) % SECONDS_PER_DAY or SECONDS_PER_DAY

    def break_offsets(self) -> list[tuple[float, float]]:
        """Each break as (seconds after shift start, duration)."""
        return [((b.start - self.start) % SECONDS_PER_DAY, b.duration) for b in self.breaks]

    @model_validator(mode="after")
    def _check(self) -> Shift:
        previous_end = 0.0
        for index, (offset, duration) in enumerate(self.break_offsets()):
            if offset + duration > self.length:
                raise ValueError(
                    f"expected break {index} to lie within the shift "
                    f"{format_time_of_day(self.start)}-{format_time_of_day(self.end)}, got "
                    f"{format_time_of_day(self.breaks[index].start)} for {duration / 60:g} min"
                )
            if offset < previous_end:
                raise ValueError(
                    f"expected breaks in time order without overlap, got break {index} at "
                    f"{format_time_of_day(self.breaks[index].start)}"
                )
            previous_end = offset + duration
        return self


class AgentGroup(FrozenModel):
    """Agents who serve the queues of the listed channels.

    Staffed either by a fixed ``size`` (on duty for the whole horizon), by ``shifts`` repeated
    every day, or by a roster CSV (``roster_csv``: ``shift, start, end, agents`` and optionally
    ``group`` and ``breaks``). ``shrinkage`` (planned time off the phones) scales the agents of
    every shift by (1 − s), rounded to the nearest integer; ``absenteeism`` makes each
    agent-shift absent with that probability, drawn per replication.
    """

    channels: tuple[Name, ...] = Field(min_length=1)
    size: NonNegativeInt | None = None
    shifts: tuple[Shift, ...] | None = None
    roster_csv: str | None = None
    shrinkage: float = Field(default=0.0, ge=0, lt=1)
    absenteeism: float = Field(default=0.0, ge=0, lt=1)
    cost_per_hour: NonNegativeFloat = 0.0

    @model_validator(mode="after")
    def _exactly_one_staffing(self) -> AgentGroup:
        if self.roster_csv is not None and self.shifts is None:
            raise ValueError(_UNREAD_CSV.format(field="roster_csv", name=self.roster_csv))
        given = [n for n in ("size", "shifts") if getattr(self, n) is not None]
        if self.roster_csv is not None:
            given[given.index("shifts")] = "roster_csv"
        if len(given) != 1:
            raise ValueError(
                "expected exactly one of 'size', 'shifts' or 'roster_csv', "
                f"got {', '.join(given) or 'none'}"
            )
        if self.shifts is not None:
            names = [s.name for s in self.shifts]
            duplicates = sorted({n for n in names if names.count(n) > 1})
            if duplicates:
                raise ValueError(f"expected unique shift names, got duplicates {duplicates}")
        return self


class ServiceLevel(FrozenModel):
    """Thresholds of the service-level metrics; the first is the headline ``sl_*``."""

    thresholds: tuple[Duration, ...] = Field(default=("20 s",), min_length=1, validate_default=True)


class Scenario(FrozenModel):
    """A complete, validated scenario: what to simulate and how to report it."""

    version: Literal[1]
    name: str = Field(min_length=1)
    description: str = ""
    horizon: PositiveDuration
    interval: PositiveDuration = 1800.0
    warmup: Duration = 0.0
    replications: PositiveInt = 10
    seed: NonNegativeInt = 1
    service_level: ServiceLevel = Field(default_factory=ServiceLevel)
    channels: dict[Name, Channel] = Field(min_length=1)
    contact_types: dict[Name, ContactType] = Field(min_length=1)
    agent_groups: dict[Name, AgentGroup] = Field(min_length=1)

    @property
    def n_intervals(self) -> int:
        """Number of reporting intervals in the horizon (warm-up included)."""
        return round(self.horizon / self.interval)

    @property
    def days(self) -> int:
        """Number of calendar days the horizon touches."""
        return math.ceil(self.horizon / SECONDS_PER_DAY)

    @model_validator(mode="after")
    def _check_times(self) -> Scenario:
        if SECONDS_PER_DAY % self.interval:
            raise ValueError(
                f"expected an 'interval' that divides a day (15 min, 30 min, 1 h, ...), "
                f"got {self.interval / 60:g} min"
            )
        for field in ("horizon", "warmup"):
            value = getattr(self, field)
            if value % self.interval:
                raise ValueError(
                    f"expected '{field}' to be a whole number of {self.interval / 60:g}-min "
                    f"intervals, got {value / 60:g} min"
                )
        if self.warmup >= self.horizon:
            raise ValueError(
                f"expected 'warmup' shorter than 'horizon', got {self.warmup / 3600:g} h "
                f"and {self.horizon / 3600:g} h"
            )
        return self

    @model_validator(mode="after")
    def _check_references(self) -> Scenario:
        reserved = [
            f"{kind} 'all'"
            for kind, names in (
                ("channel", self.channels),
                ("contact type", self.contact_types),
                ("agent group", self.agent_groups),
            )
            if "all" in names
        ]
        if reserved:
            raise ValueError(f"'all' is reserved for totals and cannot name a {reserved[0]}")
        for channel_name, channel in self.channels.items():
            for contact_type in channel.mix:
                if contact_type not in self.contact_types:
                    raise ValueError(
                        f"channels.{channel_name}.mix: expected one of the contact types "
                        f"{sorted(self.contact_types)}, got '{contact_type}'"
                    )
        for group_name, group in self.agent_groups.items():
            for channel_name in group.channels:
                if channel_name not in self.channels:
                    raise ValueError(
                        f"agent_groups.{group_name}.channels: expected one of the channels "
                        f"{sorted(self.channels)}, got '{channel_name}'"
                    )
        return self

    @model_validator(mode="after")
    def _check_profiles(self) -> Scenario:
        for channel_name, channel in self.channels.items():
            profile = channel.arrivals.profile or ()
            seen: set[float] = set()
            for index, point in enumerate(profile):
                where = f"channels.{channel_name}.arrivals.profile.{index}.start"
                label = format_time_of_day(point.start)
                if point.start % self.interval:
                    raise ValueError(
                        f"{where}: expected the start of a {self.interval / 60:g}-min interval, "
                        f"got {label}"
                    )
                if point.start in seen:
                    raise ValueError(f"{where}: expected each interval once, got {label} again")
                seen.add(point.start)
                if point.volume > 0 and not channel.open <= point.start < channel.close:
                    raise ValueError(
                        f"{where}: expected volume only while the channel is open "
                        f"({format_time_of_day(channel.open)}-"
                        f"{format_time_of_day(channel.close)}), got {point.volume:g} at {label}"
                    )
        return self


__all__ = [
    "AgentGroup",
    "Arrivals",
    "Break",
    "Channel",
    "ChannelKind",
    "ClosePolicy",
    "ContactType",
    "Dispersion",
    "ProfilePoint",
    "Scenario",
    "ServiceLevel",
    "Shift",
]

"""The scenario schema: typed, frozen objects validated from a scenario file.

A scenario describes one service operation over a horizon: its channels and arrivals, the
contact types customers bring, the agent groups that serve them, and how the run is reported.
All durations are held in seconds, rates in events per second, times of day in seconds after
midnight. ``queuesim schema`` prints the JSON Schema of :class:`Scenario`.
"""

from __future__ import annotations

import math
from typing import Annotated, Literal

from pydantic import (
    BeforeValidator,
    Field,
    JsonValue,
    NonNegativeFloat,
    NonNegativeInt,
    PositiveFloat,
    PositiveInt,
    model_validator,
)

from queuesim.satisfaction.parameters import SatisfactionParameters
from queuesim.scenario.base import FrozenModel
from queuesim.scenario.distributions import PatienceDistribution, ServiceDistribution
from queuesim.scenario.units import SECONDS_PER_DAY, format_time_of_day
from queuesim.scenario.values import Duration, Name, PositiveDuration, Rate, TimeOfDay

ChannelKind = Literal["phone", "walk_in", "chat", "email", "social", "chatbot"]
DEFERRED_KINDS = ("email", "social")
"""Channels whose work waits in a backlog for a response deadline instead of a live queue."""
DeferredOrder = Literal["fifo", "edf"]
LIVE_KINDS = ("phone", "walk_in", "chat")
"""Channels where customers wait for an agent, may abandon and may retry."""
ClosePolicy = Literal["wait", "serve", "close"]

DEFAULT_CLOSE_POLICY: dict[str, ClosePolicy] = {
    "phone": "wait",
    "walk_in": "serve",
    "chat": "wait",
    "email": "wait",
    "social": "wait",
    "chatbot": "wait",
}
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


class Concurrency(FrozenModel):
    """How many chat sessions an agent holds at once, and how much each slows as they add up.

    μ_k, an agent's total completion rate with k sessions, is μ_1·k / (1 + q(k − 1)) with
    ``q = slowdown`` (0: no slowdown, 1: no gain from concurrency), or ``speedup[k − 1]`` ×
    μ_1 when the table is given (its first entry is 1). Each session's remaining work drains at
    μ_k / k.
    """

    sessions: PositiveInt = 1
    slowdown: float = Field(default=0.0, ge=0)
    speedup: tuple[PositiveFloat, ...] | None = None

    def rates(self) -> tuple[float, ...]:
        """μ_k / μ_1 for k = 1 ... ``sessions``."""
        if self.speedup is not None:
            return self.speedup
        q = self.slowdown
        return tuple(k / (1 + q * (k - 1)) for k in range(1, self.sessions + 1))

    @model_validator(mode="after")
    def _check(self) -> Concurrency:
        if self.speedup is None:
            return self
        if len(self.speedup) != self.sessions:
            raise ValueError(
                f"speedup: expected one entry per session count 1..{self.sessions}, "
                f"got {len(self.speedup)}"
            )
        if self.speedup[0] != 1:
            raise ValueError(f"speedup: expected 1 for one session, got {self.speedup[0]:g}")
        if "slowdown" in self.model_fields_set:
            raise ValueError("expected one of 'slowdown' or 'speedup', got both")
        return self


class Callback(FrozenModel):
    """Virtual hold: a caller facing a long wait may ask to be called back instead.

    Offered on arrival when the expected wait (the caller's place in the queue × the channel's
    mean work per contact / the agents on duty that may take the call) exceeds ``threshold``;
    accepted with probability ``accept``. The caller keeps their place without holding a line
    (no abandonment, not counted against ``queue_capacity``); when their turn comes an agent
    places the call-back, which the customer answers with probability ``answer``. An
    unanswered call-back takes the agent ``attempt`` and counts as abandoned.
    """

    threshold: Duration
    accept: float = Field(ge=0, le=1)
    answer: float = Field(default=1.0, ge=0, le=1)
    attempt: Duration = 30.0


class Bot(FrozenModel):
    """A chatbot's conversation: how long it lasts, how often it resolves, where it hands over.

    A contact spends ``time`` with the bot (no agent involved), then is contained with the
    probability its contact type has in ``containment`` (0 for a type not listed), or handed
    over to the live channel ``handover`` (phone or chat), where it queues like an arrival of
    that channel, carrying the time already spent.
    """

    time: ServiceDistribution
    containment: dict[Name, Annotated[float, Field(ge=0, le=1)]] = Field(default_factory=dict)
    handover: Name


class Retrial(FrozenModel):
    """Customers who abandon, balk or are blocked may try again later.

    Each such customer retries with ``probability`` after a ``delay``, on ``channel`` (default:
    the same one), as long as the journey has made at most ``limit`` retries before; the
    retry is a new contact of the same journey.
    """

    probability: float = Field(ge=0, le=1)
    delay: ServiceDistribution
    limit: PositiveInt = 1
    channel: Name | None = None


class Repeat(Retrial):
    """Customers whose issue stays unresolved come back: a repeat contact of the same journey.

    An answered contact left unresolved (the agent did not resolve it) comes back with
    ``probability`` after a ``delay`` from the end of its contact, on ``channel`` (default: the
    same one), as long as the journey has made at most ``limit`` further attempts. On a
    channel without its own ``retrial``, abandoned, balked and blocked customers come back by
    the same rule.
    """


class Channel(FrozenModel):
    """A live channel (phone line, walk-in branch, chat) with its own queue, hours and customers.

    ``concurrency`` (chat only) sets how many sessions an agent holds at once; ``callback``
    (phone only) offers virtual hold; ``bot`` (chatbot only) is self-service with hand-over
    to a live channel. ``balking`` (walk-in only) is the probability that an arriving customer
    who must wait leaves at once, by the number already waiting (``balking[n]``; the last
    entry beyond the list); ``retrial`` lets the customers who left try again, ``repeat``
    those whose issue stayed unresolved. An ``email`` or
    ``social`` channel is deferred: items arrive at any hour, wait in a backlog that carries
    over intervals and days, and are worked only between ``open`` and ``close`` (business
    hours); ``deadline`` is the response time promised, counted in calendar time.
    """

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
    concurrency: Concurrency | None = None
    deadline: PositiveDuration | None = None
    callback: Callback | None = None
    bot: Bot | None = None
    balking: tuple[Annotated[float, Field(ge=0, le=1)], ...] | None = Field(
        default=None, min_length=1
    )
    retrial: Retrial | None = None
    repeat: Repeat | None = None

    @property
    def deferred(self) -> bool:
        """Whether the channel's work waits in a backlog (email, social)."""
        return self.kind in DEFERRED_KINDS

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
        if self.concurrency is not None and self.kind != "chat":
            raise ValueError(
                f"concurrency: expected only on a chat channel, got it on a {self.kind} channel"
            )
        if (self.kind == "chatbot") != (self.bot is not None):
            if self.bot is None:
                raise ValueError("bot: expected the bot's time, containment and handover")
            raise ValueError(
                f"bot: expected only on a chatbot channel, got it on a {self.kind} channel"
            )
        if self.bot is not None:
            unknown = sorted(set(self.bot.containment) - set(self.mix))
            if unknown:
                raise ValueError(
                    f"bot.containment: expected contact types of the mix {sorted(self.mix)}, "
                    f"got '{unknown[0]}'"
                )
            if self.patience.dist != "none" or self.queue_capacity is not None:
                given = "patience" if self.patience.dist != "none" else "queue_capacity"
                raise ValueError(
                    f"{given}: expected none on a chatbot channel (the bot takes every contact "
                    "at once)"
                )
        if self.balking is not None and self.kind != "walk_in":
            raise ValueError(
                f"balking: expected only on a walk_in channel (a visible queue), got it on a "
                f"{self.kind} channel"
            )
        if self.retrial is not None and self.kind not in LIVE_KINDS:
            raise ValueError(
                f"retrial: expected only on a live channel ({', '.join(LIVE_KINDS)}), got it on "
                f"a {self.kind} channel"
            )
        if self.repeat is not None and self.kind not in ("phone", "walk_in"):
            raise ValueError(
                f"repeat: expected only on a phone or walk_in channel, got it on a {self.kind} "
                "channel"
            )
        if self.callback is not None and self.kind != "phone":
            raise ValueError(
                f"callback: expected only on a phone channel, got it on a {self.kind} channel"
            )
        if self.deferred:
            kind = f"{'an' if self.kind == 'email' else 'a'} {self.kind}"
            if self.deadline is None:
                raise ValueError(f"deadline: expected a response deadline on {kind} channel")
            if self.patience.dist != "none":
                raise ValueError(
                    f"patience: expected none on {kind} channel (items wait in a backlog), "
                    f"got {self.patience.dist}"
                )
            if self.queue_capacity is not None or self.close_policy != "wait":
                given = "queue_capacity" if self.queue_capacity is not None else "at_close"
                raise ValueError(
                    f"{given}: expected none on {kind} channel (the backlog is unlimited "
                    "and carries over to the next opening)"
                )
        elif self.deadline is not None:
            raise ValueError(
                f"deadline: expected only on an email or social channel, got it on a "
                f"{self.kind} channel"
            )
        return self


def _shorthand_amount(value: object) -> object:
    """A bare number is a deterministic amount."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return {"dist": "deterministic", "value": value}
    return value


AMOUNT_FIELDS = {
    "deterministic": ("value",),
    "uniform": ("low", "high"),
    "exponential": ("mean",),
    "lognormal": ("mean", "cv"),
    "empirical": ("values",),
}
"""The parameters each kind of :class:`Amount` takes."""


class Amount(FrozenModel):
    """A distribution of plain non-negative numbers: an authority need, a concession in money.

    ``deterministic`` (``value``; a bare number is shorthand), ``uniform`` (``low``, ``high``),
    ``exponential`` (``mean``), ``lognormal`` (``mean``, ``cv``) or ``empirical`` (``values``,
    resampled with equal probability).
    """

    dist: Literal["deterministic", "uniform", "exponential", "lognormal", "empirical"]
    value: NonNegativeFloat | None = None
    low: NonNegativeFloat | None = None
    high: NonNegativeFloat | None = None
    mean: PositiveFloat | None = None
    cv: PositiveFloat | None = None
    values: tuple[NonNegativeFloat, ...] | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _check(self) -> Amount:
        needed = AMOUNT_FIELDS[self.dist]
        given = [
            n
            for n in ("value", "low", "high", "mean", "cv", "values")
            if getattr(self, n) is not None
        ]
        missing = [n for n in needed if n not in given]
        extra = [n for n in given if n not in needed]
        if missing or extra:
            raise ValueError(
                f"expected {', '.join(needed)} for a {self.dist} amount, got "
                f"{', '.join(given) or 'none'}"
            )
        if self.dist == "uniform" and self.high < self.low:  # type: ignore[operator]
            raise ValueError(f"expected high >= low, got low {self.low:g} and high {self.high:g}")
        return self

    @property
    def expected(self) -> float:
        """The mean of the distribution."""
        match self.dist:
            case "deterministic":
                return float(self.value)  # type: ignore[arg-type]
            case "uniform":
                return (self.low + self.high) / 2  # type: ignore[operator]
            case "empirical":
                return sum(self.values) / len(self.values)  # type: ignore[arg-type]
        return float(self.mean)  # type: ignore[arg-type]


AmountDistribution = Annotated[Amount, BeforeValidator(_shorthand_amount)]
"""An :class:`Amount`, or a bare number for a fixed one."""


class FollowUp(FrozenModel):
    """An escalation deferred to a follow-up: a later contact of the same journey, ``delay``
    after the first contact ends, on ``channel`` (default: the same one)."""

    delay: ServiceDistribution
    channel: Name | None = None


class Escalation(FrozenModel):
    """What a contact needs in authority, and what becomes of it beyond the agent's authority.

    ``complexity`` is the authority a contact of this type needs (in the unit the agent groups'
    ``empowerment.authority`` uses, e.g. the amount of money to settle), drawn when the
    contact is created. A contact beyond the authority of the agent who answers it is escalated
    as a contact of type ``to`` (whose skill routes it to a second tier): transferred at once
    into that type's queue on the same channel, or, with ``follow_up``, in a later contact.
    """

    complexity: AmountDistribution
    to: Name
    follow_up: FollowUp | None = None


class Empowerment(FrozenModel):
    """An agent group's authority to resolve, and how often it resolves at first contact.

    A contact whose complexity is at most ``authority`` (none: unlimited) is resolved with
    probability ``resolution`` (the group's quality); beyond it, it is escalated (its contact
    type's ``escalation``). Resolving a contact with an authority need takes ``handle_factor``
    times its handle time and after-contact work and may cost a ``concession`` (money);
    with a ``budget`` (money per reporting interval, for the whole group) a concession that
    would exceed what is left of the interval's budget cannot be granted, and the contact is
    escalated instead.
    """

    authority: NonNegativeFloat | None = None
    resolution: float = Field(default=1.0, ge=0, le=1)
    handle_factor: PositiveFloat = 1.0
    concession: AmountDistribution | None = None
    budget: NonNegativeFloat | None = None


class ContactType(FrozenModel):
    """A reason for contact: how long it takes to handle, talk plus after-contact work.

    ``skill`` names the skill an agent needs to take it (none: any agent of a group serving
    its channel); ``priority`` orders the queues a freed agent looks at (higher first; first
    come, first served within a priority). ``escalation`` gives the authority its contacts
    need and where they go beyond an agent's authority.
    """

    handle_time: ServiceDistribution
    after_contact_work: ServiceDistribution = Field(
        default_factory=lambda: {"dist": "deterministic", "value": "0 s"}, validate_default=True
    )
    skill: Name | None = None
    priority: int = 0
    escalation: Escalation | None = None


def _shorthand_proficiency(value: object) -> object:
    """A bare number is a proficiency taken without delay."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return {"proficiency": value}
    return value


class SkillLevel(FrozenModel):
    """How well, and how soon, an agent group takes contacts needing one skill.

    Handle time and after-contact work are divided by ``proficiency`` (1 = the contact type's
    distribution, 0.8 = 25% longer). ``after`` makes the group a secondary (overflow) group for
    this skill: it takes such a contact only once the contact has waited that long.
    """

    proficiency: float = Field(default=1.0, gt=0)
    after: Duration = 0.0


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


class Standards(FrozenModel):
    """Service standards, and how much the agents of a group differ without them.

    Each agent draws a speed factor s (lognormal with mean 1 and coefficient of variation
    ``speed_cv`` · (1 − ``level``): its handle time and after-contact work are the contact
    type's divided by s; with every agent always busy the group's throughput is that of
    identical agents, at lower occupancy its mean handle time rises towards (1 + CV²) times
    the contact type's) and a quality factor q (lognormal with E[1/q] = 1 and coefficient of
    variation of 1/q ``quality_cv`` · (1 − ``level``)). A contact the agent resolves carries
    an error with probability ``error_rate`` · (1 − ``error_reduction`` · ``level``) / q; an
    agent leaves a contact unresolved with the group's probability
    (1 − ``empowerment.resolution``) / q (both capped at 1). ``level`` runs from 0 (no
    standards: service depends on each agent) to 1 (fully standardised: every agent alike).
    """

    level: float = Field(default=0.0, ge=0, le=1)
    speed_cv: NonNegativeFloat = 0.0
    quality_cv: NonNegativeFloat = 0.0
    error_rate: float = Field(default=0.0, ge=0, le=1)
    error_reduction: float = Field(default=0.5, ge=0, le=1)

    @property
    def speed_spread(self) -> float:
        """The coefficient of variation of the speed factors at this level."""
        return self.speed_cv * (1.0 - self.level)

    @property
    def quality_spread(self) -> float:
        """The coefficient of variation of 1/q at this level."""
        return self.quality_cv * (1.0 - self.level)

    @property
    def errors(self) -> float:
        """The group's mean error probability per resolved contact at this level."""
        return self.error_rate * (1.0 - self.error_reduction * self.level)


class Training(FrozenModel):
    """A daily training session: at ``start`` every agent of the group on duty finishes the
    current contact and spends ``duration`` off the queues, counted as training time; each
    hour of training counts as ``effect`` hours of experience. Sessions run from the first
    day of the run until ``until`` (from 00:00 of day 1; none: the whole horizon)."""

    start: TimeOfDay
    duration: PositiveDuration = Field(lt=SECONDS_PER_DAY)
    effect: NonNegativeFloat = 1.0
    until: Duration | None = None


class SkillCurve(FrozenModel):
    """One skill's own learning curve: ``initial`` and ``time_constant`` as in
    :class:`Learning`, for the contacts needing that skill."""

    initial: float = Field(gt=0, le=1)
    time_constant: PositiveDuration


class Learning(FrozenModel):
    """A learning curve: the group's proficiency grows from ``initial`` times its skills'
    proficiency towards their full value as experience x accumulates,
    m(x) = 1 − (1 − ``initial``) · exp(−x / ``time_constant``), where x is the time since
    the run's start plus ``training.effect`` times the training time each agent has had.
    ``skills`` gives some skills a curve of their own (a skill newly learnt starts lower and
    takes longer); the others follow the group's. Handle time and after-contact work are
    divided by m at the start of each contact."""

    initial: float = Field(gt=0, le=1)
    time_constant: PositiveDuration
    skills: dict[Name, SkillCurve] = Field(default_factory=dict)
    training: Training | None = None


class AgentGroup(FrozenModel):
    """Agents who serve the queues of the listed channels.

    Staffed either by a fixed ``size`` (on duty for the whole horizon), by ``shifts`` repeated
    every day, or by a roster CSV (``roster_csv``: ``shift, start, end, agents`` and optionally
    ``group`` and ``breaks``). ``shrinkage`` (planned time off the phones) scales the agents of
    every shift by (1 − s), rounded to the nearest integer; ``absenteeism`` makes each
    agent-shift absent with that probability, drawn per replication. ``skills`` lists the
    skills the group holds (contact types needing another skill are not its work), each with
    a proficiency and an overflow delay. ``deferred_order`` is how its agents pick deferred
    work (email, social) once no live contact waits: oldest first (``fifo``) or earliest due
    first (``edf``). ``empowerment`` is the group's authority and first-contact resolution,
    ``standards`` the spread between its agents and their errors, ``learning`` its learning
    curve and training sessions.
    """

    channels: tuple[Name, ...] = Field(min_length=1)
    size: NonNegativeInt | None = None
    shifts: tuple[Shift, ...] | None = None
    roster_csv: str | None = None
    shrinkage: float = Field(default=0.0, ge=0, lt=1)
    absenteeism: float = Field(default=0.0, ge=0, lt=1)
    cost_per_hour: NonNegativeFloat = 0.0
    deferred_order: DeferredOrder = "fifo"
    skills: dict[Name, Annotated[SkillLevel, BeforeValidator(_shorthand_proficiency)]] = Field(
        default_factory=dict
    )
    empowerment: Empowerment | None = None
    standards: Standards | None = None
    learning: Learning | None = None

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

    @model_validator(mode="after")
    def _learning_fits_the_group(self) -> AgentGroup:
        """Skill curves name the group's skills; a training session lies within a shift
        (whoever is on duty when it starts trains to its end, within the shift) and
        overlaps no break (an agent takes one or the other)."""
        if self.learning is None:
            return self
        for skill in self.learning.skills:
            if skill not in self.skills:
                raise ValueError(
                    f"learning.skills.{skill}: expected one of the group's skills "
                    f"{sorted(self.skills)}, got '{skill}'"
                )
        training = self.learning.training
        if training is None or self.shifts is None:
            return self
        session = f"{format_time_of_day(training.start)} for {training.duration / 60:g} min"
        covering = 0
        for shift in self.shifts:
            into = (training.start - shift.start) % SECONDS_PER_DAY
            if into >= shift.length:
                continue
            if into + training.duration > shift.length:
                raise ValueError(
                    f"learning.training: expected a session within each shift on duty when "
                    f"it starts, got {session} past the end of shift {shift.name} "
                    f"({format_time_of_day(shift.end)})"
                )
            covering += 1
        if not covering:
            raise ValueError(
                f"learning.training: expected a session within a shift of the group, got "
                f"{session}, when no shift is on duty"
            )
        for shift in self.shifts:
            for brk in shift.breaks:
                gap = (brk.start - training.start) % SECONDS_PER_DAY
                if gap < training.duration or SECONDS_PER_DAY - gap < brk.duration:
                    raise ValueError(
                        f"learning.training: expected a session apart from every break, got "
                        f"{session} overlapping shift {shift.name}'s break at "
                        f"{format_time_of_day(brk.start)}"
                    )
        return self


class WaitingNow(FrozenModel):
    """Customers of one channel and contact type waiting when the run starts, by elapsed wait."""

    channel: Name
    contact_type: Name
    waited: tuple[Duration, ...] = Field(min_length=1)


class InServiceNow(FrozenModel):
    """Contacts of one agent group in service when the run starts, by remaining work:
    ``remaining`` those held by agents on shift, ``after_shift`` those held by agents whose
    shift has ended (they leave once it is done). With ``break_after`` their agents take a
    break of that length once the contact is done (a break that began while they were busy)."""

    agent_group: Name
    remaining: tuple[Duration, ...] = ()
    after_shift: tuple[Duration, ...] = ()
    break_after: PositiveDuration | None = None


class InitialState(FrozenModel):
    """Where a day stands when the run starts (an intraday re-forecast starts from it).

    The run starts at ``time`` on day ``day``: arrivals, shifts and breaks from then on,
    ``waiting`` customers queued with their elapsed waits, ``in_service`` contacts finished
    first by agents of their group, ``on_break`` the agents of a group on a break now with
    the break time left, and ``on_duty`` the agents of a group on shift now (busy, idle or on
    a break) when it differs from the roster (absences, agents added). Breaks that began
    before the start are over but for the agents listed as on a break or with ``break_after``.
    """

    time: TimeOfDay
    day: PositiveInt = 1
    waiting: tuple[WaitingNow, ...] = ()
    in_service: tuple[InServiceNow, ...] = ()
    on_break: dict[Name, tuple[Duration, ...]] = Field(default_factory=dict)
    on_duty: dict[Name, NonNegativeInt] = Field(default_factory=dict)

    @property
    def start(self) -> float:
        """The run's start in seconds from 00:00 of day 1."""
        return (self.day - 1) * SECONDS_PER_DAY + self.time


class DetractorFollowUp(FrozenModel):
    """Detractors followed up during the run: each a task on a deferred channel's backlog.

    Every reporting interval (or every ``delay``, when longer) the journeys that closed since
    the last check are scored;
    each detractor the policy targets (``whom``: ``surveyed``, those who answered the survey,
    or ``all``) becomes, ``delay`` after the journey's end (never before the check), a task
    of type ``contact_type`` on the deferred ``channel``, worked by the agents who serve it
    like any other item of its backlog. A task worked to its end before the horizon reaches
    the customer with probability ``reach``, and then the journey is followed up (its score
    recovers, docs/satisfaction.md).
    ``reach`` 0.7 and ``delay`` 2 h are assumptions (indicative of call-back practice).
    """

    channel: Name
    contact_type: Name
    whom: Literal["surveyed", "all"] = "surveyed"
    reach: float = Field(default=0.7, ge=0, le=1)
    delay: Duration = 7200.0


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
    satisfaction: SatisfactionParameters | None = Field(
        default=None,
        description="Score every journey with the satisfaction model (docs/satisfaction.md).",
    )
    detractor_follow_up: DetractorFollowUp | None = Field(
        default=None,
        description="Follow up detractors during the run (docs/satisfaction.md).",
    )
    variants: dict[Name, dict[str, JsonValue]] = Field(
        default_factory=dict,
        description="Named what-if variants: each maps dotted paths (as for --set) to values.",
    )
    initial_state: InitialState | None = None

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
                if self.channels[channel_name].kind == "chatbot":
                    raise ValueError(
                        f"agent_groups.{group_name}.channels: expected channels that agents "
                        f"serve, got the chatbot '{channel_name}'"
                    )
        for channel_name, channel in self.channels.items():
            repeat = channel.repeat
            if repeat is not None and repeat.channel is not None:
                target = self.channels.get(repeat.channel)
                if target is None or target.kind not in ("phone", "walk_in"):
                    candidates = sorted(
                        n for n, c in self.channels.items() if c.kind in ("phone", "walk_in")
                    )
                    raise ValueError(
                        f"channels.{channel_name}.repeat.channel: expected a phone or walk_in "
                        f"channel (one of {candidates}), got '{repeat.channel}'"
                    )
            retrial = channel.retrial
            if retrial is not None and retrial.channel is not None:
                target = self.channels.get(retrial.channel)
                if target is None or target.kind not in LIVE_KINDS:
                    live_channels = sorted(
                        n for n, c in self.channels.items() if c.kind in LIVE_KINDS
                    )
                    raise ValueError(
                        f"channels.{channel_name}.retrial.channel: expected a live channel "
                        f"(one of {live_channels}), got '{retrial.channel}'"
                    )
            if channel.bot is None:
                continue
            live = sorted(n for n, c in self.channels.items() if c.kind in ("phone", "chat"))
            target = self.channels.get(channel.bot.handover)
            if target is None or target.kind not in ("phone", "chat"):
                raise ValueError(
                    f"channels.{channel_name}.bot.handover: expected a phone or chat channel "
                    f"(one of {live}), got '{channel.bot.handover}'"
                )
        self._check_escalations()
        return self

    def _check_escalations(self) -> None:
        """Escalation targets and follow-up channels exist; no chat channel is involved."""
        served = sorted(n for n, c in self.channels.items() if c.kind not in ("chat", "chatbot"))
        for type_name, spec in self.contact_types.items():
            escalation = spec.escalation
            if escalation is None:
                continue
            where = f"contact_types.{type_name}.escalation"
            target = self.contact_types.get(escalation.to)
            if target is None or escalation.to == type_name:
                others = sorted(t for t in self.contact_types if t != type_name)
                raise ValueError(
                    f"{where}.to: expected another contact type (one of {others}), got "
                    f"'{escalation.to}'"
                )
            if target.escalation is not None:
                raise ValueError(
                    f"{where}.to: expected a contact type without an escalation of its own (the "
                    f"last tier), got '{escalation.to}'"
                )
            follow_up = escalation.follow_up
            channel = None if follow_up is None else follow_up.channel
            if channel is not None and channel not in served:
                raise ValueError(
                    f"{where}.follow_up.channel: expected a channel agents serve one at a time "
                    f"(one of "
                    f"{served}), got '{channel}'"
                )
        chats = [n for n, c in self.channels.items() if c.kind == "chat"]
        for name in chats:
            escalating = [
                t for t in self.channels[name].mix if self.contact_types[t].escalation is not None
            ]
            if escalating:
                raise ValueError(
                    f"contact_types.{escalating[0]}.escalation: expected contact types with an "
                    f"escalation only on channels other than chat, got it in the mix of chat "
                    f"channel '{name}'"
                )
        for group_name, group in self.agent_groups.items():
            chat = [n for n in group.channels if n in chats]
            if group.empowerment is not None and chat:
                raise ValueError(
                    f"agent_groups.{group_name}.empowerment: expected a group serving no chat "
                    f"channel (concurrent sessions are not modelled with empowerment), got "
                    f"chat channel '{chat[0]}'"
                )
            if group.standards is not None and group.standards.error_rate > 0 and chat:
                raise ValueError(
                    f"agent_groups.{group_name}.standards.error_rate: expected 0 for a group "
                    f"serving a chat channel (errors are not modelled on concurrent sessions), "
                    f"got {group.standards.error_rate:g} with chat channel '{chat[0]}'"
                )

    @property
    def uses_empowerment(self) -> bool:
        """Whether any agent group has an ``empowerment`` or an error rate, any contact type an
        ``escalation``, any channel a ``repeat`` or the scenario a ``satisfaction`` section:
        then every answered contact is resolved, or not, or escalated, and the run follows
        every journey."""
        return (
            self.satisfaction is not None
            or any(g.empowerment is not None for g in self.agent_groups.values())
            or any(
                g.standards is not None and g.standards.errors > 0
                for g in self.agent_groups.values()
            )
            or any(t.escalation is not None for t in self.contact_types.values())
            or any(c.repeat is not None for c in self.channels.values())
        )

    def arriving_types(self, channel_name: str) -> list[str]:
        """The contact types that reach a channel: its mix, then those that bots hand over or
        other channels' retrials and repeats send to it, then the types its contacts are
        escalated to, then the detractor follow-up tasks' (in a stable order)."""
        feeds = {}  # channel -> the channels whose contacts it may receive
        for name, channel in self.channels.items():
            if channel.bot is not None:
                feeds.setdefault(channel.bot.handover, []).append(name)
            if channel.retrial is not None and channel.retrial.channel not in (None, name):
                feeds.setdefault(channel.retrial.channel, []).append(name)
            if channel.repeat is not None and channel.repeat.channel not in (None, name):
                feeds.setdefault(channel.repeat.channel, []).append(name)
        types = list(self.channels[channel_name].mix)
        seen, todo = {channel_name}, list(feeds.get(channel_name, ()))
        while todo:
            source = todo.pop(0)
            if source in seen:
                continue
            seen.add(source)
            types += [t for t in self.channels[source].mix if t not in types]
            todo += feeds.get(source, ())
        escalated = []
        for type_name in types:
            escalation = self.contact_types[type_name].escalation
            if escalation is not None and (
                escalation.follow_up is None or escalation.follow_up.channel is None
            ):
                escalated.append(escalation.to)
        for spec in self.contact_types.values():
            escalation = spec.escalation
            follow_up = None if escalation is None else escalation.follow_up
            if follow_up is not None and follow_up.channel == channel_name:
                escalated.append(escalation.to)
        types += [t for t in dict.fromkeys(escalated) if t not in types]
        policy = self.detractor_follow_up
        if (
            policy is not None
            and policy.channel == channel_name
            and policy.contact_type in self.contact_types
            and policy.contact_type not in types
        ):
            types.append(policy.contact_type)  # the follow-up tasks
        return types

    @model_validator(mode="after")
    def _check_skills(self) -> Scenario:
        for group_name, group in self.agent_groups.items():
            needed = sorted(
                {
                    skill
                    for channel_name in group.channels
                    for contact_type in self.arriving_types(channel_name)
                    if (skill := self.contact_types[contact_type].skill) is not None
                }
            )
            for skill in group.skills:
                if skill not in needed:
                    expected = (
                        f"one of {needed}" if needed else "none: no contact type there needs one"
                    )
                    raise ValueError(
                        f"agent_groups.{group_name}.skills.{skill}: expected a skill that a "
                        f"contact type of its channels needs ({expected}), got '{skill}'"
                    )
        for channel_name, channel in self.channels.items():
            if channel.bot is not None:
                continue
            for contact_type in self.arriving_types(channel_name):
                skill = self.contact_types[contact_type].skill
                if skill is None:
                    continue
                holders = [
                    name
                    for name, group in self.agent_groups.items()
                    if channel_name in group.channels and skill in group.skills
                ]
                if not holders:
                    raise ValueError(
                        f"contact_types.{contact_type}.skill: expected a skill held by an agent "
                        f"group serving channel '{channel_name}', got '{skill}', which no such "
                        "group lists under 'skills'"
                    )
        return self

    @model_validator(mode="after")
    def _check_initial_state(self) -> Scenario:
        state = self.initial_state
        if state is None:
            return self
        if state.start >= self.horizon:
            raise ValueError(
                f"initial_state.time: expected a time before the horizon "
                f"({self.horizon / 3600:g} h), got day {state.day} "
                f"{format_time_of_day(state.time)}"
            )
        deferred = sorted(n for n, c in self.channels.items() if c.deferred)
        if deferred:
            raise ValueError(
                "initial_state: expected a scenario without deferred channels (an initial "
                f"backlog is not modelled), got {deferred}"
            )
        for index, waiting in enumerate(state.waiting):
            where = f"initial_state.waiting.{index}"
            channel = self.channels.get(waiting.channel)
            if channel is None or channel.bot is not None:
                agents_serve = sorted(n for n, c in self.channels.items() if c.bot is None)
                raise ValueError(
                    f"{where}.channel: expected one of the channels {agents_serve}, "
                    f"got '{waiting.channel}'"
                )
            types = self.arriving_types(waiting.channel)
            if waiting.contact_type not in types:
                raise ValueError(
                    f"{where}.contact_type: expected one of {types}, got '{waiting.contact_type}'"
                )
        groups = sorted(self.agent_groups)
        named = [
            (f"in_service.{i}.agent_group", s.agent_group) for i, s in enumerate(state.in_service)
        ]
        named += [(f"on_break.{g}", g) for g in state.on_break]
        named += [(f"on_duty.{g}", g) for g in state.on_duty]
        for where, group in named:
            if group not in self.agent_groups:
                raise ValueError(
                    f"initial_state.{where}: expected one of the agent groups {groups}, "
                    f"got '{group}'"
                )
        return self

    @model_validator(mode="after")
    def _check_detractor_follow_up(self) -> Scenario:
        policy = self.detractor_follow_up
        if policy is None:
            return self
        where = "detractor_follow_up"
        if self.satisfaction is None:
            raise ValueError(
                f"{where}: expected a 'satisfaction' section (detractors are found by the "
                "satisfaction model), got none"
            )
        deferred = sorted(n for n, c in self.channels.items() if c.deferred)
        channel = self.channels.get(policy.channel)
        if channel is None:
            raise ValueError(
                f"{where}.channel: expected one of the deferred channels {deferred}, "
                f"got '{policy.channel}'"
            )
        if not channel.deferred:
            raise ValueError(
                f"{where}.channel: expected a deferred channel (email or social: one of "
                f"{deferred}), got '{policy.channel}', a {channel.kind} channel"
            )
        if policy.contact_type not in self.contact_types:
            raise ValueError(
                f"{where}.contact_type: expected one of the contact types "
                f"{sorted(self.contact_types)}, got '{policy.contact_type}'"
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
                if (
                    point.volume > 0
                    and not channel.deferred
                    and not channel.open <= point.start < channel.close
                ):
                    raise ValueError(
                        f"{where}: expected volume only while the channel is open "
                        f"({format_time_of_day(channel.open)}-"
                        f"{format_time_of_day(channel.close)}), got {point.volume:g} at {label}"
                    )
        return self


__all__ = [
    "DEFERRED_KINDS",
    "LIVE_KINDS",
    "AgentGroup",
    "Amount",
    "AmountDistribution",
    "Arrivals",
    "Bot",
    "Break",
    "Callback",
    "Channel",
    "ChannelKind",
    "ClosePolicy",
    "Concurrency",
    "ContactType",
    "DeferredOrder",
    "DetractorFollowUp",
    "Dispersion",
    "Empowerment",
    "Escalation",
    "FollowUp",
    "InServiceNow",
    "InitialState",
    "Learning",
    "ProfilePoint",
    "Repeat",
    "Retrial",
    "Scenario",
    "ServiceLevel",
    "Shift",
    "SkillCurve",
    "SkillLevel",
    "Standards",
    "Training",
    "WaitingNow",
]

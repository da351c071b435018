"""The parameters of the satisfaction model, with their defaults and where each comes from.

Every model is frozen and refuses unknown keys (like the scenario schema), and durations are
written with their unit (``"1 min"``, ``"1 d"``), so the whole set can sit in a scenario file
as a ``satisfaction:`` section. The defaults are assumptions to calibrate with the user's own
survey data (:func:`queuesim.satisfaction.fit_satisfaction`), not facts; docs/satisfaction.md
lists each one with its source.

Sources (see docs/satisfaction.md for the full references):

- weights: Zeithaml, Parasuraman, Berry (1990), *Delivering Quality Service* — importance
  points of the five SERVQUAL dimensions (Parasuraman, Zeithaml, Berry 1988);
- perceived wait: Antonides, Verhoef, van Aalst (2002) — perceived wait grows less than
  proportionally with the actual wait (a power law with exponent below 1); Maister (1985);
- reliability: practice figures (*indicative*) — each repeat contact costs about 15% of
  satisfaction; Feinberg et al. (2000) — resolution and abandonment matter more than speed;
- empathy: Bowen & Lawler (1992) — empowered staff recover faster and give warmer contact;
- NPS groups: Reichheld (2003);
- follow-up: de Matos, Henrique, Rossi (2007) — recovery raises satisfaction, but a recovery
  paradox (ending above the customers who had no failure) is not reliable, so it is not the
  default.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Annotated

from pydantic import Field, model_validator

from queuesim.scenario.base import FrozenModel
from queuesim.scenario.values import PositiveDuration

DIMENSIONS = ("reliability", "responsiveness", "assurance", "empathy", "tangibles")
"""The five SERVQUAL dimensions, in the order of their default importance."""

CSAT_LEVELS = 5
"""CSAT runs from 1 (very dissatisfied) to 5 (very satisfied)."""

NonNegative = Annotated[float, Field(ge=0)]
Share = Annotated[float, Field(ge=0, le=1)]

MINUTE = 60.0
DAY = 86400.0


class Weights(FrozenModel):
    """Relative importance of the five dimensions in the overall judgement.

    Any non-negative numbers with a positive sum (shares or points such as 32, 22, 19, 16, 11);
    they are normalised to sum to 1. Defaults: SERVQUAL importance points, Zeithaml,
    Parasuraman & Berry (1990). Other studies find other or near-equal weights (Sachdev &
    Verma 2004): calibrate them.
    """

    reliability: NonNegative = 0.32
    responsiveness: NonNegative = 0.22
    assurance: NonNegative = 0.19
    empathy: NonNegative = 0.16
    tangibles: NonNegative = 0.11

    @model_validator(mode="after")
    def _positive_sum(self) -> Weights:
        if sum(getattr(self, name) for name in DIMENSIONS) <= 0:
            raise ValueError("expected at least one weight greater than zero, got all zero")
        return self

    def normalised(self) -> dict[str, float]:
        """The weights divided by their sum, keyed by dimension."""
        total = sum(getattr(self, name) for name in DIMENSIONS)
        return {name: getattr(self, name) / total for name in DIMENSIONS}


class PerceivedWait(FrozenModel):
    """Perceived wait = ``scale`` · u · (W / u)^``exponent``, u = ``unit``.

    With the default unit of a minute this is Antonides et al.'s (2002) power law
    perceived = k · W^p in minutes. p < 1: perceived waits grow less than proportionally; with
    k > 1 short waits feel longer than they are and long ones shorter, crossing at
    W = u · k^(1 / (1 − p)) (about 1.8 min with the defaults, which are *indicative*: the
    shape follows the study, the figures are assumptions). ``scale: 1, exponent: 1`` turns the
    effect off.
    """

    scale: float = Field(default=1.2, gt=0)
    exponent: float = Field(default=0.7, gt=0, le=1)
    unit: PositiveDuration = MINUTE


class ChannelExperience(FrozenModel):
    """What customers of one channel expect and see.

    ``acceptable_wait``: the perceived wait at which responsiveness has lost
    c · ln 2 (the W_acceptable of the responsiveness formula); ``tangibles``: the score of the
    channel's look and feel (web page, app, branch, voice quality) on the dimension scale.
    """

    acceptable_wait: PositiveDuration
    tangibles: float


def _default_channels() -> dict[str, ChannelExperience]:
    """Indicative expectations per channel kind: live channels are judged in minutes,
    deferred ones in hours (email and social response targets of hours to a day)."""
    return {
        "phone": ChannelExperience(acceptable_wait="1 min", tangibles=0.7),
        "chat": ChannelExperience(acceptable_wait="1 min", tangibles=0.75),
        "walk_in": ChannelExperience(acceptable_wait="5 min", tangibles=0.8),
        "email": ChannelExperience(acceptable_wait="4 h", tangibles=0.65),
        "social": ChannelExperience(acceptable_wait="1 h", tangibles=0.65),
        "chatbot": ChannelExperience(acceptable_wait="10 s", tangibles=0.6),
    }


class Responsiveness(FrozenModel):
    """responsiveness = best − wait_slope · ln(1 + W_perceived / W_acceptable)
    − resolution_slope · ln(1 + T / acceptable_resolution) − abandonment_penalty · abandoned.

    T is the time to resolution, or ``unresolved_time`` for a journey never resolved (an
    open issue feels like one resolved that late). The logarithm makes the first minutes
    beyond the acceptable wait cost most (Maister 1985); the abandonment term follows
    Feinberg et al. (2000), for whom abandonment matters more than the answer speed. The
    figures are *indicative*.
    """

    best: float = 1.0
    wait_slope: NonNegative = 0.35
    resolution_slope: NonNegative = 0.1
    acceptable_resolution: PositiveDuration = DAY
    unresolved_time: PositiveDuration = 7 * DAY
    abandonment_penalty: NonNegative = 0.1


class Reliability(FrozenModel):
    """reliability = (resolved or unresolved) · (1 − repeat_penalty)^(contacts − 1)
    · (1 − error_penalty)^errors · (1 − transfer_penalty)^transfers.

    ``repeat_penalty`` 0.15: each repeat contact costs about 15% of satisfaction (practice
    figure, *indicative*). The other figures are assumptions.
    """

    resolved: float = 1.0
    unresolved: float = 0.2
    repeat_penalty: Share = 0.15
    error_penalty: Share = 0.1
    transfer_penalty: Share = 0.05


class Assurance(FrozenModel):
    """assurance = 1 − shortfall_slope · (1 − min(proficiency, 1)) for a journey that reached
    an agent; ``unserved`` (a neutral 0.5 by default) for one that never did, since no
    competence was shown either way."""

    shortfall_slope: NonNegative = 1.0
    unserved: float = 0.5


class Empathy(FrozenModel):
    """empathy = base + authority · empowered + personalisation + consistency for a journey
    that reached an agent (``empowered``: share of its contacts where the agent could act);
    ``unserved`` for one that never did.

    Authority to act gives warmer contact and faster recovery (Bowen & Lawler 1992);
    ``personalisation`` (the agent knows the customer) and ``consistency`` (service
    standards) are constants until the engine varies them. Figures are assumptions.
    """

    base: float = 0.5
    authority: float = 0.3
    personalisation: float = 0.1
    consistency: float = 0.1
    unserved: float = 0.4


class Csat(FrozenModel):
    """CSAT from the latent score y* = Σ w·dimension + noise·ε, ε ~ N(0, 1): 1 + the number
    of ``cut_points`` below y* (an ordered-probit model). Defaults put a journey answered
    within the acceptable wait and resolved at the first contact mostly at 5 and an abandoned,
    unresolved one mostly at 1; they are assumptions to calibrate."""

    cut_points: tuple[float, float, float, float] = (0.4, 0.55, 0.7, 0.85)
    noise: NonNegative = 0.1

    @model_validator(mode="after")
    def _increasing(self) -> Csat:
        points = self.cut_points
        if any(b <= a for a, b in pairwise(points)):
            raise ValueError(f"cut_points: expected increasing values, got {list(points)}")
        return self


class Recommend(FrozenModel):
    """Likelihood to recommend (0–10) = intercept + slope · y* + noise · η, η ~ N(0, 1),
    rounded to the nearest whole number and kept within 0–10.

    η is the part of loyalty that satisfaction does not explain. Defaults map the CSAT 5
    threshold (0.85) to about 9 (a promoter) and the CSAT 3 threshold (0.55) to about 5 (a
    detractor); assumptions to calibrate. NPS groups (Reichheld 2003): promoters 9–10,
    passives 7–8, detractors 0–6.
    """

    intercept: float = -1.5
    slope: float = Field(default=12.0, gt=0)
    noise: NonNegative = 1.0


class FollowUp(FrozenModel):
    """Recovery when a dissatisfied customer is followed up: y* += share · max(0, target − y*).

    ``target`` defaults to the CSAT 4 cut-point: recovery at most lifts a customer to
    "satisfied", never above customers who had no failure, since a recovery paradox is not
    reliable (de Matos, Henrique & Rossi 2007). Setting ``target`` above the scores of good
    journeys models a paradox. ``share`` 0.3 is an assumption.
    """

    share: Share = 0.3
    target: float | None = None


class Survey(FrozenModel):
    """Who answers a survey: the response probability rises linearly with the distance of the
    answer's CSAT from the middle (3): ``rate_middle`` at 3, ``rate_extremes`` at 1 and 5,
    halfway between at 2 and 4. Customers with extreme experiences answer more often; equal
    rates give an unbiased sample. Post-contact surveys reach only customers who were served
    (``include_unserved: false``); a relationship survey reaching every customer sets it
    true. Rates are *indicative*."""

    rate_middle: Share = 0.08
    rate_extremes: Share = 0.2
    include_unserved: bool = False


class SatisfactionParameters(FrozenModel):
    """Every parameter of the satisfaction model; each section has documented defaults.

    ``channels`` is keyed by the values of the journeys table's ``channel`` column, or by
    channel kind (``phone``, ``chat``, ``walk_in``, ``email``, ``social``, ``chatbot``, the
    defaults) when the scoring is told each channel's kind. Giving ``channels`` replaces the
    default set.
    """

    weights: Weights = Field(default_factory=Weights)
    perceived_wait: PerceivedWait = Field(default_factory=PerceivedWait)
    channels: dict[str, ChannelExperience] = Field(default_factory=_default_channels, min_length=1)
    responsiveness: Responsiveness = Field(default_factory=Responsiveness)
    reliability: Reliability = Field(default_factory=Reliability)
    assurance: Assurance = Field(default_factory=Assurance)
    empathy: Empathy = Field(default_factory=Empathy)
    csat: Csat = Field(default_factory=Csat)
    recommend: Recommend = Field(default_factory=Recommend)
    follow_up: FollowUp = Field(default_factory=FollowUp)
    survey: Survey = Field(default_factory=Survey)

    @property
    def recovery_target(self) -> float:
        """The latent score a followed-up customer is lifted towards."""
        if self.follow_up.target is not None:
            return self.follow_up.target
        return self.csat.cut_points[2]


__all__ = [
    "CSAT_LEVELS",
    "DIMENSIONS",
    "Assurance",
    "ChannelExperience",
    "Csat",
    "Empathy",
    "FollowUp",
    "PerceivedWait",
    "Recommend",
    "Reliability",
    "Responsiveness",
    "SatisfactionParameters",
    "Survey",
    "Weights",
]

"""Where customers come from: a channel's arrivals, and the attributes its customers bring.

Every attribute is drawn from a stream named for its purpose and place (SEMANTICS.md), in
arrival order, whether or not it is used, so that a variant with other staffing meets the same
customers and adding a channel changes no other channel's customers. A chatbot's hand-overs
draw their live attributes from the chatbot's own ``handover/<chatbot>/...`` streams, so a
chatbot leaves the live channel's own arrivals untouched.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from queuesim.model.arrivals import ArrivalTimes, aht_factors
from queuesim.model.sampling import amounts, choices, sampler, uniforms
from queuesim.rng import stream
from queuesim.scenario.schema import Callback, Channel, Scenario

if TYPE_CHECKING:
    from queuesim.metrics import SegmentStats
    from queuesim.model.customers import Customer
    from queuesim.model.queues import ChannelQueue, SkillQueue


def _callback_choices(callback: Callback | None, rng: np.random.Generator) -> Iterator[int] | None:
    """Each customer's call-back choice (decline, accept and answer, accept and miss)."""
    if callback is None:
        return None
    accept, answer = callback.accept, callback.answer
    return choices([1 - accept, accept * answer, accept * (1 - answer)], rng)


class LiveAttributes:
    """Samplers of what a customer brings to a live channel, per contact type.

    ``prefix`` names the streams: ``""`` for the channel's own arrivals
    (``service/<channel>/<type>``, ``patience/<channel>``, ...), ``"handover/<chatbot>/"``
    for a chatbot's hand-overs to it.
    """

    def __init__(
        self,
        scenario: Scenario,
        seed: int,
        rep: int,
        prefix: str,
        name: str,
        channel: Channel,
        types: list[str],
    ) -> None:
        specs = [scenario.contact_types[t] for t in types]
        self.handle = [
            sampler(spec.handle_time, stream(seed, rep, f"{prefix}service/{name}/{t}"))
            for spec, t in zip(specs, types, strict=True)
        ]
        self.acw = [
            sampler(spec.after_contact_work, stream(seed, rep, f"{prefix}acw/{name}/{t}"))
            for spec, t in zip(specs, types, strict=True)
        ]
        self.patience = sampler(channel.patience, stream(seed, rep, f"{prefix}patience/{name}"))
        self.choice = _callback_choices(
            channel.callback, stream(seed, rep, f"{prefix}callback/{name}")
        )
        self.balk: Iterator[float] | None = None
        if channel.balking is not None:
            self.balk = uniforms(stream(seed, rep, f"{prefix}balking/{name}"))
        self.outcome: Iterator[float] | None = None
        """What decides how each contact ends if answered (None: journeys not followed)."""
        if scenario.uses_empowerment:
            self.outcome = uniforms(stream(seed, rep, f"{prefix}outcome/{name}"))
        self.complexity: list[Iterator[float]] | None = None
        """Per contact type, the authority its contacts need (None: no type has any)."""
        if any(spec.escalation is not None for spec in specs):
            self.complexity = [
                itertools.repeat(0.0)
                if spec.escalation is None
                else amounts(
                    spec.escalation.complexity,
                    stream(seed, rep, f"{prefix}complexity/{name}/{t}"),
                )
                for spec, t in zip(specs, types, strict=True)
            ]

    def add_extras(self, customer: Customer, k: int) -> None:
        """Give a new contact of the ``k``-th contact type what it brings besides its times,
        where it applies: its call-back choice, balking draw, complexity and outcome draw."""
        if self.choice is not None:
            customer.choice = next(self.choice)
        if self.balk is not None:
            customer.balk = next(self.balk)
        if self.complexity is not None:
            customer.complexity = next(self.complexity[k])
        if self.outcome is not None:
            customer.outcome = next(self.outcome)


class ChannelSource:
    """A channel's arrival times, contact-type mix and the attributes its customers bring."""

    def __init__(
        self,
        scenario: Scenario,
        seed: int,
        rep: int,
        queue: ChannelQueue,
        lines: dict[tuple[str, str], SkillQueue],
        segments: dict[tuple[str, str], SegmentStats],
        on_arrival: Callable[[Any], None],
    ) -> None:
        name, channel = queue.name, queue.channel
        self.times = ArrivalTimes(
            scenario,
            channel,
            stream(seed, rep, f"arrivals/{name}"),
            stream(seed, rep, f"forecast/{name}"),
        )
        days = map(self.times.day, range(scenario.days))
        self.arrival_times: Iterator[float] = itertools.chain.from_iterable(days)
        types = list(channel.mix)
        self.types = types
        self.lines = [lines[(name, t)] for t in types]
        self.mix = choices([channel.mix[t] for t in types], stream(seed, rep, f"mix/{name}"))
        self.stats = [segments[(name, t)] for t in types]
        self.factors = aht_factors(scenario, channel)
        self.callbacks = [on_arrival]
        if channel.bot is None:
            attributes = LiveAttributes(scenario, seed, rep, "", name, channel, types)
            self.handle = attributes.handle
            self.acw = attributes.acw
            self.patience = attributes.patience
            self.attributes = attributes
        else:
            bot = channel.bot
            self.bot_time = sampler(bot.time, stream(seed, rep, f"bot/{name}"))
            self.containment = [bot.containment.get(t, 0.0) for t in types]
            self.contained = uniforms(stream(seed, rep, f"containment/{name}"))
            target = scenario.channels[bot.handover]
            self.handover = LiveAttributes(
                scenario, seed, rep, f"handover/{name}/", bot.handover, target, types
            )
            self.handover_lines = [lines[(bot.handover, t)] for t in types]
            self.handover_stats = [segments[(bot.handover, t)] for t in types]


class RetrialSource:
    """What the customers who leave a channel do next: retry or not, when, with what.

    Decisions come from ``retrial/<channel>``, delays from ``retrial/<channel>/delay``, the new
    attempt's attributes from
    ``retrial/<channel>/service/<target>/<type>``, ``retrial/<channel>/patience/<target>``...
    With ``purpose="repeat"`` the channel's ``repeat`` rule (customers left unresolved coming
    back) is followed instead, with streams named ``repeat/...`` alike; ``counter`` names the
    :class:`~queuesim.metrics.SegmentStats` count of the attempts made (``retrials`` or
    ``repeats``).
    """

    def __init__(
        self,
        scenario: Scenario,
        seed: int,
        rep: int,
        name: str,
        lines: dict[tuple[str, str], SkillQueue],
        segments: dict[tuple[str, str], SegmentStats],
        purpose: Literal["retrial", "repeat"] = "retrial",
    ) -> None:
        rule = getattr(scenario.channels[name], purpose)
        assert rule is not None
        self.counter = f"{purpose}s"
        self.probability = rule.probability
        self.limit = rule.limit
        self.decision = uniforms(stream(seed, rep, f"{purpose}/{name}"))
        self.delay = sampler(rule.delay, stream(seed, rep, f"{purpose}/{name}/delay"))
        target = rule.channel or name
        types = scenario.arriving_types(name)
        self.index = {t: k for k, t in enumerate(types)}
        self.attributes = LiveAttributes(
            scenario, seed, rep, f"{purpose}/{name}/", target, scenario.channels[target], types
        )
        self.lines = [lines[(target, t)] for t in types]
        self.stats = [segments[(target, t)] for t in types]


__all__ = ["ChannelSource", "LiveAttributes", "RetrialSource"]

"""Writing a fitted scenario file whose comments say where each figure came from.

The file is plain YAML that ``queuesim validate`` accepts: one channel per fitted channel with
its arrival profile, dispersion, contact-type mix and patience, one contact type per fitted
handle-time distribution, and a placeholder agent group (a log says nothing about the roster,
so the writer puts a fixed team sized by square-root staffing of the busiest interval, and says
so). Every figure is followed by a comment naming its source and estimate.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from queuesim.analytic import sqrt_staffing
from queuesim.scenario.units import SECONDS_PER_DAY, format_time_of_day


@dataclass(frozen=True)
class DistributionDraft:
    """A distribution to write: ``dist`` (exponential | lognormal | gamma), mean (s), cv."""

    dist: str
    mean: float
    cv: float = 1.0
    note: str = ""

    def flow(self) -> str:
        """The distribution as a YAML flow mapping: ``{dist: gamma, mean: "200.0 s", cv: 0.6}``."""
        if self.dist == "exponential":
            return f'{{dist: exponential, mean: "{self.mean:.1f} s"}}'
        return f'{{dist: {self.dist}, mean: "{self.mean:.1f} s", cv: {self.cv:.3f}}}'


@dataclass(frozen=True)
class ChannelDraft:
    """A fitted channel: profile rows (interval start s, volume, AHT s or None) and the rest."""

    name: str
    profile: list[tuple[float, float, float | None]]
    profile_note: str
    mix: dict[str, float]
    mix_note: str
    patience: DistributionDraft | None
    dispersion_cv: float | None = None
    dispersion_note: str = ""


@dataclass(frozen=True)
class ContactTypeDraft:
    """A fitted contact type: its handle time and, optionally, fixed after-contact work (s)."""

    name: str
    handle_time: DistributionDraft
    after_contact_work: float | None = None
    after_contact_work_note: str = ""


@dataclass(frozen=True)
class ScenarioDraft:
    """Everything :func:`scenario_yaml` writes (the scenario is named after ``source``)."""

    source: str
    interval: float
    channels: list[ChannelDraft]
    contact_types: list[ContactTypeDraft]
    header: list[str] = field(default_factory=list)


def end_of_day_clock(seconds: float) -> str:
    """``HH:MM`` of an end time within the day, ``24:00`` for midnight at the day's end."""
    return "24:00" if seconds >= SECONDS_PER_DAY else format_time_of_day(seconds)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _placeholder_agents(draft: ScenarioDraft) -> int:
    aht = {c.name: c.handle_time.mean for c in draft.contact_types}
    peak = 0.0
    for channel in draft.channels:
        mean_aht = sum(share * aht[name] for name, share in channel.mix.items())
        for _, volume, interval_aht in channel.profile:
            peak = max(peak, volume / draft.interval * (interval_aht or mean_aht))
    return max(sqrt_staffing(peak, 1.0), 1)


def scenario_yaml(draft: ScenarioDraft) -> str:
    """The commented scenario file of ``draft`` (valid for ``queuesim validate``)."""
    minutes = draft.interval / 60
    lines = [f"# {line}" if line else "#" for line in draft.header]
    lines += [
        "version: 1",
        f"name: {_quote('Fitted from ' + Path(draft.source).name)}",
        f"description: {_quote('Fitted from ' + draft.source)}",
        'horizon: "1 d"',
        f'interval: "{minutes:g} min"',
        "replications: 20",
        "seed: 1",
        "",
        "channels:",
    ]
    for channel in draft.channels:
        starts = [start for start, _, _ in channel.profile]
        opening = min(starts)
        closing = max(starts) + draft.interval
        lines += [
            f"  {channel.name}:",
            "    kind: phone",
            f'    open: "{format_time_of_day(opening)}"    # first interval with arrivals',
            f'    close: "{end_of_day_clock(closing)}"   # end of the last one',
            "    arrivals:",
            f"      # {channel.profile_note}",
            "      profile:",
        ]
        for start, volume, aht in channel.profile:
            aht_text = "" if aht is None or math.isnan(aht) else f', aht: "{aht:.1f} s"'
            start_text = format_time_of_day(start)
            lines.append(f'        - {{start: "{start_text}", volume: {volume:.2f}{aht_text}}}')
        if channel.dispersion_cv:
            lines.append(
                f"      dispersion: {{cv: {channel.dispersion_cv:.3f}, level: day}}"
                f"   # {channel.dispersion_note}"
            )
        elif channel.dispersion_note:
            lines.append(f"      # no dispersion: {channel.dispersion_note}")
        lines.append(f"    # {channel.mix_note}")
        lines.append("    mix:")
        lines += [f"      {name}: {share:.4f}" for name, share in channel.mix.items()]
        if channel.patience is None:
            lines.append("    patience: none   # no abandonment could be estimated")
        else:
            lines.append(f"    # {channel.patience.note}")
            lines.append(f"    patience: {channel.patience.flow()}")
    lines += ["", "contact_types:"]
    for contact_type in draft.contact_types:
        lines += [
            f"  {contact_type.name}:",
            f"    # {contact_type.handle_time.note}",
            f"    handle_time: {contact_type.handle_time.flow()}",
        ]
        if contact_type.after_contact_work is not None:
            lines.append(
                f'    after_contact_work: "{contact_type.after_contact_work:.1f} s"'
                f"   # {contact_type.after_contact_work_note}"
            )
    agents = _placeholder_agents(draft)
    channels = ", ".join(c.name for c in draft.channels)
    lines += [
        "",
        "agent_groups:",
        "  # PLACEHOLDER: a log does not record the roster. This fixed team is square-root",
        "  # staffing (beta = 1) of the busiest interval's load; replace it with your shifts or a",
        "  # roster_csv (see `queuesim staffing` for a per-interval requirement).",
        "  team:",
        f"    channels: [{channels}]",
        f"    size: {agents}",
        "",
    ]
    return "\n".join(lines)


__all__ = [
    "ChannelDraft",
    "ContactTypeDraft",
    "DistributionDraft",
    "ScenarioDraft",
    "end_of_day_clock",
    "scenario_yaml",
]

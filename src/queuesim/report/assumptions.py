"""The scenario's assumptions, said in plain words for a reader who does not read YAML.

Statements are HTML fragments: names are safe by the schema, file names are escaped.
"""

from __future__ import annotations

from html import escape

from queuesim.scenario.schema import AgentGroup, Channel, ContactType, Scenario
from queuesim.scenario.units import SECONDS_PER_DAY, format_time_of_day

CLOSE_POLICY_WORDS = {
    "wait": "customers already waiting at closing stay in the queue and are still served",
    "serve": "everyone inside at closing is served, the last agents staying on as overtime",
    "close": "customers still waiting at closing are turned away (closed out)",
}


def duration_words(seconds: float) -> str:
    """``45 s``, ``4 min``, ``2.5 h``, ``3 days``: the unit a planner would use."""
    if seconds >= SECONDS_PER_DAY and seconds % SECONDS_PER_DAY == 0:
        days = seconds / SECONDS_PER_DAY
        return f"{days:g} day" + ("s" if days != 1 else "")
    if seconds >= 3600 and seconds % 900 == 0:
        return f"{seconds / 3600:g} h"
    if seconds >= 60:
        return f"{seconds / 60:.3g} min"
    return f"{seconds:.3g} s"


def distribution_words(distribution: object) -> str:
    """A duration distribution in words: ``lognormal, mean 7 min, CV 0.9``."""
    kind = getattr(distribution, "dist", "")
    if kind == "none":
        return "no limit"
    if kind == "deterministic":
        return f"always {duration_words(distribution.value)}"  # type: ignore[attr-defined]
    if kind == "empirical":
        values = distribution.values  # type: ignore[attr-defined]
        mean = sum(values) / len(values)
        return f"resampled from {len(values)} observed values, mean {duration_words(mean)}"
    text = f"{kind}, mean {duration_words(distribution.mean)}"  # type: ignore[attr-defined]
    cv = getattr(distribution, "cv", None)
    return text + (f", CV {cv:g}" if cv is not None else "")


def _channel_words(name: str, channel: Channel) -> str:
    arrivals = channel.arrivals
    if arrivals.rate is not None:
        source = f"Poisson arrivals at a constant {arrivals.rate * 3600:,.4g} per hour"
    else:
        source = "Poisson arrivals following a per-interval forecast"
        if arrivals.profile_csv:
            source += f" ({escape(arrivals.profile_csv)})"
    if arrivals.dispersion is not None:
        source += (
            f", with {arrivals.dispersion.cv:.0%} forecast error per "
            f"{arrivals.dispersion.level} (gamma-Poisson)"
        )
    limited = channel.open > 0 or channel.close < SECONDS_PER_DAY
    span = f"{format_time_of_day(channel.open)}–{format_time_of_day(channel.close)}"
    hours = f"open {span}" if limited else "open around the clock"
    deferred = getattr(channel, "deferred", False)
    if deferred:
        worked = f"worked {span}" if limited else "worked around the clock"
        hours = f"items arrive at any hour, wait in a backlog and are {worked}"
    mix = ", ".join(f"{share:.0%} {kind}" for kind, share in channel.mix.items())
    patience = channel.patience
    if deferred:
        leaving = "nobody withdraws an item"
    elif getattr(patience, "dist", "") == "none":
        leaving = "customers never give up"
    else:
        leaving = f"customers give up after a patience that is {distribution_words(patience)}"
    parts = [
        f"<b>{name}</b> ({channel.kind.replace('_', '-')}): {source}; {hours}; mix {mix}; {leaving}"
    ]
    if deferred:
        parts.append(f"the promised response time is {duration_words(channel.deadline)}")
    concurrency = getattr(channel, "concurrency", None)
    if concurrency is not None and concurrency.sessions > 1:
        parts.append(
            f"an agent holds up to {concurrency.sessions} sessions at once, each progressing "
            "more slowly as sessions add up"
        )
    if channel.queue_capacity is not None:
        parts.append(f"at most {channel.queue_capacity} may wait; further arrivals are blocked")
    if limited and not deferred:
        parts.append(CLOSE_POLICY_WORDS.get(channel.close_policy, channel.close_policy))
    return "; ".join(parts) + "."


def _contact_type_words(name: str, contact_type: ContactType) -> str:
    text = f"<b>{name}</b>: handle time {distribution_words(contact_type.handle_time)}"
    acw = contact_type.after_contact_work
    if getattr(acw, "dist", "") != "deterministic" or acw.value > 0:  # type: ignore[union-attr]
        text += f", then after-contact work {distribution_words(acw)}"
    skill = getattr(contact_type, "skill", None)
    if skill:
        text += f"; needs skill {skill}"
    return text + "."


def _group_words(name: str, group: AgentGroup) -> str:
    if group.size is not None:
        staffing = f"{group.size} agents on duty the whole time"
    else:
        shifts = group.shifts or ()
        agents = sum(s.agents for s in shifts)
        source = f" from {escape(group.roster_csv)}" if group.roster_csv else ""
        staffing = f"{len(shifts)} shift(s){source} with {agents} agent-shifts a day"
        breaks = sum(len(s.breaks) for s in shifts)
        if breaks:
            staffing += f" and {breaks} break(s)"
    text = f"<b>{name}</b> serves {', '.join(group.channels)}: {staffing}"
    if group.shrinkage:
        text += f"; {group.shrinkage:.0%} of rostered agents lost to shrinkage"
    if group.absenteeism:
        text += f"; each agent-shift absent with probability {group.absenteeism:.0%}"
    skills = getattr(group, "skills", None)
    if skills:
        text += "; skills " + ", ".join(
            f"{skill} (proficiency {level.proficiency:g})" for skill, level in skills.items()
        )
    if group.cost_per_hour:
        text += f"; costs {group.cost_per_hour:,.2f} per paid hour"
    return text + "."


def assumption_sections(scenario: Scenario, replications: int, seed: int) -> dict[str, list[str]]:
    """Plain-word statements (HTML fragments) grouped by section title."""
    run = [
        f"The simulated horizon is {duration_words(scenario.horizon)}, reported in intervals of "
        f"{duration_words(scenario.interval)}; a customer counts in the interval in which it "
        "arrived, agent time in the interval in which it was spent.",
        f"Each figure is the mean over {replications} independent replications (seed {seed}) "
        "with a 95% Student-t confidence interval (intervals built this way contain the "
        "long-run mean in 95% of studies). It says how precise the simulation is, not how "
        "good the inputs are.",
    ]
    if scenario.warmup:
        run.append(
            f"The first {duration_words(scenario.warmup)} are a warm-up: the operation fills "
            "up from empty and is left out of every figure."
        )
    else:
        run.append("The day starts empty at opening time; no warm-up is removed.")
    thresholds = ", ".join(duration_words(t) for t in scenario.service_level.thresholds)
    run.append(
        f"Service level is the share of offered customers answered within {thresholds} "
        "(customers who abandon or are turned away count as misses)."
    )
    return {
        "How the figures are made": run,
        "Channels and customers": [_channel_words(n, c) for n, c in scenario.channels.items()],
        "Contact types": [_contact_type_words(n, c) for n, c in scenario.contact_types.items()],
        "Agents": [_group_words(n, g) for n, g in scenario.agent_groups.items()],
        "What the model leaves out": [
            "Arrivals are random (Poisson) around the forecast: a forecast that is wrong on "
            "average makes every figure wrong with it.",
            "Agents of a group are alike (beyond the skills and proficiencies listed) and "
            "follow the roster exactly; lateness and unplanned breaks are not modelled beyond "
            "shrinkage and absenteeism.",
            "Customers who abandon do not call back, and nobody switches channel.",
        ],
    }

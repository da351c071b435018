"""The scenario's assumptions, said in plain words for a reader who does not read YAML.

Statements are HTML fragments: names are safe by the schema, file names are escaped.
"""

from __future__ import annotations

from html import escape

from queuesim.scenario.schema import (
    AgentGroup,
    Amount,
    Channel,
    ContactType,
    Retrial,
    Scenario,
    SkillLevel,
)
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


def amount_words(amount: Amount) -> str:
    """An amount distribution (authority need, concession) in words: ``lognormal, mean 150,
    CV 1.5``."""
    match amount.dist:
        case "deterministic":
            return f"always {amount.value:,.4g}"
        case "uniform":
            return f"uniform between {amount.low:,.4g} and {amount.high:,.4g}"
        case "empirical":
            return (
                f"resampled from {len(amount.values)} observed values, mean {amount.expected:,.4g}"  # type: ignore[arg-type]
            )
    text = f"{amount.dist}, mean {amount.mean:,.4g}"
    return text + (f", CV {amount.cv:g}" if amount.cv is not None else "")


def _comeback_words(rule: Retrial, who: str, verb: str) -> str:
    """``50% of <who> <verb> after <delay>, at most 3 times[, on <channel>]``."""
    limit = f"at most {rule.limit} time" + ("s" if rule.limit != 1 else "")
    where = f", on {rule.channel}" if rule.channel else ""
    return (
        f"{rule.probability:.0%} of {who} {verb} after a delay that is "
        f"{distribution_words(rule.delay)}, {limit} per issue{where}"
    )


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
    callback = getattr(channel, "callback", None)
    if callback is not None:
        parts.append(
            f"callers facing an expected wait over {duration_words(callback.threshold)} are "
            f"offered a call-back, which {callback.accept:.0%} accept and {callback.answer:.0%} "
            "answer; call-backs are left out of the inbound waits and service level"
        )
    bot = getattr(channel, "bot", None)
    if bot is not None:
        contained = ", ".join(f"{share:.0%} of {kind}" for kind, share in bot.containment.items())
        parts.append(
            f"a chatbot conversation ({distribution_words(bot.time)}) resolves "
            f"{contained or 'nothing'}; the rest are handed over to {bot.handover}, carrying "
            "the time already spent"
        )
    if getattr(channel, "balking", None):
        parts.append("arrivals who must wait may leave at once at the sight of the queue")
    retrial = getattr(channel, "retrial", None)
    if retrial is not None:
        parts.append(
            _comeback_words(retrial, "those who abandon, balk or are turned away", "try again")
        )
    repeat = getattr(channel, "repeat", None)
    if repeat is not None:
        who = "customers left unresolved" + ("" if retrial else " (or who left)")
        parts.append(_comeback_words(repeat, who, "contact again"))
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
    escalation = getattr(contact_type, "escalation", None)
    if escalation is not None:
        text += (
            f"; needs an authority that is {amount_words(escalation.complexity)}, and beyond "
            f"the answering agent's authority becomes a {escalation.to} contact"
        )
        follow_up = escalation.follow_up
        if follow_up is None:
            text += " (a transfer, with its own wait)"
        else:
            text += f" in a later contact after {distribution_words(follow_up.delay)}"
    return text + "."


def _skill_words(skill: str, level: SkillLevel) -> str:
    """``tech (proficiency 0.7, only after a contact has waited 1 min)``."""
    text = f"{skill} (proficiency {level.proficiency:g}"
    if level.after > 0:
        text += f", only after a contact has waited {duration_words(level.after)}"
    return text + ")"


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
            _skill_words(skill, level) for skill, level in skills.items()
        )
    empowerment = getattr(group, "empowerment", None)
    if empowerment is not None:
        limit = empowerment.authority
        text += "; may settle " + (
            "anything without escalating" if limit is None else f"up to {limit:,.4g} itself"
        )
        text += f", resolving {empowerment.resolution:.0%} of what it may settle"
        if empowerment.handle_factor != 1:
            text += f", {empowerment.handle_factor:g} × the usual time when it settles"
        if empowerment.concession is not None:
            text += f", granting a concession that is {amount_words(empowerment.concession)}"
        if empowerment.budget is not None:
            text += f" (at most {empowerment.budget:,.4g} per reporting interval)"
    standards = group.standards
    if standards is not None:
        text += (
            f"; standards at level {standards.level:g}: speeds spread by "
            f"{standards.speed_spread:.0%}, errors on {standards.errors:.1%} of the contacts "
            f"taken as resolved"
        )
    learning = group.learning
    if learning is not None:
        text += (
            f"; starts at {learning.initial:.0%} of full proficiency and closes 63% of the gap "
            f"in {duration_words(learning.time_constant)} of experience"
        )
        training = learning.training
        if training is not None:
            text += (
                f", with {duration_words(training.duration)} of training a day at "
                f"{format_time_of_day(training.start)} (each hour worth {training.effect:g} "
                f"hours of experience)"
            )
    if group.cost_per_hour:
        text += f"; costs {group.cost_per_hour:,.2f} per paid hour"
    return text + "."


def _people_words(scenario: Scenario) -> str:
    """What the scenario leaves out about how agents differ and learn."""
    groups = scenario.agent_groups.values()
    varied = any(g.standards is not None for g in groups)
    learning = any(g.learning is not None for g in groups)
    if not varied and not learning:
        return (
            "Agents of a group are alike: beyond the group's skills, proficiencies and "
            "authority they do not differ in speed or quality, make no errors, and nobody "
            "learns or is trained during the run (proficiencies stay fixed)."
        )
    text = (
        "Agents differ only as their group's standards say (a speed and a quality factor "
        "per person, drawn once), not from day to day or with fatigue"
        if varied
        else "Agents of a group are alike in speed and quality"
    )
    if learning:
        return text + (
            "; a group learns as a whole, on one curve in calendar time, as if every agent "
            "had attended every training session."
        )
    return text + "; proficiencies stay fixed (nobody learns during the run)."


def _leaves_out(scenario: Scenario) -> list[str]:
    """What the model does not represent, said for this scenario."""
    channels = scenario.channels.values()
    comes_back = any(getattr(c, "retrial", None) or getattr(c, "repeat", None) for c in channels)
    statements = [
        "Arrivals are random (Poisson) around the forecast: a forecast that is wrong on "
        "average makes every figure wrong with it.",
        _people_words(scenario),
        "Agents follow the roster exactly; lateness and unplanned breaks are not modelled "
        "beyond shrinkage and absenteeism.",
    ]
    if comes_back:
        statements.append(
            "Customers try again, or switch channel, only as the retrial and repeat rules above "
            "say; otherwise a customer who leaves is gone, and a later contact does not depend "
            "on how the earlier ones went beyond whether the issue was resolved."
        )
    else:
        statements.append(
            "Customers who abandon or are turned away do not try again, and nobody switches "
            "channel (the scenario has no retrial or repeat rule)."
        )
    if not scenario.uses_empowerment:
        statements.append(
            "Every answered contact is resolved by the agent who answers it: no escalation, "
            "no repeat contact (the scenario has no empowerment, escalation or repeat)."
        )
    policy = scenario.detractor_follow_up
    if policy is None:
        statements.append(
            "Unhappy customers (detractors) are not followed up: no recovery call is simulated."
        )
    else:
        whom = "who answered the survey" if policy.whom == "surveyed" else "all of them"
        statements.append(
            f"Detractors ({whom}) are followed up by a task on the '{policy.channel}' backlog "
            f"{policy.delay / 3600:g} h after their journey ends; a task worked reaches the "
            f"customer with probability {policy.reach:g}. Journeys still open at the end of "
            "the run, and tasks due after it, are not followed up."
        )
    return statements


def _satisfaction_words(scenario: Scenario) -> list[str]:
    """How the satisfaction figures are made, and what they rest on."""
    survey = scenario.satisfaction.survey  # type: ignore[union-attr]
    reach = "every customer" if survey.include_unserved else "served customers only"
    return [
        "Every journey (all the contacts of one issue) is scored on the five SERVQUAL "
        "dimensions from its waits, contacts, transfers, errors, resolution and the agents' "
        "proficiency and authority; the scores give a CSAT answer (1–5) and a likelihood to "
        "recommend (0–10), hence the NPS.",
        "<b>The satisfaction model's weights, cut-points, penalties and acceptable waits are "
        "assumptions, not measurements</b>: the direction of the effects is robust, their "
        "size in CSAT points and NPS is not. Calibrate them with the operation's own survey "
        "answers before using the scores for a decision.",
        f"Reported CSAT and NPS are over simulated survey answers: {survey.rate_middle:.0%} of "
        f"middling and {survey.rate_extremes:.0%} of extreme experiences answer, reaching "
        f"{reach}; the true figures are over every journey.",
    ]


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
    sections = {
        "How the figures are made": run,
        "Channels and customers": [_channel_words(n, c) for n, c in scenario.channels.items()],
        "Contact types": [_contact_type_words(n, c) for n, c in scenario.contact_types.items()],
        "Agents": [_group_words(n, g) for n, g in scenario.agent_groups.items()],
    }
    if scenario.satisfaction is not None:
        sections["Customer satisfaction"] = _satisfaction_words(scenario)
    sections["What the model leaves out"] = _leaves_out(scenario)
    return sections

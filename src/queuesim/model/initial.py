"""Starting a run from where a day stands (``initial_state``), and taking that state from a run.

A run with an initial state starts at its time: arrivals, shifts and breaks from then on. A
shift under way then is on duty from the start (its agents adjusted to ``on_duty`` when given);
its breaks that began before the start are over, but for the agents the state lists as on a
break (for the time left) or as taking one after their contact (``break_after``). Contacts in
service are finished first by agents of their group on shift (in roster order), then come the
agents on a break; contacts beyond the agents on shift, and those listed as held past the shift
end, are finished by agents whose shift has ended, who then leave (overtime, as at a shift
end). Agents on a break beyond those on shift are left out.

Customers already waiting join their line in order of elapsed wait, with their arrival time in
the past, and count as offered in the first reported interval (the one holding the start),
where their outcome is counted too, so the accounting identity holds as for any run. Their
patience is drawn conditional on having waited that long, their handle time and after-contact
work unconditionally, all from their own streams ``initial/patience/<channel>``,
``initial/service/<channel>/<type>`` and ``initial/acw/<channel>/<type>``, so the customers
arriving after the start meet the same random numbers with or without an initial state.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy import special

from queuesim.model.agents import Agent, AgentState, ShiftDay
from queuesim.model.arrivals import aht_factors
from queuesim.model.customers import Customer
from queuesim.model.events import Call
from queuesim.model.sampling import DurationSpec, sampler, uniforms
from queuesim.rng import stream
from queuesim.scenario.distributions import (
    Deterministic,
    Empirical,
    Exponential,
    Gamma,
    Lognormal,
    NoPatience,
)
from queuesim.scenario.units import SECONDS_PER_DAY, format_time_of_day

if TYPE_CHECKING:
    import simpy

    from queuesim.model.agents import AgentPool
    from queuesim.model.queues import ChannelQueue, SkillQueue
    from queuesim.scenario.schema import Scenario


def conditional_patience(spec: DurationSpec, waited: float, rng: np.random.Generator) -> float:
    """A total patience drawn from ``spec`` given that it exceeds ``waited``.

    Exponential patience is memoryless (``waited`` plus a fresh draw); lognormal and gamma are
    drawn by inverting the survival function S at a uniform on (0, S(waited)). A deterministic
    patience, or an empirical one with no value above ``waited``, may be shorter than the wait
    already spent: it is returned as is and the customer abandons at once.
    """
    match spec:
        case NoPatience():
            return math.inf
        case Exponential():
            return waited + float(rng.exponential(spec.mean))
        case Deterministic():
            return spec.value
        case Empirical():
            longer = [v for v in spec.values if v > waited]
            return float(rng.choice(longer)) if longer else max(spec.values)
        case Lognormal():
            if waited <= 0:
                return float(rng.lognormal(spec.mu, spec.sigma))
            survival = float(special.ndtr(-(math.log(waited) - spec.mu) / spec.sigma))
            if survival <= 0.0:
                return waited
            drawn = math.exp(spec.mu - spec.sigma * float(special.ndtri(rng.random() * survival)))
        case Gamma():
            shape = 1.0 / spec.cv**2
            scale = spec.mean / shape
            survival = float(special.gammaincc(shape, waited / scale))
            if survival <= 0.0:
                return waited
            drawn = scale * float(special.gammainccinv(shape, rng.random() * survival))
        case _:
            raise TypeError(f"no patience sampler for {type(spec).__name__}")
    return max(drawn, waited)


def shifts_from(
    shifts: list[ShiftDay], start: float, on_duty: int | None
) -> tuple[list[ShiftDay], list[ShiftDay]]:
    """The shift-days of a run starting at ``start``, and those of them under way then.

    Shifts over by then are dropped; one under way starts at ``start``, without the breaks
    that began before (the state says who is still on one). ``on_duty`` (None: as
    rostered) sets the agents on shift now: absences are taken from the shifts under way that
    end first, extra agents join the one that ends last (or, when none is under way, stay until
    the end of the day).
    """
    kept: list[ShiftDay] = []
    under_way: list[ShiftDay] = []
    for shift in shifts:
        if shift.end <= start:
            continue
        if shift.start >= start:
            kept.append(shift)
            continue
        breaks = tuple((at, length) for at, length in shift.breaks if at >= start)
        under_way.append(replace(shift, start=start, breaks=breaks))
    if on_duty is not None:
        change = on_duty - sum(s.agents for s in under_way)
        if change > 0 and not under_way:
            end = (start // SECONDS_PER_DAY + 1) * SECONDS_PER_DAY
            under_way.append(ShiftDay(start, end, (), change, change))
        elif change > 0:
            last = max(range(len(under_way)), key=lambda i: under_way[i].end)
            under_way[last] = replace(under_way[last], agents=under_way[last].agents + change)
        for index in sorted(range(len(under_way)), key=lambda i: under_way[i].end):
            if change >= 0:
                break
            removed = min(under_way[index].agents, -change)
            under_way[index] = replace(under_way[index], agents=under_way[index].agents - removed)
            change += removed
    return under_way + kept, under_way


class StartUp:
    """Engine events of a run's start from an initial state (mixed into the simulation)."""

    env: simpy.Environment
    scenario: Scenario
    seed: int
    replication: int
    interval: float
    queues: dict[str, ChannelQueue]
    lines: dict[tuple[str, str], SkillQueue]
    pools: dict[str, AgentPool]
    agents: list[Agent]
    next_id: int
    resuming: dict[str, list[tuple[bool, float, float]]]
    """Per group, what agents on shift are doing at the start, not yet given out:
    (busy, time left of the contact or break, break after the contact)."""

    def _schedule_initial(self) -> None:
        """Queue the customers waiting at the start; finish contacts left over after the shifts
        under way took theirs (an event right after the shift starts at the start)."""
        state = self.scenario.initial_state
        if state is None:
            return
        now = self.env.now
        first = int(now // self.interval)
        found = []
        for group in state.waiting:
            for waited in group.waited:
                found.append((-waited, group.channel, group.contact_type))
        found.sort()
        samplers: dict[str, Any] = {}
        for minus_waited, name, contact_type in found:
            waited = -minus_waited
            if name not in samplers:
                samplers[name] = stream(self.seed, self.replication, f"initial/patience/{name}")
            key = f"{name}/{contact_type}"
            if key not in samplers:
                spec = self.scenario.contact_types[contact_type]
                samplers[key] = (
                    sampler(
                        spec.handle_time,
                        stream(self.seed, self.replication, f"initial/service/{key}"),
                    ),
                    sampler(
                        spec.after_contact_work,
                        stream(self.seed, self.replication, f"initial/acw/{key}"),
                    ),
                )
            handle_times, acw_times = samplers[key]
            outcome_key = f"outcome/{name}"
            if self.empowerment is not None and outcome_key not in samplers:
                samplers[outcome_key] = uniforms(
                    stream(self.seed, self.replication, f"initial/{outcome_key}")
                )
            line = self.lines[(name, contact_type)]
            channel = line.channel.channel
            arrival = now - waited
            handle = next(handle_times)
            factors = aht_factors(self.scenario, channel)
            if factors is not None:
                handle *= factors[int(arrival // self.interval) % len(factors)]
            patience = conditional_patience(channel.patience, waited, samplers[name])
            stats = self.segments[(name, contact_type)]
            customer = Customer(
                self.next_id,
                line,
                contact_type,
                arrival,
                first,
                handle,
                next(acw_times),
                max(patience, waited),
                stats,
            )
            if self.empowerment is not None:
                customer.outcome = next(samplers[outcome_key])
            self.next_id += 2
            stats.offered[first] += 1
            line.push(customer)
            if customer.patience < math.inf:
                Call(self.env, customer.patience - waited, self._on_patience_end, customer)
            if line.overflow:
                delay = max(line.overflow[0][0] - waited, 0.0)
                Call(self.env, delay, self._on_overflow, (customer, 0))
        for contacts in state.in_service:
            after = contacts.break_after or 0.0
            held = self.resuming.setdefault(contacts.agent_group, [])
            held.extend((True, work, after) for work in contacts.remaining)
        for name, breaks in state.on_break.items():
            self.resuming.setdefault(name, []).extend((False, left, 0.0) for left in breaks)
        Call(self.env, 0.0, self._on_start, None)

    def _on_start(self, event: Call) -> None:
        """Contacts in service that no agent on shift took: finished by agents past their
        shift end, who then leave."""
        state = self.scenario.initial_state
        assert state is not None
        left = [
            (s.agent_group, (True, w, s.break_after or 0.0))
            for s in state.in_service
            for w in s.after_shift
        ]
        left += [(name, item) for name, items in self.resuming.items() for item in items if item[0]]
        self.resuming = {}
        now = self.env.now
        for name, item in left:
            pool = self.pools[name]
            agent = Agent(pool, now, now)
            pool.on_duty += 1
            self.agents.append(agent)
            self._resume(agent, item)

    def _resume(self, agent: Agent, doing: tuple[bool, float, float]) -> None:
        """Make ``agent`` busy with a contact in service at the start, or on a break, for the
        time left (``doing``: busy, time left, break after the contact)."""
        busy, left, break_after = doing
        now = self.env.now
        if busy:
            agent.state = AgentState.BUSY
            agent.busy_since = now
            agent.break_due = break_after
            Call(self.env, left, self._on_contact_end, agent)
        else:
            stats = agent.pool.stats
            stats.add(stats.on_break, now, now + left)
            agent.state = AgentState.ON_BREAK
            Call(self.env, left, self._on_break_end, agent)

    def capture_state_at(self, time: float) -> None:
        """Record, into ``self.state``, the state just before ``time`` (call before ``run``;
        ``time`` a whole minute). See :func:`state_at`."""
        if time % 60:
            raise ValueError(f"expected a whole minute for the state's time, got {time:g} s")
        self.state: dict[str, Any] | None = None
        Call(self.env, time - self.env.now, self._on_capture, None)

    def _on_capture(self, event: Call) -> None:
        now = self.env.now
        day, time = divmod(now, SECONDS_PER_DAY)
        waiting: dict[tuple[str, str], list[str]] = {}
        for queue in self.queues.values():
            for customer in sorted(
                (c for line in queue.lines for c in line.customers if c.waiting),
                key=lambda c: c.id,
            ):
                key = (queue.name, customer.contact_type)
                waiting.setdefault(key, []).append(f"{now - customer.arrival:.6g} s")
        ends: dict[int, float] = {}
        for at, _, _, pending in self.env._queue:
            if isinstance(pending, Call) and pending.callbacks in (
                [self._on_contact_end],
                [self._on_break_end],
            ):
                ends[id(pending._value)] = at
        in_service: dict[tuple[str, float], dict[str, list[str]]] = {}
        on_break: dict[str, list[str]] = {}
        on_duty = {name: 0 for name in self.pools}
        for agent in self.agents:
            if agent.state == AgentState.GONE:
                continue
            on_shift = agent.shift_end > now
            on_duty[agent.pool.name] += on_shift
            if id(agent) not in ends:  # idle
                continue
            left = f"{ends[id(agent)] - now:.6g} s"
            if agent.state == AgentState.ON_BREAK:
                on_break.setdefault(agent.pool.name, []).append(left)
            elif agent.state == AgentState.BUSY:
                key = (agent.pool.name, agent.break_due)
                held = in_service.setdefault(key, {"remaining": [], "after_shift": []})
                held["remaining" if on_shift else "after_shift"].append(left)
        self.state = {
            "time": format_time_of_day(time),
            "day": int(day) + 1,
            "waiting": [
                {"channel": c, "contact_type": t, "waited": w} for (c, t), w in waiting.items()
            ],
            "in_service": [
                {
                    "agent_group": group,
                    **{k: v for k, v in held.items() if v},
                    **({"break_after": f"{after:.6g} s"} if after > 0 else {}),
                }
                for (group, after), held in in_service.items()
            ],
            "on_break": on_break,
            "on_duty": on_duty,
        }


__all__ = ["StartUp", "conditional_patience", "shifts_from"]

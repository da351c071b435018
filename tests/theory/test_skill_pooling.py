"""Two fully cross-trained agent groups behave as one pool: Erlang C with the summed agents.

Two contact types need two different skills and wait in two lines; both groups hold both
skills at proficiency 1 with no overflow delay. Under first come, first served across the
lines and longest-idle agent first across the groups, the system is M/M/(n1 + n2), so P(wait),
ASA, service level and occupancy must match Erlang C with n1 + n2 agents
(|sim − theory| ≤ 4·SE + floor, SE over 20 replications after a warm-up of ≥ 50 handle times).
"""

from __future__ import annotations

import math

from queuesim.analytic import erlang_c
from queuesim.experiment.runner import simulate

AHT = 240.0
PROBABILITY_FLOOR = 0.002
AGENTS = (4, 6)
LOAD = 8.0
CUSTOMERS = 10_000
WARMUP_HOURS = 4


def test_two_cross_trained_groups_match_erlang_c_with_summed_agents(
    scenario_from, agreement
) -> None:
    rate_per_hour = LOAD / AHT * 3600
    horizon = WARMUP_HOURS + math.ceil(CUSTOMERS / rate_per_hour)
    skills = {"billing": 1.0, "tech": 1.0}
    scenario = scenario_from(
        {
            "version": 1,
            "name": "cross-trained",
            "horizon": f"{horizon} h",
            "interval": "1 h",
            "warmup": f"{WARMUP_HOURS} h",
            "channels": {
                "phone": {
                    "kind": "phone",
                    "arrivals": {"rate": f"{rate_per_hour:.12g}/h"},
                    "mix": {"billing": 0.6, "tech": 0.4},
                }
            },
            "contact_types": {
                name: {"handle_time": {"dist": "exponential", "mean": f"{AHT:g} s"}, "skill": name}
                for name in ("billing", "tech")
            },
            "agent_groups": {
                "north": {"size": AGENTS[0], "channels": ["phone"], "skills": skills},
                "south": {"size": AGENTS[1], "channels": ["phone"], "skills": skills},
            },
        }
    )
    assert scenario.warmup >= 50 * AHT
    result = simulate(scenario, replications=20, seed=4021)
    theory = erlang_c(LOAD / AHT, AHT, sum(AGENTS), threshold=20.0)

    agreement.compare("p_wait", result.values("p_wait"), theory.p_wait, PROBABILITY_FLOOR)
    asa = agreement.compare("asa [s]", result.values("asa"), theory.asa, 0.005 * theory.asa)
    agreement.compare("sl_all (20 s)", result.values("sl_all"), theory.service_level, 0.002)
    agreement.compare("occupancy", result.values("occupancy"), theory.occupancy, PROBABILITY_FLOOR)
    for group, agents in zip(("north", "south"), AGENTS, strict=True):
        # Longest-idle first spreads the work evenly: each group's occupancy is the pool's.
        agreement.compare(
            f"occupancy {group} ({agents})",
            result.values("occupancy", agent_group=group),
            theory.occupancy,
            PROBABILITY_FLOOR,
        )
    agreement.check(
        f"Two cross-trained groups {AGENTS[0]} + {AGENTS[1]} against Erlang C n={sum(AGENTS)}, "
        f"A={LOAD:g}"
    )
    assert asa.se <= 0.06 * theory.asa, "too few customers to test anything"

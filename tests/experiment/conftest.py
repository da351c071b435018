"""A small phone scenario with variants, written to a file as experiments read it."""

from __future__ import annotations

from pathlib import Path

import pytest

SMALL = """\
version: 1
name: small phone line
horizon: "8 h"
interval: "30 min"
replications: 4
seed: 7
channels:
  phone:
    kind: phone
    arrivals: {rate: "100/h"}
    mix: {general: 1}
    patience: {dist: exponential, mean: "3 min"}
contact_types:
  general:
    handle_time: {dist: exponential, mean: "4 min"}
agent_groups:
  agents: {channels: [phone], size: 8, cost_per_hour: 30}
variants:
  more_agents: {agent_groups.agents.size: 9}
  faster: {contact_types.general.handle_time.mean: "3.5 min"}
"""


@pytest.fixture
def small_scenario(tmp_path: Path) -> Path:
    """Path of the small scenario file (variants ``more_agents`` and ``faster``)."""
    path = tmp_path / "small.yaml"
    path.write_text(SMALL, encoding="utf-8")
    return path

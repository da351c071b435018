"""Generate the SYNTHETIC example data in this folder from example_line.yaml.

    python scenarios/data/make_example_data.py

writes

* ``example_contact_log.csv``: one row per contact of five weekdays (2026-03-02 to 03-06), in
  the default layout of ``queuesim fit`` (arrival, channel, contact_type, outcome, wait,
  handle_time; seconds);
* ``example_intervals.csv``: the interval report of the following five weekdays
  (2026-03-09 to 03-13): offered, answered, abandoned, ASA, AHT, service level (answered
  within 20 s / offered) and mean agents logged in per half hour, as a phone system exports it.

Each replication of the simulation is one day. The files are not real data; they let the
examples and tests check the fitted figures against the known parameters of example_line.yaml.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

import queuesim

HERE = Path(__file__).parent
LOG_START = pd.Timestamp("2026-03-02")
REPORT_START = pd.Timestamp("2026-03-09")
DAYS = 5


def contact_log(result: queuesim.SimulationResult) -> pd.DataFrame:
    contacts = result.contacts
    day = LOG_START + pd.to_timedelta(contacts["replication"], unit="D")
    return pd.DataFrame(
        {
            "arrival": (day + pd.to_timedelta(contacts["arrival"], unit="s")).dt.strftime(
                "%Y-%m-%d %H:%M:%S"
            ),
            "channel": contacts["channel"],
            "contact_type": contacts["contact_type"],
            "outcome": contacts["outcome"],
            "wait": contacts["wait"].round(1),
            "handle_time": contacts["handle_time"]
            .where(contacts["outcome"] == "answered")
            .round(1),
        }
    )


def interval_report(result: queuesim.SimulationResult) -> pd.DataFrame:
    interval = result.scenario.interval
    rows = result.intervals
    rows = rows[(rows["channel"] == "phone") & (rows["contact_type"] == "all")]
    rows = rows[rows["offered"] > 0].copy()
    agents = result.agents[result.agents["agent_group"] == "all"]
    agents = agents.set_index(["replication", "interval_start"])["available_time"] / interval
    contacts = result.contacts[result.contacts["outcome"] == "answered"].copy()
    contacts["interval_start"] = contacts["arrival"] // interval * interval
    aht = contacts.groupby(["replication", "interval_start"])["handle_time"].mean()
    keys = list(zip(rows["replication"], rows["interval_start"], strict=True))
    day = REPORT_START + pd.to_timedelta(rows["replication"], unit="D")
    return pd.DataFrame(
        {
            "interval_start": (day + pd.to_timedelta(rows["interval_start"], unit="s")).dt.strftime(
                "%Y-%m-%d %H:%M"
            ),
            "offered": rows["offered"].astype(int),
            "answered": rows["answered"].astype(int),
            "abandoned": rows["abandoned"].astype(int),
            "asa": rows["asa"].round(1),
            "aht": aht.reindex(keys).round(1).to_numpy(),
            "sl": rows["sl_all"].round(3),
            "agents": agents.reindex(keys).round(2).to_numpy(),
        }
    )


def main() -> None:
    scenario = queuesim.load_scenario(HERE / "example_line.yaml")
    log = queuesim.simulate(scenario, replications=DAYS, seed=2026, records=True)
    contact_log(log).to_csv(HERE / "example_contact_log.csv", index=False)
    report = queuesim.simulate(scenario, replications=DAYS, seed=2027, records=True)
    interval_report(report).to_csv(HERE / "example_intervals.csv", index=False)


if __name__ == "__main__":
    main()

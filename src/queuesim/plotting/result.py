"""The standard figures of one simulation result, and writing figures as PNG files."""

from __future__ import annotations

from pathlib import Path

from matplotlib.figure import Figure

from queuesim.plotting.backlog import backlog_plot
from queuesim.plotting.common import format_duration
from queuesim.plotting.intervals import interval_overview
from queuesim.plotting.occupancy import occupancy_heatmap
from queuesim.plotting.waits import wait_distribution
from queuesim.results import ALL, SimulationResult


def result_figures(result: SimulationResult) -> dict[str, Figure]:
    """The figures of a run, by file stem.

    * ``overview``: arrivals, agents and service level for all channels together, drawn
      when every channel is live (a deferred channel's service level is its share answered
      within the deadline, which does not add up with a live channel's);
    * ``overview_<channel>`` for each channel when there are several (a chatbot's lower panel
      is its containment rate, a deferred channel's its share answered within the deadline);
    * ``waits`` (all channels; ``waits_<channel>`` per channel answered by agents when some
      are deferred), from contacts when the run kept them, else from the interval
      percentiles;
    * ``occupancy``; and ``backlog`` when there are deferred channels (email, social).
    """
    scenario = result.scenario
    thresholds = scenario.service_level.thresholds
    sl_title = f"service level within {format_duration(thresholds[0])}"
    deferred = [n for n, c in scenario.channels.items() if getattr(c, "deferred", False)]
    figures = {}
    if not deferred:
        figures["overview"] = interval_overview(
            result.intervals,
            result.agents,
            title=f"{scenario.name}: arrivals, agents and {sl_title}",
        )
    if len(scenario.channels) > 1:
        for channel in scenario.channels:
            if channel in deferred:
                metric, label = "deadline_met", "share answered within the deadline"
            elif scenario.channels[channel].kind == "chatbot":
                metric, label = "containment_rate", "share contained by the bot"
            else:
                metric, label = "sl_all", sl_title
            figures[f"overview_{channel}"] = interval_overview(
                result.intervals,
                result.agents,
                channel=channel,
                service_level=metric,
                title=f"Channel {channel}: arrivals, all agents and {label}",
            )
    answered_by_agents = [n for n, c in scenario.channels.items() if c.kind != "chatbot"]
    for channel in answered_by_agents if deferred else [ALL]:
        name = "waits" if channel == ALL else f"waits_{channel}"
        limits = (scenario.channels[channel].deadline,) if channel in deferred else thresholds
        figures[name] = wait_distribution(
            result.contacts, result.intervals, channel=channel, thresholds=limits
        )
    figures["occupancy"] = occupancy_heatmap(result.agents)
    if deferred:
        deadlines = {n: scenario.channels[n].deadline for n in deferred}
        figures["backlog"] = backlog_plot(result.intervals, channels=deferred, deadlines=deadlines)
    return figures


def save_figures(figures: dict[str, Figure], directory: Path, dpi: int = 110) -> list[Path]:
    """Write each figure as ``<directory>/<name>.png`` (folder created); returns the paths."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, figure in figures.items():
        path = directory / f"{name}.png"
        figure.savefig(path, dpi=dpi)
        paths.append(path)
    return paths

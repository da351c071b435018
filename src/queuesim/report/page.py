"""One self-contained HTML page from a simulation result: summary, key figures, plots.

The page has no external resource: styles are inline and figures are PNG images embedded as
base64 ``data:`` URIs, so the single file can be mailed or archived as it is.
"""

from __future__ import annotations

import base64
import io
import math
from datetime import UTC, datetime
from html import escape

import pandas as pd
from matplotlib.figure import Figure

from queuesim.model.journeys import SATISFACTION_METRICS
from queuesim.plotting import result_figures, satisfaction_distribution
from queuesim.report.assumptions import assumption_sections, duration_words
from queuesim.results import ALL, SimulationResult
from queuesim.scenario.schema import Scenario

CUSTOMER_METRICS = ("offered", "answered", "abandon_rate", "asa", "wait_p90", "sl_all")
DEFERRED_METRICS = ("deadline_met", "breaches")
CALLBACK_METRICS = ("callbacks_accepted", "callback_asa")
AGENT_METRICS = ("occupancy", "utilisation", "overtime", "staff_cost")
JOURNEY_METRICS = (
    "journeys",
    "journey_fcr",
    "fcr",
    "escalation_rate",
    "repeats",
    "contacts_per_resolution",
    "time_to_resolution",
    "unresolved_share",
    "errors",
    "concession_cost",
    "total_cost",
    "cost_per_resolution",
    "detractor_follow_ups",
)
SHOWN_AS_SCORE = ("contacts_per_resolution",)  # a ratio of counts, not a share
FIGURE_CAPTIONS = {
    "overview": "Contacts offered (bars), agents available and rostered (lines) and the "
    "service level per interval with its 95% confidence band.",
    "waits": "How long answered customers waited, and the share who waited longer than each "
    "service-level threshold.",
    "occupancy": "Share of available agent time spent handling contacts, per group and "
    "interval. Above about 90% for long, queues grow quickly and agents tire.",
    "backlog": "Deferred work (email, social) waiting at the end of each interval, and the age "
    "of the oldest waiting item against the response deadline.",
    "satisfaction": "Share of journeys at each CSAT score and each likelihood to recommend, "
    "over every journey of every replication (true scores, not survey answers). The scores "
    "come from the satisfaction model, whose defaults are assumptions to calibrate.",
}
STYLE = """
body { font-family: system-ui, -apple-system, Segoe UI, sans-serif; max-width: 1000px;
       margin: 2em auto; padding: 0 1em; color: #222; line-height: 1.45; }
h1 { margin-bottom: 0.2em; } .meta { color: #666; font-size: 0.9em; }
table { border-collapse: collapse; margin: 1em 0; font-size: 0.92em; }
th, td { border-bottom: 1px solid #ddd; padding: 0.35em 0.8em; text-align: right; }
th:first-child, td:first-child { text-align: left; }
.ci { color: #666; font-size: 0.88em; } figure { margin: 1.5em 0; }
figure img { max-width: 100%; } figcaption { color: #555; font-size: 0.9em; }
"""


def format_value(value: float, unit: str, minutes: bool = False) -> str:
    """A number for the page: ratios as percentages, seconds (or minutes), money and scores
    with 2 dp."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if unit == "ratio":
        return f"{value:.1%}"
    if unit == "s":
        return f"{value / 60:,.1f} min" if minutes else f"{value:,.1f} s"
    if unit in ("currency", "score"):
        return f"{value:,.2f}"
    return f"{value:,.1f}"


def format_estimate(row: pd.Series) -> str:
    """A summary row as HTML: the mean, then its 95% CI in smaller type when defined.

    Times of 5 minutes or more are shown in minutes, the interval in the same unit.
    """
    minutes = row["unit"] == "s" and abs(row["mean"]) >= 300
    mean = format_value(row["mean"], row["unit"], minutes)
    if math.isnan(row["ci_low"]):
        return mean
    low, high = (format_value(row[k], row["unit"], minutes) for k in ("ci_low", "ci_high"))
    return f'{mean} <span class="ci">[{low}, {high}]</span>'


def figure_to_data_uri(figure: Figure, dpi: int = 100) -> str:
    """The figure as a ``data:image/png;base64,...`` URI."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _lookup(summary: pd.DataFrame, metric: str, channel: str, agent_group: str) -> pd.Series | None:
    """The summary row of one KPI (all contact types), or None when the table has none."""
    rows = summary[
        (summary.metric == metric)
        & (summary.channel == channel)
        & (summary.contact_type == ALL)
        & (summary.agent_group == agent_group)
    ]
    return rows.iloc[0] if len(rows) else None


def _metric_names(result: SimulationResult) -> list[str]:
    """Headline customer metrics, with a service-level row for every threshold."""
    present = set(result.summary.metric)
    names = [m for m in CUSTOMER_METRICS if m in present]
    names += sorted(m for m in present if m.startswith("sl_all@"))
    names += [m for m in DEFERRED_METRICS if m in present]
    channels = result.scenario.channels.values()
    if any(getattr(c, "callback", None) is not None for c in channels):
        names += [m for m in CALLBACK_METRICS if m in present]
    if any(c.kind == "chatbot" for c in channels) and "containment_rate" in present:
        names.append("containment_rate")
    return names


def key_figures_table(result: SimulationResult) -> str:
    """HTML table of the headline KPIs (mean and 95% CI) per channel and agent group."""
    scenario = result.scenario
    summary = result.summary
    channels = [*scenario.channels, ALL] if len(scenario.channels) > 1 else [ALL]
    header = "".join(f"<th>{'all channels' if c == ALL else c}</th>" for c in channels)
    rows = []
    for metric in _metric_names(result):
        cells = []
        for channel in channels:
            row = _lookup(summary, metric, channel, ALL)
            if row is None or not _applies(metric, scenario, channel):
                cells.append("<td>–</td>")
            else:
                cells.append(f"<td>{format_estimate(row)}</td>")
        rows.append(f"<tr><td>{_metric_title(metric, scenario)}</td>{''.join(cells)}</tr>")
    groups = [*scenario.agent_groups, ALL] if len(scenario.agent_groups) > 1 else [ALL]
    agent_header = "".join(f"<th>{'all agents' if g == ALL else g}</th>" for g in groups)
    agent_rows = []
    concurrent = any(
        getattr(getattr(c, "concurrency", None), "sessions", 1) > 1
        for c in scenario.channels.values()
    )
    agent_metrics = list(AGENT_METRICS)
    if concurrent and "slot_occupancy" in set(summary.metric):
        agent_metrics.insert(1, "slot_occupancy")
    for metric in agent_metrics:
        cells = []
        for group in groups:
            row = _lookup(summary, metric, ALL, group)
            cells.append(f"<td>{format_estimate(row) if row is not None else '–'}</td>")
        agent_rows.append(f"<tr><td>{_metric_title(metric, scenario)}</td>{''.join(cells)}</tr>")
    return (
        f"<table><tr><th>customers</th>{header}</tr>{''.join(rows)}</table>"
        f"<table><tr><th>agents</th>{agent_header}</tr>{''.join(agent_rows)}</table>"
        + journey_figures_table(result)
    )


def journey_figures_table(result: SimulationResult) -> str:
    """HTML table of the journey and satisfaction KPIs of the whole operation (mean and 95%
    CI), or an empty string when the run followed no journeys."""
    if not result.scenario.uses_empowerment:
        return ""
    present = set(result.summary.metric)
    rows = []
    for metric in (*JOURNEY_METRICS, *SATISFACTION_METRICS):
        row = _lookup(result.summary, metric, ALL, ALL) if metric in present else None
        if row is not None:
            if metric in SHOWN_AS_SCORE:
                row = row.copy()
                row["unit"] = "score"
            title = _metric_title(metric, result.scenario)
            rows.append(f"<tr><td>{title}</td><td>{format_estimate(row)}</td></tr>")
    if not rows:
        return ""
    return (
        "<table><tr><th>journeys and satisfaction</th><th>whole operation</th></tr>"
        f"{''.join(rows)}</table>"
    )


def report_figures(result: SimulationResult) -> dict[str, Figure]:
    """The standard figures of a run (``queuesim.plotting.result_figures``), then the CSAT /
    NPS distribution of the scored journeys when the run kept them."""
    figures = result_figures(result)
    journeys = result.journeys
    if journeys is not None and "csat" in journeys.columns and len(journeys):
        figures["satisfaction"] = satisfaction_distribution(
            journeys,
            title=f"Customer satisfaction over {len(journeys):,} journeys (all replications)",
        )
    return figures


def _applies(metric: str, scenario: Scenario, channel: str) -> bool:
    """Whether a customer KPI describes ``channel`` (any KPI describes all channels)."""
    if channel == ALL:
        return True
    spec = scenario.channels[channel]
    if spec.kind == "chatbot":  # no agent answers on the bot itself
        return metric in ("offered", "containment_rate")
    if metric == "containment_rate":
        return False
    if metric in CALLBACK_METRICS:
        return getattr(spec, "callback", None) is not None
    if getattr(spec, "deferred", False):  # a deadline, not a service-level threshold
        return not (metric.startswith("sl_") or metric == "abandon_rate")
    return metric not in DEFERRED_METRICS


def _metric_title(metric: str, scenario: Scenario) -> str:
    """The row title of a KPI, with the service-level threshold in words."""
    base, _, suffix = metric.partition("@")
    thresholds = scenario.service_level.thresholds
    titles = {
        "offered": "contacts offered (whole run)",
        "answered": "contacts answered (whole run)",
        "abandon_rate": "abandonment rate",
        "asa": "average speed of answer",
        "wait_p90": "90th percentile wait (answered)",
        "sl_all": f"service level: answered within {duration_words(thresholds[0])}",
        "occupancy": "occupancy (busy / available time)",
        "utilisation": "utilisation (busy / paid time)",
        "overtime": "overtime (agent time past shift end)",
        "staff_cost": "staff cost",
        "deadline_met": "deferred items answered within the deadline",
        "breaches": "deferred items past the deadline",
        "callbacks_accepted": "call-backs accepted (whole run)",
        "callback_asa": "time to the answered call-back",
        "containment_rate": "chatbot contacts contained",
        "slot_occupancy": "chat session slots in use",
        "journeys": "journeys (issues, whole run)",
        "journey_fcr": "issues resolved at the first contact",
        "fcr": "answered contacts resolved by their agent",
        "escalation_rate": "answered contacts escalated",
        "repeats": "repeat contacts (whole run)",
        "contacts_per_resolution": "contacts per resolved issue",
        "time_to_resolution": "time to resolution (resolved issues)",
        "unresolved_share": "issues unresolved at the end",
        "concession_cost": "concessions granted",
        "errors": "contacts served with an agent error (whole run)",
        "total_cost": "staff cost and concessions",
        "cost_per_resolution": "cost per resolved issue",
        "detractor_follow_ups": "detractors followed up (whole run)",
        "csat_mean": "mean CSAT (1–5), every journey",
        "nps": "NPS (−100..100), every journey",
        "reported_csat_mean": "mean CSAT, survey answers",
        "reported_nps": "NPS, survey answers",
    }
    if base == "sl_all" and suffix:
        return f"service level: answered within {duration_words(float(suffix.rstrip('s')))}"
    return titles.get(metric, metric)


def render_report(result: SimulationResult, figures: dict[str, Figure] | None = None) -> str:
    """The complete HTML page of ``result`` (``figures`` default to the standard ones)."""
    scenario = result.scenario
    figures = report_figures(result) if figures is None else figures
    runs = result.runs
    replications = len(runs)
    seed = int(runs["seed"].iloc[0])
    version = str(runs["queuesim_version"].iloc[0])
    scenario_hash = str(runs["scenario_hash"].iloc[0])[:12]
    overrides = str(runs["overrides"].iloc[0])
    created = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")

    figure_html = []
    for name, figure in figures.items():
        caption = FIGURE_CAPTIONS.get(name.split("_", 1)[0], "")
        figure_html.append(
            f'<figure><img alt="{escape(name)}" src="{figure_to_data_uri(figure)}">'
            f"<figcaption>{escape(caption)}</figcaption></figure>"
        )
    sections = []
    for title, statements in assumption_sections(scenario, replications, seed).items():
        items = "".join(f"<li>{s}</li>" for s in statements)
        sections.append(f"<h3>{escape(title)}</h3><ul>{items}</ul>")

    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{escape(scenario.name)} — queuesim report</title>
<style>{STYLE}</style></head><body>
<h1>{escape(scenario.name)}</h1>
<p class="meta">queuesim {escape(version)} · {replications} replications · seed {seed} ·
scenario {escape(scenario_hash)} · overrides {escape(overrides)} · {created}</p>
<p>{escape(scenario.description.strip())}</p>
<h2>Key figures</h2>
<p>Mean over {replications} replications, 95% confidence interval in brackets.</p>
{key_figures_table(result)}
<h2>Plots</h2>
{"".join(figure_html)}
<h2>Assumptions</h2>
<p>These are the inputs the figures rest on. They are assumptions to check against
the operation, not facts.</p>
{"".join(sections)}
</body></html>
"""

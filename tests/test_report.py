"""``queuesim report``: one self-contained HTML file with the plots and the key numbers."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import matplotlib
import yaml
from typer.testing import CliRunner

import queuesim
from queuesim.cli import app
from queuesim.plotting import net_promoter_score
from queuesim.report import render_report
from queuesim.report.page import format_estimate, report_figures

matplotlib.use("Agg")

ROOT = Path(__file__).parents[1]
BRANCH = ROOT / "scenarios" / "bank_branch_day.yaml"
BANK = ROOT / "scenarios" / "empowerment.yaml"
OMNICHANNEL = ROOT / "scenarios" / "omnichannel.yaml"
IMAGE = r'<img alt="(\w+)" src="data:image/png;base64,([A-Za-z0-9+/=]+)"'
runner = CliRunner()


def test_report_is_one_html_file_with_images_and_key_numbers(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = runner.invoke(
        app, ["report", str(BRANCH), "-n", "3", "--seed", "5", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]
    page = out.read_text(encoding="utf-8")

    images = re.findall(IMAGE, page)
    assert [name for name, _ in images] == ["overview", "waits", "occupancy"]
    for _, data in images:
        assert base64.b64decode(data).startswith(b"\x89PNG\r\n\x1a\n")
    assert not re.search(r'(src|href)="(?!data:)', page)  # nothing loaded from elsewhere

    # the key figures are the ones the API gives for the same scenario and seed
    expected = queuesim.simulate(queuesim.load_scenario(BRANCH), replications=3, seed=5)
    for metric, kwargs in [
        ("sl_all", {}),
        ("sl_all@600s", {}),
        ("abandon_rate", {}),
        ("asa", {}),
        ("occupancy", {"agent_group": "all"}),
        ("staff_cost", {"agent_group": "all"}),
    ]:
        assert format_estimate(expected.kpi(metric, **kwargs)) in page, metric
    assert "service level: answered within 5 min" in page
    assert "3 replications" in page and "seed 5" in page
    assert "Bank branch, one day of walk-ins" in page
    # assumptions in plain words
    assert "open 09:00–17:00" in page
    assert "patience that is lognormal, mean 15 min, CV 0.8" in page
    assert "each agent-shift absent with probability 3%" in page
    # what the model leaves out, for a scenario without retrials, repeats or escalation
    assert "do not try again, and nobody switches channel" in page
    assert "Every answered contact is resolved by the agent who answers it" in page
    assert "nobody learns or is trained" in page
    assert "detractors) are not followed up" in page
    assert "journeys and satisfaction" not in page  # no journeys followed, no such table


def test_report_errors_exit_2_with_a_message(tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", str(BRANCH), "--out", str(tmp_path / "r.pdf")])
    assert result.exit_code == 2
    assert "--out: expected a file name ending in .html" in result.output
    result = runner.invoke(
        app,
        [
            "report",
            str(BRANCH),
            "--set",
            "agent_groups.tellers.cost_per_hour=-1",
            "--out",
            str(tmp_path / "r.html"),
        ],
    )
    assert result.exit_code == 2
    assert "agent_groups.tellers.cost_per_hour" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "r.html").exists()


def test_run_plots_writes_the_pngs(tmp_path: Path) -> None:
    args = ["run", str(BRANCH), "-n", "2", "--plots", str(tmp_path / "plots")]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "plots").iterdir())
    assert names == ["occupancy.png", "overview.png", "waits.png"]
    for name in names:
        assert (tmp_path / "plots" / name).read_bytes().startswith(b"\x89PNG")


def test_report_with_journeys_shows_satisfaction_figure_and_key_figures(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    args = ["report", str(BANK), "-n", "2", "--seed", "3", "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    names = [name for name, _ in re.findall(IMAGE, page)]
    assert names == ["overview", "waits", "occupancy", "satisfaction"]

    expected = queuesim.simulate(queuesim.load_scenario(BANK), replications=2, seed=3, records=True)
    for metric in ["csat_mean", "nps", "reported_csat_mean", "reported_nps", "journey_fcr"]:
        assert format_estimate(expected.kpi(metric)) in page, metric
    for metric in ["fcr", "escalation_rate", "repeats", "concession_cost"]:
        assert format_estimate(expected.kpi(metric)) in page, metric
    assert "mean CSAT (1–5), every journey" in page
    # contacts per resolved issue is a ratio of counts, shown as a number, not a percentage
    row = expected.kpi("contacts_per_resolution")
    assert f"contacts per resolved issue</td><td>{row['mean']:,.2f} " in page

    # the figure is the CSAT / NPS distribution of the same scored journeys
    figure = report_figures(expected)["satisfaction"]
    csat_axis, nps_axis = figure.axes
    assert csat_axis.get_xlabel() == "CSAT score (1–5)"
    assert len(csat_axis.patches) == 5 and len(nps_axis.patches) == 11
    nps = net_promoter_score(expected.journeys["likelihood_to_recommend"])
    assert nps_axis.get_title() == f"NPS {nps:+.0f}"

    # the assumptions say what the scenario models and what it leaves out
    assert "may settle up to 100 itself, resolving 85% of what it may settle" in page
    assert "becomes a supervisor_review contact (a transfer, with its own wait)" in page
    assert "50% of customers left unresolved (or who left) contact again" in page
    assert "<h3>Customer satisfaction</h3>" in page
    assert "assumptions, not measurements" in page
    assert "8% of middling and 20% of extreme experiences answer" in page
    assert "Customers try again, or switch channel, only as the retrial and repeat" in page
    assert "Every answered contact is resolved by the agent" not in page
    assert "detractors) are not followed up" in page


def test_report_of_email_and_chat_has_their_figures_and_key_figures() -> None:
    spec = yaml.safe_load(OMNICHANNEL.read_text(encoding="utf-8"))
    del spec["channels"]["assistant"]  # phone with call-back, chat with sessions, email
    spec["horizon"] = "12 h"
    result = queuesim.simulate(queuesim.scenario_from_dict(spec), replications=2, seed=4)
    page = render_report(result)
    names = [name for name, _ in re.findall(IMAGE, page)]
    assert names == [
        "overview_phone",
        "overview_chat",
        "overview_email",
        "waits_phone",
        "waits_chat",
        "waits_email",
        "occupancy",
        "backlog",
    ]
    email = format_estimate(result.kpi("deadline_met", channel="email"))
    assert f"deadline</td><td>–</td><td>–</td><td>{email}</td>" in page
    slots = format_estimate(result.kpi("slot_occupancy", agent_group="all"))
    assert "chat session slots in use" in page and slots in page
    callbacks = format_estimate(result.kpi("callbacks_accepted", channel="phone"))
    assert f"call-backs accepted (whole run)</td><td>{callbacks}</td><td>–</td>" in page
    assert "an agent holds up to 3 sessions at once" in page
    assert "offered a call-back, which 40% accept and 85% answer" in page
    assert "tech (proficiency 0.7, only after a contact has waited 1 min)" in page
    assert "journeys and satisfaction" not in page

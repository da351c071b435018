"""``queuesim report``: one self-contained HTML file with the plots and the key numbers."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import matplotlib
from typer.testing import CliRunner

import queuesim
from queuesim.cli import app
from queuesim.report.page import format_estimate

matplotlib.use("Agg")

ROOT = Path(__file__).parents[1]
BRANCH = ROOT / "scenarios" / "bank_branch_day.yaml"
runner = CliRunner()


def test_report_is_one_html_file_with_images_and_key_numbers(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = runner.invoke(
        app, ["report", str(BRANCH), "-n", "3", "--seed", "5", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]
    page = out.read_text(encoding="utf-8")

    images = re.findall(r'<img alt="(\w+)" src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page)
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

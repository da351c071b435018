"""``queuesim report``: simulate a scenario and write a one-page HTML report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from queuesim.cli.common import console, fail, progress_bar
from queuesim.experiment.runner import simulate
from queuesim.report import render_report
from queuesim.scenario import ScenarioError, load_scenario


def report(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="HTML file to write.")] = Path(
        "report.html"
    ),
    replications: Annotated[
        int | None, typer.Option("--replications", "-n", help="Override the scenario's count.")
    ] = None,
    seed: Annotated[int | None, typer.Option(help="Override the scenario's seed.")] = None,
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", help="Override a field: dotted.path=VALUE (repeatable)."),
    ] = None,
) -> None:
    """Simulate a scenario and write one self-contained HTML page: key figures, plots and
    the assumptions in plain words."""
    if replications is not None and replications < 1:
        raise fail(f"--replications: expected a positive integer, got {replications}")
    if seed is not None and seed < 0:
        raise fail(f"--seed: expected a non-negative integer, got {seed}")
    if out.suffix.lower() not in {".html", ".htm"}:
        raise fail(f"--out: expected a file name ending in .html, got {str(out)!r}")
    overrides = list(set_ or [])
    try:
        loaded = load_scenario(scenario, overrides)
    except ScenarioError as error:
        raise fail(str(error)) from None
    total = loaded.replications if replications is None else replications
    with progress_bar("replications", total) as progress:
        result = simulate(
            loaded,
            replications,
            seed,
            records=True,
            overrides=dict(item.split("=", 1) for item in overrides),
            progress=progress,
        )
    page = render_report(result)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(page, encoding="utf-8")
    except OSError as error:
        raise fail(f"--out: cannot write {str(out)!r}: {error.strerror}") from None
    console.print(f"Wrote {out} ({len(page) / 1024:,.0f} KiB)", markup=False, highlight=False)

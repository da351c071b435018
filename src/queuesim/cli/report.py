"""``queuesim report``: simulate a scenario and write a one-page HTML report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from queuesim.cli.common import (
    ReplicationsOption,
    SeedOption,
    SetOption,
    console,
    fail,
    simulate_from_options,
)
from queuesim.report import render_report


def report(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="HTML file to write.")] = Path(
        "report.html"
    ),
    replications: ReplicationsOption = None,
    seed: SeedOption = None,
    set_: SetOption = None,
) -> None:
    """Simulate a scenario and write one self-contained HTML page: key figures, plots and
    the assumptions in plain words."""
    if out.suffix.lower() not in {".html", ".htm"}:
        raise fail(f"--out: expected a file name ending in .html, got {str(out)!r}")
    result = simulate_from_options(scenario, replications, seed, set_, records=True)
    page = render_report(result)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(page, encoding="utf-8")
    except OSError as error:
        raise fail(f"--out: cannot write {str(out)!r}: {error.strerror}") from None
    console.print(f"Wrote {out} ({len(page) / 1024:,.0f} KiB)", markup=False, highlight=False)

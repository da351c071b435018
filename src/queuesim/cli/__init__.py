"""The ``queuesim`` command line: one module per command family, registered here."""

from __future__ import annotations

import typer

from queuesim.cli import erlang, experiment, fit, planning, report, run, staff

app = typer.Typer(
    help="Simulate service operations: waits, staffing and service quality with confidence "
    "intervals.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.command()(run.run)
app.command()(run.validate)
app.command()(run.schema)
app.command()(report.report)
app.command()(experiment.compare)
app.command()(experiment.sweep)
app.command()(experiment.sensitivity)
app.command()(staff.staff)
app.add_typer(erlang.app, name="erlang")
app.command()(fit.fit)
app.command()(planning.staffing)
app.command()(planning.backtest)
app.command()(planning.intraday)

__all__ = ["app"]

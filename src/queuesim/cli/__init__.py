"""The ``queuesim`` command line: one module per command family, registered here."""

from __future__ import annotations

import typer

from queuesim.cli import erlang, run

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
app.add_typer(erlang.app, name="erlang")

__all__ = ["app"]

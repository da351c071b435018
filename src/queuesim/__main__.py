"""``python -m queuesim``: the command line."""

from queuesim.cli import app

app()

"""A one-page, self-contained HTML report of a simulation: ``queuesim report``."""

from queuesim.report.page import render_report

__all__ = ["render_report"]

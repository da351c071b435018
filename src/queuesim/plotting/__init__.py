"""Matplotlib figures from queuesim's tidy tables.

Every function takes tables (pandas DataFrames) and returns a
:class:`matplotlib.figure.Figure`, built without ``pyplot`` and without touching global style
or rcParams; save one with ``figure.savefig("name.png")`` or show it in a notebook.

* :func:`interval_overview`: arrivals, agents and service level per interval;
* :func:`wait_distribution`: waits and their tail (contacts, or interval percentiles);
* :func:`occupancy_heatmap`: occupancy by agent group × interval;
* :func:`backlog_plot`: backlog of deferred channels per interval;
* :func:`difference_bars`, :func:`variant_bars`: comparisons with confidence intervals;
* :func:`satisfaction_distribution`: CSAT and NPS from a journeys table;
* :func:`sweep_tradeoff`: cost against service (and satisfaction) across design points;
* :func:`tornado_chart`: sensitivity of a KPI to each parameter;
* :func:`result_figures`, :func:`save_figures`: the standard figures of a run, as PNG files.
"""

from queuesim.plotting.backlog import backlog_plot
from queuesim.plotting.comparison import difference_bars, variant_bars
from queuesim.plotting.intervals import interval_overview
from queuesim.plotting.occupancy import occupancy_heatmap
from queuesim.plotting.result import result_figures, save_figures
from queuesim.plotting.satisfaction import net_promoter_score, satisfaction_distribution
from queuesim.plotting.sensitivity import tornado_chart
from queuesim.plotting.sweep import sweep_tradeoff
from queuesim.plotting.waits import wait_distribution

__all__ = [
    "backlog_plot",
    "difference_bars",
    "interval_overview",
    "net_promoter_score",
    "occupancy_heatmap",
    "result_figures",
    "satisfaction_distribution",
    "save_figures",
    "sweep_tradeoff",
    "tornado_chart",
    "variant_bars",
    "wait_distribution",
]

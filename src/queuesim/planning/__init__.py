"""Planning from forecasts and actuals: staffing tables and back-tests.

``staffing_table(read_forecast("forecast.csv"), 1800, StaffingTargets(service_level=0.8,
threshold=20))`` gives the agents each interval needs (Erlang C, or Erlang A with a patience;
:class:`~queuesim.analytic.StaffingTargets`);
``simulate_staffing`` checks that staffing by simulating the whole day; ``backtest`` compares a
scenario's predictions with actual interval reports (90% prediction bands, coverage, bias);
``intraday`` re-forecasts the rest of a day from the state now, with staffing what-ifs.
"""

from queuesim.planning.backtest import (
    BacktestResult,
    backtest,
    band_rank,
    coverage_summary,
    prediction_bands,
)
from queuesim.planning.intraday import (
    IntradayResult,
    StaffingChange,
    intraday,
    parse_change,
    read_state,
)
from queuesim.planning.staffing_table import (
    read_forecast,
    roster_shifts,
    simulate_staffing,
    staffing_scenario,
    staffing_table,
)

__all__ = [
    "BacktestResult",
    "IntradayResult",
    "StaffingChange",
    "backtest",
    "band_rank",
    "coverage_summary",
    "intraday",
    "parse_change",
    "prediction_bands",
    "read_forecast",
    "read_state",
    "roster_shifts",
    "simulate_staffing",
    "staffing_scenario",
    "staffing_table",
]

"""Experiments: replications, paired comparisons, sweeps, sensitivity and staffing search.

Every experiment runs replication ``r`` of every scenario on the streams of ``(seed, r)``
(common random numbers), on any executor (serial, local processes, Dask) with identical
numbers, and returns pandas DataFrames.
"""

from queuesim.experiment.compare import Comparison, compare
from queuesim.experiment.design import Factor, Range, Sampling, factorial, points_from_csv, sample
from queuesim.experiment.executors import ExecutorKind, make_executor
from queuesim.experiment.sensitivity import Variation, parse_variation, sensitivity
from queuesim.experiment.staffing import ShiftPattern, StaffingPlan, generated_patterns, staff
from queuesim.experiment.sweep import SweepResult, sweep

__all__ = [
    "Comparison",
    "ExecutorKind",
    "Factor",
    "Range",
    "Sampling",
    "ShiftPattern",
    "StaffingPlan",
    "SweepResult",
    "Variation",
    "compare",
    "factorial",
    "generated_patterns",
    "make_executor",
    "parse_variation",
    "points_from_csv",
    "sample",
    "sensitivity",
    "staff",
    "sweep",
]

"""Paired comparison of variants with a base scenario under common random numbers.

Base and variants run replication ``r`` on the same streams, so each replication gives a paired
difference ``variant − base`` and the 95% CI of the mean difference is a paired Student-t
interval. Beside it stands the interval independent seeds would give for the same number of
replications (Welch, from the two samples' own variances, without their covariance), so the
table shows how much the pairing narrowed it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from queuesim.experiment.executors import Executor
from queuesim.experiment.runner import (
    ProgressCallback,
    check_counts,
    result_from_records,
    run_points,
)
from queuesim.experiment.sources import ScenarioSource, load_point, parse_source
from queuesim.results import CONFIDENCE, KEYS, SimulationResult

BASE = "base"
"""The name of the unmodified scenario in comparison tables."""


@dataclass(frozen=True)
class Comparison:
    """The results of a paired comparison.

    * ``results``: each variant's full :class:`SimulationResult`, the base first;
    * ``summary``: the summaries side by side with a ``variant`` column;
    * ``differences``: per variant and KPI, ``base`` and ``value`` (means), ``difference``
      (variant − base) with its paired 95% CI (``ci_low``, ``ci_high``), ``n_reps`` pairs,
      the CI independent seeds would give (``independent_ci_low``, ``independent_ci_high``)
      and ``ci_narrowing``: 1 − the paired standard error over the independent one.
    """

    results: dict[str, SimulationResult]
    summary: pd.DataFrame
    differences: pd.DataFrame


def _half_width(values: np.ndarray) -> float:
    n = len(values)
    if n < 2 or not np.isfinite(values).all():
        return np.nan
    return stats.t.ppf(0.5 + CONFIDENCE / 2, n - 1) * values.std(ddof=1) / np.sqrt(n)


def _welch_half_width(a: np.ndarray, b: np.ndarray) -> float:
    n = len(a)
    if n < 2 or not (np.isfinite(a).all() and np.isfinite(b).all()):
        return np.nan
    va, vb = a.var(ddof=1) / n, b.var(ddof=1) / n
    if va + vb == 0:
        return 0.0
    dof = (va + vb) ** 2 / (va**2 / (n - 1) + vb**2 / (n - 1))
    return stats.t.ppf(0.5 + CONFIDENCE / 2, dof) * np.sqrt(va + vb)


def _narrowing(difference: np.ndarray, a: np.ndarray, b: np.ndarray) -> float:
    """1 − (standard error of the paired mean difference) / (that of independent samples).

    A ratio of standard errors, not of interval half-widths, so it measures the covariance
    the pairing exploits and not the different t quantiles (n − 1 against Welch's degrees of
    freedom) of the two intervals.
    """
    if len(difference) < 2:
        return np.nan
    independent = np.sqrt(a.var(ddof=1) + b.var(ddof=1))
    if not independent > 0:
        return np.nan
    return 1 - difference.std(ddof=1) / independent


def paired_differences(base: pd.DataFrame, other: pd.DataFrame) -> pd.DataFrame:
    """Paired differences of two ``run_metrics`` tables run on the same seeds.

    Replications where either side is undefined (NaN) are left out of that KPI's pair.
    """
    keys = [*KEYS, "metric", "unit"]
    joined = base.merge(other, on=[*keys, "replication"], suffixes=("_base", "_value"))
    rows = []
    for key, pairs in joined.groupby(keys, sort=False):
        pairs = pairs.dropna(subset=["value_base", "value_value"])
        a = pairs["value_base"].to_numpy()
        b = pairs["value_value"].to_numpy()
        difference = b - a
        mean = difference.mean() if len(pairs) else np.nan
        paired = _half_width(difference)
        independent = _welch_half_width(a, b)
        narrowing = _narrowing(difference, a, b)
        rows.append(
            (
                *key,
                a.mean() if len(a) else np.nan,
                b.mean() if len(b) else np.nan,
                mean,
                mean - paired,
                mean + paired,
                len(pairs),
                mean - independent,
                mean + independent,
                narrowing,
            )
        )
    columns = [
        *keys,
        "base",
        "value",
        "difference",
        "ci_low",
        "ci_high",
        "n_reps",
        "independent_ci_low",
        "independent_ci_high",
        "ci_narrowing",
    ]
    return pd.DataFrame(rows, columns=columns)


def compare(
    scenario: ScenarioSource,
    variants: Sequence[str] | Mapping[str, Mapping[str, object]] | None = None,
    *,
    replications: int | None = None,
    seed: int | None = None,
    overrides: Mapping[str, object] | None = None,
    executor: Executor | None = None,
    progress: ProgressCallback | None = None,
) -> Comparison:
    """Run the base scenario and its variants on common random numbers and pair them.

    ``variants`` names variants declared in the scenario (all of them when None), or maps new
    variant names to dotted-path overrides. ``overrides`` apply to the base and every variant.
    Raises :class:`~queuesim.scenario.ScenarioError` if any variant is invalid (before running).
    """
    common = dict(overrides or {})
    scenario = parse_source(scenario)
    base = load_point(scenario, common)
    scenarios = {BASE: base}
    if isinstance(variants, Mapping):
        for name, changes in variants.items():
            scenarios[name] = load_point(scenario, {**common, **changes})
    else:
        names = list(base.variants) if variants is None else list(variants)
        for name in names:
            scenarios[name] = load_point(scenario, common, variant=name)
    if len(scenarios) < 2:
        raise ValueError(
            "nothing to compare: the scenario declares no variants; add a 'variants:' section "
            "or name variants"
        )
    n = base.replications if replications is None else replications
    seed = base.seed if seed is None else seed
    check_counts(n, seed)
    names = list(scenarios)
    finished = dict(
        run_points(dict(enumerate(scenarios.values())), n, seed, executor, progress=progress)
    )
    results = {
        name: result_from_records(scenarios[name], finished[index], common)
        for index, name in enumerate(names)
    }
    summary = pd.concat(
        [result.summary.assign(variant=name) for name, result in results.items()],
        ignore_index=True,
    )
    summary = summary[["variant", *summary.columns[:-1]]]
    differences = pd.concat(
        [
            paired_differences(results[BASE].run_metrics, result.run_metrics).assign(variant=name)
            for name, result in results.items()
            if name != BASE
        ],
        ignore_index=True,
    )
    differences = differences[["variant", *differences.columns[:-1]]]
    return Comparison(results=results, summary=summary, differences=differences)


__all__ = ["BASE", "Comparison", "compare", "paired_differences"]

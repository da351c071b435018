"""Arrival profiles per interval of the day, and the overdispersion of daily totals.

The profile is the mean number of arrivals in each reporting interval of the day over the
days the operation was open, with a 95% interval: Student-t over the days when there are at
least two, the exact Poisson (Garwood) interval for a single day. A calendar day without a
single contact in the whole log is taken as a day the operation was closed (a weekend, a
holiday) and left out, not as a day of zero demand; a channel's day without contacts while
other channels had some counts as zero. When the log spans two weeks or more the profile is
also given per weekday (for the weekdays the operation was open).

Daily totals of a contact centre vary more than Poisson: the forecast error. The gamma-Poisson
model (Avramidis, Deslauriers & L'Ecuyer 2004, Management Science 50(7)) multiplies the
expected volume m of a day by a gamma variate of mean 1 and coefficient of variation cv, so a
day's total has variance m + cv²·m² (see :func:`daily_dispersion` for the estimate and its
interval). It needs several days: with fewer than 3 it is not estimated (NaN).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from queuesim.fitting.logs import segments
from queuesim.scenario.units import SECONDS_PER_DAY, format_time_of_day

ALL = "all"
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MIN_DAYS_DISPERSION = 3
_WEEKLY_DAYS = 14


def _days(log: pd.DataFrame) -> pd.DatetimeIndex:
    """The days the operation was open: the calendar days with at least one contact."""
    return pd.DatetimeIndex(np.sort(log["arrival"].dt.normalize().unique()))


def _weekly(log: pd.DataFrame) -> bool:
    """Whether the log spans two weeks or more, from its first day to its last."""
    span = log["arrival"].max().normalize() - log["arrival"].min().normalize()
    return span.days + 1 >= _WEEKLY_DAYS


def daily_totals(log: pd.DataFrame) -> pd.DataFrame:
    """Arrivals per open day (rows: the days with at least one contact in the log) and
    channel (columns; a channel's day without contacts counts 0)."""
    table = pd.crosstab(log["arrival"].dt.normalize(), log["channel"])
    return table.reindex(index=_days(log), fill_value=0)


def _counts(arrivals: pd.Series, days: pd.DatetimeIndex, interval: float) -> pd.DataFrame:
    """Arrivals per day (rows) and interval of the day (columns)."""
    per_day = round(SECONDS_PER_DAY / interval)
    day = arrivals.dt.normalize()
    seconds = (arrivals - day).dt.total_seconds()
    slot = np.minimum((seconds // interval).astype(int), per_day - 1)
    table = pd.crosstab(day, slot)
    return table.reindex(index=days, columns=range(per_day), fill_value=0)


def _mean_interval(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean over days (axis 0) with a 95% interval per column."""
    n = counts.shape[0]
    mean = counts.mean(axis=0)
    if n >= 2:
        half = stats.t.ppf(0.975, n - 1) * counts.std(axis=0, ddof=1) / np.sqrt(n)
        return mean, np.maximum(mean - half, 0.0), mean + half
    total = counts.sum(axis=0)
    low = np.where(total > 0, stats.chi2.ppf(0.025, 2 * total) / 2, 0.0)
    high = stats.chi2.ppf(0.975, 2 * total + 2) / 2
    return mean, low / n, high / n


def arrival_profile(log: pd.DataFrame, interval: float = 1800.0) -> pd.DataFrame:
    """Mean arrivals per interval of the day for each channel (and each contact type).

    ``log`` is a contact log as read by :func:`~queuesim.fitting.logs.read_contact_log`;
    ``interval`` the reporting interval in seconds (it must divide a day). Returns one row per
    channel × contact type (``all`` for the channel's total) × weekday (``all``, and each
    weekday when the log spans two weeks or more) × interval of the day, with ``days`` (days
    averaged over), ``volume`` (mean arrivals) and its 95% interval ``ci_low``, ``ci_high``.
    """
    if interval <= 0 or SECONDS_PER_DAY % interval:
        raise ValueError(f"interval must divide a day, got {interval:g} s")
    days = _days(log)
    weekly = _weekly(log)
    open_weekdays = sorted(set(days.day_of_week))
    frames = []
    for channel, contact_type, rows in segments(log):
        counts = _counts(rows["arrival"], days, interval)
        subsets = [(ALL, counts)]
        if weekly:
            subsets += [(WEEKDAYS[w], counts[counts.index.day_of_week == w]) for w in open_weekdays]
        for weekday, subset in subsets:
            mean, low, high = _mean_interval(subset.to_numpy(dtype=float))
            starts = np.arange(len(mean)) * interval
            frames.append(
                pd.DataFrame(
                    {
                        "channel": channel,
                        "contact_type": contact_type,
                        "weekday": weekday,
                        "interval_start": starts,
                        "time": [format_time_of_day(s) for s in starts],
                        "days": len(subset),
                        "volume": mean,
                        "ci_low": low,
                        "ci_high": high,
                    }
                )
            )
    return pd.concat(frames, ignore_index=True)


def _relative_variance(totals: np.ndarray, weekdays: np.ndarray) -> tuple[float, float, int]:
    """Pooled variance of the relative residuals (N − m̂_w) / m̂_w, the mean of 1 / m̂_w over
    the same days, and the degrees of freedom (days − groups); groups whose mean is 0 carry no
    relative residual and are left out of all three."""
    squares, inverse, days, df = 0.0, 0.0, 0, 0
    for w in np.unique(weekdays):
        group = totals[weekdays == w]
        mean = group.mean()
        if mean == 0:
            continue
        squares += (((group - mean) / mean) ** 2).sum()
        inverse += len(group) / mean
        days += len(group)
        df += len(group) - 1
    return (squares / df if df else np.nan), (inverse / days if days else np.nan), df


def daily_dispersion(log: pd.DataFrame) -> pd.DataFrame:
    """The gamma-Poisson coefficient of variation of each channel's daily totals.

    A day's total N has Var(N / m) = 1 / m + cv² around its expected volume m (the mean over
    the open days, or over the same weekday's when the log spans two weeks or more; days
    without any contact in the log are closed days, left out), so cv² is estimated as the
    pooled variance of the relative residuals (N − m̂) / m̂ minus the mean of 1 / m̂, with the
    degrees of freedom of the pooled variance (days − means estimated). Its 95% interval
    carries the chi-square interval of that variance (normal residuals; accurate when the
    volumes are large and cv is moderate), floored at 0. Returns one row per channel with
    ``days`` (open days), ``mean_daily``, ``cv``, ``ci_low``, ``ci_high``; NaN with fewer than
    3 days.
    """
    per_day = daily_totals(log)
    days = per_day.index
    weekly = _weekly(log)
    rows = []
    for channel in sorted(per_day.columns):
        totals = per_day[channel].to_numpy(dtype=float)
        weekdays = days.day_of_week.to_numpy() if weekly else np.zeros(len(days), dtype=int)
        cv = low = high = np.nan
        variance, poisson, df = _relative_variance(totals, weekdays)
        if len(days) >= _MIN_DAYS_DISPERSION and df > 0:
            bounds = df * variance / stats.chi2.ppf([0.025, 0.975], df)
            cv = float(np.sqrt(max(variance - poisson, 0.0)))
            high, low = (float(np.sqrt(max(b - poisson, 0.0))) for b in bounds)
        rows.append((channel, len(days), totals.mean(), cv, low, high))
    return pd.DataFrame(rows, columns=["channel", "days", "mean_daily", "cv", "ci_low", "ci_high"])


__all__ = ["WEEKDAYS", "arrival_profile", "daily_dispersion", "daily_totals"]

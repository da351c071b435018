"""Patience (time a caller is willing to wait) from censored waits.

An abandoning caller's wait is an observed patience; an answered caller's wait, or the wait of
one still queued when the line closed, is right-censored: the patience was longer. Ignoring
the censoring (averaging the abandoners' waits) badly underestimates patience. Exponential,
lognormal and Weibull distributions are fitted to the censored sample by maximum likelihood
(``scipy.stats`` ``CensoredData`` and ``dist.fit``) and compared by AIC, beside the
nonparametric Kaplan–Meier estimate of the survival function (``scipy.stats.ecdf``).

The common **naive** estimate of the mean patience, total time waited by everyone who queued /
number of abandoners (the inverse of the abandonment hazard), is exactly the exponential
maximum-likelihood estimate. It is biased whenever patience is not exponential: the waits
observed are short, so it mostly measures the hazard of abandoning early, which is not the
average hazard (Brown et al. 2005, JASA 100, find hazards far from constant). Both are shown.

Waits of zero carry no information about patience (every patience exceeds zero) and are left
out, as are abandonments after a zero wait, which no continuous patience can produce.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy import stats

from queuesim.fitting.handle_time import fits_table
from queuesim.fitting.likelihood import fit_distribution
from queuesim.fitting.logs import segments

PATIENCE_FAMILIES = ("exponential", "lognormal", "weibull")
CENSORED_OUTCOMES = ("answered", "closed_out")
_MIN_ABANDONED = 5


def patience_sample(rows: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(observed, censored) patience values of the contacts ``rows`` of a log, in seconds."""
    waits = rows["wait"].to_numpy(dtype=float)
    positive = waits > 0
    observed = waits[positive & (rows["outcome"] == "abandoned").to_numpy()]
    censored = waits[positive & rows["outcome"].isin(CENSORED_OUTCOMES).to_numpy()]
    return observed, censored


def fit_patience(log: pd.DataFrame) -> pd.DataFrame:
    """Fit the patience families to each channel (contact type ``all``) and contact type.

    Returns one row per channel × contact type × family with the fields of
    :class:`~queuesim.fitting.likelihood.DistributionFit`, ``delta_aic`` and ``best``, plus a
    row of family ``naive`` (total wait / abandoned, with the exponential fit's interval).
    Groups with fewer than 5 abandonments are left out: their patience is not identified.
    Raises ValueError naming the channel and contact type whose waits cannot be fitted.
    """
    frames = []
    for channel, contact_type, rows in segments(log):
        observed, censored = patience_sample(rows)
        if len(observed) < _MIN_ABANDONED:
            continue
        try:
            fits = [fit_distribution(f, observed, censored) for f in PATIENCE_FAMILIES]
        except ValueError as error:
            raise ValueError(f"patience of {channel} / {contact_type}: {error}") from None
        table = fits_table(fits, channel=channel, contact_type=contact_type)
        naive = table[table["family"] == "exponential"].copy()
        naive["mean"] = (observed.sum() + censored.sum()) / len(observed)
        naive[["family", "best", "aic", "delta_aic", "log_likelihood"]] = [
            "naive",
            False,
            np.nan,
            np.nan,
            np.nan,
        ]
        frames += [table, naive]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def kaplan_meier(log: pd.DataFrame, level: float = 0.95) -> pd.DataFrame:
    """The Kaplan–Meier estimate of patience survival P(patience > t) per channel.

    Returns one row per channel × distinct observed patience with ``time`` (s), ``survival``
    and its pointwise interval ``ci_low``, ``ci_high`` at confidence ``level`` (Greenwood),
    from ``scipy.stats.ecdf`` on the censored sample.
    """
    frames = []
    for channel, rows in log.groupby("channel", sort=True):
        observed, censored = patience_sample(rows)
        if len(observed) < _MIN_ABANDONED:
            continue
        result = stats.ecdf(stats.CensoredData(uncensored=observed, right=censored))
        with warnings.catch_warnings():
            # Greenwood's interval is undefined where the estimate reaches 0: NaN there.
            warnings.simplefilter("ignore", RuntimeWarning)
            band = result.sf.confidence_interval(level)
        frames.append(
            pd.DataFrame(
                {
                    "channel": str(channel),
                    "time": result.sf.quantiles,
                    "survival": result.sf.probabilities,
                    "ci_low": band.low.probabilities,
                    "ci_high": band.high.probabilities,
                }
            )
        )
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


__all__ = ["PATIENCE_FAMILIES", "fit_patience", "kaplan_meier", "patience_sample"]

"""Maximum-likelihood fits with and without censoring, checked against known distributions."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from queuesim.fitting import fit_distribution

N = 4000
KS_999 = float(stats.kstwo.ppf(0.999, N))
"""Kolmogorov's 99.9% point for N values. With fitted parameters the statistic is smaller
than with known ones (Lilliefors), so a right fit stays below it with probability > 0.999."""


@pytest.mark.parametrize(
    ("family", "dist"),
    [
        ("exponential", stats.expon(scale=200.0)),
        ("lognormal", stats.lognorm(0.7, scale=180.0)),
        ("gamma", stats.gamma(2.5, scale=80.0)),
        ("weibull", stats.weibull_min(1.6, scale=150.0)),
    ],
)
def test_uncensored_fit_covers_the_true_mean_and_cv_and_wins_aic(family, dist) -> None:
    sample = dist.rvs(N, random_state=np.random.default_rng(7))
    fit = fit_distribution(family, sample)
    mean, cv = dist.mean(), dist.std() / dist.mean()
    assert fit.mean_low <= mean <= fit.mean_high
    assert fit.cv_low <= cv <= fit.cv_high
    assert fit.n == N and fit.n_censored == 0 and fit.ks < KS_999
    others = [fit_distribution(f, sample) for f in ("exponential", "lognormal", "gamma")]
    assert fit.aic <= min(o.aic for o in others) + 1e-6


def test_censored_exponential_is_total_time_over_events() -> None:
    observed = np.array([10.0, 20.0, 35.0])
    censored = np.array([5.0, 50.0, 80.0, 100.0])
    fit = fit_distribution("exponential", observed, censored)
    assert fit.mean == pytest.approx((observed.sum() + censored.sum()) / 3, rel=1e-6)
    assert fit.n == 7 and fit.n_censored == 4 and np.isnan(fit.ks)


def test_censored_lognormal_interval_covers_truth_in_most_samples() -> None:
    """95% intervals from 20 independent censored samples: at least 16 cover (P > 0.997)."""
    truth = stats.lognorm(1.2, scale=100.0)
    rng = np.random.default_rng(1)
    covered = 0
    for _ in range(20):
        patience = truth.rvs(500, random_state=rng)
        wait = rng.exponential(80.0, 500)
        abandoned = patience < wait
        fit = fit_distribution("lognormal", patience[abandoned], wait[~abandoned])
        covered += fit.mean_low <= truth.mean() <= fit.mean_high
    assert covered >= 16


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("cauchy", [1.0, 2.0]), "expected a family exponential, lognormal, gamma, weibull"),
        (("gamma", [1.0]), "expected at least 2 observed durations, got 1"),
        (("gamma", [1.0, 0.0]), "expected observed durations that are finite and greater"),
        (("gamma", [1.0, 2.0], [-1.0]), "expected censored durations that are finite"),
        (("gamma", [100.0, 100.0]), "expected durations that vary, got all 2 equal to 100 s"),
    ],
)
def test_invalid_input_is_refused(args, message) -> None:
    with pytest.raises(ValueError, match=message):
        fit_distribution(*args)

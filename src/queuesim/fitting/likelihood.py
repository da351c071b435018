"""Maximum-likelihood fits of duration distributions, with right-censored observations.

Exponential, lognormal, gamma and Weibull distributions (location 0) are fitted with
``scipy.stats`` (``dist.fit`` on the data, or on a ``scipy.stats.CensoredData`` when some
observations are only known to exceed a value, as an answered caller's patience). Each fit
carries its log-likelihood, its AIC = 2k − 2 ln L (Akaike 1974; the smaller the better) and
95% confidence intervals for its mean and coefficient of variation. The intervals are Wald
intervals on the log scale: the covariance of the log-parameters is the inverse of the observed
information (the Hessian of the negative log-likelihood at the maximum, by central
differences), carried to log(mean) and log(cv) by the delta method. They are asymptotic, which
is accurate for the hundreds to thousands of contacts of a log.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import stats

FAMILIES = ("exponential", "lognormal", "gamma", "weibull")
Z95 = float(stats.norm.ppf(0.975))
_STEP = 1e-3


@dataclass(frozen=True)
class _Family:
    dist: stats.rv_continuous
    shape: bool


_SCIPY = {
    "exponential": _Family(stats.expon, shape=False),
    "lognormal": _Family(stats.lognorm, shape=True),
    "gamma": _Family(stats.gamma, shape=True),
    "weibull": _Family(stats.weibull_min, shape=True),
}


@dataclass(frozen=True)
class DistributionFit:
    """A distribution fitted by maximum likelihood to (possibly right-censored) durations.

    Attributes:
        family: ``exponential``, ``lognormal``, ``gamma`` or ``weibull``.
        shape: the scipy shape parameter (``s`` of lognorm, ``a`` of gamma, ``c`` of
            weibull_min); NaN for the exponential.
        scale: the scipy scale parameter (seconds).
        n: number of observations, censored ones included.
        n_censored: observations known only to exceed their value.
        log_likelihood: ln L at the maximum.
        aic: Akaike's information criterion 2k − 2 ln L.
        ks: Kolmogorov–Smirnov distance between the data and the fit (NaN with censoring,
            where the plain statistic does not apply).
        mean, mean_low, mean_high: the fitted mean (seconds) and its 95% interval.
        cv, cv_low, cv_high: the fitted coefficient of variation and its 95% interval
            (exactly 1 for the exponential).
    """

    family: str
    shape: float
    scale: float
    n: int
    n_censored: int
    log_likelihood: float
    aic: float
    ks: float
    mean: float
    mean_low: float
    mean_high: float
    cv: float
    cv_low: float
    cv_high: float

    def frozen(self) -> stats.rv_continuous:
        """The fitted distribution as a frozen ``scipy.stats`` object."""
        return frozen_distribution(self.family, self.shape, self.scale)


def frozen_distribution(family: str, shape: float, scale: float) -> stats.rv_continuous:
    """The frozen ``scipy.stats`` distribution of ``family`` (shape ignored if exponential)."""
    if _SCIPY[family].shape:
        return _frozen(family, np.log([shape, scale]))
    return _frozen(family, np.log([scale]))


def _frozen(family: str, theta: np.ndarray) -> stats.rv_continuous:
    values = np.exp(theta)
    if _SCIPY[family].shape:
        return _SCIPY[family].dist(values[0], loc=0.0, scale=values[1])
    return _SCIPY[family].dist(loc=0.0, scale=values[0])


def _neg_log_likelihood(
    family: str, observed: np.ndarray, censored: np.ndarray
) -> Callable[[np.ndarray], float]:
    def nll(theta: np.ndarray) -> float:
        dist = _frozen(family, theta)
        total = dist.logpdf(observed).sum() + dist.logsf(censored).sum()
        return -float(total) if np.isfinite(total) else np.inf

    return nll


def _hessian(f: Callable[[np.ndarray], float], x: np.ndarray) -> np.ndarray:
    k = len(x)
    h = np.empty((k, k))
    eye = np.eye(k) * _STEP
    f0 = f(x)
    for i in range(k):
        for j in range(i, k):
            if i == j:
                h[i, i] = (f(x + eye[i]) - 2 * f0 + f(x - eye[i])) / _STEP**2
            else:
                h[i, j] = h[j, i] = (
                    f(x + eye[i] + eye[j])
                    - f(x + eye[i] - eye[j])
                    - f(x - eye[i] + eye[j])
                    + f(x - eye[i] - eye[j])
                ) / (4 * _STEP**2)
    return h


def _gradient(g: Callable[[np.ndarray], float], x: np.ndarray) -> np.ndarray:
    eye = np.eye(len(x)) * _STEP
    return np.array([(g(x + e) - g(x - e)) / (2 * _STEP) for e in eye])


def _interval(
    g: Callable[[np.ndarray], float], theta: np.ndarray, cov: np.ndarray
) -> tuple[float, float, float]:
    """A positive quantity exp(g(θ)) with its 95% Wald interval on the log scale (NaN bounds
    when the observed information is not positive definite at the maximum)."""
    centre = g(theta)
    grad = _gradient(g, theta)
    variance = float(grad @ cov @ grad)
    se = float(np.sqrt(variance)) if variance >= 0 else np.nan
    return float(np.exp(centre)), float(np.exp(centre - Z95 * se)), float(np.exp(centre + Z95 * se))


def fit_distribution(
    family: str, observed: np.ndarray, censored: np.ndarray | None = None
) -> DistributionFit:
    """Fit ``family`` by maximum likelihood to ``observed`` durations (> 0, seconds) and
    ``censored`` ones (right-censored: the true value exceeds the one given).

    Raises ValueError for an unknown family, non-positive or non-finite data, fewer than
    two observed values, values that are all equal, or a fit that does not converge.
    """
    if family not in _SCIPY:
        raise ValueError(f"expected a family {', '.join(FAMILIES)}, got {family!r}")
    observed = np.asarray(observed, dtype=float)
    censored = np.asarray([] if censored is None else censored, dtype=float)
    if len(observed) < 2:
        raise ValueError(f"expected at least 2 observed durations, got {len(observed)}")
    if not (np.isfinite(observed).all() and (observed > 0).all()):
        raise ValueError("expected observed durations that are finite and greater than 0")
    if not (np.isfinite(censored).all() and (censored > 0).all()):
        raise ValueError("expected censored durations that are finite and greater than 0")
    if np.ptp(np.concatenate([observed, censored])) == 0:
        raise ValueError(
            f"expected durations that vary, got all {len(observed) + len(censored)} equal to "
            f"{observed[0]:g} s"
        )
    spec = _SCIPY[family]
    data = stats.CensoredData(uncensored=observed, right=censored) if len(censored) else observed
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            fitted = spec.dist.fit(data, floc=0.0)
    except (ValueError, RuntimeError, FloatingPointError) as error:
        raise ValueError(f"the {family} fit did not converge ({error})") from None
    theta = np.log([fitted[0], fitted[-1]] if spec.shape else [fitted[-1]])
    if not np.isfinite(theta).all():
        raise ValueError(f"the {family} fit did not converge (parameters {fitted})")
    nll = _neg_log_likelihood(family, observed, censored)
    information = _hessian(nll, theta)
    try:
        cov = np.linalg.inv(information)
    except np.linalg.LinAlgError:
        cov = np.full_like(information, np.nan)

    def log_mean(t: np.ndarray) -> float:
        return float(np.log(_frozen(family, t).mean()))

    def log_cv(t: np.ndarray) -> float:
        dist = _frozen(family, t)
        return float(np.log(dist.std() / dist.mean()))

    mean = _interval(log_mean, theta, cov)
    cv = _interval(log_cv, theta, cov) if spec.shape else (1.0, 1.0, 1.0)
    log_likelihood = -nll(theta)
    ks = np.nan
    if not len(censored):
        ks = float(stats.kstest(observed, _frozen(family, theta).cdf).statistic)
    return DistributionFit(
        family=family,
        shape=float(np.exp(theta[0])) if spec.shape else np.nan,
        scale=float(np.exp(theta[-1])),
        n=len(observed) + len(censored),
        n_censored=len(censored),
        log_likelihood=log_likelihood,
        aic=2 * len(theta) - 2 * log_likelihood,
        ks=ks,
        mean=mean[0],
        mean_low=mean[1],
        mean_high=mean[2],
        cv=cv[0],
        cv_low=cv[1],
        cv_high=cv[2],
    )


__all__ = ["FAMILIES", "DistributionFit", "fit_distribution", "frozen_distribution"]

"""Simulate a scenario with known parameters, fit its contact log, recover the parameters."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml
from scipy import stats

import queuesim
from queuesim.fitting import fit_contact_log, kaplan_meier, read_contact_log


def _estimate(result: queuesim.FitResult, quantity: str, contact_type: str, method: str = ""):
    rows = result.estimates
    rows = rows[(rows["quantity"] == quantity) & (rows["contact_type"] == contact_type)]
    rows = rows[rows["method"].str.startswith(method)] if method else rows
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_arrival_profile_covers_the_true_rate(fitted: queuesim.FitResult, known_log) -> None:
    OPEN, CLOSE, DAYS = known_log.open_hour, known_log.close_hour, known_log.days
    RATE_PER_HOUR = known_log.rate_per_hour
    profile = fitted.tables["profile"]
    rows = profile[(profile["contact_type"] == "all") & (profile["weekday"] == "all")]
    open_rows = rows[rows["interval_start"].between(OPEN * 3600, CLOSE * 3600 - 1)]
    closed_rows = rows[~rows.index.isin(open_rows.index)]
    assert (closed_rows["volume"] == 0).all()
    assert (open_rows["days"] == DAYS).all()
    truth = RATE_PER_HOUR / 2
    inside = (open_rows["ci_low"] <= truth) & (truth <= open_rows["ci_high"])
    # 20 intervals with 95% intervals: P(at least 16 covered) > 0.999 if the intervals are right.
    assert inside.sum() >= 16, open_rows
    daily = _estimate(fitted, "daily_volume", "all")
    # The daily mean's interval has only DAYS - 1 degrees of freedom; check it against theory.
    expected = RATE_PER_HOUR * (CLOSE - OPEN)
    assert daily["ci_low"] <= expected <= daily["ci_high"]


@pytest.mark.parametrize(
    ("contact_type", "family", "mean", "cv"),
    [("claims", "lognormal", 300.0, 0.8), ("policy", "gamma", 200.0, 0.6)],
)
def test_handle_times_recover_family_mean_and_cv(
    fitted: queuesim.FitResult, contact_type: str, family: str, mean: float, cv: float
) -> None:
    fits = fitted.tables["handle_time"]
    fits = fits[fits["contact_type"] == contact_type]
    assert set(fits["family"]) == {"exponential", "lognormal", "gamma"}
    best = fits[fits["best"]].iloc[0]
    assert best["family"] == family
    assert best["mean_low"] <= mean <= best["mean_high"]
    assert best["cv_low"] <= cv <= best["cv_high"]
    mix = _estimate(fitted, "mix_share", contact_type)
    share = 0.4 if contact_type == "claims" else 0.6
    assert mix["ci_low"] <= share <= mix["ci_high"]


def test_censored_patience_recovers_lognormal_where_naive_is_biased(
    fitted: queuesim.FitResult,
) -> None:
    fits = fitted.tables["patience"]
    fits = fits[fits["contact_type"] == "all"].set_index("family")
    assert fits["aic"].idxmin() == "lognormal"
    lognormal = fits.loc["lognormal"]
    assert lognormal["mean_low"] <= 300.0 <= lognormal["mean_high"]
    assert lognormal["cv_low"] <= 2.0 <= lognormal["cv_high"]
    naive = fits.loc["naive"]
    # The naive estimate is far below the truth, beyond its own interval.
    assert naive["mean_high"] < 300.0
    # It is the exponential maximum-likelihood estimate (total wait / abandoned).
    assert naive["mean"] == pytest.approx(fits.loc["exponential", "mean"], rel=1e-6)
    assert "lognormal" in fitted.scenario_text
    assert 'patience: {dist: lognormal, mean: "' in fitted.scenario_text


def test_kaplan_meier_band_covers_the_true_survival(fitted: queuesim.FitResult, known_log) -> None:
    """Five times checked at once: Bonferroni, each band at 1 − 0.05 / 5, so all five cover
    the true survival with probability at least 95% if the bands are right."""
    times = (10.0, 30.0, 60.0, 120.0, 240.0)
    km = kaplan_meier(read_contact_log(known_log.path), level=1 - 0.05 / len(times))
    assert (km["time"].to_numpy() == fitted.tables["kaplan_meier"]["time"].to_numpy()).all()
    sigma = np.sqrt(np.log1p(2.0**2))
    truth = stats.lognorm(sigma, scale=300.0 * np.exp(-(sigma**2) / 2))
    for t in times:
        row = km[km["time"] <= t].iloc[-1]
        assert row["ci_low"] <= truth.sf(t) <= row["ci_high"], (t, row)


def test_fitted_scenario_is_valid_and_says_where_figures_came_from(
    fitted: queuesim.FitResult, known_log, tmp_path
) -> None:
    OPEN, CLOSE = known_log.open_hour, known_log.close_hour
    data = yaml.safe_load(fitted.scenario_text)
    scenario = queuesim.scenario_from_dict(data, source="fitted")
    assert set(scenario.contact_types) == {"claims", "policy"}
    assert scenario.channels["phone"].open == OPEN * 3600
    assert scenario.channels["phone"].close == CLOSE * 3600
    assert "maximum likelihood" in fitted.scenario_text
    assert "PLACEHOLDER" in fitted.scenario_text
    written = fitted.write(tmp_path)
    assert {p.name for p in written} >= {"scenario.yaml", "estimates.csv", "patience.csv"}
    estimates = pd.read_csv(tmp_path / "estimates.csv")
    assert {"quantity", "estimate", "ci_low", "ci_high", "method"} <= set(estimates.columns)


def test_weibull_best_fit_is_written_as_best_supported_family(tmp_path) -> None:
    rng = np.random.default_rng(3)
    n = 3000
    patience = stats.weibull_min(3.0, scale=120.0).rvs(n, random_state=rng)
    wait = rng.exponential(100.0, n)
    abandoned = patience < wait
    log = pd.DataFrame(
        {
            "arrival": pd.Timestamp("2026-03-02 09:00")
            + pd.to_timedelta(np.sort(rng.uniform(0, 8 * 3600, n)), unit="s"),
            "channel": "phone",
            "contact_type": "general",
            "outcome": np.where(abandoned, "abandoned", "answered"),
            "wait": np.where(abandoned, patience, wait),
            "handle_time": np.where(abandoned, np.nan, 200.0 + rng.exponential(100.0, n)),
            "after_contact_work": np.where(abandoned, np.nan, 25.0 + rng.uniform(-5, 5, n)),
        }
    )
    result = fit_contact_log(log, 1800.0, "weibull.csv")
    wrap = result.estimates[result.estimates["quantity"] == "after_contact_work_mean"].iloc[0]
    assert wrap["ci_low"] <= 25.0 <= wrap["ci_high"]
    fits = result.tables["patience"].set_index("family")
    assert fits["aic"].idxmin() == "weibull"
    assert any("weibull fits best" in note for note in result.notes)
    assert "not a scenario distribution yet" in result.scenario_text
    data = yaml.safe_load(result.scenario_text)
    assert data["channels"]["phone"]["patience"]["dist"] in ("exponential", "lognormal")
    scenario = queuesim.scenario_from_dict(data)
    assert scenario.contact_types["general"].after_contact_work.value == pytest.approx(
        wrap["estimate"], abs=0.05
    )


@pytest.mark.slow
def test_dispersion_of_daily_totals_is_recovered(scenario_data, as_log) -> None:
    data = scenario_data(agents=12)
    data["horizon"] = "40 d"
    data["channels"]["phone"]["arrivals"]["dispersion"] = {"cv": 0.2, "level": "day"}
    data["channels"]["phone"]["patience"] = "none"
    scenario = queuesim.scenario_from_dict(data)
    contacts = queuesim.simulate(scenario, replications=1, seed=3, records=True).contacts
    log = read_log_frame(as_log(contacts))
    dispersion = queuesim.fitting.daily_dispersion(log)
    row = dispersion.iloc[0]
    assert row["days"] == 40
    assert row["ci_low"] <= 0.2 <= row["ci_high"]
    assert row["ci_low"] > 0.05  # visibly overdispersed


def read_log_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame as read_contact_log returns it (datetime arrivals)."""
    out = frame.copy()
    out["arrival"] = pd.to_datetime(out["arrival"])
    out["after_contact_work"] = np.nan
    return out


def test_a_log_running_to_midnight_closes_at_24_00_without_patience() -> None:
    rng = np.random.default_rng(5)
    n = 60
    log = pd.DataFrame(
        {
            "arrival": pd.Timestamp("2026-03-02 23:00")
            + pd.to_timedelta(np.sort(rng.uniform(0, 3599, n)), unit="s"),
            "channel": "phone",
            "contact_type": "general",
            "outcome": "answered",
            "wait": 0.0,
            "handle_time": rng.exponential(200.0, n),
            "after_contact_work": np.nan,
        }
    )
    result = fit_contact_log(log, 1800.0, "night.csv")
    scenario = queuesim.scenario_from_dict(yaml.safe_load(result.scenario_text))
    phone = scenario.channels["phone"]
    assert (phone.open, phone.close) == (23 * 3600.0, 24 * 3600.0)
    assert phone.patience.dist == "none"
    assert any("patience not fitted" in note for note in result.notes)


def test_days_without_any_contact_are_closed_days_not_zero_demand() -> None:
    """Nine calendar days, Monday to the next Tuesday, closed at the weekend: 60 calls an hour
    from 08:00 to 18:00 on the 7 open days. Counting the weekend as two days of zero demand
    would pull the profile down by 2/9 and fake a daily cv of about 0.47."""
    rng = np.random.default_rng(8)
    days = [d for d in pd.date_range("2026-03-02", "2026-03-10") if d.day_of_week < 5]
    arrivals = np.concatenate(
        [
            (day + pd.to_timedelta(np.sort(rng.uniform(8, 18, rng.poisson(600))), unit="h"))
            for day in days
        ]
    )
    log = pd.DataFrame(
        {
            "arrival": pd.to_datetime(arrivals),
            "channel": "phone",
            "contact_type": "general",
            "outcome": "answered",
            "wait": 0.0,
            "handle_time": rng.exponential(200.0, len(arrivals)),
            "after_contact_work": np.nan,
        }
    )
    profile = queuesim.fitting.arrival_profile(log, 1800.0)
    open_rows = profile[profile["interval_start"].between(8 * 3600, 18 * 3600 - 1)]
    assert (open_rows["days"] == 7).all()
    inside = (open_rows["ci_low"] <= 30.0) & (open_rows["ci_high"] >= 30.0)
    assert inside.sum() >= 16  # of 20 intervals with 95% intervals: P > 0.99 if they are right
    dispersion = queuesim.fitting.daily_dispersion(log).iloc[0]
    assert dispersion["days"] == 7
    assert dispersion["ci_low"] == 0.0  # Poisson days: no overdispersion detected

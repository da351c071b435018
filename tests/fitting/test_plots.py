"""Figures of a fit: what each panel draws."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import queuesim
from queuesim.fitting import read_contact_log
from queuesim.fitting.plots import handle_time_qq, patience_survival, profile_plot


def test_qq_plot_has_one_panel_per_contact_type_with_every_handle_time(
    fitted: queuesim.FitResult, known_log
) -> None:
    log = read_contact_log(known_log.path)
    figure = handle_time_qq(log, fitted.tables["handle_time"])
    assert [ax.get_title() for ax in figure.axes] == [
        "phone / claims: lognormal",
        "phone / policy: gamma",
    ]
    for ax, contact_type in zip(figure.axes, ["claims", "policy"], strict=True):
        points, diagonal = ax.lines
        answered = log[(log["contact_type"] == contact_type) & (log["outcome"] == "answered")]
        observed = np.sort(answered["handle_time"].to_numpy()) / 60
        np.testing.assert_allclose(points.get_ydata(), observed)
        assert diagonal.get_xdata()[0] == 0 and ax.get_xlabel() == "fitted quantile (min)"


def test_survival_plot_draws_kaplan_meier_its_band_and_each_family(
    fitted: queuesim.FitResult,
) -> None:
    figure = patience_survival(fitted.tables["patience"], fitted.tables["kaplan_meier"])
    (ax,) = figure.axes
    labels = [text.get_text() for text in ax.get_legend().get_texts()]
    assert labels[:2] == ["Kaplan–Meier", "95% band"]
    assert [label.split(" ")[0] for label in labels[2:]] == ["exponential", "lognormal", "weibull"]
    km = fitted.tables["kaplan_meier"]
    np.testing.assert_allclose(ax.lines[0].get_ydata(), km["survival"])
    for curve in ax.lines[1:]:  # fitted survival curves start at 1 and decrease
        y = curve.get_ydata()
        assert y[0] == pytest.approx(1.0) and (np.diff(y) <= 1e-12).all()


def test_profile_plot_draws_each_channels_mean_volume() -> None:
    profile = pd.DataFrame(
        {
            "channel": ["phone"] * 3 + ["chat"] * 3,
            "contact_type": "all",
            "weekday": "all",
            "interval_start": [28800.0, 30600.0, 32400.0] * 2,
            "volume": [10.0, 12.0, 8.0, 3.0, 4.0, 5.0],
            "ci_low": [8.0, 10.0, 6.0, 2.0, 3.0, 4.0],
            "ci_high": [12.0, 14.0, 10.0, 4.0, 5.0, 6.0],
        }
    )
    (ax,) = profile_plot(profile).axes
    assert [line.get_label() for line in ax.lines] == ["chat", "phone"]
    np.testing.assert_allclose(ax.lines[1].get_xdata(), [8.0, 8.5, 9.0])
    np.testing.assert_allclose(ax.lines[1].get_ydata(), [10.0, 12.0, 8.0])
    assert ax.get_xlabel() == "hour of day" and ax.get_ylabel() == "arrivals per interval"


def test_many_contact_types_wrap_into_rows_of_three(fitted: queuesim.FitResult, known_log) -> None:
    fits = fitted.tables["handle_time"]
    best = fits[fits["best"]]
    many = pd.concat([best.assign(channel=f"q{i}") for i in range(4)], ignore_index=True)
    log = read_contact_log(known_log.path)
    log = pd.concat([log.assign(channel=f"q{i}") for i in range(4)], ignore_index=True)
    figure = handle_time_qq(log, many)
    assert len(figure.axes) == 8
    assert {ax.get_subplotspec().get_geometry()[:2] for ax in figure.axes} == {(3, 3)}

"""Comparison bars, satisfaction, sweep trade-off and tornado, on hand-made tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from queuesim.plotting import (
    difference_bars,
    net_promoter_score,
    satisfaction_distribution,
    sweep_tradeoff,
    tornado_chart,
    variant_bars,
)


def test_difference_bars_one_panel_per_metric(differences: pd.DataFrame) -> None:
    figure = difference_bars(differences)
    sl, asa = figure.axes
    assert [p.get_width() for p in sl.patches] == [0.10, 0.01]
    assert [p.get_width() for p in asa.patches] == [-18.0, 3.0]
    assert [t.get_text() for t in sl.get_yticklabels()] == ["more_staff", "chatbot"]
    # error bars span the CI, from ci_low to ci_high
    (errors,) = asa.collections
    spans = [segment[:, 0] for segment in errors.get_segments()]
    np.testing.assert_allclose(spans, [[-22.0, -14.0], [-1.0, 7.0]])
    # resolved (CI excludes zero) in orange, unresolved in grey
    assert sl.patches[0].get_facecolor() != sl.patches[1].get_facecolor()
    assert "base 80.0%" in sl.get_title() and "base 30" in asa.get_title()
    assert asa.get_xlabel() == "difference from base (s)"
    with pytest.raises(ValueError, match=r"expected metrics \['csat'\]"):
        difference_bars(differences, ["csat"])


def test_difference_bars_wrap_many_metrics_into_rows_of_three(differences) -> None:
    metrics = ["sl_all", "asa", "abandon_rate", "occupancy", "mean_wait", "wait_p90", "cost"]
    table = pd.concat(
        [differences[differences["metric"] == "asa"].assign(metric=m) for m in metrics],
        ignore_index=True,
    )
    figure = difference_bars(table)
    assert len(figure.axes) == 7  # the two unused cells of the 3 × 3 grid are removed
    positions = [ax.get_subplotspec().get_geometry() for ax in figure.axes]
    assert {(rows, columns) for rows, columns, _, _ in positions} == {(3, 3)}
    assert [ax.get_title().split("\n")[0] for ax in figure.axes][:2] == [
        "service level (of offered)",
        "average speed of answer",
    ]
    assert [ax.get_ylabel() for ax in figure.axes] == [
        "variant",
        "",
        "",
        "variant",
        "",
        "",
        "variant",
    ]
    width, _ = figure.get_size_inches() * figure.dpi
    assert width <= 1400  # three panels wide, not seven
    for ax in figure.axes:  # first variant on top in every panel
        low, high = ax.get_ylim()
        assert low > high


def test_variant_bars_heights_and_intervals() -> None:
    summary = pd.DataFrame(
        {
            "variant": ["base", "more_staff"],
            "channel": "all",
            "contact_type": "all",
            "agent_group": "all",
            "metric": "asa",
            "unit": "s",
            "mean": [30.0, 12.0],
            "ci_low": [25.0, 10.0],
            "ci_high": [35.0, np.nan],
            "n_reps": [10, 1],
        }
    )
    (ax,) = variant_bars(summary, "asa").axes
    assert [p.get_height() for p in ax.patches] == [30.0, 12.0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["base", "more_staff"]
    assert ax.get_ylabel() == "average speed of answer (s)"
    (errors,) = ax.collections
    segments = errors.get_segments()
    np.testing.assert_allclose(segments[0][:, 1], [25.0, 35.0])
    np.testing.assert_allclose(segments[1][:, 1], [12.0, 12.0])  # NaN bounds: no bar


def test_satisfaction_shares_and_nps(journeys: pd.DataFrame) -> None:
    figure = satisfaction_distribution(journeys)
    csat, ltr = figure.axes
    np.testing.assert_allclose([p.get_height() for p in csat.patches], [0.1, 0.1, 0.2, 0.4, 0.2])
    heights = [p.get_height() for p in ltr.patches]
    assert len(heights) == 11 and sum(heights) == pytest.approx(1.0)
    assert heights[9] == pytest.approx(0.3)
    colours = {tuple(p.get_facecolor()) for p in ltr.patches}
    assert len(colours) == 3  # detractors, passives, promoters
    assert ltr.get_title() == "NPS +20"
    assert net_promoter_score(journeys["likelihood_to_recommend"]) == pytest.approx(20.0)
    assert csat.get_title().startswith("CSAT: mean 3.50, top-2 box 60%")
    bad = journeys.assign(csat=journeys["csat"].replace(5, 7))
    with pytest.raises(ValueError, match=r"journeys.csat: expected integers 1–5, got \[7\]"):
        satisfaction_distribution(bad)


def test_sweep_tradeoff_places_each_point(sweep: pd.DataFrame) -> None:
    figure = sweep_tradeoff(sweep, colour="csat_mean")
    ax, colourbar = figure.axes
    points = ax.collections[-1]
    expected = np.column_stack([720.0 * np.array([40, 42, 44, 46]), [0.5, 0.6, 0.7, 0.8]])
    np.testing.assert_allclose(points.get_offsets(), expected)
    np.testing.assert_allclose(points.get_array(), [3.6, 3.7, 3.8, 3.9])
    assert [t.get_text() for t in ax.texts] == ["size=40", "size=42", "size=44", "size=46"]
    assert ax.get_xlabel() == "staff cost (currency)"
    assert ax.get_ylabel() == "service level (of offered)"
    assert colourbar.get_ylabel() == "csat mean"
    with pytest.raises(ValueError, match="sweep: no rows for metric 'nps'"):
        sweep_tradeoff(sweep, colour="nps")


def test_tornado_sorts_by_swing_and_spans_low_to_high() -> None:
    sensitivity = pd.DataFrame(
        {
            "parameter": ["channels.phone.patience.mean", "agent_groups.team.size"],
            "metric": "sl_all",
            "unit": "ratio",
            "base_value": [120.0, 44.0],
            "low_value": [90.0, 40.0],
            "high_value": [150.0, 48.0],
            "base": 0.8,
            "low": [0.78, 0.6],
            "high": [0.81, 0.92],
        }
    )
    figure = tornado_chart(sensitivity, "sl_all")
    (ax,) = figure.axes
    assert [t.get_text() for t in figure.legends[0].get_texts()] == [
        "parameter at its low value",
        "parameter at its high value",
    ]
    low_bars, high_bars = ax.containers
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0].startswith("agent_groups.team.size") and "(40 → 48)" in labels[0]
    np.testing.assert_allclose([b.get_x() + b.get_width() for b in low_bars], [0.6, 0.78])
    np.testing.assert_allclose([b.get_x() + b.get_width() for b in high_bars], [0.92, 0.81])
    assert all(b.get_x() == pytest.approx(0.8) for b in [*low_bars, *high_bars])
    assert "base 80.0%" in ax.get_title()

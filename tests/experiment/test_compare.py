import numpy as np
import pytest

from queuesim import ScenarioError, load_scenario, simulate
from queuesim.experiment.compare import compare
from queuesim.results import ALL


def totals(frame, metric):
    return frame[
        (frame.metric == metric)
        & (frame.channel == ALL)
        & (frame.contact_type == ALL)
        & (frame.agent_group == ALL)
    ].set_index("variant")


def test_difference_is_the_paired_mean_and_runs_on_the_same_seeds(small_scenario):
    result = compare(small_scenario, ["more_agents"], replications=6)
    base, more = result.results["base"], result.results["more_agents"]
    assert (base.runs.seed == more.runs.seed).all()
    assert (base.values("offered") == more.values("offered")).all()
    row = totals(result.differences, "asa").loc["more_agents"]
    paired = more.values("asa") - base.values("asa")
    assert row["difference"] == pytest.approx(paired.mean())
    assert row["ci_low"] < row["difference"] < row["ci_high"]
    assert row["n_reps"] == 6
    assert set(result.summary.variant) == {"base", "more_agents"}


def test_pairing_narrows_the_ci_compared_with_independent_seeds(small_scenario):
    """The paired CI of sl_all's difference is narrower than from independent seeds.

    The independent comparison is run for real: the variant on other seeds, Welch interval.
    """
    n = 10
    paired = totals(compare(small_scenario, ["more_agents"], replications=n).differences, "sl_all")
    paired_half = (paired["ci_high"] - paired["ci_low"]).iloc[0] / 2
    base = simulate(load_scenario(small_scenario), n, seed=7).values("sl_all")
    other = simulate(load_scenario(small_scenario, variant="more_agents"), n, seed=8).values(
        "sl_all"
    )
    from scipy import stats

    se = np.sqrt(base.var(ddof=1) / n + other.var(ddof=1) / n)
    independent_half = stats.t.ppf(0.975, 2 * n - 2) * se
    assert paired_half < independent_half
    assert paired["ci_narrowing"].iloc[0] > 0


def test_all_declared_variants_by_default_and_explicit_mappings(small_scenario):
    result = compare(small_scenario, replications=2)
    assert set(result.differences.variant) == {"more_agents", "faster"}
    custom = compare(small_scenario, {"ten": {"agent_groups.agents.size": 10}}, replications=2)
    assert set(custom.differences.variant) == {"ten"}


def test_unknown_variant_is_a_clear_error(small_scenario):
    with pytest.raises(ScenarioError, match=r"variants: expected the name of a variant .*'fastr'"):
        compare(small_scenario, ["fastr"], replications=2)

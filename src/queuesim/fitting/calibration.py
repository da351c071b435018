"""From a contact log or interval reports to estimates with intervals and a scenario file.

:func:`fit_contact_log` gathers the arrival profile and dispersion
(:mod:`~queuesim.fitting.arrivals`), the handle-time fits (:mod:`~queuesim.fitting.handle_time`)
and the censored patience fits with Kaplan–Meier (:mod:`~queuesim.fitting.patience`);
:func:`fit_interval_report` the profile, AHT and Erlang A patience of interval reports
(:mod:`~queuesim.fitting.intervals`). Both return a result holding the tidy tables, an
``estimates`` table (one row per figure with its 95% interval and method) and the commented
scenario file (:mod:`~queuesim.fitting.scenario_file`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from queuesim.fitting.arrivals import arrival_profile, daily_dispersion, daily_totals
from queuesim.fitting.handle_time import fit_handle_times
from queuesim.fitting.intervals import check_interval, erlang_a_patience, report_profile
from queuesim.fitting.patience import fit_patience, kaplan_meier
from queuesim.fitting.scenario_file import (
    ChannelDraft,
    ContactTypeDraft,
    DistributionDraft,
    ScenarioDraft,
    scenario_yaml,
)

ESTIMATE_COLUMNS = [
    "quantity",
    "channel",
    "contact_type",
    "estimate",
    "ci_low",
    "ci_high",
    "unit",
    "method",
]
SCENARIO_PATIENCE = ("exponential", "lognormal")
_INVALID = re.compile(r"[^A-Za-z0-9_-]+")


def scenario_name(text: str) -> str:
    """A name the scenario schema accepts, made from a label in a log (``Claims dept`` →
    ``Claims_dept``; ``all`` is reserved, so it becomes ``all_``)."""
    name = _INVALID.sub("_", text.strip()).strip("_") or "unnamed"
    if not name[0].isalpha():
        name = f"x{name}"
    return "all_" if name == "all" else name


@dataclass(frozen=True)
class FitResult:
    """What a fit produced: tidy tables, the estimates with their intervals, a scenario.

    Attributes:
        source: the file (or label) fitted.
        interval: the reporting interval (s).
        estimates: one row per figure: ``quantity, channel, contact_type, estimate, ci_low,
            ci_high, unit, method``.
        tables: the detailed tables by name (``profile``, ``dispersion``, ``mix``,
            ``handle_time``, ``after_contact_work``, ``patience``, ``kaplan_meier`` for a log;
            ``profile`` and ``patience`` for reports).
        scenario_text: the commented scenario YAML.
        notes: what the fit could not do or approximated, in words.
    """

    source: str
    interval: float
    estimates: pd.DataFrame
    tables: dict[str, pd.DataFrame]
    scenario_text: str
    notes: list[str] = field(default_factory=list)

    def write(self, directory: Path) -> list[Path]:
        """Write ``scenario.yaml``, ``estimates.csv`` and each table as CSV to ``directory``."""
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / "scenario.yaml"
        path.write_text(self.scenario_text, encoding="utf-8")
        written = [path]
        for name, table in {"estimates": self.estimates, **self.tables}.items():
            path = directory / f"{name}.csv"
            table.to_csv(path, index=False)
            written.append(path)
        return written


def _row(
    quantity: str, channel: str, contact_type: str, values: tuple, unit: str, method: str
) -> dict:
    return dict(
        zip(ESTIMATE_COLUMNS, (quantity, channel, contact_type, *values, unit, method), strict=True)
    )


def _mix(log: pd.DataFrame) -> pd.DataFrame:
    """Contact-type shares per channel with exact (Clopper–Pearson) 95% intervals, which stay
    inside [0, 1] and hold for rare types too."""
    rows = []
    for channel, group in log.groupby("channel", sort=True):
        counts = group["contact_type"].value_counts().sort_index()
        n = int(counts.sum())
        for contact_type, k in counts.items():
            ci = stats.binomtest(int(k), n).proportion_ci(0.95)
            rows.append((str(channel), str(contact_type), int(k), k / n, ci.low, ci.high))
    return pd.DataFrame(
        rows, columns=["channel", "contact_type", "contacts", "share", "ci_low", "ci_high"]
    )


def _daily_mean(log: pd.DataFrame) -> dict[str, tuple]:
    """Mean daily volume per channel with a Student-t interval over days."""
    per_day = daily_totals(log)
    result = {}
    for channel in sorted(per_day.columns):
        x = per_day[channel].to_numpy(dtype=float)
        if len(x) > 1:
            half = stats.t.ppf(0.975, len(x) - 1) * x.std(ddof=1) / math.sqrt(len(x))
        else:
            half = math.nan
        result[str(channel)] = (x.mean(), x.mean() - half, x.mean() + half)
    return result


def _distribution_note(best: pd.Series, what: str) -> str:
    return (
        f"{what}: {best['family']} by maximum likelihood, best AIC of the families fitted; "
        f"mean {best['mean']:.1f} s [95% CI {best['mean_low']:.1f}, {best['mean_high']:.1f}], "
        f"cv {best['cv']:.3f} [{best['cv_low']:.3f}, {best['cv_high']:.3f}], "
        f"n = {int(best['n'])}"
    )


def _patience_draft(fits: pd.DataFrame) -> tuple[DistributionDraft, str | None]:
    """The patience to write: the best supported family, and a note if the best is not."""
    ranked = fits[fits["family"] != "naive"].sort_values("aic")
    best = ranked.iloc[0]
    supported = ranked[ranked["family"].isin(SCENARIO_PATIENCE)].iloc[0]
    naive = fits[fits["family"] == "naive"].iloc[0]
    note = _distribution_note(supported, "patience from censored waits")
    note += f"; naive total wait / abandoned = {naive['mean']:.1f} s"
    caveat = None
    if best["family"] not in SCENARIO_PATIENCE:
        caveat = (
            f"patience of {fits['channel'].iloc[0]}: {best['family']} fits best "
            f"(AIC {best['aic']:.1f}) but scenario files do not support it yet; the file uses "
            f"{supported['family']} (AIC {supported['aic']:.1f}), the best supported family"
        )
        note += f"; NOTE {best['family']} fits better (ΔAIC {supported['aic'] - best['aic']:.1f})"
        note += " but is not a scenario distribution yet"
    draft = DistributionDraft(supported["family"], supported["mean"], supported["cv"], note)
    return draft, caveat


def _log_estimates(log: pd.DataFrame, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The ``estimates`` table of a contact-log fit."""
    rows = [
        _row("daily_volume", channel, "all", values, "count", "mean over days")
        for channel, values in _daily_mean(log).items()
    ]
    rows += [
        _row(
            "dispersion_cv",
            d.channel,
            "all",
            (d.cv, d.ci_low, d.ci_high),
            "ratio",
            "gamma-Poisson, moments of daily totals; chi-square CI",
        )
        for d in tables["dispersion"].itertuples()
    ]
    rows += [
        _row(
            "mix_share",
            m.channel,
            m.contact_type,
            (m.share, m.ci_low, m.ci_high),
            "ratio",
            "share of contacts; Clopper-Pearson CI",
        )
        for m in tables["mix"].itertuples()
    ]
    for quantity in ("handle_time", "patience"):
        table = tables[quantity]
        if table.empty:
            continue
        for r in table[table["best"] | (table["family"] == "naive")].itertuples():
            naive = r.family == "naive"
            method = f"{r.family}: " + (
                "total wait / abandoned" if naive else "maximum likelihood, best AIC"
            )
            keys = (r.channel, r.contact_type)
            rows.append(
                _row(f"{quantity}_mean", *keys, (r.mean, r.mean_low, r.mean_high), "s", method)
            )
            if not naive:
                rows.append(
                    _row(f"{quantity}_cv", *keys, (r.cv, r.cv_low, r.cv_high), "ratio", method)
                )
    for a in tables["after_contact_work"].itertuples():
        rows.append(
            _row(
                "after_contact_work_mean",
                a.channel,
                a.contact_type,
                (a.mean, a.ci_low, a.ci_high),
                "s",
                "mean; Student-t CI",
            )
        )
    return pd.DataFrame(rows, columns=ESTIMATE_COLUMNS)


def _after_contact_work(log: pd.DataFrame) -> pd.DataFrame:
    """Mean after-contact work per channel × contact type, with a Student-t interval."""
    rows = []
    answered = log[log["outcome"] == "answered"]
    for (channel, contact_type), group in answered.groupby(["channel", "contact_type"]):
        acw = group["after_contact_work"].dropna().to_numpy()
        if len(acw) > 1:
            half = stats.t.ppf(0.975, len(acw) - 1) * acw.std(ddof=1) / math.sqrt(len(acw))
            rows.append((channel, contact_type, acw.mean(), acw.mean() - half, acw.mean() + half))
    return pd.DataFrame(rows, columns=["channel", "contact_type", "mean", "ci_low", "ci_high"])


def _contact_type_drafts(
    channel: str, names: dict[str, str], tables: dict[str, pd.DataFrame], source: str
) -> list[ContactTypeDraft]:
    handle, acw = tables["handle_time"], tables["after_contact_work"]
    drafts = []
    for contact_type, name in names.items():
        fits = handle[(handle["channel"] == channel) & (handle["contact_type"] == contact_type)]
        if fits.empty:
            raise ValueError(
                f"{source}: contact type {contact_type!r} of channel {channel!r} has fewer "
                "than 2 answered contacts with a handle time; its handle time cannot be fitted"
            )
        best = fits[fits["best"]].iloc[0]
        wrap = acw[(acw["channel"] == channel) & (acw["contact_type"] == contact_type)]
        drafts.append(
            ContactTypeDraft(
                name,
                DistributionDraft(
                    best["family"],
                    best["mean"],
                    best["cv"],
                    _distribution_note(best, "handle time"),
                ),
                float(wrap["mean"].iloc[0]) if len(wrap) else None,
                "mean after-contact work in the log, written as a fixed time",
            )
        )
    return drafts


def _channel_draft(
    channel: str, names: dict[str, str], tables: dict[str, pd.DataFrame], notes: list[str]
) -> ChannelDraft:
    profile, mix = tables["profile"], tables["mix"]
    volumes = profile[
        (profile["channel"] == channel)
        & (profile["contact_type"] == "all")
        & (profile["weekday"] == "all")
    ]
    active = volumes[volumes["volume"] > 0]
    span = volumes[
        volumes["interval_start"].between(
            active["interval_start"].min(), active["interval_start"].max()
        )
    ]
    n_days = int(volumes["days"].iloc[0])
    dispersion = tables["dispersion"]
    disp = dispersion[dispersion["channel"] == channel].iloc[0]
    cv = None if math.isnan(disp.cv) or disp.cv == 0 else float(disp.cv)
    disp_note = (
        f"gamma-Poisson cv of daily totals over {n_days} open days "
        f"[95% CI {disp.ci_low:.3f}, {disp.ci_high:.3f}]"
        if cv
        else f"daily totals over {n_days} open day(s) are not overdispersed or too few to tell"
    )
    patience = tables["patience"]
    if not patience.empty:
        patience = patience[(patience["channel"] == channel) & (patience["contact_type"] == "all")]
    draft_patience = None
    if patience.empty:
        notes.append(f"channel {channel}: fewer than 5 abandonments; patience not fitted")
    else:
        draft_patience, caveat = _patience_draft(patience)
        if caveat:
            notes.append(caveat)
    shares = mix[mix["channel"] == channel]
    return ChannelDraft(
        name=scenario_name(channel),
        profile=[(s, v, None) for s, v in zip(span["interval_start"], span["volume"], strict=True)],
        profile_note=f"mean arrivals per interval over the {n_days} open day(s) of the log",
        mix={
            names[t]: float(x) for t, x in zip(shares["contact_type"], shares["share"], strict=True)
        },
        mix_note="contact-type shares in the log",
        patience=draft_patience,
        dispersion_cv=cv,
        dispersion_note=disp_note,
    )


def fit_contact_log(
    log: pd.DataFrame, interval: float = 1800.0, source: str = "contact log"
) -> FitResult:
    """Fit arrivals, handle times and patience to a contact log (see the module docstring).

    ``log`` as read by :func:`~queuesim.fitting.logs.read_contact_log`; ``interval`` the
    reporting interval in seconds. Raises ValueError, starting with ``source``, for an empty
    log, a contact type with fewer than 2 handle times, or durations that cannot be fitted.
    """
    if log.empty:
        raise ValueError(f"{source}: expected at least one contact, got none")
    try:
        tables = {
            "profile": arrival_profile(log, interval),
            "dispersion": daily_dispersion(log),
            "mix": _mix(log),
            "handle_time": fit_handle_times(log),
            "after_contact_work": _after_contact_work(log),
            "patience": fit_patience(log),
            "kaplan_meier": kaplan_meier(log),
        }
    except ValueError as error:
        raise ValueError(f"{source}: {error}") from None
    shared = log.groupby("contact_type")["channel"].nunique()
    notes: list[str] = []
    channels: list[ChannelDraft] = []
    contact_types: list[ContactTypeDraft] = []
    for channel in sorted(log["channel"].unique()):
        types = tables["mix"].loc[tables["mix"]["channel"] == channel, "contact_type"]
        names = {t: scenario_name(t if shared[t] == 1 else f"{channel}_{t}") for t in types}
        contact_types += _contact_type_drafts(channel, names, tables, source)
        channels.append(_channel_draft(channel, names, tables, notes))
    draft = ScenarioDraft(
        source,
        interval,
        channels,
        contact_types,
        header=[
            f"Scenario fitted by `queuesim fit` from {source}",
            f"({len(log)} contacts, {log['arrival'].min():%Y-%m-%d} to "
            f"{log['arrival'].max():%Y-%m-%d}). Each figure's comment says how it was estimated;",
            "estimates.csv lists them with 95% confidence intervals.",
            *notes,
        ],
    )
    estimates = _log_estimates(log, tables)
    return FitResult(source, interval, estimates, tables, scenario_yaml(draft), notes)


def fit_interval_report(
    report: pd.DataFrame, interval: float = 1800.0, source: str = "interval report"
) -> FitResult:
    """Fit the arrival profile, AHT and (approximately) mean patience to interval reports.

    ``report`` as read by :func:`~queuesim.fitting.logs.read_interval_report`. The handle-time
    shape cannot be seen in aggregates: the scenario uses exponential handle times scaled to
    each interval's AHT, and exponential patience with the pooled Erlang A estimate (module
    :mod:`~queuesim.fitting.intervals`). Raises ValueError, starting with ``source``, without
    an ``aht`` column, for a channel without an AHT, or for intervals that are not
    ``interval`` seconds long.
    """
    if "aht" not in report or report["aht"].isna().all():
        raise ValueError(f"{source}: expected an aht column to fit handle times, got none")
    try:
        check_interval(report, interval)
    except ValueError as error:
        raise ValueError(f"{source}: {error}") from None
    profile = report_profile(report)
    notes: list[str] = []
    rows = []
    patience_tables = []
    channels = []
    contact_types = []
    for channel in sorted(report["channel"].unique()):
        rows_ch = report[report["channel"] == channel]
        volumes = profile[profile["channel"] == channel]
        active = volumes[volumes["volume"] > 0]
        answered = rows_ch["answered"] if "answered" in rows_ch else rows_ch["offered"]
        weights = answered.fillna(0.0).to_numpy()
        ahts = rows_ch["aht"].to_numpy()
        known = ~np.isnan(ahts) & (weights > 0)
        if not known.any():
            raise ValueError(
                f"{source}: expected an aht for some answered interval of channel {channel}, "
                "got none"
            )
        mean_aht = float(np.average(ahts[known], weights=weights[known]))
        rows.append(
            _row(
                "daily_volume",
                channel,
                "all",
                (rows_ch["offered"].sum() / max(volumes["days"].max(), 1), math.nan, math.nan),
                "count",
                "mean over days",
            )
        )
        rows.append(
            _row(
                "handle_time_mean",
                channel,
                "all",
                (mean_aht, math.nan, math.nan),
                "s",
                "answered-weighted AHT; shape unknown, exponential assumed",
            )
        )
        patience = None
        try:
            per_interval, pooled = erlang_a_patience(rows_ch, interval)
        except ValueError as error:
            notes.append(f"channel {channel}: patience not estimated: {error}")
        else:
            patience_tables.append(per_interval)
            estimable = per_interval["patience"].dropna()
            rows.append(
                _row(
                    "patience_mean",
                    channel,
                    "all",
                    (pooled, math.nan, math.nan),
                    "s",
                    "Erlang A inversion, pooled (approximate, no interval)",
                )
            )
            if math.isnan(pooled):
                notes.append(f"channel {channel}: no interval allowed inverting Erlang A")
            else:
                patience = DistributionDraft(
                    "exponential",
                    pooled,
                    note=f"mean patience {pooled:.1f} s by inverting Erlang A per interval "
                    f"(APPROXIMATE: steady state per interval, exponential times; "
                    f"{len(estimable)} intervals usable)",
                )
        name = scenario_name(f"{channel}_calls")
        contact_types.append(
            ContactTypeDraft(
                name,
                DistributionDraft(
                    "exponential",
                    mean_aht,
                    note="handle time: the report's answered-weighted AHT; its shape is not in "
                    "interval reports, exponential assumed; each interval is scaled to its AHT",
                ),
            )
        )
        span = volumes[
            volumes["interval_start"].between(
                active["interval_start"].min(), active["interval_start"].max()
            )
        ]
        channels.append(
            ChannelDraft(
                name=scenario_name(channel),
                profile=[
                    (s, v, a)
                    for s, v, a in zip(
                        span["interval_start"], span["volume"], span["aht"], strict=True
                    )
                ],
                profile_note="mean offered volume and AHT per interval over "
                f"{int(volumes['days'].max())} day(s) of the report",
                mix={name: 1.0},
                mix_note="interval reports do not split contact types",
                patience=patience,
            )
        )
    draft = ScenarioDraft(
        source,
        interval,
        channels,
        contact_types,
        header=[
            f"Scenario fitted by `queuesim fit --report` from {source}.",
            "Interval reports give volumes and AHT; handle-time shape and patience are",
            "assumptions or approximations, as each comment says.",
            *notes,
        ],
    )
    tables = {"profile": profile}
    if patience_tables:
        tables["patience"] = pd.concat(patience_tables, ignore_index=True)
    estimates = pd.DataFrame(rows, columns=ESTIMATE_COLUMNS)
    return FitResult(source, interval, estimates, tables, scenario_yaml(draft), notes)


__all__ = ["FitResult", "fit_contact_log", "fit_interval_report", "scenario_name"]

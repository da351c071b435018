"""Handle-time distributions fitted to the answered contacts of a log.

Exponential, lognormal and gamma distributions are fitted by maximum likelihood
(:mod:`queuesim.fitting.likelihood`) to the handle times of each channel × contact type, and
the one with the smallest AIC is chosen. Service times of call centres are often close to
lognormal (Brown et al. 2005, JASA 100). These are the families a scenario file can hold.
"""

from __future__ import annotations

from dataclasses import asdict

import pandas as pd

from queuesim.fitting.likelihood import DistributionFit, fit_distribution

HANDLE_TIME_FAMILIES = ("exponential", "lognormal", "gamma")


def fits_table(fits: list[DistributionFit], **keys: str) -> pd.DataFrame:
    """One row per fit with its statistics, ``delta_aic`` and ``best`` (smallest AIC)."""
    table = pd.DataFrame([asdict(fit) for fit in fits])
    table["delta_aic"] = table["aic"] - table["aic"].min()
    table["best"] = table["delta_aic"] == 0
    for position, (name, value) in enumerate(keys.items()):
        table.insert(position, name, value)
    return table


def fit_handle_times(log: pd.DataFrame) -> pd.DataFrame:
    """Fit each handle-time family to each channel × contact type of ``log``.

    ``log`` is a contact log as read by :func:`~queuesim.fitting.logs.read_contact_log`; the
    answered contacts with a handle time above zero are used. Returns one row per channel ×
    contact type × family with the fields of
    :class:`~queuesim.fitting.likelihood.DistributionFit`, ``delta_aic`` and ``best``. A
    contact type with fewer than 2 handle times is left out. Raises ValueError naming the
    channel and contact type whose handle times cannot be fitted (all equal, say).
    """
    answered = log[(log["outcome"] == "answered") & (log["handle_time"] > 0)]
    frames = []
    for (channel, contact_type), rows in answered.groupby(["channel", "contact_type"]):
        times = rows["handle_time"].to_numpy()
        if len(times) < 2:
            continue
        try:
            fits = [fit_distribution(family, times) for family in HANDLE_TIME_FAMILIES]
        except ValueError as error:
            raise ValueError(f"handle times of {channel} / {contact_type}: {error}") from None
        frames.append(fits_table(fits, channel=str(channel), contact_type=str(contact_type)))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


__all__ = ["HANDLE_TIME_FAMILIES", "fit_handle_times", "fits_table"]

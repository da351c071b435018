"""Arrival times of a channel: Poisson with piecewise-constant rates, optionally overdispersed.

Within each reporting interval the rate is constant, so the arrivals of an interval are exactly a
Poisson count placed uniformly over the part of the interval when the channel is open (the
order statistics of uniforms). A day is generated at a time, so memory stays flat however long
the horizon.
"""

from __future__ import annotations

import numpy as np

from queuesim.scenario.schema import Channel, Scenario
from queuesim.scenario.units import SECONDS_PER_DAY


def open_window(channel: Channel, interval: float) -> tuple[np.ndarray, np.ndarray]:
    """For each interval of a day, the start and length of the part when ``channel`` takes
    arrivals: while it is open, or all day for a deferred channel (email, social), whose
    opening hours are the business hours when its backlog is worked."""
    starts = np.arange(0.0, SECONDS_PER_DAY, interval)
    if channel.deferred:
        return starts, np.full_like(starts, interval)
    low = np.maximum(starts, channel.open)
    high = np.minimum(starts + interval, channel.close)
    return low, np.maximum(high - low, 0.0)


def expected_volumes(channel: Channel, interval: float) -> np.ndarray:
    """Expected arrivals in each interval of a day (before any forecast-error multiplier)."""
    _, open_length = open_window(channel, interval)
    arrivals = channel.arrivals
    if arrivals.rate is not None:
        return arrivals.rate * open_length
    volumes = np.zeros_like(open_length)
    for point in arrivals.profile or ():
        volumes[int(point.start // interval)] = point.volume
    return volumes


def aht_factors(scenario: Scenario, channel: Channel) -> np.ndarray | None:
    """Per interval of the day, the factor scaling handle times to the profile's ``aht``.

    The factor is the profile's AHT over the mix-weighted mean handle time of the channel's
    contact types, so each type keeps its distribution's shape and coefficient of variation.
    None when the profile gives no AHT.
    """
    points = [p for p in channel.arrivals.profile or () if p.aht is not None]
    if not points:
        return None
    base = sum(
        share * scenario.contact_types[name].handle_time.expected
        for name, share in channel.mix.items()
    )
    factors = np.ones(round(SECONDS_PER_DAY / scenario.interval))
    for point in points:
        factors[int(point.start // scenario.interval)] = point.aht / base
    return factors


class ArrivalTimes:
    """Generates a channel's arrival times one day at a time.

    ``rng`` places the arrivals; ``forecast_rng`` draws the gamma multipliers of an
    overdispersed channel (mean 1, coefficient of variation ``dispersion.cv``), one per day or
    one per interval.
    """

    def __init__(
        self,
        scenario: Scenario,
        channel: Channel,
        rng: np.random.Generator,
        forecast_rng: np.random.Generator,
    ) -> None:
        self.horizon = scenario.horizon
        self.rng = rng
        self.forecast_rng = forecast_rng
        self.dispersion = channel.arrivals.dispersion
        self.window_start, self.window_length = open_window(channel, scenario.interval)
        self.volumes = expected_volumes(channel, scenario.interval)

    def day(self, day: int) -> list[float]:
        """Sorted arrival times (seconds from the start of the run) of day ``day`` (0-based)."""
        means = self.volumes
        if self.dispersion is not None:
            shape = 1.0 / self.dispersion.cv**2
            size = 1 if self.dispersion.level == "day" else len(means)
            means = means * self.forecast_rng.gamma(shape, 1.0 / shape, size)
        counts = self.rng.poisson(means)
        offsets = np.repeat(self.window_start, counts)
        offsets += self.rng.random(len(offsets)) * np.repeat(self.window_length, counts)
        times = np.sort(offsets) + day * SECONDS_PER_DAY
        return times[times < self.horizon].tolist()

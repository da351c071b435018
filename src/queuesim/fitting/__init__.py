"""From a contact log or interval reports to a calibrated scenario.

``fit_contact_log(read_contact_log("calls.csv"))`` estimates per channel and contact type the
arrival profile and the gamma-Poisson dispersion of daily totals, handle-time distributions
(exponential, lognormal, gamma by maximum likelihood, chosen by AIC) and patience from censored
waits (exponential, lognormal, Weibull, with Kaplan–Meier); ``fit_interval_report`` takes the
profile and AHT from interval reports and approximates patience by inverting Erlang A. Both
return a :class:`FitResult` with the estimates and their 95% intervals, the detailed tables and
a commented scenario file.
"""

from queuesim.fitting.arrivals import arrival_profile, daily_dispersion
from queuesim.fitting.calibration import (
    FitResult,
    fit_contact_log,
    fit_interval_report,
    scenario_name,
)
from queuesim.fitting.handle_time import fit_handle_times
from queuesim.fitting.intervals import erlang_a_patience, report_profile
from queuesim.fitting.likelihood import DistributionFit, fit_distribution
from queuesim.fitting.logs import LogLayout, read_contact_log, read_interval_report
from queuesim.fitting.patience import fit_patience, kaplan_meier

__all__ = [
    "DistributionFit",
    "FitResult",
    "LogLayout",
    "arrival_profile",
    "daily_dispersion",
    "erlang_a_patience",
    "fit_contact_log",
    "fit_distribution",
    "fit_handle_times",
    "fit_interval_report",
    "fit_patience",
    "kaplan_meier",
    "read_contact_log",
    "read_interval_report",
    "report_profile",
    "scenario_name",
]

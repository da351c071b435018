"""``queuesim erlang b|c|a``: the analytic formulas from the command line."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Annotated, Literal, TypeVar

import typer
from rich.table import Table

from queuesim import analytic
from queuesim.cli.common import console, fail
from queuesim.scenario.units import parse_duration, parse_rate

app = typer.Typer(help="Analytic queueing formulas (Erlang B, C and A).", no_args_is_help=True)

T = TypeVar("T")


def _parse_option(name: str, value: str, kind: Literal["duration", "rate"]) -> float:
    try:
        return parse_duration(value) if kind == "duration" else parse_rate(value)
    except ValueError as error:
        raise fail(f"{name}: {error}") from None


def _analytic_table(title: str, rows: dict[str, str]) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column("figure")
    table.add_column("value", justify="right")
    for name, value in rows.items():
        table.add_row(name, value)
    return table


RateOption = Annotated[str, typer.Option("--rate", help="Arrival rate, e.g. '10/min'.")]
AhtOption = Annotated[str, typer.Option("--aht", help="Mean handle time, e.g. '4 min'.")]
AgentsOption = Annotated[int, typer.Option("--agents", help="Number of agents.")]
ThresholdOption = Annotated[
    str | None, typer.Option("--threshold", help="Service-level threshold, e.g. '20 s'.")
]


def _queue_inputs(rate: str, aht: str, threshold: str | None) -> tuple[float, float, float | None]:
    arrival_rate = _parse_option("--rate", rate, "rate")
    service_time = _parse_option("--aht", aht, "duration")
    limit = None if threshold is None else _parse_option("--threshold", threshold, "duration")
    return arrival_rate, service_time, limit


def _seconds(value: float) -> str:
    return "∞" if math.isinf(value) else f"{value:,.2f} s"


OPTION_OF_ARGUMENT = {
    "arrival_rate": "--rate",
    "service_time": "--aht",
    "servers": "--agents",
    "load": "--load",
    "patience": "--patience",
    "threshold": "--threshold",
}


def _run_analytic(call: Callable[[], T]) -> T:
    """Call an analytic formula; its errors name the option the user typed, not the argument."""
    try:
        return call()
    except ValueError as error:
        message = str(error)
        argument = message.split(" ", 1)[0]
        if argument in OPTION_OF_ARGUMENT:
            message = f"{OPTION_OF_ARGUMENT[argument]}: {message.split(' ', 1)[1]}"
        raise fail(message) from None


@app.command("b")
def erlang_b(
    load: Annotated[float, typer.Option("--load", help="Offered load in Erlangs.")],
    agents: AgentsOption,
) -> None:
    """Blocking probability of a loss system (M/G/c/c)."""
    blocking = _run_analytic(lambda: analytic.erlang_b(load, agents))
    console.print(_analytic_table("Erlang B", {"blocking probability": f"{blocking:.4%}"}))


@app.command("c")
def erlang_c(
    rate: RateOption, aht: AhtOption, agents: AgentsOption, threshold: ThresholdOption = None
) -> None:
    """Waiting figures of M/M/c without abandonment."""
    arrival_rate, service_time, limit = _queue_inputs(rate, aht, threshold)
    r = _run_analytic(lambda: analytic.erlang_c(arrival_rate, service_time, agents, limit))
    rows = {
        "offered load": f"{r.load:.2f} Erlangs",
        "stable": str(r.stable),
        "p_wait": f"{r.p_wait:.2%}",
        "asa": _seconds(r.asa),
        "occupancy": f"{r.occupancy:.2%}",
    }
    if limit is not None:
        rows[f"service level ({limit:g} s)"] = f"{r.service_level:.2%}"
    console.print(_analytic_table("Erlang C (M/M/c)", rows))


@app.command("a")
def erlang_a(
    rate: RateOption,
    aht: AhtOption,
    agents: AgentsOption,
    patience: Annotated[str, typer.Option("--patience", help="Mean patience, e.g. '2 min'.")],
    threshold: ThresholdOption = None,
) -> None:
    """Waiting and abandonment figures of M/M/c+M (exponential patience)."""
    arrival_rate, service_time, limit = _queue_inputs(rate, aht, threshold)
    mean_patience = _parse_option("--patience", patience, "duration")
    r = _run_analytic(
        lambda: analytic.erlang_a(arrival_rate, service_time, agents, mean_patience, limit)
    )
    rows = {
        "offered load": f"{r.load:.2f} Erlangs",
        "p_wait": f"{r.p_wait:.2%}",
        "abandon_rate": f"{r.p_abandon:.2%}",
        "asa": _seconds(r.asa),
        "mean_wait (all arrivals)": _seconds(r.mean_wait),
        "occupancy": f"{r.occupancy:.2%}",
    }
    if limit is not None:
        rows[f"service level ({limit:g} s)"] = f"{r.service_level:.2%}"
    console.print(_analytic_table("Erlang A (M/M/c+M)", rows))

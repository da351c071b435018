"""The engine's event: one callback pushed on SimPy's event queue, nothing else."""

from __future__ import annotations

from collections.abc import Callable
from heapq import heappush
from typing import Any

import simpy
from simpy.events import NORMAL


class Call:
    """An event that calls ``callback(event)`` after ``delay``; its value is ``arg``.

    The hot path of the engine. It is scheduled in the SimPy environment's event queue and
    processed by ``Environment.step`` like a ``simpy.Timeout``, carrying only what ``step``
    reads (``callbacks``, ``_ok``) in slots, with ``Environment.schedule`` inlined. The engine
    reads the clock as ``env._now`` for the same reason (``env.now`` is a property around it).
    """

    __slots__ = ("_ok", "_value", "callbacks")

    def __init__(
        self, env: simpy.Environment, delay: float, callback: Callable[[Any], None], arg: object
    ) -> None:
        self.callbacks = [callback]
        self._value = arg
        self._ok = True
        heappush(env._queue, (env._now + delay, NORMAL, next(env._eid), self))


__all__ = ["Call"]

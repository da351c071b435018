"""Where replications run: in this process, in a pool of local processes, or on Dask.

Every executor maps a function over tasks and yields results as they finish, in any order;
callers sort by the task's own keys, so the numbers never depend on the executor. Tasks and
results travel between processes with pickle, only ever between queuesim's own processes.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from enum import StrEnum
from types import TracebackType
from typing import Any, Protocol, TypeVar

T = TypeVar("T")
R = TypeVar("R")

IN_FLIGHT = 4
"""Tasks submitted ahead per worker: enough to keep workers busy, few enough that a sweep of
many thousand points does not hold them all in the pool's queue."""

DASK_MISSING = (
    "the Dask executor needs Dask distributed, which is not installed; install it with "
    "pip install 'queuesim-service[dask]'"
)


class ExecutorKind(StrEnum):
    """The executors a command line or API call can ask for."""

    serial = "serial"
    processes = "processes"
    dask = "dask"


class Executor(Protocol):
    """Runs ``fn`` over tasks and yields each result as soon as it is ready."""

    workers: int

    def map_unordered(self, fn: Callable[[T], R], tasks: Sequence[T]) -> Iterator[R]: ...

    def close(self) -> None: ...

    def __enter__(self) -> Executor: ...

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None: ...


class _Closing:
    """Context-manager support shared by the executors."""

    def close(self) -> None:
        """Release workers (nothing to release by default)."""

    def __enter__(self) -> Any:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


class SerialExecutor(_Closing):
    """Runs every task in this process, in order."""

    workers = 1

    def map_unordered(self, fn: Callable[[T], R], tasks: Sequence[T]) -> Iterator[R]:
        for task in tasks:
            yield fn(task)


def _ignore_interrupts() -> None:
    """Workers leave Ctrl-C to the main process, which stops the pool cleanly."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class ProcessExecutor(_Closing):
    """A pool of local worker processes (``spawn``ed, so safe beside threads and on any OS)."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or os.cpu_count() or 1
        if self.workers < 1:
            raise ValueError(f"workers must be at least 1, got {self.workers}")
        self._pool = ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_ignore_interrupts,
        )

    def map_unordered(self, fn: Callable[[T], R], tasks: Sequence[T]) -> Iterator[R]:
        waiting = iter(tasks)
        pending: set[Future[R]] = set()
        try:
            while True:
                for task in itertools.islice(waiting, IN_FLIGHT * self.workers - len(pending)):
                    pending.add(self._pool.submit(fn, task))
                if not pending:
                    return
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    yield future.result()
        finally:
            for future in pending:
                future.cancel()

    def close(self) -> None:
        """Stop the workers; tasks not yet started are cancelled."""
        self._pool.shutdown(wait=True, cancel_futures=True)


class DaskExecutor(_Closing):
    """Tasks on a Dask distributed cluster: the scheduler at ``address``, or a LocalCluster.

    Every worker needs queuesim installed (same version) and pure-Python task functions only.
    """

    def __init__(self, address: str | None = None, workers: int | None = None) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise RuntimeError(DASK_MISSING) from None
        self._cluster = None
        if address is None:
            self._cluster = LocalCluster(
                n_workers=workers or os.cpu_count() or 1,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
            )
            self._client = Client(self._cluster)
        else:
            self._client = Client(address)
        self.workers = max(1, sum(self._client.nthreads().values()))

    def map_unordered(self, fn: Callable[[T], R], tasks: Sequence[T]) -> Iterator[R]:
        from distributed import as_completed

        waiting = iter(tasks)
        first = itertools.islice(waiting, IN_FLIGHT * self.workers)
        running = as_completed([self._client.submit(fn, task, pure=False) for task in first])
        try:
            for future in running:
                result = future.result()
                future.release()
                for task in itertools.islice(waiting, 1):
                    running.add(self._client.submit(fn, task, pure=False))
                yield result
        finally:
            running.clear()

    def close(self) -> None:
        """Disconnect, and stop the LocalCluster if this executor started one."""
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


def make_executor(
    kind: ExecutorKind | str = ExecutorKind.serial,
    workers: int | None = None,
    scheduler: str | None = None,
) -> Executor:
    """The executor ``kind`` with ``workers`` processes (default: all cores).

    ``scheduler`` is a Dask scheduler address (``tcp://host:8786``) and implies ``dask``;
    ``dask`` without it starts a LocalCluster on this machine.
    """
    if workers is not None and workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")
    kind = ExecutorKind.dask if scheduler is not None else ExecutorKind(kind)
    if kind is ExecutorKind.serial:
        return SerialExecutor()
    if kind is ExecutorKind.processes:
        return ProcessExecutor(workers)
    return DaskExecutor(scheduler, workers)


__all__ = [
    "DaskExecutor",
    "Executor",
    "ExecutorKind",
    "ProcessExecutor",
    "SerialExecutor",
    "make_executor",
]

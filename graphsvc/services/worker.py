"""The analytic worker: one thread that runs CPU-heavy analytic work off the event loop.

Why a thread: a power map of a large scope, a route search or a coverage took the event loop
for up to seconds, and every other request (``person(id)``) waited behind it. Running the
work here keeps the loop free to serve the others (numpy and rustworkx release the GIL;
pure-Python work hands it over every switch interval).

Why one thread: work here holds the projection cache's ``mutation`` lock for its whole run,
and every change to a served projection takes that lock too, so a worker never reads a
projection being changed. With a single thread, analytic requests queue in arrival order
instead of contending for the lock and the cores.

Writes do not wait for running work: a write announced while the lock is held is queued
(``ProjectionCache.on_change``) and applied by ``settle``, which every job calls first,
under the lock, before it computes; so every computation sees every write announced before
it started.

The queue is bounded (``queue_limit``, the setting ``GRAPHSVC_ANALYTIC_QUEUE_LIMIT``): a
computation asked for while that many already wait for the thread is refused at once with
``Overloaded`` (``extensions.code = OVERLOADED``) instead of waiting behind them. The
projection cache's own jobs (applying queued writes, catching up) are never refused.

The refusal's ``retry_after`` (the response's ``Retry-After``) is the time the worker needs
to work through what it holds: the computations waiting plus the one running, each taking
the recent mean duration of analytic computations (an exponentially weighted mean, weight
``RECENT_WEIGHT`` on the newest, kept here), bounded to ``RETRY_AFTER_RANGE``. Before any
computation has finished, the lower bound is given.

The time limit: ``asyncio.timeout`` cancels the awaiting request; ``run`` then sets the job's
``Cancellation``, and the work stops at its next ``checkpoint`` (``analytics.cancel``), so
the worker is free again soon after instead of finishing an answer nobody waits for. A job
still queued when it is cancelled never starts (and no longer counts as waiting).
"""

from __future__ import annotations

import asyncio
import contextvars
import math
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from graphsvc.analytics.cancel import Cancellation, cancellable, checkpoint
from graphsvc.errors import Overloaded

__all__ = ["DEFAULT_QUEUE_LIMIT", "RETRY_AFTER_RANGE", "AnalyticWorker"]

T = TypeVar("T")

DEFAULT_QUEUE_LIMIT = 64
"""Analytic computations that may wait for the worker before more are refused."""

RECENT_WEIGHT = 0.2
"""The newest computation's weight in the mean duration (the last ~10 count the most)."""

RETRY_AFTER_RANGE = (1.0, 30.0)
"""Seconds a refusal may ask a client to wait: at least one (HTTP's unit), at most 30 (a
longer estimate is no better than trying again then, and a stale mean should not keep
clients away for minutes)."""


class AnalyticWorker:
    """Runs analytic computations, one at a time, in a thread under ``lock``."""

    def __init__(
        self,
        lock: threading.Lock,
        *,
        settle: Callable[[], None] = lambda: None,
        queue_limit: int = DEFAULT_QUEUE_LIMIT,
    ) -> None:
        self.lock = lock
        self.settle = settle
        """Called in the thread under ``lock`` before every job (applies queued writes)."""
        self.queue_limit = queue_limit
        self._executor: ThreadPoolExecutor | None = None
        self._count = threading.Lock()
        self._waiting = 0
        self._mean: float | None = None

    @property
    def mean_seconds(self) -> float | None:
        """The recent mean duration of an analytic computation; None before the first."""
        return self._mean

    def retry_after(self) -> float:
        """Seconds until the worker has done what it holds now: the waiting computations and
        the running one at the recent mean duration, within ``RETRY_AFTER_RANGE``."""
        low, high = RETRY_AFTER_RANGE
        if self._mean is None:
            return low
        return min(high, max(low, (self._waiting + 1) * self._mean))

    @property
    def waiting(self) -> int:
        """Bounded computations submitted and not yet started."""
        return self._waiting

    async def run(self, compute: Callable[[], T], *, bounded: bool = True) -> T:
        """``compute()`` in the worker thread; cancelling the caller stops it at a checkpoint.

        ``bounded`` (analytic requests): refused with ``Overloaded`` when ``queue_limit``
        computations already wait. The cache's own upkeep passes ``bounded=False``.
        """
        cancellation = Cancellation()
        context = contextvars.copy_context()
        state = _Ticket()
        if bounded:
            with self._count:
                if self._waiting >= self.queue_limit:
                    raise self._refusal()
                self._waiting += 1
                state.counted = True

        def job() -> T:
            self._started(state)
            with self.lock, cancellable(cancellation):
                self.settle()
                checkpoint()  # cancelled while it waited for the lock
                began = time.monotonic()
                result = compute()
                if bounded:
                    self._finished(time.monotonic() - began)
                return result

        if self._executor is None:
            self._executor = ThreadPoolExecutor(
                max_workers=1, thread_name_prefix="graphsvc-analytics"
            )
        future = asyncio.get_running_loop().run_in_executor(self._executor, context.run, job)
        try:
            return await future
        except asyncio.CancelledError:
            cancellation.cancel()
            self._started(state)  # a job that never starts waits no more
            raise

    def _refusal(self) -> Overloaded:
        """The ``Overloaded`` for a computation beyond the bound (called under ``_count``)."""
        wait = self.retry_after()
        recent = (
            f"recently about {self._mean * 1000:,.0f} ms each"
            if self._mean is not None
            else "none finished yet"
        )
        return Overloaded(
            f"the analytic worker is busy: {self._waiting} analytic computations are already "
            f"waiting (GRAPHSVC_ANALYTIC_QUEUE_LIMIT = {self.queue_limit}), {recent}; try "
            f"again in {math.ceil(wait)} s (Retry-After)",
            retry_after=wait,
        )

    def _finished(self, seconds: float) -> None:
        """Count one analytic computation's duration into the recent mean."""
        with self._count:
            previous = self._mean
            self._mean = (
                seconds
                if previous is None
                else RECENT_WEIGHT * seconds + (1 - RECENT_WEIGHT) * previous
            )

    def _started(self, state: _Ticket) -> None:
        with self._count:
            if state.counted:
                state.counted = False
                self._waiting -= 1

    def close(self) -> None:
        """Let the thread end (at shutdown): queued work is dropped, running work finishes
        or stops at its checkpoint. A later ``run`` starts a new thread."""
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None


class _Ticket:
    """Whether one submitted job still counts as waiting (guarded by ``_count``)."""

    __slots__ = ("counted",)

    def __init__(self) -> None:
        self.counted = False

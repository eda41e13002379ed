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

The time limit: ``asyncio.timeout`` cancels the awaiting request; ``run`` then sets the job's
``Cancellation``, and the work stops at its next ``checkpoint`` (``analytics.cancel``), so
the worker is free again soon after instead of finishing an answer nobody waits for. A job
still queued when it is cancelled never starts (and no longer counts as waiting).
"""

from __future__ import annotations

import asyncio
import contextvars
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from graphsvc.analytics.cancel import Cancellation, cancellable, checkpoint
from graphsvc.errors import Overloaded

__all__ = ["DEFAULT_QUEUE_LIMIT", "AnalyticWorker"]

T = TypeVar("T")

DEFAULT_QUEUE_LIMIT = 64
"""Analytic computations that may wait for the worker before more are refused."""


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
                    raise Overloaded(
                        f"the analytic worker is busy: {self._waiting} analytic computations "
                        f"are already waiting (GRAPHSVC_ANALYTIC_QUEUE_LIMIT = "
                        f"{self.queue_limit}); try again shortly"
                    )
                self._waiting += 1
                state.counted = True

        def job() -> T:
            self._started(state)
            with self.lock, cancellable(cancellation):
                self.settle()
                checkpoint()  # cancelled while it waited for the lock
                return compute()

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

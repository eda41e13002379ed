"""The analytic worker: one thread that runs CPU-heavy analytic work off the event loop.

Why a thread: a power map of a large scope, a route search or a coverage took the event loop
for up to seconds, and every other request (``person(id)``) waited behind it. Running the
work here keeps the loop free to serve the others (numpy and rustworkx release the GIL;
pure-Python work hands it over every switch interval).

Why one thread: the projection is mutated by writes and catch-up on the event loop. Work
here holds the projection cache's ``mutation`` lock for its whole run, and the cache takes
that lock around every ``Projection.apply`` (``ProjectionCache.exclusive``), so a worker never
reads a projection being changed. With a single thread, analytic requests queue in arrival
order instead of contending for the lock and the cores.

The time limit: ``asyncio.timeout`` cancels the awaiting request; ``run`` then sets the job's
``Cancellation``, and the work stops at its next ``checkpoint`` (``analytics.cancel``), so
the worker is free again soon after instead of finishing an answer nobody waits for. A job
still queued when it is cancelled never starts.
"""

from __future__ import annotations

import asyncio
import contextvars
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from graphsvc.analytics.cancel import Cancellation, cancellable, checkpoint

__all__ = ["AnalyticWorker"]

T = TypeVar("T")


class AnalyticWorker:
    """Runs analytic computations, one at a time, in a thread under ``lock``."""

    def __init__(self, lock: threading.Lock) -> None:
        self.lock = lock
        self._executor: ThreadPoolExecutor | None = None

    async def run(self, compute: Callable[[], T]) -> T:
        """``compute()`` in the worker thread; cancelling the caller stops it at a checkpoint."""
        cancellation = Cancellation()
        context = contextvars.copy_context()

        def job() -> T:
            with self.lock, cancellable(cancellation):
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
            raise

    def close(self) -> None:
        """Let the thread end (at shutdown): queued work is dropped, running work finishes
        or stops at its checkpoint. A later ``run`` starts a new thread."""
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None

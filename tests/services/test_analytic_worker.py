"""The analytic worker and the projection cache's mutation lock (``services.worker``).

Analytic work in the worker thread and changes to a served projection exclude each other;
waiting for the lock never blocks the event loop; cancelling a waiting or running caller
frees the lock and stops the work at its next checkpoint.
"""

from __future__ import annotations

import asyncio
import math
import threading
import time

import pytest

from graphsvc.analytics.cancel import AnalyticCancelled, checkpoint
from graphsvc.errors import Overloaded
from graphsvc.services.projection_cache import ProjectionCache
from graphsvc.services.worker import RETRY_AFTER_RANGE, AnalyticWorker
from graphsvc.store.sqlite import SqliteStore


@pytest.fixture
def cache() -> ProjectionCache:
    # The cache's lock logic needs no store access; the store is never opened here.
    return ProjectionCache(SqliteStore(":memory:"))


async def test_a_change_waits_for_running_work_without_blocking_the_loop(
    cache: ProjectionCache,
) -> None:
    worker = AnalyticWorker(cache.mutation)
    running = threading.Event()
    order: list[str] = []

    def work() -> str:
        running.set()
        time.sleep(0.3)
        order.append("work done")
        return "answer"

    computing = asyncio.create_task(worker.run(work))
    assert await asyncio.to_thread(running.wait, 5)

    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while not computing.done():
            ticks += 1
            await asyncio.sleep(0.01)

    ticking = asyncio.create_task(tick())
    async with cache.exclusive():
        order.append("change applied")
    assert order == ["work done", "change applied"]
    assert ticks >= 5, "the event loop stood still while the change waited for the lock"
    assert await computing == "answer"
    await ticking
    assert not cache.mutation.locked()
    worker.close()


async def test_cancelling_stops_running_work_and_frees_the_lock(cache: ProjectionCache) -> None:
    worker = AnalyticWorker(cache.mutation)
    running, stopped = threading.Event(), threading.Event()

    def endless() -> None:
        running.set()
        try:
            while True:
                checkpoint()
        except AnalyticCancelled:
            stopped.set()
            raise

    computing = asyncio.create_task(worker.run(endless))
    assert await asyncio.to_thread(running.wait, 5)
    computing.cancel()
    with pytest.raises(asyncio.CancelledError):
        await computing
    assert await asyncio.to_thread(stopped.wait, 2)
    assert await worker.run(lambda: "free again") == "free again"
    worker.close()


async def test_a_caller_cancelled_while_waiting_for_the_lock_leaves_it_free(
    cache: ProjectionCache,
) -> None:
    cache.mutation.acquire()  # held by "someone else" (the worker)
    waiting = asyncio.create_task(_hold(cache))
    await asyncio.sleep(0.05)
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    cache.mutation.release()
    await asyncio.sleep(0.2)  # the waiting thread takes the lock, and gives it back
    assert cache.mutation.acquire(timeout=2)
    cache.mutation.release()


async def _hold(cache: ProjectionCache) -> None:
    async with cache.exclusive():
        raise AssertionError("the lock was held by someone else")


async def test_retry_after_follows_the_recent_mean_and_stays_in_range() -> None:
    worker = AnalyticWorker(threading.Lock(), queue_limit=1)
    assert worker.mean_seconds is None
    assert worker.retry_after() == RETRY_AFTER_RANGE[0]  # nothing measured yet: the least

    await worker.run(lambda: time.sleep(0.2))
    first = worker.mean_seconds
    assert first is not None
    assert first >= 0.2
    assert worker.retry_after() == max(RETRY_AFTER_RANGE[0], first)  # one running, none waiting
    await worker.run(lambda: None)
    second = worker.mean_seconds
    assert second is not None
    assert second < first  # a quick computation pulls the mean down, weighted

    release, started = threading.Event(), threading.Event()

    def hold() -> None:
        started.set()
        release.wait(10)

    running = asyncio.ensure_future(worker.run(hold))
    assert await asyncio.to_thread(started.wait, 10)
    waiting = asyncio.ensure_future(worker.run(lambda: None))
    await asyncio.sleep(0.05)
    assert worker.waiting == 1
    with pytest.raises(Overloaded) as refused:
        await worker.run(lambda: None)
    assert refused.value.retry_after == worker.retry_after()
    assert f"try again in {math.ceil(worker.retry_after())} s" in str(refused.value)
    release.set()
    await asyncio.gather(running, waiting)
    # A mean of a minute would ask for minutes: the estimate is capped.
    slow = AnalyticWorker(threading.Lock())
    await slow.run(lambda: None)
    slow._mean = 600.0  # as after computations of ten minutes (not waited for here)
    assert slow.retry_after() == RETRY_AFTER_RANGE[1]

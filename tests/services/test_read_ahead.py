"""Batched lookups read one batch ahead (``services/writes/read_ahead``), in order, never
more than one ahead, and leave no read running when the caller stops or a read fails."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from contextlib import aclosing
from typing import Any

import pytest

from graphsvc.services.writes.read_ahead import read_ahead


class Reads:
    """A store's batched read: records what was asked, what ran at once, and what finished."""

    def __init__(self, failing: int | None = None) -> None:
        self.asked: list[int] = []
        self.finished: list[int] = []
        self.running = 0
        self.most_at_once = 0
        self.failing = failing

    def read(self, batch: int) -> Coroutine[Any, Any, str]:
        self.asked.append(batch)  # asked for now; it runs at the event loop's next turn
        return self._read(batch)

    async def _read(self, batch: int) -> str:
        self.running += 1
        self.most_at_once = max(self.most_at_once, self.running)
        try:
            await asyncio.sleep(0.001)
            if batch == self.failing:
                raise LookupError(f"batch {batch}")
            self.finished.append(batch)
            return f"rows of {batch}"
        finally:
            self.running -= 1


async def test_each_batch_comes_back_with_its_rows_in_order_one_read_ahead() -> None:
    # given five batches, when they are read ahead and used one by one
    reads = Reads()
    seen = []
    async with aclosing(read_ahead(range(5), reads.read)) as batches:
        async for batch, rows in batches:
            # then the next batch was already asked for while this one is used
            assert reads.asked[-1] == min(batch + 1, 4)
            seen.append((batch, rows))

    # and every batch came back once, in order, with at most two reads at a time
    assert seen == [(b, f"rows of {b}") for b in range(5)]
    assert reads.asked == [0, 1, 2, 3, 4]
    assert reads.most_at_once == 2


async def test_a_caller_that_stops_early_cancels_the_read_ahead() -> None:
    reads = Reads()
    async with aclosing(read_ahead(range(5), reads.read)) as batches:
        async for batch, _ in batches:
            if batch == 1:
                break
    await asyncio.sleep(0.01)
    # batch 2 was asked for ahead, then cancelled: nothing after it was asked or finished
    assert reads.asked == [0, 1, 2]
    assert reads.finished == [0, 1]
    assert reads.running == 0


async def test_a_failed_read_raises_at_its_batch_and_cancels_the_read_ahead() -> None:
    reads = Reads(failing=1)
    seen = []

    async def use_all() -> None:
        async with aclosing(read_ahead(range(5), reads.read)) as batches:
            async for batch, _ in batches:
                seen.append(batch)

    with pytest.raises(LookupError, match="batch 1"):
        await use_all()
    await asyncio.sleep(0.01)
    assert seen == [0]
    assert reads.asked == [0, 1, 2]
    assert 2 not in reads.finished
    assert reads.running == 0

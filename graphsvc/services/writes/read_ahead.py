"""Batched reads one batch ahead: the store reads the next batch while this one is used.

The lookups of an import (``stored_state``) read what the store holds in batches of 10,000.
One after the other, the SQLite store's SQL for a batch (in a reader thread, with the GIL
released) and the decoding and use of the rows (on the event loop) never overlapped, and
the second core idled: a no-op re-import of 100k people spent 3.3-3.4 s in its lookups, of
which ~1 s in the readers (bench/README.md, "Import, round five"). Asking for the next batch
before handing this one back overlaps them (2.9 s).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Awaitable, Callable, Iterable
from typing import TypeVar

__all__ = ["read_ahead"]

B = TypeVar("B")
T = TypeVar("T")


async def read_ahead(
    batches: Iterable[B], read: Callable[[B], Awaitable[T]]
) -> AsyncGenerator[tuple[B, T], None]:
    """Each batch with what ``read`` found for it, in order, the next batch's read asked for
    before this one is handed back (never more than one ahead). A failed read raises at its
    batch; a caller that stops early (``contextlib.aclosing``) cancels the read ahead."""
    pending: tuple[B, asyncio.Future[T]] | None = None
    try:
        for batch in batches:
            asked = (batch, asyncio.ensure_future(read(batch)))
            if pending is not None:
                ready, pending = pending, asked
                yield ready[0], await ready[1]
            else:
                pending = asked
        if pending is not None:
            ready, pending = pending, None
            yield ready[0], await ready[1]
    finally:
        if pending is not None:  # the caller stopped early: the read ahead is not wanted
            pending[1].cancel()

"""The write turn of a SQLite file: one writer at a time across processes, for retried writes.

Every write is first prepared without exclusivity and applied only if the workspace is still
at the version it read (``expected_version``; ``services.writes``). Between processes that is
optimistic: a write whose workspace moved is prepared again, and under a steady stream of
writes from another process (``graphsvc serve --workers 2`` taking writes on both workers)
each new attempt can lose the race again. Measured before the turn: 400 writes, 16 at a time
over two workers, 2 refused with ``CONFLICT`` after ``MAX_ATTEMPTS`` preparations.

The turn makes a retry final. It is an exclusive ``flock`` on a file beside the store
(``<store>-writer``, empty): ``SqliteStore.apply`` takes it for the store call, and a write
prepared again holds it (``SqliteStore.write_turn``) from its version read through its
apply, so nothing else applies in between and the second preparation is the last. Within a
process an ``asyncio.Lock`` orders the holders; the task holding the turn may take it again
(its own apply). The kernel drops the lock when its process ends, also on ``kill -9``.
``flock`` locks are separate from SQLite's own ``fcntl`` byte-range locks on the store file.

How long a write waits for the turn is the store's busy timeout, bounded as SQLite's own lock
is (``faults.LockWaits``): a turn held longer (an import in another process) refuses the
write with ``STORE_UNAVAILABLE``.

Taking the turn never blocks the event loop: a non-blocking attempt, then short sleeps
between attempts (a thread blocked in ``flock`` could not be cancelled, and would end up
holding a lock nobody releases).
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from graphsvc.errors import StoreUnavailable
from graphsvc.store.sqlite.faults import LockWaits, locked_message

__all__ = ["FileTurn"]

_POLL_SECONDS = (0.0005, 0.001, 0.002, 0.005)
"""Sleeps between attempts to take a busy turn: short first, as a turn lasts milliseconds."""


class FileTurn:
    """The turn as an exclusive ``flock`` on ``path`` (created empty if missing), of the store
    at ``store_path``, waited for as long as ``waits`` allows."""

    def __init__(self, path: str, store_path: str, waits: LockWaits) -> None:
        self.path = path
        self.store_path = store_path
        self.waits = waits
        self._fd: int | None = None
        self._local: tuple[asyncio.AbstractEventLoop, asyncio.Lock] | None = None
        self._owner: asyncio.Task[object] | None = None

    @asynccontextmanager
    async def held(self) -> AsyncIterator[None]:
        """Hold the turn; at once if the current task already holds it."""
        me = asyncio.current_task()
        if me is not None and self._owner is me:
            yield
            return
        async with self._lock():
            await self._take()
            self._owner = me
            try:
                yield
            finally:
                self._owner = None
                fcntl.flock(self._open(), fcntl.LOCK_UN)

    def _lock(self) -> asyncio.Lock:
        """The lock ordering this process's holders, one per event loop (a store may be
        opened in one ``asyncio.run`` and used again in another)."""
        loop = asyncio.get_running_loop()
        if self._local is None or self._local[0] is not loop:
            self._local = (loop, asyncio.Lock())
        return self._local[1]

    def close(self) -> None:
        """Close the lock file (a held turn is given back with it)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    async def _take(self) -> None:
        fd = self._open()
        deadline = time.monotonic() + self.waits.budget()
        attempt = 0
        while not _try_lock(fd):
            if time.monotonic() > deadline:
                self.waits.refused()
                what = f"graphsvc's write turn ({self.path}, held by a writing graphsvc)"
                raise StoreUnavailable(locked_message(self.store_path, what, self.waits))
            await asyncio.sleep(_POLL_SECONDS[min(attempt, len(_POLL_SECONDS) - 1)])
            attempt += 1

    def _open(self) -> int:
        if self._fd is None:
            try:
                self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            except OSError as error:
                raise StoreUnavailable(
                    f"cannot open {self.path}, the write turn of the SQLite store: "
                    f"{error.strerror or error} (may this user write to its directory?)"
                ) from None
        return self._fd


def _try_lock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True

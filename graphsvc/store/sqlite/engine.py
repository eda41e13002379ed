"""SQLite connections off the event loop; sqlite3 errors leave here translated (``faults``).

sqlite3 calls block, so they run in worker threads: one writer thread (SQLite admits one
writer at a time anyway, and a single thread keeps ``BEGIN IMMEDIATE`` transactions strictly
ordered within the process) and a small reader pool (WAL lets readers run while a write is
in progress). Each thread owns its own connection. Other processes may open the same file
(the CLI while the server runs); SQLite's file locks and ``busy_timeout`` arbitrate.

Short reads (a token by its hash, a handful of records by id, a page, a person's
relationships, the workspace's version) run on the calling thread instead (``read_point``):
such a read takes microseconds, while handing it to a reader thread and back cost several
times that per request, and under load each hand-off queued the request behind every other
on the event loop once more (bench/README.md, "Request overhead" and "Load p95, round
three"). What "short" means is measured by SQLite itself: a read on the calling thread may
take ``POINT_READ_STEPS`` steps of SQLite's virtual machine (about a millisecond); one
that needs more is interrupted and run again in a reader thread, so a
scan of a large workspace never holds the event loop. They use a connection of their own
per thread that never waits for a lock: in WAL mode readers are not blocked by writers, and
in the rare cases they are (another process holding an exclusive lock, a log being reset)
the read goes to a reader thread like any other, which waits there.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from graphsvc.errors import StoreUnavailable
from graphsvc.store.sqlite.faults import (
    LockWaits,
    is_lock_wait,
    is_write_fault,
    read_only_message,
    read_only_problem,
    translate_error,
)

__all__ = ["BUSY_TIMEOUT_SECONDS", "SqliteEngine"]

T = TypeVar("T")

BUSY_TIMEOUT_SECONDS = 30.0
"""How long a write waits for another process's lock before giving up, by default (the
store URL's ``?timeout=SECONDS`` sets another)."""

READER_THREADS = 4

POINT_READ_STEPS = 100_000
"""Virtual-machine steps a read may take on the calling thread before it is interrupted and
run again in a reader thread: at most about a millisecond of SQLite's own work (measured
on the demo at load 3: the workspace's version 45 steps, 12 µs; counting its 2,000 people
10,072 steps, 65 µs; a page of 51 people of a small organization 58,591 steps, 476 µs).
Below this a hand-off costs more than the read; above it the read runs beside the loop."""

PAGE_SIZE = 16_384
"""Bytes per page of a store file created from now on (SQLite's default is 4096; a file
keeps the size it was created with). An import into a new file then writes a quarter as many
pages, each B-tree is shallower and the WAL's checkpoint copies fewer frames: SQLite alone
on a 100k-person import's statements took 1.19-1.31 s instead of 1.47-1.51 s, its COMMIT
0.19-0.22 s instead of 0.31-0.32 s (bench/README.md, "Import, round nine"). Set before
``journal_mode``, which writes a new file's first page."""

_PRAGMAS = (
    f"PRAGMA page_size={PAGE_SIZE}",  # a no-op on a file that has pages already
    "PRAGMA journal_mode=WAL",
    # FULL: the WAL is fsynced at every commit, so an acknowledged write survives kill -9
    # and power loss (NORMAL would only survive the former).
    "PRAGMA synchronous=FULL",
    "PRAGMA temp_store=MEMORY",
    "PRAGMA journal_size_limit=67108864",  # shrink a WAL grown by a big import to 64 MiB
)


WRITER_CACHE_KIB = 65_536
"""SQLite's page cache of the writer's connection: 64 MiB, since an import inserts into
every index of a table at once and touches many of their pages."""

READER_CACHE_KIB = 16_384
"""SQLite's page cache of each reading connection (four reader threads and the point
connections): 16 MiB. A reader mostly scans a table once (a projection's build, an import's
comparisons), which no cache of a size worth holding would keep; the pages it re-reads are
in the operating system's cache. At 64 MiB each, a million-person re-import held ~0.15 GB
more for the same time (bench/README.md, "Import, round eight")."""


class SqliteEngine:
    """Runs functions of a connection in the writer thread or in a reader thread."""

    def __init__(self, path: str, busy_timeout: float = BUSY_TIMEOUT_SECONDS) -> None:
        self.path = path
        self.busy_timeout = busy_timeout
        self.waits = LockWaits(busy_timeout)
        self._local = threading.local()
        self._point = threading.local()
        self._lock = threading.Lock()
        self._connections: list[sqlite3.Connection] = []
        self._writer: ThreadPoolExecutor | None = None
        self._readers: ThreadPoolExecutor | None = None
        self._reopen_pending = False
        """Set by a write refused because the file was read-only: every connection is
        reopened before the first write once the file is writable (``_reopen_all``)."""

    @property
    def is_open(self) -> bool:
        """True between ``start`` and ``stop``."""
        return self._writer is not None

    def start(self) -> None:
        """Create the worker threads (connections open lazily, one per thread)."""
        if self._writer is None:
            self._writer = ThreadPoolExecutor(1, thread_name_prefix="graphsvc-sqlite-writer")
            self._readers = ThreadPoolExecutor(
                READER_THREADS, thread_name_prefix="graphsvc-sqlite-reader"
            )

    def stop(self) -> None:
        """Wait for running work, then close every connection."""
        writer, readers = self._writer, self._readers
        self._writer = self._readers = None
        for executor in (writer, readers):
            if executor is not None:
                executor.shutdown(wait=True)
        with self._lock:
            connections, self._connections = self._connections, []
        for connection in connections:
            connection.close()
        self._local = threading.local()
        self._point = threading.local()

    async def write(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``work`` in the writer thread; it manages its own transaction.

        Refused at once while the file is read-only (``faults.read_only_problem``); waits for
        another process's lock as long as ``waits`` allows. After a fault of the file the
        writer's connection is closed, and the next write opens a fresh one: a connection
        opened while the file was read-only would stay read-only. Once the file is writable
        again, every other connection is closed too before that write (``_reopen_all``).
        """
        if self._reopen_pending and read_only_problem(self.path) is None:
            await self._reopen_all()
        return await self._run(self._writer, lambda: self._write_call(work))

    async def _reopen_all(self) -> None:
        """Close every connection of this engine, so that the next ones open afresh.

        SQLite keeps one shared-memory handle (the ``-shm`` file) per process and file,
        shared by all its connections and opened read-only when the file was: readers
        opened on a read-only store keep it read-only, and a fresh writer connection then
        still fails with "attempt to write a readonly database" until every connection has
        closed (a server started on a read-only file took no writes once it was writable;
        root, whom modes do not stop, never saw it). Runs on the event loop's thread, whose
        point connection is idle between its synchronous reads; each reader thread closes
        its own (a barrier gives every thread one task); the writer's was closed at the fault.
        """
        self._reopen_pending = False
        self._drop_connection(self._point)
        barrier = threading.Barrier(READER_THREADS)

        def close_own() -> None:
            self._drop_connection()
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait(timeout=self.busy_timeout)  # a long read: go on, retried later

        loop = asyncio.get_running_loop()
        readers = self._readers
        if readers is not None:
            await asyncio.gather(
                *(loop.run_in_executor(readers, close_own) for _ in range(READER_THREADS))
            )
        self._drop_connection(self._point)  # one a request opened meanwhile, on the old handle

    async def read(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``work`` in a reader thread (each statement sees the latest commit)."""
        return await self._run(self._readers, lambda: self._call(work))

    async def read_point(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``work``, a read, on the calling thread; in a reader thread instead when it
        takes more than ``POINT_READ_STEPS`` or the database is locked (``work`` then runs
        twice, so it must only read)."""
        if self._writer is None:
            raise StoreUnavailable(f"SQLite store {self.path} is not open")
        try:
            return work(self._point_connection())
        except sqlite3.OperationalError as exc:
            if is_lock_wait(exc) or _interrupted(exc):
                return await self.read(work)
            raise translate_error(exc, self.path, self.busy_timeout) from exc
        except sqlite3.Error as exc:
            raise translate_error(exc, self.path, self.busy_timeout) from exc

    def _point_connection(self) -> sqlite3.Connection:
        connection: sqlite3.Connection | None = getattr(self._point, "connection", None)
        if connection is None:
            connection = connect(self.path, busy_timeout=0.0, cache_kib=READER_CACHE_KIB)
            connection.set_progress_handler(_interrupt, POINT_READ_STEPS)
            self._point.connection = connection
            with self._lock:
                self._connections.append(connection)
        return connection

    async def _run(self, executor: ThreadPoolExecutor | None, call: Callable[[], T]) -> T:
        if executor is None:
            raise StoreUnavailable(f"SQLite store {self.path} is not open")
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(executor, call)

    def _write_call(self, work: Callable[[sqlite3.Connection], T]) -> T:
        problem = read_only_problem(self.path)
        if problem is not None:
            self._drop_connection()
            self._reopen_pending = True
            raise StoreUnavailable(read_only_message(self.path, problem))
        try:
            # Opening it may fail too (no folder, not SQLite).
            connection = self._connection(WRITER_CACHE_KIB)
            wait_ms = int(self.waits.budget() * 1000)
            if getattr(self._local, "wait_ms", None) != wait_ms:
                connection.execute(f"PRAGMA busy_timeout={wait_ms}")
                self._local.wait_ms = wait_ms
            result = work(connection)
        except sqlite3.Error as exc:
            if is_lock_wait(exc):
                self.waits.refused()
            elif is_write_fault(exc):
                self._drop_connection()
                # Only read-only states live in the shared handle; closing every connection
                # after a full disk would also checkpoint the WAL on the last close, and so
                # change what fits.
                if str(getattr(exc, "sqlite_errorname", "")).startswith("SQLITE_READONLY"):
                    self._reopen_pending = True
            raise translate_error(exc, self.path, self.busy_timeout, self.waits) from exc
        self.waits.granted()
        return result

    def _drop_connection(self, local: threading.local | None = None) -> None:
        """Close this thread's connection of ``local`` (the reader's or writer's by default,
        or ``_point``); its next use opens a fresh one."""
        local = self._local if local is None else local
        connection: sqlite3.Connection | None = getattr(local, "connection", None)
        if connection is None:
            return
        local.connection = None
        local.wait_ms = None
        with self._lock:
            self._connections.remove(connection)
        with contextlib.suppress(sqlite3.Error):  # a broken connection is dropped all the same
            if connection.in_transaction:
                connection.rollback()
            connection.close()

    def _call(self, work: Callable[[sqlite3.Connection], T]) -> T:
        try:
            return work(self._connection(READER_CACHE_KIB))
        except sqlite3.Error as exc:
            raise translate_error(exc, self.path, self.busy_timeout) from exc

    def _connection(self, cache_kib: int) -> sqlite3.Connection:
        """This thread's connection (the writer's or a reader's), opened with a page cache of
        ``cache_kib`` KiB when it has none yet."""
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            connection = connect(self.path, self.busy_timeout, cache_kib)
            self._local.connection = connection
            with self._lock:
                self._connections.append(connection)
        return connection


def _interrupt() -> int:
    """SQLite's progress handler of a point connection: a read that got this far is long."""
    return 1


def _interrupted(exc: sqlite3.OperationalError) -> bool:
    """True when the progress handler stopped the statement (``SQLITE_INTERRUPT``)."""
    return getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_INTERRUPT


def connect(
    path: str, busy_timeout: float = BUSY_TIMEOUT_SECONDS, cache_kib: int = WRITER_CACHE_KIB
) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are explicit) with our pragmas and a
    page cache of ``cache_kib`` KiB."""
    # check_same_thread=False only so that stop() may close it from the caller's thread,
    # after its worker thread has finished.
    connection = sqlite3.connect(
        path, timeout=busy_timeout, isolation_level=None, check_same_thread=False
    )
    try:
        connection.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
        for pragma in _PRAGMAS:
            connection.execute(pragma)
        connection.execute(f"PRAGMA cache_size=-{int(cache_kib)}")
    except BaseException:
        connection.close()
        raise
    return connection

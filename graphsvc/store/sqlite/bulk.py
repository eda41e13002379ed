"""Large writes: rows made in a helper thread while the writer thread inserts the last ones.

An import's apply is two kinds of work of about the same size: Python making each record's
row and log entry (GIL held), and SQLite inserting them (``sqlite3_step``, which runs with
the GIL released). Done one after the other they take the sum; ``made_ahead`` runs the
making in a helper thread, so that SQLite inserts one batch while Python makes the next,
on a second core (bench/README.md, "Import, round five").

That only pays when the writer thread gives up the GIL for long stretches: ``executemany``
takes it back for every row, and a thread that wants the GIL back while the other one runs
Python waits up to the interpreter's switch interval, so a row-at-a-time insert beside a
busy helper would crawl. ``RowStatements`` therefore makes statements of
``CHUNK_PARAMETERS`` values' worth of rows (one multi-row ``VALUES``): one wait per
thousand rows, and ``made_ahead`` shortens the switch interval while it runs. Every
statement the writer runs while the helper makes rows is of that kind.

The transaction is still the writer's alone: the helper never touches the connection, a
failure on either side stops both, and the writer rolls back (``write.transaction``).
"""

from __future__ import annotations

import functools
import os
import queue
import sqlite3
import sys
import threading
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from typing import Any, TypeVar

__all__ = [
    "CHUNK_PARAMETERS",
    "RowStatements",
    "Statement",
    "cores",
    "made_ahead",
    "statement_values",
    "values_sql",
]

T = TypeVar("T")

CHUNK_PARAMETERS = 8_000
"""Bound values per multi-row ``INSERT`` (SQLite allows 32,766 by default since 3.32):
1,000 people or 1,600 relationships a statement. Larger statements gave no measurable gain
and SQLite keeps each prepared one (~1.5 KB a row) in sqlite3's statement cache: at 30,000
values an import's peak RSS grew by ~100 MB."""

SWITCH_INTERVAL = 0.0005
"""The interpreter's switch interval while ``made_ahead`` runs (default 5 ms): how long the
writer thread, back from a statement, may wait for the GIL while the helper makes rows."""


class _ShortSwitches:
    """The process's switch interval held at ``SWITCH_INTERVAL`` while any ``made_ahead``
    runs, and given back when the last one ends.

    The interval is the whole interpreter's: each run saving it and putting it back itself
    would, with two overlapping (two stores in one process), leave it at the short one for
    good when the first to start ended first."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._runs = 0
        self._saved = 0.0

    def __enter__(self) -> None:
        with self._lock:
            if self._runs == 0:
                self._saved = sys.getswitchinterval()
                sys.setswitchinterval(min(self._saved, SWITCH_INTERVAL))
            self._runs += 1

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self._runs -= 1
            if self._runs == 0:
                sys.setswitchinterval(self._saved)


_short_switches = _ShortSwitches()

AHEAD = 3
"""Statements the helper may make before the writer has run them (bounded memory)."""

Statement = tuple[str, list[Any]]
"""SQL and its parameters, ready for ``Connection.execute``."""


@functools.lru_cache(maxsize=64)
def values_sql(head: str, marks: str, count: int) -> str:
    """``head VALUES marks, marks, …`` for ``count`` rows (made once per size: a full
    statement's text is reused, and so is SQLite's prepared statement in sqlite3's cache)."""
    return f"{head} VALUES {', '.join([marks] * count)}"


class RowStatements:
    """Rows of one table gathered into multi-row ``INSERT`` statements of ``limit`` rows
    (by default as many as ``CHUNK_PARAMETERS`` values allow); the statements insert the
    same rows in the same order as one statement per row would (under ``OR REPLACE`` a
    later row of the same key replaces an earlier one, as it would)."""

    def __init__(
        self, head: str, marks: str, limit: int | None = None, *, values: int = CHUNK_PARAMETERS
    ) -> None:
        """``values``: the most bound values a statement may take (``statement_values``)."""
        self.head = head
        self.marks = marks
        width = marks.count("?")
        self.limit = max(1, min(limit or values // width, values // width))
        self._values: list[Any] = []
        self._count = 0

    def add(self, row: Sequence[Any]) -> Statement | None:
        """Hold ``row``; the statement of the held rows once there are ``limit`` of them."""
        self._values.extend(row)
        self._count += 1
        return self.take() if self._count >= self.limit else None

    def of(self, rows: Iterable[Sequence[Any]]) -> Iterator[Statement]:
        """The statements of ``rows`` (and of any held before them)."""
        for row in rows:
            if statement := self.add(row):
                yield statement
        if statement := self.take():
            yield statement

    def take(self) -> Statement | None:
        """The statement of the rows held (None: none), which are no longer held."""
        if not self._count:
            return None
        statement = (values_sql(self.head, self.marks, self._count), self._values)
        self._values, self._count = [], 0
        return statement


def statement_values(connection: sqlite3.Connection) -> int:
    """The bound values one statement on ``connection`` may take: ``CHUNK_PARAMETERS``, or
    fewer where this SQLite was built with a lower limit (999 before SQLite 3.32)."""
    return min(CHUNK_PARAMETERS, connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))


def cores() -> int:
    """The CPUs this process may run on (a helper thread only pays with a second one)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


class _Failed:
    """What the helper hands over when making the items raised: the caller re-raises it."""

    def __init__(self, error: BaseException) -> None:
        self.error = error


def made_ahead(make: Callable[[], Iterator[T]]) -> Generator[T, None, None]:
    """The items of ``make()``, made in a helper thread up to ``AHEAD`` items ahead of the
    caller. An exception of ``make`` is raised here, in the caller's thread; when the caller
    stops early (its own failure, or it closes this generator), the helper stops too and is
    joined before this generator finishes."""
    handed: queue.Queue[tuple[T] | _Failed | None] = queue.Queue(AHEAD)
    stop = threading.Event()

    def hand(item: tuple[T] | _Failed | None) -> bool:
        while not stop.is_set():
            try:
                handed.put(item, timeout=0.1)
            except queue.Full:
                continue
            return True
        return False

    def run() -> None:
        try:
            for item in make():
                if not hand((item,)):
                    return
        except BaseException as exc:  # handed to the caller, which raises it
            hand(_Failed(exc))
            return
        hand(None)

    helper = threading.Thread(target=run, name="graphsvc-sqlite-rows", daemon=True)
    with _short_switches:
        helper.start()
        try:
            while (item := handed.get()) is not None:
                if isinstance(item, _Failed):
                    raise item.error
                yield item[0]
        finally:
            stop.set()
            helper.join()

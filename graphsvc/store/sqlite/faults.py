"""What can go wrong with a SQLite file, and what the user is told to do about it.

Three faults leave the file readable but refuse writes (README, "SQLite faults"):

- **locked**: another process holds SQLite's write lock (a transaction left open in another
  program) or graphsvc's write turn (an import in another process) longer than the busy
  timeout. ``LockWaits`` bounds the wait: the first write waits the whole timeout, and while
  the file stays locked the writes after it only probe briefly (``PROBE_SECONDS``), so that
  writes queued behind the first do not each wait the timeout again.
- **read-only**: the file, its ``-wal`` or its ``-shm`` has no write permission.
  ``read_only_problem`` looks before each write: a connection already open keeps writing
  through its open descriptor, even as root, so SQLite alone would notice only at the next
  start. A file without any write bit is read-only by intent, for root too.
- **full**: the disk, a quota or the process's file-size limit (``RLIMIT_FSIZE``) stops the
  file from growing; SQLite reports ``SQLITE_FULL`` or a write I/O error and rolls the
  transaction back. The message tells the free space and the limit.

``translate_error`` is the one mapping from sqlite3 errors to graphsvc errors; every message
names the file and the fix.
"""

from __future__ import annotations

import os
import resource
import sqlite3
import stat
import time

from graphsvc.errors import Conflict, GraphsvcError, InvalidInput, StoreUnavailable

__all__ = [
    "PROBE_SECONDS",
    "LockWaits",
    "is_lock_wait",
    "is_write_fault",
    "read_only_problem",
    "translate_error",
]

PROBE_SECONDS = 0.1
"""How long a write waits for a lock that already made a write time out and was not seen
free since: enough for a lock that is just being released, short enough that writes queued
behind a refused one answer at once."""

_MIB = 1024 * 1024

_GROWTH_ERRORS = frozenset({"SQLITE_FULL", "SQLITE_IOERR_WRITE", "SQLITE_IOERR_TRUNCATE"})
"""Errors of a file that may not grow: a full disk or quota gives ``SQLITE_FULL``; a
file-size limit gives ``EFBIG``, which SQLite reports as a failed write."""


class LockWaits:
    """How long the next write may wait for another process's lock (shared by the store's
    SQLite connection and its write turn; set from the writer thread and the event loop,
    plain attribute writes under the GIL).

    After a wait ended without the lock, the lock counts as held: the next writes probe
    only, each refusal renewing that, until one gets the lock or none came for a whole
    timeout (a lock seen long ago says little about a new one)."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self._first_refusal: float | None = None
        self._last_refusal = 0.0

    def budget(self) -> float:
        """Seconds the next wait may last: the timeout, or a probe while the lock is held."""
        if self._first_refusal is None:
            return self.timeout
        if time.monotonic() - self._last_refusal > self.timeout:
            self._first_refusal = None
            return self.timeout
        return min(self.timeout, PROBE_SECONDS)

    def refused(self) -> None:
        """A wait ended without the lock."""
        now = time.monotonic()
        if self._first_refusal is None:
            self._first_refusal = now
        self._last_refusal = now

    def granted(self) -> None:
        """A write got the lock: the next ones wait the whole timeout again."""
        self._first_refusal = None

    def held_for(self) -> float:
        """Seconds since the first of the refusals in a row (0 when none)."""
        return 0.0 if self._first_refusal is None else time.monotonic() - self._first_refusal


def locked_message(path: str, what: str, waits: LockWaits) -> str:
    """The message of a write refused because another process held ``what`` too long."""
    held = max(waits.timeout, waits.held_for())
    return (
        f"SQLite store {path}: another process has held {what} for more than {held:.3g}s "
        "(a long import, or a transaction left open in another program, e.g. a sqlite3 "
        "shell); nothing was written: let it finish or stop it, then retry"
    )


def read_only_problem(path: str) -> str | None:
    """Why a write to the store at ``path`` cannot happen now because of permissions, or
    None. Checks the file, its ``-wal`` and its ``-shm`` (those that exist)."""
    if path == ":memory:" or path.startswith("file:"):
        return None
    for name in (path, f"{path}-wal", f"{path}-shm"):
        try:
            mode = os.stat(name).st_mode
        except FileNotFoundError:
            continue
        except OSError as error:
            return f"cannot inspect {name}: {error.strerror or error}"
        if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
            return f"{name} has mode {stat.filemode(mode)}"
        if not os.access(name, os.W_OK):
            return f"this user may not write {name} (mode {stat.filemode(mode)})"
    return None


def read_only_message(path: str, problem: str) -> str:
    """The message of a write refused by ``read_only_problem``."""
    return (
        f"SQLite store {path} is read-only ({problem}); nothing was written. Give the user "
        "running graphsvc write permission on the file, its -wal and -shm files and its "
        f"directory (e.g. chmod u+w {path}*); then retry (a running graphsvc needs no restart)"
    )


def is_lock_wait(exc: sqlite3.Error) -> bool:
    """True when SQLite gave up waiting for a lock (busy or locked)."""
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def is_write_fault(exc: sqlite3.Error) -> bool:
    """True for a failure of the file rather than of the statement (I/O, full, read-only,
    cannot open): the connection is reopened before the next write, as SQLite keeps some of
    these states (a connection opened read-only stays read-only)."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    return name.startswith(("SQLITE_IOERR", "SQLITE_FULL", "SQLITE_READONLY", "SQLITE_CANTOPEN"))


def full_message(path: str, text: str) -> str:
    """The message of a write that did not fit: the free space and the file-size limit."""
    where = os.path.dirname(os.path.abspath(path))
    try:
        usage = os.statvfs(where)
        free = f"{usage.f_bavail * usage.f_frsize / _MIB:.1f} MiB free on its filesystem"
    except OSError:
        free = "free space unknown"
    limit, _hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    fsize = (
        "no file-size limit"
        if limit == resource.RLIM_INFINITY
        else f"a file-size limit (ulimit -f) of {limit} bytes on the graphsvc process"
    )
    return (
        f"SQLite store {path} could not write ({text}): the disk is full or the file may not "
        f"grow ({free}, {fsize}); nothing of this write was stored. Free space or lift the "
        "limit, then retry (a running graphsvc needs no restart)"
    )


def translate_error(
    exc: sqlite3.Error, path: str, busy_timeout: float, waits: LockWaits | None = None
) -> GraphsvcError:
    """The graphsvc error for a sqlite3 error on the store at ``path``: the one mapping."""
    text = str(exc)
    lowered = text.lower()
    name = getattr(exc, "sqlite_errorname", "") or ""
    if isinstance(exc, sqlite3.IntegrityError):
        if "unique" in lowered:
            return Conflict(f"SQLite store {path}: {text}")
        return InvalidInput(f"SQLite store {path} rejected a record: {text}")
    if is_lock_wait(exc):
        return StoreUnavailable(
            locked_message(path, "the file's write lock", waits or LockWaits(busy_timeout))
        )
    if name.startswith("SQLITE_CANTOPEN") or "unable to open" in lowered:
        return StoreUnavailable(
            f"cannot open SQLite store {path}: {text} "
            "(does the directory exist, and may this user write to it?)"
        )
    if "not a database" in lowered or "malformed" in lowered or "corrupt" in lowered:
        return StoreUnavailable(f"{path} is not a readable graphsvc SQLite store: {text}")
    if name.startswith("SQLITE_READONLY") or "readonly" in lowered or "read-only" in lowered:
        return StoreUnavailable(read_only_message(path, read_only_problem(path) or text))
    if name in _GROWTH_ERRORS:
        return StoreUnavailable(full_message(path, text))
    if name.startswith("SQLITE_IOERR"):
        return StoreUnavailable(
            f"SQLite store {path}: disk I/O error ({name}): check the disk holding it and "
            "the kernel log; nothing of this write was stored"
        )
    if "closed" in lowered:
        return StoreUnavailable(f"SQLite store {path} is closed")
    return StoreUnavailable(f"SQLite store {path} failed: {text}")

"""Token buckets of cost points, one per API token, in a fixed table that processes can share.

A bucket holds up to ``capacity`` points (the token budget) and refills continuously at
``capacity / 60`` points a second; a request takes its cost out of its token's bucket, or is
refused with the seconds until the bucket holds enough. A token never seen is a full bucket.

**Shared across workers.** ``graphsvc serve --workers N`` runs N processes, and a budget per
process would let a token spend N budgets. So the buckets live in a small file of fixed-size
slots (``SLOTS`` × 32 bytes) that the serving parent creates in a private temporary directory
(``shared_table_file``) and every worker maps into memory (``BucketTable.over_file``); each
charge reads and writes its slot under ``fcntl.flock`` on that file, a few microseconds with
no other process in the way. Times are ``time.monotonic()``, which on Linux is one clock for
every process of the machine. A one-process server uses the same table over memory
(``BucketTable.in_memory``): its charges run on the event loop's one thread.

**Slots.** A token's slot is found by the hash of its id (BLAKE2b, 16 bytes) among
``PROBES`` neighbouring slots. When none of them is the token's, it takes an empty one, else
one whose bucket has refilled to full (the same as absent: a fresh bucket is full), else the
fullest one; so the table forgets only buckets that are nearly full again, and only when
more than ``SLOTS`` tokens spend at once near one slot — forgetting errs towards the caller.

Separate ``graphsvc serve`` commands (other ports, other hosts) keep separate tables: a
token used against two of them has a budget at each.
"""

from __future__ import annotations

import fcntl
import hashlib
import math
import mmap
import os
import struct
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import NamedTuple

__all__ = [
    "PROBES",
    "SLOTS",
    "BucketTable",
    "Charge",
    "shared_table_file",
]

SLOTS = 4096
"""Buckets a table holds: far more tokens than spend at once on one server."""

PROBES = 16
"""Neighbouring slots searched for a token's bucket (or a free one)."""

_SLOT = struct.Struct("<16sdd")
"""A slot: the token id's hash (zeros: empty), the points it held, and when (monotonic s)."""

_EMPTY = bytes(16)

Clock = Callable[[], float]


class Charge(NamedTuple):
    """The outcome of charging a bucket."""

    granted: bool
    remaining: int
    """Whole points left after this charge (or, when refused, left without it)."""
    retry_after: float
    """Seconds until the bucket holds the cost asked (0 when granted)."""


class BucketTable:
    """Buckets of ``capacity`` points refilling at ``capacity / 60`` a second, in ``buffer``
    (``SLOTS`` slots), each access under ``lock``; ``clock`` gives the time in seconds."""

    def __init__(
        self,
        capacity: int,
        buffer: bytearray | mmap.mmap,
        lock: Callable[[], AbstractContextManager[object]] = nullcontext,
        clock: Clock = time.monotonic,
    ) -> None:
        if capacity <= 0:
            raise ValueError(f"a bucket's capacity must be positive, not {capacity}")
        self.capacity = capacity
        self.per_second = capacity / 60.0
        self.slots = len(buffer) // _SLOT.size
        self._buffer = buffer
        self._lock = lock
        self._clock = clock

    @classmethod
    def in_memory(
        cls, capacity: int, slots: int = SLOTS, clock: Clock = time.monotonic
    ) -> BucketTable:
        """A table of this process alone."""
        return cls(capacity, bytearray(slots * _SLOT.size), clock=clock)

    @classmethod
    def over_file(cls, capacity: int, path: str, clock: Clock = time.monotonic) -> BucketTable:
        """The table in ``path`` (made by ``shared_table_file``), shared with every process
        that maps it; each access under an exclusive ``flock`` of the file."""
        fd = os.open(path, os.O_RDWR)
        try:
            mapped = mmap.mmap(fd, os.fstat(fd).st_size)
        except BaseException:
            os.close(fd)
            raise

        @contextmanager
        def locked() -> Iterator[None]:
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)

        # The descriptor and the mapping live as long as the process (one table per app).
        return cls(capacity, mapped, lock=locked, clock=clock)

    def charge(self, key: str, cost: int) -> Charge:
        """Take ``cost`` points from ``key``'s bucket if it holds them; else take nothing."""
        digest = _digest(key)
        with self._lock():
            now = self._clock()
            index, level = self._find(digest, now)
            granted = level >= cost
            if granted:
                level -= cost
            _SLOT.pack_into(self._buffer, index * _SLOT.size, digest, level, now)
        wait = 0.0 if granted else (cost - level) / self.per_second
        return Charge(granted, math.floor(level), wait)

    def remaining(self, key: str) -> int:
        """Whole points ``key``'s bucket holds now (nothing taken)."""
        digest = _digest(key)
        with self._lock():
            now = self._clock()
            start = _start(digest, self.slots)
            for step in range(min(PROBES, self.slots)):
                index = (start + step) % self.slots
                found, level, stamp = _SLOT.unpack_from(self._buffer, index * _SLOT.size)
                if found == digest:
                    return math.floor(self._refilled(level, stamp, now))
                if found == _EMPTY:
                    break
        return self.capacity

    def _refilled(self, level: float, stamp: float, now: float) -> float:
        return min(float(self.capacity), level + max(0.0, now - stamp) * self.per_second)

    def _find(self, digest: bytes, now: float) -> tuple[int, float]:
        """The slot of ``digest`` and its bucket's level now; a reused slot starts full."""
        start = _start(digest, self.slots)
        free: int | None = None
        fullest, fullest_level = start, -1.0
        for step in range(min(PROBES, self.slots)):
            index = (start + step) % self.slots
            found, level, stamp = _SLOT.unpack_from(self._buffer, index * _SLOT.size)
            if found == digest:
                return index, self._refilled(level, stamp, now)
            if found == _EMPTY:  # slots are never emptied: the token is not further on
                return (free if free is not None else index), float(self.capacity)
            if free is not None:
                continue
            level = self._refilled(level, stamp, now)
            if level >= self.capacity:
                free = index
            elif level > fullest_level:
                fullest, fullest_level = index, level
        return (free if free is not None else fullest), float(self.capacity)


def _digest(key: str) -> bytes:
    return hashlib.blake2b(key.encode("utf-8"), digest_size=16).digest()


def _start(digest: bytes, slots: int) -> int:
    return int.from_bytes(digest[:8], "little") % slots


@contextmanager
def shared_table_file(slots: int = SLOTS) -> Iterator[str]:
    """A zeroed table file in a new private directory (mode 0700), removed on exit: the
    serving parent makes it, and its workers map it (``BucketTable.over_file``)."""
    with tempfile.TemporaryDirectory(prefix="graphsvc-budgets-") as directory:
        path = Path(directory) / "buckets"
        with path.open("wb") as file:
            file.truncate(slots * _SLOT.size)
        os.chmod(path, 0o600)
        yield str(path)

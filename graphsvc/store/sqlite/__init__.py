"""The embedded store: a graph in one SQLite file, for single-node deployments and tests.

Every write is one ``BEGIN IMMEDIATE`` transaction in WAL mode with ``synchronous=FULL``:
when ``apply`` returns, the write is in the fsynced WAL and survives ``kill -9`` and power
loss (provided the disk honours fsync). Readers never wait for a writer.

``store`` is the ``GraphStore`` (its whole-workspace walks in ``streams``, API tokens in
``tokens``, the row readers they share in ``reads``); layout and row encoding are in
``schema``, filters in ``query``, threads in ``engine``, the write transactions in
``write`` (large ones with ``bulk``: rows made in a helper thread, many to a statement),
faults of the file (locked, read-only, full) and their messages in ``faults``.
"""

from __future__ import annotations

from graphsvc.store.sqlite.store import SqliteStore

__all__ = ["SqliteStore"]

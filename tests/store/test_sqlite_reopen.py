"""After a write refused because the SQLite file was read-only, every connection is reopened
before the next write.

SQLite shares one shared-memory handle per process and file among all its connections, and
opens it read-only when the file was read-only: a reader opened then kept it so, and writes
failed ("attempt to write a readonly database") after the file was writable again, until a
restart. Only a user whom file modes stop sees that failure (root does not), so this test
shows the remedy — no connection of before the fault survives it — and
``test_sqlite_faults.py::test_a_server_started_on_a_read_only_file_serves_reads_and_takes_
writes_once_writable`` shows the whole story when the suite runs as another user.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from graphsvc.errors import StoreUnavailable
from graphsvc.store.sqlite.engine import SqliteEngine

pytestmark = pytest.mark.reliability


def _insert(connection: sqlite3.Connection) -> None:
    connection.execute("INSERT INTO t VALUES (1)")


async def test_every_connection_opened_before_a_read_only_fault_is_closed_before_the_next_write(
    tmp_path: Path,
) -> None:
    # given an engine whose readers and point reads have connections open
    db = tmp_path / "graph.db"
    engine = SqliteEngine(str(db))
    engine.start()
    try:
        await engine.write(lambda c: c.execute("CREATE TABLE t (x)"))
        before = {await engine.read(lambda c: c) for _ in range(8)}
        before.add(await engine.read_point(lambda c: c))

        # when a write is refused while the file is read-only
        db.chmod(0o444)
        try:
            with pytest.raises(StoreUnavailable, match="read-only"):
                await engine.write(_insert)
            # then reads still answer on the connections they have
            assert await engine.read(lambda c: c.execute("SELECT count(*) FROM t").fetchone())
        finally:
            db.chmod(0o644)

        # and once it is writable, the next write succeeds with no connection of before open
        await engine.write(_insert)
        for connection in before:
            with pytest.raises(sqlite3.ProgrammingError, match="closed"):
                connection.execute("SELECT 1")
        assert await engine.read(lambda c: c.execute("SELECT count(*) FROM t").fetchone()) == (1,)
        assert await engine.read_point(lambda c: c.execute("SELECT x FROM t").fetchall()) == [(1,)]
    finally:
        engine.stop()


async def test_writes_without_a_fault_keep_their_connections(tmp_path: Path) -> None:
    engine = SqliteEngine(str(tmp_path / "graph.db"))
    engine.start()
    try:
        await engine.write(lambda c: c.execute("CREATE TABLE t (x)"))
        point = await engine.read_point(lambda c: c)
        await engine.write(_insert)
        assert await engine.read_point(lambda c: c) is point
    finally:
        engine.stop()

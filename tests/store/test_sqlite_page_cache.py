"""Each SQLite connection's page cache: the writer's large, every reader's smaller.

The writer inserts into every index of a table at once, so an import touches many pages;
a reader mostly scans a table once, and four reader threads plus the point connections each
holding 64 MiB kept ~0.15 GB more of a million-person re-import (bench/README.md, "Import,
round eight").
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from graphsvc.store.sqlite.engine import READER_CACHE_KIB, WRITER_CACHE_KIB, SqliteEngine


def _cache_size(connection: sqlite3.Connection) -> int:
    return int(connection.execute("PRAGMA cache_size").fetchone()[0])


async def test_the_writer_caches_more_pages_than_the_readers(tmp_path: Path) -> None:
    # given an open engine
    engine = SqliteEngine(str(tmp_path / "graph.db"))
    engine.start()
    try:
        # when the writer, a reader thread and a point read report their page cache
        writer = await engine.write(_cache_size)
        reader = await engine.read(_cache_size)
        point = await engine.read_point(_cache_size)
    finally:
        engine.stop()
    # then the writer's is WRITER_CACHE_KIB and both readers' READER_CACHE_KIB (negative: KiB)
    assert writer == -WRITER_CACHE_KIB
    assert reader == point == -READER_CACHE_KIB
    assert READER_CACHE_KIB < WRITER_CACHE_KIB

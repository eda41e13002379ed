"""SQLite point reads (a token by hash, a few records by id) run on the calling thread.

A request's token lookup and its person read each took a hop to a reader thread and back,
which cost more than the reads themselves (bench/README.md, "Request overhead"). They now run
where they are awaited, and still see every commit, of any process, at once; when another
process locks the file, they wait in a reader thread as before instead of failing. Every
other read of a request is tried there too, and one that turns out long (more than
``POINT_READ_STEPS`` of SQLite's work) is stopped and run again in a reader thread, whole.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from pathlib import Path

from graphsvc.domain.auth import Role
from graphsvc.domain.enums import EntityKind
from graphsvc.services.tokens import TokenService, hash_secret
from graphsvc.store.sqlite import SqliteStore
from graphsvc.store.sqlite.engine import POINT_READ_STEPS, SqliteEngine
from tests.factories import changes, org, person


async def test_a_point_read_runs_on_the_calling_thread(tmp_path: Path) -> None:
    # given an open engine
    engine = SqliteEngine(str(tmp_path / "graph.db"))
    engine.start()
    try:
        # when a point read and an ordinary read report the thread they ran on
        here = await engine.read_point(lambda _c: threading.get_ident())
        there = await engine.read(lambda _c: threading.get_ident())
    finally:
        engine.stop()
    # then the point read ran on the event loop's thread, the other in a reader thread
    assert here == threading.get_ident()
    assert there != threading.get_ident()


async def test_a_long_read_is_run_again_in_a_reader_thread(tmp_path: Path) -> None:
    # given an engine over a table whose full scan takes far more than the steps allowed
    path = str(tmp_path / "graph.db")
    setup = sqlite3.connect(path, isolation_level=None)
    setup.execute("CREATE TABLE t (x INTEGER)")
    setup.execute(
        "INSERT INTO t WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
        "WHERE i < ?) SELECT i FROM n",
        (POINT_READ_STEPS,),
    )
    setup.close()
    engine = SqliteEngine(path)
    engine.start()
    try:
        # when a short read and a long one (a filtered scan of every row) are asked as
        # point reads, each reporting the thread it finished on
        short = await engine.read_point(
            lambda c: (threading.get_ident(), c.execute("SELECT x FROM t LIMIT 3").fetchall())
        )
        long = await engine.read_point(
            lambda c: (
                threading.get_ident(),
                c.execute("SELECT x FROM t WHERE x % 1000 = 7").fetchall(),
            )
        )
    finally:
        engine.stop()
    # then the short one ran on the event loop's thread; the long one was stopped there and
    # answered from a reader thread, whole
    assert short == (threading.get_ident(), [(1,), (2,), (3,)])
    assert long[0] != threading.get_ident()
    assert long[1] == [(x,) for x in range(7, POINT_READ_STEPS + 1, 1000)]


async def test_point_reads_see_what_another_process_just_wrote(tmp_path: Path) -> None:
    # given the server's store and an administrator's handle on the same file (the CLI)
    path = str(tmp_path / "graph.db")
    served, admin = SqliteStore(path), SqliteStore(path)
    await served.open()
    await admin.open()
    try:
        issued = await TokenService(admin).create("w", Role.VIEWER)
        secret_hash = hash_secret(issued.secret)
        assert (await served.token_by_hash(secret_hash)) is not None
        await admin.apply("w", changes(org("o"), person("p", "o")))
        assert set(await served.get("w", EntityKind.PERSON, ["p"])) == {"p"}
        # when the administrator revokes the token and renames the person
        await TokenService(admin).revoke(issued.token.id)
        await admin.apply("w", changes(person("p", "o", name="Renamed")))
        # then the server's very next point reads see both
        token = await served.token_by_hash(secret_hash)
        assert token is not None
        assert token.revoked_at is not None
        read = (await served.get("w", EntityKind.PERSON, ["p"]))["p"]
        assert getattr(read, "name", None) == "Renamed"
    finally:
        await served.close()
        await admin.close()


async def test_a_point_read_waits_while_another_process_holds_the_file(tmp_path: Path) -> None:
    # given a WAL database held exclusively by another connection (as another process may)
    path = str(tmp_path / "graph.db")
    setup = sqlite3.connect(path, isolation_level=None)
    setup.execute("PRAGMA journal_mode=WAL")
    setup.execute("CREATE TABLE t (x INTEGER)")
    setup.execute("INSERT INTO t VALUES (1)")
    setup.close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("COMMIT")  # in exclusive locking mode the lock stays until closed
    engine = SqliteEngine(path)
    engine.start()
    try:
        # when a point read is asked meanwhile
        read = asyncio.ensure_future(
            engine.read_point(lambda c: int(c.execute("SELECT x FROM t").fetchone()[0]))
        )
        await asyncio.sleep(0.3)
        # then it waits, in a reader thread (the event loop kept running to get here) ...
        assert not read.done()
        holder.close()
        # ... and answers once the lock is released, instead of failing
        assert await asyncio.wait_for(read, 30) == 1
    finally:
        holder.close()
        engine.stop()

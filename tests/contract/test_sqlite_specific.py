"""The SQLite store beyond the shared contract: crashes, bad files, locks, several processes."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from graphsvc.domain.changes import ChangeSet
from graphsvc.domain.enums import EntityKind
from graphsvc.domain.listing import FILTER_FIELDS, ListQuery
from graphsvc.errors import StoreUnavailable
from graphsvc.store.base import GraphStore
from graphsvc.store.sqlite import SqliteStore
from graphsvc.store.sqlite.schema import ENTITY_TABLES, SCHEMA_VERSION
from tests.factories import change_set, changes, kaito_document, org, person

ROOT = Path(__file__).resolve().parents[2]

_WRITER = """
import asyncio, sys
from graphsvc.store.sqlite import SqliteStore
from tests.factories import change_set, kaito_document, org, changes

async def main(path, mode):
    store = SqliteStore(path)
    await store.open()
    if mode == "ack":
        await store.apply("w", change_set(kaito_document()))
        version = await store.apply("w", changes(org("after-ack", "最後の書き込み")))
        print(version, flush=True)
    else:  # "big": announce, then one long apply
        from graphsvc.domain.enums import EntityKind
        from graphsvc.domain.changes import ChangeSet
        orgs = [org(f"o-{i:06d}") for i in range(100_000)]
        print("applying", flush=True)
        await store.apply("w", ChangeSet(upserts={EntityKind.ORGANIZATION: orgs}))
        print("done", flush=True)
    await asyncio.sleep(3600)  # never exits by itself: the test kills it

asyncio.run(main(sys.argv[1], sys.argv[2]))
"""


def _spawn_writer(path: Path, mode: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(path), mode],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )


async def _reopened(path: Path) -> SqliteStore:
    store = SqliteStore(str(path))
    await store.open()
    return store


async def test_an_acknowledged_write_survives_kill_9(tmp_path: Path) -> None:
    # given a process that applied writes and printed the acknowledged version
    path = tmp_path / "graph.db"
    writer = _spawn_writer(path, "ack")
    try:
        assert writer.stdout is not None
        acked = int(writer.stdout.readline())

        # when it is killed with SIGKILL right after the ack
        writer.send_signal(signal.SIGKILL)
    finally:
        writer.wait(timeout=30)

    # then a new process finds the writes and the version
    store = await _reopened(path)
    try:
        assert await store.version("w") == acked == 2
        last = await store.get("w", EntityKind.ORGANIZATION, ["after-ack"])
        assert last["after-ack"].name == "最後の書き込み"
        assert await store.count("w", EntityKind.PERSON, ListQuery()) == 10
    finally:
        await store.close()


async def test_a_process_killed_during_an_import_leaves_all_or_nothing(tmp_path: Path) -> None:
    # given a process in the middle of one 100,000-record apply
    path = tmp_path / "graph.db"
    writer = _spawn_writer(path, "big")
    try:
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "applying"
        await asyncio.sleep(0.1)

        # when it is killed
        writer.send_signal(signal.SIGKILL)
    finally:
        writer.wait(timeout=30)

    # then the store holds none of the import or all of it, never a part
    store = await _reopened(path)
    try:
        count = await store.count("w", EntityKind.ORGANIZATION, ListQuery())
        assert count in (0, 100_000)
        assert await store.version("w") == (1 if count else 0)
    finally:
        await store.close()


async def test_a_missing_directory_is_a_clear_store_unavailable(tmp_path: Path) -> None:
    path = tmp_path / "no-such-dir" / "graph.db"
    store = SqliteStore(str(path))
    with pytest.raises(StoreUnavailable, match=r"cannot open SQLite store .*no-such-dir"):
        await store.open()


async def test_a_file_that_is_not_a_database_is_a_clear_store_unavailable(
    tmp_path: Path,
) -> None:
    # given a file of garbage where the store should be
    path = tmp_path / "graph.db"
    path.write_bytes(b"this is not an SQLite file, just some bytes\n" * 100)

    # when it is opened, then the error names the file
    with pytest.raises(StoreUnavailable, match="is not a readable graphsvc SQLite store"):
        await SqliteStore(str(path)).open()


async def test_a_file_from_a_newer_graphsvc_is_refused(tmp_path: Path) -> None:
    # given a store file whose schema is newer than this code
    path = tmp_path / "graph.db"
    with sqlite3.connect(path) as connection:
        connection.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")

    # when it is opened, then it asks for an upgrade
    with pytest.raises(StoreUnavailable, match="newer graphsvc"):
        await SqliteStore(str(path)).open()


async def test_a_store_that_is_not_open_says_so(tmp_path: Path) -> None:
    store = SqliteStore(str(tmp_path / "graph.db"))
    with pytest.raises(StoreUnavailable, match="not open"):
        await store.version("w")


async def test_a_write_locked_too_long_by_another_process_is_unavailable(
    tmp_path: Path,
) -> None:
    # given a store with a short lock wait, and another connection holding the write lock
    path = tmp_path / "graph.db"
    store = SqliteStore(str(path), busy_timeout=0.2)
    await store.open()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        # when the store writes, then it gives up with a message naming the file
        with pytest.raises(StoreUnavailable, match=r"graph\.db: another process has held"):
            await store.apply("w", changes(org("o")))
    finally:
        other.execute("ROLLBACK")
        other.close()
        await store.close()


async def test_migrate_is_idempotent_and_keeps_data(tmp_path: Path) -> None:
    # given a store with data
    path = tmp_path / "graph.db"
    store = await _reopened(path)
    await store.apply("w", changes(org("o")))
    await store.close()

    # when migrated again (without being open) and reopened
    lines = await SqliteStore(str(path)).migrate()
    store = await _reopened(path)

    # then it reports what it ensured and the data is still there
    try:
        assert any("people" in line for line in lines)
        assert list(await store.get("w", EntityKind.ORGANIZATION, ["o"])) == ["o"]
    finally:
        await store.close()


async def test_two_stores_on_one_file_see_each_other(tmp_path: Path) -> None:
    # given two stores on the same file (as the CLI and the server are)
    path = tmp_path / "graph.db"
    server, cli = await _reopened(path), await _reopened(path)
    try:
        # when one writes
        version = await cli.apply("w", change_set(kaito_document()))

        # then the other reads the data and the shared version at once
        assert await server.version("w") == version
        found = await server.get("w", EntityKind.PERSON, ["p-cio"])
        assert found["p-cio"].name == "佐藤 健"
    finally:
        await server.close()
        await cli.close()


async def test_a_long_apply_does_not_block_the_event_loop(sqlite_store: GraphStore) -> None:
    # given a large change set
    big = ChangeSet(
        upserts={
            EntityKind.ORGANIZATION: [org("o")],
            EntityKind.PERSON: [person(f"p-{i:06d}", "o") for i in range(30_000)],
        }
    )
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    # when it is applied while another task wants to run every 10 ms
    task = asyncio.create_task(ticker())
    started = time.perf_counter()
    await sqlite_store.apply("w", big)
    elapsed = time.perf_counter() - started
    task.cancel()

    # then that task kept running during the apply (at least a third of its chances)
    assert ticks >= elapsed / 0.01 / 3


@pytest.mark.parametrize("kind", list(EntityKind), ids=str)
def test_every_filter_field_has_an_indexed_column(kind: EntityKind) -> None:
    # given the fields the protocol lets callers filter on
    table = ENTITY_TABLES[kind]

    # then the SQLite schema holds each in a column (departmentIds in its join table)
    missing = [
        field
        for field in FILTER_FIELDS[kind]
        if field != "departmentIds" and table.field_column(field) is None
    ]
    assert missing == []

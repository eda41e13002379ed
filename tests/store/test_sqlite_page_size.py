"""A store file is created with ``PAGE_SIZE`` pages; a file made with SQLite's default 4096
(every store file before this) keeps them, and reads and writes as before."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from graphsvc.domain.enums import EntityKind
from graphsvc.store.sqlite import SqliteStore
from graphsvc.store.sqlite.engine import PAGE_SIZE
from tests.factories import changes, org, person


def _page_size(path: Path) -> int:
    with sqlite3.connect(path) as connection:
        return int(connection.execute("PRAGMA page_size").fetchone()[0])


async def test_a_new_store_file_has_the_larger_pages(tmp_path: Path) -> None:
    # when a store opens a file that does not exist yet and writes to it
    path = tmp_path / "graph.db"
    store = SqliteStore(str(path))
    await store.open()
    try:
        await store.apply("w", changes(org("acme"), person("p-1", "acme", "Ada")))
    finally:
        await store.close()

    # then its pages are PAGE_SIZE bytes, not SQLite's default
    assert PAGE_SIZE != 4096
    assert _page_size(path) == PAGE_SIZE


async def test_a_file_with_default_pages_keeps_them_and_works(tmp_path: Path) -> None:
    # given a store file created with 4096-byte pages, holding a record
    path = tmp_path / "graph.db"
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA page_size=4096")
        connection.execute("VACUUM")  # gives the empty file its header, with that size
    assert path.stat().st_size == 4096  # one page written: the size is the file's, not a default
    assert _page_size(path) == 4096
    store = SqliteStore(str(path))
    await store.open()
    try:
        await store.apply("w", changes(org("acme"), person("p-1", "acme", "Ada")))
        await store.close()

        # when it is opened again, read and written
        store = SqliteStore(str(path))
        await store.open()
        await store.apply("w", changes(person("p-2", "acme", "Grace")))
        people = await store.get("w", EntityKind.PERSON, ["p-1", "p-2"])
    finally:
        await store.close()

    # then both records are there and the pages are still 4096 bytes
    assert sorted(p.id for p in people.values()) == ["p-1", "p-2"]
    assert _page_size(path) == 4096

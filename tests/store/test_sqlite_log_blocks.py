"""The SQLite change log in blocks (issue 14, item 3) and the upgrades of older files.

An import logs one change per record; a row per change was 328,708 inserts and an index of
as many equal timestamps at 100k people. The log is now one row per ``BLOCK_SIZE`` changes
of a write, each block's JSON compressed (schema 4), and a file written by the per-change
log (schema 2) or with blocks of JSON text (schema 3) keeps every change on upgrade.
"""

from __future__ import annotations

import sqlite3
import zlib
from datetime import UTC, datetime
from pathlib import Path

import orjson

from graphsvc.domain.changes import ChangeSet
from graphsvc.domain.enums import EntityKind
from graphsvc.domain.history import Change, ChangeKind, ChangeQuery, LogItems
from graphsvc.services.writes.log import Before, change_log
from graphsvc.store.sqlite import SqliteStore
from graphsvc.store.sqlite.log import BLOCK_SIZE
from graphsvc.store.sqlite.schema import SCHEMA_VERSION
from tests.factories import change_set, changes, kaito_document, org

WORKSPACE = "w"
T0 = datetime(2026, 3, 2, 9, 30, 15, 123456, tzinfo=UTC)


def _logged(change_set: ChangeSet, minute: int, before: Before | None = None) -> ChangeSet:
    """``change_set`` with its log as services build it, at T0 + ``minute`` minutes."""
    at = T0.replace(minute=T0.minute + minute)
    change_set.log = list(change_log(change_set, before or Before(), "cli", at))
    return change_set


async def _store_with_writes(path: Path) -> tuple[SqliteStore, list[Change]]:
    """A store with a document, a write of 250 organizations, an update and a deletion."""
    store = SqliteStore(str(path))
    await store.open()
    await store.apply(WORKSPACE, _logged(change_set(kaito_document()), 0))
    orgs = [org(f"o-{i:04d}", f"Org {i}") for i in range(250)]
    await store.apply(WORKSPACE, _logged(ChangeSet(upserts={EntityKind.ORGANIZATION: orgs}), 1))
    stored = {EntityKind.ORGANIZATION: {o.id: o for o in orgs}}
    renamed = changes(org("o-0007", "Renamed"))
    await store.apply(WORKSPACE, _logged(renamed, 2, Before(records=stored)))
    deletion = ChangeSet(deletes={EntityKind.ORGANIZATION: ["o-0008"]})
    await store.apply(WORKSPACE, _logged(deletion, 3, Before(records=stored)))
    return store, await store.changes(WORKSPACE, ChangeQuery())


def _blocks(path: Path) -> list[tuple[int, int, int]]:
    with sqlite3.connect(path) as connection:
        return connection.execute(
            "SELECT version, first, last FROM change_blocks ORDER BY version, first"
        ).fetchall()


async def test_a_write_of_250_changes_is_three_log_rows(tmp_path: Path) -> None:
    # given a store, when one write creates 250 organizations
    store = SqliteStore(str(tmp_path / "g.db"))
    await store.open()
    try:
        orgs = [org(f"o-{i:04d}") for i in range(250)]
        created = ChangeSet(upserts={EntityKind.ORGANIZATION: orgs})
        version = await store.apply(WORKSPACE, _logged(created, 0))
        logged = await store.changes(WORKSPACE, ChangeQuery())
    finally:
        await store.close()

    # then its 250 changes are stored as blocks of 100, 100 and 50, read back whole
    assert BLOCK_SIZE == 100
    assert _blocks(tmp_path / "g.db") == [
        (version, 0, 99),
        (version, 100, 199),
        (version, 200, 249),
    ]
    assert [c.position for c in logged] == [(version, i) for i in range(250)]


def _as_schema_2(path: Path, logged: list[Change]) -> None:
    """Rewrite the file's log as graphsvc with schema 2 stored it: a row per change."""
    with sqlite3.connect(path) as connection:
        connection.execute(
            "CREATE TABLE changes (workspace TEXT NOT NULL, version INTEGER NOT NULL, "
            "idx INTEGER NOT NULL, at TEXT NOT NULL, actor TEXT NOT NULL, kind TEXT NOT NULL, "
            "key TEXT NOT NULL, operation TEXT NOT NULL, fields TEXT NOT NULL, before TEXT, "
            "after TEXT, PRIMARY KEY (workspace, version, idx)) WITHOUT ROWID"
        )
        connection.execute("CREATE INDEX ix_changes_at ON changes(workspace, at)")

        def text(value: object) -> str | None:
            return None if value is None else orjson.dumps(value).decode()

        connection.executemany(
            "INSERT INTO changes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    WORKSPACE,
                    c.version,
                    c.index,
                    c.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                    c.actor,
                    c.kind.value,
                    c.key,
                    c.operation.value,
                    text(list(c.fields)),
                    text(c.before),
                    text(c.after),
                )
                for c in logged
            ],
        )
        connection.execute("DROP TABLE change_blocks")
        connection.execute("PRAGMA user_version=2")


async def test_a_schema_2_file_keeps_its_whole_log_when_upgraded(tmp_path: Path) -> None:
    # given a file whose log was written a row per change (schema 2), with four writes
    path = tmp_path / "old.db"
    store, logged = await _store_with_writes(path)
    await store.close()
    _as_schema_2(path, logged)
    big = logged[-1].version - 2  # the write of 250

    # when it is opened by this graphsvc
    store = SqliteStore(str(path))
    await store.open()
    try:
        # then every change reads back exactly, whole and through each filter
        assert await store.changes(WORKSPACE, ChangeQuery()) == logged
        middle = ChangeQuery(after=(big, 149), until_version=big)
        assert await store.changes(WORKSPACE, middle) == [
            c for c in logged if c.version == big and c.index > 149
        ]
        people = ChangeQuery(kinds=frozenset({ChangeKind.PERSON}), limit=3)
        assert (
            await store.changes(WORKSPACE, people)
            == [c for c in logged if c.kind is ChangeKind.PERSON][:3]
        )
        at = logged[-1].at
        assert await store.changes(WORKSPACE, ChangeQuery(at_after=at)) == []
        window = ChangeQuery(at_after=T0, at_until=T0.replace(minute=T0.minute + 2))
        assert await store.changes(WORKSPACE, window) == [
            c
            for c in logged
            if T0 < c.at <= window.at_until  # type: ignore[operator]
        ]
        # and a write after the upgrade logs after them
        version = await store.apply(WORKSPACE, _logged(changes(org("o-new")), 4))
        [new] = await store.changes(WORKSPACE, ChangeQuery(after=logged[-1].position))
        assert new.position == (version, 0)
        assert await store.compact(WORKSPACE, big) == sum(1 for c in logged if c.version <= big)
    finally:
        await store.close()

    # and the file holds blocks at the current schema, the per-change table gone
    with sqlite3.connect(path) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 4
    assert "changes" not in tables
    assert "ix_changes_at" not in tables
    assert (big + 1, 0, 0) in _blocks(path)


async def _everything(store: SqliteStore) -> dict[str, object]:
    """Every read of the workspace: records of each kind, relationships (as records and
    projection rows), people rows, decision rights, systems' departments, the log."""
    found: dict[str, object] = {}
    for kind in EntityKind:
        found[kind.value] = [r async for batch in store.stream(WORKSPACE, kind) for r in batch]
    found["relationships"] = [r async for b in store.stream_relationships(WORKSPACE) for r in b]
    found["rows"] = [r async for b in store.stream_relationship_rows(WORKSPACE) for r in b]
    found["people"] = [r async for b in store.stream_person_rows(WORKSPACE) for r in b]
    found["rights"] = [r async for b in store.stream_decision_rights(WORKSPACE) for r in b]
    found["changes"] = [
        (c.kind, c.key, c.operation, c.fields, c.before, c.after, c.version, c.index)
        for c in await store.changes(WORKSPACE, ChangeQuery())
    ]
    return found


async def test_rows_written_from_the_log_read_back_as_rows_written_alone(tmp_path: Path) -> None:
    # given the same writes applied twice: with the services' log of exactly that change
    # set (rows written from the log's documents, one pass) and with a copy of its entries
    # (rows and log written apart)
    document = kaito_document()
    results = []
    for name, shared in (("one-pass.db", True), ("apart.db", False)):
        store = SqliteStore(str(tmp_path / name))
        await store.open()
        try:
            first = change_set(document)
            first.log = change_log(first, Before(), "cli", T0)
            if not shared:
                first.log = list(first.log)
            assert isinstance(first.log, LogItems) is shared
            await store.apply(WORKSPACE, first)
            # an update of stored records, the log built over them, as a plan does
            stored = {kind: {r.id: r for r in records} for kind, records in first.upserts.items()}
            update = change_set(document)
            update.upserts = {
                kind: [r.model_copy(update={"name": f"{r.name} (2)"}) for r in records]
                for kind, records in update.upserts.items()
            }
            before = Before(
                records=stored,
                relationships={r.key: r for r in first.relationships},
                decision_rights={r.key: r for r in first.decision_rights},
            )
            update.log = change_log(update, before, "cli", T0)
            if not shared:
                update.log = list(update.log)
            await store.apply(WORKSPACE, update)
            results.append(await _everything(store))
        finally:
            await store.close()

    # then every read answers the same, opportunities and dotted lines included
    one_pass, apart = results
    assert one_pass == apart
    assert one_pass[EntityKind.OPPORTUNITY.value]
    assert one_pass[EntityKind.SYSTEM.value]
    assert one_pass["rights"]
    with sqlite3.connect(tmp_path / "one-pass.db") as connection:
        departments = connection.execute(
            "SELECT * FROM system_departments ORDER BY system_id, department_id"
        ).fetchall()
    with sqlite3.connect(tmp_path / "apart.db") as connection:
        assert (
            departments
            == connection.execute(
                "SELECT * FROM system_departments ORDER BY system_id, department_id"
            ).fetchall()
        )
    assert departments


def _as_schema_3(path: Path) -> int:
    """Rewrite the file's log blocks as graphsvc with schema 3 stored them: JSON text.
    How many blocks."""
    with sqlite3.connect(path) as connection:
        blocks = connection.execute("SELECT version, first, data FROM change_blocks").fetchall()
        assert blocks
        assert all(isinstance(data, bytes) for _, _, data in blocks)  # compressed now
        connection.executemany(
            "UPDATE change_blocks SET data = ? WHERE version = ? AND first = ?",
            [(zlib.decompress(data).decode(), v, first) for v, first, data in blocks],
        )
        connection.execute("PRAGMA user_version=3")
    return len(blocks)


async def test_a_schema_3_file_reads_its_text_blocks_beside_compressed_ones(
    tmp_path: Path,
) -> None:
    # given a file whose log blocks are JSON text (schema 3), four writes long
    path = tmp_path / "old.db"
    store, logged = await _store_with_writes(path)
    await store.close()
    text_blocks = _as_schema_3(path)

    # when this graphsvc opens it and writes once more
    store = SqliteStore(str(path))
    await store.open()
    try:
        version = await store.apply(WORKSPACE, _logged(changes(org("o-new")), 4))
        # then the old changes read back exactly, followed by the new one
        after = await store.changes(WORKSPACE, ChangeQuery())
        assert after[:-1] == logged
        assert after[-1].position == (version, 0)
        assert after[-1].key == "o-new"
    finally:
        await store.close()

    # and the old blocks stayed text, the new one is compressed, the file is at schema 4
    with sqlite3.connect(path) as connection:
        types = connection.execute(
            "SELECT typeof(data), count(*) FROM change_blocks GROUP BY typeof(data)"
        ).fetchall()
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 4
    assert sorted(types) == [("blob", 1), ("text", text_blocks)]

"""Writes of the SQLite store, run in its writer thread: one transaction per call.

``apply`` checks the expected version when it is given, deletes, then upserts in bulk
(multi-row statements over lazily encoded rows, so an import of a million records holds no
second copy of them), then bumps the workspace's version, stores a new stage model and
appends the write's changes to the log under that version, all between ``BEGIN IMMEDIATE``
and ``COMMIT``: any failure, even half-way through a bulk insert, rolls everything back.
"""

# Table and column names in f-strings come only from ENTITY_TABLES and constants of this
# package; every value is a bound parameter, so S608 (SQL injection) does not apply.
# ruff: noqa: S608

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Generator, Iterator, Sequence, Sized
from datetime import datetime
from typing import Any, TypeVar

import orjson

from graphsvc.domain.changes import ChangeSet
from graphsvc.domain.enums import BuyingRole, EntityKind, RelationshipType
from graphsvc.domain.history import CHANGE_ENTITY_KIND, ChangeKind, LogItems
from graphsvc.domain.models import DecisionRightKey, Entity, RelationshipKey
from graphsvc.store.base import require_version
from graphsvc.store.sqlite.bulk import (
    RowStatements,
    Statement,
    cores,
    made_ahead,
    statement_values,
)
from graphsvc.store.sqlite.history import stage_model_json
from graphsvc.store.sqlite.log import (
    BLOCK_INSERT,
    BLOCK_MARKS,
    BLOCK_SIZE,
    append_changes,
    block_row,
    timestamp,
)
from graphsvc.store.sqlite.rows import (
    RELATIONSHIP_MARKS,
    RIGHT_MARKS,
    decision_right_row,
    entity_row,
    relationship_row,
    system_department_rows,
)
from graphsvc.store.sqlite.schema import ENTITY_TABLES, RIGHT_COLUMNS, EntityTable

__all__ = ["apply_changes", "check_version", "relationship_key_row", "transaction"]

T = TypeVar("T")


def transaction(connection: sqlite3.Connection, work: Callable[[], T]) -> T:
    """Run ``work`` inside BEGIN IMMEDIATE … COMMIT, rolling back on any exception."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        result = work()
        connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise
    return result


def apply_changes(
    c: sqlite3.Connection, workspace: str, changes: ChangeSet, expected_version: int | None = None
) -> int:
    """``SqliteStore.apply``: deletes, upserts, the version bump, one commit; the version.

    With ``expected_version``, the version is checked first inside the transaction: ``BEGIN
    IMMEDIATE`` holds the file's write lock from the start, so no other process can move the
    version between the check and the commit. A mismatch raises ``VersionMoved`` and rolls
    back before anything is written.
    """

    def work() -> int:
        if expected_version is not None:
            check_version(c, workspace, expected_version)
        for kind, ids in changes.deletes.items():
            _delete_entities(c, workspace, ENTITY_TABLES[kind], ids)
        c.executemany(
            "DELETE FROM relationships WHERE workspace = ? AND type = ? AND a = ? AND b = ?",
            ((workspace, *relationship_key_row(key)) for key in changes.relationship_deletes),
        )
        c.executemany(
            f"DELETE FROM decision_rights WHERE workspace = ? AND ({RIGHT_COLUMNS}) = (?, ?, ?, ?)",
            ((workspace, *_right_key(key)) for key in changes.decision_right_deletes),
        )
        log = changes.log
        if isinstance(log, LogItems) and log.describes(changes):
            version = _next_version(c, workspace, changes)
            write_logged(c, workspace, version, log)
            return version
        for sql, values in _upsert_statements(workspace, changes, statement_values(c)):
            c.execute(sql, values)
        version = _next_version(c, workspace, changes)
        append_changes(c, workspace, version, log)
        return version

    return transaction(c, work)


def check_version(c: sqlite3.Connection, workspace: str, expected: int) -> int:
    """The workspace's version, or ``VersionMoved`` if it is not ``expected``."""
    row = c.execute("SELECT version FROM workspaces WHERE workspace = ?", (workspace,)).fetchone()
    version = int(row[0]) if row else 0
    require_version(workspace, version, expected)
    return version


def _delete_entities(
    c: sqlite3.Connection, workspace: str, table: EntityTable, ids: Sequence[str]
) -> None:
    c.executemany(
        f"DELETE FROM {table.table} WHERE workspace = ? AND id = ?", ((workspace, i) for i in ids)
    )
    if table.kind is EntityKind.SYSTEM:
        c.executemany(
            "DELETE FROM system_departments WHERE workspace = ? AND system_id = ?",
            ((workspace, i) for i in ids),
        )


def _next_version(c: sqlite3.Connection, workspace: str, changes: ChangeSet) -> int:
    """Bump the workspace's version (store the write's stage model); the new version."""
    row = c.execute(
        "INSERT INTO workspaces (workspace, version) VALUES (?, 1) ON CONFLICT (workspace) "
        "DO UPDATE SET version = version + 1 RETURNING version",
        (workspace,),
    ).fetchone()
    if changes.pipeline_stages is not None:
        c.execute(
            "UPDATE workspaces SET pipeline_stages = ? WHERE workspace = ?",
            (stage_model_json(changes.pipeline_stages), workspace),
        )
    return int(row[0])


_RELATIONSHIPS = "INSERT OR REPLACE INTO relationships (workspace, type, a, b, doc)"
_RIGHTS = f"INSERT OR REPLACE INTO decision_rights (workspace, {RIGHT_COLUMNS}, doc)"
_SYSTEM_DEPARTMENTS = (
    "INSERT OR IGNORE INTO system_departments (workspace, system_id, department_id)",
    "(?, ?, ?)",
)
_BLOCKS_PER_STATEMENT = 100
"""Log blocks (~2 MB at 100k people) per statement: a block is ~23 KB, not ~60 bytes."""


def _replace_system_departments(
    workspace: str, systems: Sequence[Entity], values: int
) -> Iterator[Statement]:
    """The departments using each of ``systems``, replaced by the ones it names now
    (statements of at most ``values`` bound values, as every ``RowStatements`` here)."""
    yield (
        "DELETE FROM system_departments WHERE workspace = ? "
        "AND system_id IN (SELECT value FROM json_each(?))",
        [workspace, orjson.dumps([system.id for system in systems]).decode()],
    )
    departments = RowStatements(*_SYSTEM_DEPARTMENTS, values=values)
    yield from departments.of(system_department_rows(workspace, systems))


def _upsert_statements(workspace: str, changes: ChangeSet, values: int) -> Iterator[Statement]:
    """The upserts of a change set whose log is written apart (``append_changes``)."""
    for kind, table in ENTITY_TABLES.items():
        records = changes.upserts.get(kind)
        if records:
            rows = (entity_row(workspace, table, r) for r in records)
            yield from RowStatements(table.upsert, table.marks, values=values).of(rows)
            if kind is _SYSTEM:
                yield from _replace_system_departments(workspace, records, values)
    yield from RowStatements(_RELATIONSHIPS, RELATIONSHIP_MARKS, values=values).of(
        relationship_row(workspace, r) for r in changes.relationships
    )
    yield from RowStatements(_RIGHTS, RIGHT_MARKS, values=values).of(
        decision_right_row(workspace, r) for r in changes.decision_rights
    )


AHEAD_FROM = 20_000
"""Changes from which ``write_logged`` makes its statements in a helper thread
(``bulk.made_ahead``) when the process may run on two cores or more; a smaller write makes
them in the writer thread, where a thread would cost more than it saves."""


def write_logged(c: sqlite3.Connection, workspace: str, version: int, log: LogItems) -> None:
    """The change set's upserts and its log in one pass over the log (``log.describes``
    the change set): each record's row JSON is its entry's ``after`` encoded by orjson, so
    a record is serialized once for both, where the row's ``model_dump_json`` and the log's
    ``to_document`` each serialized it (an import writes every record twice).

    Rows go to SQLite thousands to a statement (``bulk.RowStatements``), per table in log
    order (which is the change set's order), and the log in blocks of ``BLOCK_SIZE``, as
    ``append_changes``. From ``AHEAD_FROM`` changes a helper thread makes the statements
    while this one runs them (``bulk.made_ahead``).
    """
    statements: Generator[Statement, None, None]
    most = statement_values(c)
    if isinstance(log, Sized) and len(log) >= AHEAD_FROM and cores() > 1:
        statements = made_ahead(lambda: _logged_statements(workspace, version, log, most))
    else:
        statements = _logged_statements(workspace, version, log, most)
    # Closed at once when a statement fails: the helper thread stops before the rollback.
    with contextlib.closing(statements):
        for sql, values in statements:
            c.execute(sql, values)


def _logged_statements(
    workspace: str, version: int, log: LogItems, values: int
) -> Generator[Statement, None, None]:
    entities = {
        kind: RowStatements(t.upsert, t.marks, values=values) for kind, t in ENTITY_TABLES.items()
    }
    relationships = RowStatements(_RELATIONSHIPS, RELATIONSHIP_MARKS, values=values)
    rights = RowStatements(_RIGHTS, RIGHT_MARKS, values=values)
    blocks = RowStatements(BLOCK_INSERT, BLOCK_MARKS, _BLOCKS_PER_STATEMENT, values=values)
    systems: list[Entity] = []
    items: list[list[Any]] = []
    stamps: dict[datetime, str] = {}
    first = 0
    for (kind, key, operation, fields, before, after, actor, moment), record in log.written():
        at = stamps.get(moment)
        if at is None:
            at = stamps[moment] = timestamp(moment)
        items.append([at, actor, kind, key, operation, fields, before, after])
        if len(items) == BLOCK_SIZE:
            if statement := blocks.add(block_row(workspace, version, first, items)):
                yield statement
            first += len(items)
            items = []
        if record is None:
            continue
        entity_kind = CHANGE_ENTITY_KIND.get(kind)
        if entity_kind is not None:
            row = entity_row(workspace, ENTITY_TABLES[entity_kind], record, after)
            if statement := entities[entity_kind].add(row):
                yield statement
            if entity_kind is _SYSTEM:
                systems.append(record)
        elif kind is _RELATIONSHIP:
            if statement := relationships.add(relationship_row(workspace, record, after)):
                yield statement
        elif statement := rights.add(decision_right_row(workspace, record, after)):
            yield statement
    if items and (statement := blocks.add(block_row(workspace, version, first, items))):
        yield statement  # the last block filled a statement: not held for ``take`` below
    for held in (*entities.values(), relationships, rights, blocks):
        if statement := held.take():
            yield statement
    if systems:
        yield from _replace_system_departments(workspace, systems, values)


_SYSTEM = EntityKind.SYSTEM
_RELATIONSHIP = ChangeKind.RELATIONSHIP


def relationship_key_row(key: RelationshipKey) -> tuple[str, str, str]:
    """(type, a, b) of a key as stored: a KNOWS pair sorted. An import's lookup turns every
    relationship of the document into one, so the enum call and the tuple are spared when
    the key is already a ``RelationshipKey``."""
    type_, from_id, to_id = key
    if type(type_) is not RelationshipType:
        type_ = RelationshipType(type_)
    if type_ is _KNOWS and to_id < from_id:
        from_id, to_id = to_id, from_id
    return (type_.value, from_id, to_id)


_KNOWS = RelationshipType.KNOWS


def _right_key(key: DecisionRightKey) -> tuple[str, str, str, str]:
    person_id, scope_id, area, role = key
    return (person_id, scope_id, area.casefold(), BuyingRole(role).value)

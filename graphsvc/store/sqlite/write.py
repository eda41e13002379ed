"""Writes of the SQLite store, run in its writer thread: one transaction per call.

``apply`` checks the expected version when it is given, deletes, then upserts in bulk
(``executemany`` over lazily encoded rows, so an import of a million records holds no
second copy of them), then bumps the workspace's version, stores a new stage model and
appends the write's changes to the log under that version, all between ``BEGIN IMMEDIATE``
and ``COMMIT``: any failure, even half-way through a bulk insert, rolls everything back.
"""

# Table and column names in f-strings come only from ENTITY_TABLES and constants of this
# package; every value is a bound parameter, so S608 (SQL injection) does not apply.
# ruff: noqa: S608

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from typing import TypeVar

from graphsvc.domain.changes import ChangeSet
from graphsvc.domain.enums import BuyingRole, EntityKind, RelationshipType
from graphsvc.domain.models import DecisionRightKey, Entity, RelationshipKey
from graphsvc.store.base import require_version
from graphsvc.store.sqlite.history import stage_model_json
from graphsvc.store.sqlite.log import append_changes
from graphsvc.store.sqlite.schema import (
    ENTITY_TABLES,
    RIGHT_COLUMNS,
    EntityTable,
    decision_right_row,
    entity_rows,
    relationship_row,
    system_department_rows,
)

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
        for kind, table in ENTITY_TABLES.items():
            records = changes.upserts.get(kind)
            if records:
                _upsert_entities(c, workspace, table, records)
        c.executemany(
            "INSERT OR REPLACE INTO relationships (workspace, type, a, b, doc) "
            "VALUES (?, ?, ?, ?, ?)",
            (relationship_row(workspace, r) for r in changes.relationships),
        )
        c.executemany(
            f"INSERT OR REPLACE INTO decision_rights (workspace, {RIGHT_COLUMNS}, doc) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (decision_right_row(workspace, r) for r in changes.decision_rights),
        )
        row = c.execute(
            "INSERT INTO workspaces (workspace, version) VALUES (?, 1) ON CONFLICT (workspace) "
            "DO UPDATE SET version = version + 1 RETURNING version",
            (workspace,),
        ).fetchone()
        version = int(row[0])
        if changes.pipeline_stages is not None:
            c.execute(
                "UPDATE workspaces SET pipeline_stages = ? WHERE workspace = ?",
                (stage_model_json(changes.pipeline_stages), workspace),
            )
        append_changes(c, workspace, version, changes.log)
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


def _upsert_entities(
    c: sqlite3.Connection, workspace: str, table: EntityTable, records: Sequence[Entity]
) -> None:
    columns = ", ".join(table.columns)
    marks = ", ".join("?" * (len(table.columns) + 4))
    c.executemany(
        f"INSERT OR REPLACE INTO {table.table} (workspace, id, search, {columns}, doc) "
        f"VALUES ({marks})",
        entity_rows(workspace, table, records),
    )
    if table.kind is EntityKind.SYSTEM:
        c.executemany(
            "DELETE FROM system_departments WHERE workspace = ? AND system_id = ?",
            ((workspace, r.id) for r in records),
        )
        c.executemany(
            "INSERT OR IGNORE INTO system_departments (workspace, system_id, department_id) "
            "VALUES (?, ?, ?)",
            system_department_rows(workspace, records),
        )


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

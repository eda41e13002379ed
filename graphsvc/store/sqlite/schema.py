"""The SQLite schema: one table per kind, each record as JSON plus its indexed columns.

A record's JSON (``doc``) is the truth and is what reads return; the other columns are
copies of the fields that ``find``/``page`` filter on and that navigation follows, kept
only to be indexed. Every table is keyed by (workspace, id) or (workspace, key columns),
so that workspaces never meet and each one reads in id/key order straight off the key.

``PRAGMA user_version`` holds ``SCHEMA_VERSION``: a later version adds a step to
``_MIGRATIONS`` and older files are upgraded on ``open``/``migrate``. How a record becomes
a row of these tables is ``rows``.
"""

from __future__ import annotations

import sqlite3
import types
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Union, get_args, get_origin

from graphsvc.domain.enums import EntityKind
from graphsvc.domain.models import (
    Department,
    Entity,
    InstalledSystem,
    Opportunity,
    Organization,
    Person,
)
from graphsvc.errors import StoreUnavailable
from graphsvc.store.sqlite.log import LOG_DDL, blocks_from_changes

__all__ = [
    "ENTITY_TABLES",
    "RIGHT_COLUMNS",
    "SCHEMA_VERSION",
    "EntityTable",
    "ensure_schema",
]

SCHEMA_VERSION = 4

RIGHT_COLUMNS = "person_id, scope_id, area_key, role"
"""The key columns of decision_rights, in key order."""


@dataclass(frozen=True)
class EntityTable:
    """Where one kind lives: its table, model, indexed columns and searched fields."""

    kind: EntityKind
    table: str
    model: type[Entity]
    columns: tuple[str, ...]
    """Indexed copies of fields (named as the model's attribute; camelCase is the alias)."""
    search_fields: tuple[str, ...] = ("name",)

    @property
    def upsert(self) -> str:
        """``INSERT OR REPLACE`` of a row of ``entity_row`` (without its ``VALUES``)."""
        return (
            f"INSERT OR REPLACE INTO {self.table} "
            f"(workspace, id, search, {', '.join(self.columns)}, doc)"
        )

    @property
    def marks(self) -> str:
        """One ``entity_row``'s values (its doc may be UTF-8 bytes, stored as text)."""
        return "(" + "?, " * (len(self.columns) + 3) + "CAST(? AS TEXT))"

    @cached_property
    def column_keys(self) -> tuple[str, ...]:
        """The columns' camelCase names: where a record's document holds their values."""
        return tuple(self.model.model_fields[c].alias or c for c in self.columns)

    def field_column(self, field: str) -> str | None:
        """The column holding the camelCase ``field``, if it has one."""
        for column in self.columns:
            if self.model.model_fields[column].alias == field:
                return column
        return None

    def ddl(self) -> list[tuple[str, str]]:
        """(description, statement) for the table and each of its indexes."""
        columns = ", ".join(
            f"{c} {'INTEGER' if c == 'ours' else 'TEXT'}"
            + ("" if _nullable(self.model, c) else " NOT NULL")
            for c in self.columns
        )
        statements = [
            (
                f"table {self.table} keyed by (workspace, id)",
                f"CREATE TABLE IF NOT EXISTS {self.table} (workspace TEXT NOT NULL, "
                f"id TEXT NOT NULL, search TEXT NOT NULL, {columns}, doc TEXT NOT NULL, "
                "PRIMARY KEY (workspace, id)) WITHOUT ROWID",
            )
        ]
        for column in self.columns:
            name = f"ix_{self.table}_{column}"
            statements.append(
                (
                    f"index {name} on {self.table}(workspace, {column}, id)",
                    f"CREATE INDEX IF NOT EXISTS {name} ON {self.table}(workspace, {column}, id)",
                )
            )
        return statements


ENTITY_TABLES: dict[EntityKind, EntityTable] = {
    t.kind: t
    for t in (
        EntityTable(
            EntityKind.ORGANIZATION,
            "organizations",
            Organization,
            ("kind", "parent_id", "industry"),
        ),
        EntityTable(
            EntityKind.DEPARTMENT,
            "departments",
            Department,
            ("organization_id", "parent_id", "function"),
        ),
        EntityTable(
            EntityKind.PERSON,
            "people",
            Person,
            ("organization_id", "department_id", "seniority", "stance"),
            ("name", "title"),
        ),
        EntityTable(
            EntityKind.SYSTEM,
            "systems",
            InstalledSystem,
            ("organization_id", "category", "vendor", "ours", "status"),
        ),
        EntityTable(
            EntityKind.OPPORTUNITY,
            "opportunities",
            Opportunity,
            ("organization_id", "department_id", "category", "stage", "status"),
        ),
    )
}

_OTHER_DDL: list[tuple[str, str]] = [
    (
        "table workspaces keyed by workspace (version counters, log start, stage model)",
        "CREATE TABLE IF NOT EXISTS workspaces (workspace TEXT PRIMARY KEY, "
        "version INTEGER NOT NULL, log_from INTEGER NOT NULL DEFAULT 0, "
        "pipeline_stages TEXT) WITHOUT ROWID",
    ),
    (
        "table reviews keyed by (workspace, id)",
        "CREATE TABLE IF NOT EXISTS reviews (workspace TEXT NOT NULL, id TEXT NOT NULL, "
        "organization_id TEXT NOT NULL, version INTEGER NOT NULL, at TEXT NOT NULL, "
        "doc TEXT NOT NULL, PRIMARY KEY (workspace, id)) WITHOUT ROWID",
    ),
    (
        "index ix_reviews_organization on reviews(workspace, organization_id, version)",
        "CREATE INDEX IF NOT EXISTS ix_reviews_organization "
        "ON reviews(workspace, organization_id, version)",
    ),
    (
        "table system_departments keyed by (workspace, system_id, department_id)",
        "CREATE TABLE IF NOT EXISTS system_departments (workspace TEXT NOT NULL, "
        "system_id TEXT NOT NULL, department_id TEXT NOT NULL, "
        "PRIMARY KEY (workspace, system_id, department_id)) WITHOUT ROWID",
    ),
    (
        "index ix_system_departments_department on system_departments(workspace, department_id)",
        "CREATE INDEX IF NOT EXISTS ix_system_departments_department "
        "ON system_departments(workspace, department_id, system_id)",
    ),
    (
        "table relationships keyed by (workspace, type, a, b)",
        "CREATE TABLE IF NOT EXISTS relationships (workspace TEXT NOT NULL, type TEXT NOT NULL, "
        "a TEXT NOT NULL, b TEXT NOT NULL, doc TEXT NOT NULL, "
        "PRIMARY KEY (workspace, type, a, b)) WITHOUT ROWID",
    ),
    (
        "index ix_relationships_a on relationships(workspace, a)",
        "CREATE INDEX IF NOT EXISTS ix_relationships_a ON relationships(workspace, a)",
    ),
    (
        "index ix_relationships_b on relationships(workspace, b)",
        "CREATE INDEX IF NOT EXISTS ix_relationships_b ON relationships(workspace, b)",
    ),
    (
        "table decision_rights keyed by (workspace, person_id, scope_id, area_key, role)",
        "CREATE TABLE IF NOT EXISTS decision_rights (workspace TEXT NOT NULL, "
        "person_id TEXT NOT NULL, scope_id TEXT NOT NULL, area_key TEXT NOT NULL, "
        "role TEXT NOT NULL, doc TEXT NOT NULL, "
        "PRIMARY KEY (workspace, person_id, scope_id, area_key, role)) WITHOUT ROWID",
    ),
    (
        "index ix_decision_rights_scope on decision_rights(workspace, scope_id)",
        "CREATE INDEX IF NOT EXISTS ix_decision_rights_scope "
        "ON decision_rights(workspace, scope_id)",
    ),
    (
        "table tokens keyed by id, unique secret_hash",
        "CREATE TABLE IF NOT EXISTS tokens (id TEXT PRIMARY KEY, workspace TEXT NOT NULL, "
        "secret_hash TEXT NOT NULL UNIQUE, created_ts REAL NOT NULL, doc TEXT NOT NULL)",
    ),
    (
        "index ix_tokens_workspace on tokens(workspace, created_ts)",
        "CREATE INDEX IF NOT EXISTS ix_tokens_workspace ON tokens(workspace, created_ts, id)",
    ),
]

_OTHER_DDL.append(
    (
        # Added without a schema version: a table nobody else reads needs no upgrade step,
        # and older graphsvc versions still open the file (their writes only make a kept
        # snapshot older than the store, which a reader catches up from the change log).
        "table projection_snapshots keyed by workspace",
        "CREATE TABLE IF NOT EXISTS projection_snapshots (workspace TEXT PRIMARY KEY, "
        "version INTEGER NOT NULL, format TEXT NOT NULL, data BLOB NOT NULL) WITHOUT ROWID",
    )
)

_MIGRATIONS: dict[int, list[str | Callable[[sqlite3.Connection], None]]] = {
    2: [
        # The change log starts now: what came before it is not in the log.
        "ALTER TABLE workspaces ADD COLUMN log_from INTEGER NOT NULL DEFAULT 0",
        "UPDATE workspaces SET log_from = version",
        "ALTER TABLE workspaces ADD COLUMN pipeline_stages TEXT",
    ],
    # The log in blocks: the per-change rows are moved into them, then dropped.
    3: [blocks_from_changes],
    # Log blocks compressed (``store/sqlite/log``). Nothing moves: a block of schema 3 is read
    # as the text it is. The version still rises, so that an older graphsvc, which would
    # take a compressed block for text, refuses the file instead of failing on its log.
    4: [],
}
"""Statements (or steps) that upgrade a file from version N-1 to N (N > 1); the tables a
version adds are created by their ``CREATE TABLE IF NOT EXISTS`` above."""


def ensure_schema(connection: sqlite3.Connection) -> list[str]:
    """Create or upgrade the schema in one transaction; one line per table or index ensured."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        found = connection.execute("PRAGMA user_version").fetchone()[0]
        if found > SCHEMA_VERSION:
            raise StoreUnavailable(
                f"the SQLite store was written by a newer graphsvc (schema {found}, this one "
                f"knows {SCHEMA_VERSION}): upgrade graphsvc"
            )
        lines: list[str] = []
        ddl = [s for t in ENTITY_TABLES.values() for s in t.ddl()] + LOG_DDL + _OTHER_DDL
        for description, statement in ddl:
            connection.execute(statement)
            lines.append(description)
        if found:  # an existing file: bring it up to date step by step
            for version in range(found + 1, SCHEMA_VERSION + 1):
                for step in _MIGRATIONS.get(version, []):
                    if isinstance(step, str):
                        connection.execute(step)
                    else:
                        step(connection)
        connection.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    lines.append(f"schema version {SCHEMA_VERSION}")
    return lines


def _nullable(model: type[Entity], column: str) -> bool:
    annotation = model.model_fields[column].annotation
    origin = get_origin(annotation)
    return (origin is Union or origin is types.UnionType) and type(None) in get_args(annotation)

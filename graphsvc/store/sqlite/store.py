"""``SqliteStore``: the ``GraphStore`` over one SQLite file (the package docstring tells how)."""

# Table and column names in f-strings come only from ENTITY_TABLES and constants of this
# package; every value is a bound parameter, so S608 (SQL injection) does not apply.
# ruff: noqa: S608

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from operator import attrgetter
from typing import Any

from graphsvc.domain.changes import ChangeSet
from graphsvc.domain.enums import EntityKind, RelationshipType
from graphsvc.domain.history import Change, ChangeQuery, Review
from graphsvc.domain.listing import FilterValue, ListQuery
from graphsvc.domain.models import DecisionRight, Entity, Relationship
from graphsvc.domain.pipeline import PipelineStage
from graphsvc.domain.rows import ProjectionSnapshot
from graphsvc.errors import StoreUnavailable
from graphsvc.store.sqlite.engine import BUSY_TIMEOUT_SECONDS, SqliteEngine
from graphsvc.store.sqlite.history import (
    insert_review,
    log_start,
    read_pipeline_stages,
    review_by_id,
    reviews_of,
)
from graphsvc.store.sqlite.log import changes_matching, compact_log
from graphsvc.store.sqlite.lookups import LookupReads
from graphsvc.store.sqlite.query import json_list, matching
from graphsvc.store.sqlite.rows import DOCS_ARRAY, records_in, records_of
from graphsvc.store.sqlite.schema import (
    ENTITY_TABLES,
    RIGHT_COLUMNS,
    SCHEMA_VERSION,
    EntityTable,
    ensure_schema,
)
from graphsvc.store.sqlite.snapshots import read_snapshot, save_snapshot
from graphsvc.store.sqlite.streams import StreamReads
from graphsvc.store.sqlite.tokens import TokenRecords
from graphsvc.store.sqlite.turn import FileTurn
from graphsvc.store.sqlite.write import (
    apply_changes,
    check_version,
    transaction,
)

__all__ = ["SqliteStore"]


class SqliteStore(LookupReads, StreamReads, TokenRecords):
    """``GraphStore`` over one SQLite file; several processes may share the file.

    Its methods are here by concern: records, relationships and history here, the
    whole-workspace walks in ``StreamReads`` (``streams``), API tokens in ``TokenRecords``
    (``tokens``), the row readers they share in ``EngineReads`` (``reads``).
    """

    def __init__(self, path: str, busy_timeout: float = BUSY_TIMEOUT_SECONDS) -> None:
        """``busy_timeout``: seconds a write waits for another process's lock (SQLite's or
        the write turn's) before it is refused with ``STORE_UNAVAILABLE``."""
        self.path = path
        self.url = f"sqlite:///{path}"
        self._engine = SqliteEngine(path, busy_timeout)
        self._turn = FileTurn(f"{path}-writer", path, self._engine.waits)

    # --- lifecycle ----------------------------------------------------------------------

    async def open(self) -> None:
        """Start the worker threads and create or upgrade the schema.

        A file whose schema is current opens even when it cannot be written now (read-only,
        full, locked by another process): reads answer, and each write is refused with the
        reason until the fault is gone (README, "SQLite faults"), as on a store that was
        already open when the fault began. A file needing its schema written cannot open.
        """
        self._engine.start()
        try:
            try:
                await self._engine.write(ensure_schema)
            except StoreUnavailable:
                if not await self._schema_current():
                    raise
        except BaseException:
            await self.close()
            raise

    async def _schema_current(self) -> bool:
        """True when the file holds this graphsvc's schema version (read without writing)."""
        try:
            row = await self._engine.read(lambda c: c.execute("PRAGMA user_version").fetchone())
        except StoreUnavailable:
            return False
        return int(row[0]) == SCHEMA_VERSION

    async def close(self) -> None:
        """Wait for running statements, then close every connection."""
        await asyncio.to_thread(self._engine.stop)
        self._turn.close()

    async def ping(self) -> None:
        """Raise ``StoreUnavailable`` unless the file answers a query now."""
        await self._engine.read(lambda c: c.execute("SELECT 1 FROM workspaces LIMIT 1").fetchall())

    async def migrate(self) -> list[str]:
        """Ensure the schema (also when the store is not open); one line per table/index."""
        was_open = self._engine.is_open
        self._engine.start()
        try:
            return await self._engine.write(ensure_schema)
        finally:
            if not was_open:
                await self.close()

    # --- writes -------------------------------------------------------------------------

    async def apply(
        self, workspace: str, changes: ChangeSet, expected_version: int | None = None
    ) -> int:
        """Apply ``changes`` in one transaction (deletes, then upserts); the new version.

        ``expected_version``: see ``GraphStore.apply``; checked under the file's write lock.
        """
        if changes.is_empty():
            if expected_version is None:
                return await self.version(workspace)
            return await self._engine.read(lambda c: check_version(c, workspace, expected_version))
        async with self.write_turn():
            return await self._engine.write(
                lambda c: apply_changes(c, workspace, changes, expected_version)
            )

    def write_turn(self) -> AbstractAsyncContextManager[None]:
        """Hold the file's write turn (``turn``): no other process or task applies meanwhile."""
        return self._turn.held()

    async def drop_workspace(self, workspace: str) -> None:
        """Delete the workspace's records, tokens, log, reviews and stage model; its version
        still grows (caches see it), and its log starts again from there."""

        tables = [t.table for t in ENTITY_TABLES.values()]
        tables += ["system_departments", "relationships", "decision_rights", "tokens"]
        tables += ["change_blocks", "reviews", "projection_snapshots"]

        def drop(c: sqlite3.Connection) -> None:
            def work() -> None:
                for table in tables:
                    c.execute(f"DELETE FROM {table} WHERE workspace = ?", (workspace,))
                c.execute(
                    "UPDATE workspaces SET version = version + 1, log_from = version + 1, "
                    "pipeline_stages = NULL WHERE workspace = ?",
                    (workspace,),
                )

            transaction(c, work)

        await self._engine.write(drop)

    async def compact(self, workspace: str, through_version: int) -> int:
        """Drop the changes up to ``through_version`` in one transaction; how many."""
        return await self._engine.write(
            lambda c: transaction(c, lambda: compact_log(c, workspace, through_version))
        )

    async def save_review(self, workspace: str, review: Review) -> None:
        """Insert ``review`` durably; ``Conflict`` if its id is taken."""
        await self._engine.write(
            lambda c: transaction(c, lambda: insert_review(c, workspace, review))
        )

    async def save_projection_snapshot(self, workspace: str, snapshot: ProjectionSnapshot) -> None:
        """Keep ``snapshot`` as the workspace's saved projection (replacing the one before)."""
        await self._engine.write(lambda c: save_snapshot(c, workspace, snapshot))

    async def projection_snapshot(self, workspace: str) -> ProjectionSnapshot | None:
        """The workspace's saved projection, or None."""
        return await self._engine.read(lambda c: read_snapshot(c, workspace))

    # --- the log, reviews and stage model -------------------------------------------------

    async def changes(self, workspace: str, query: ChangeQuery) -> list[Change]:
        """Logged changes matching ``query``, in log order."""
        return await self._engine.read(lambda c: changes_matching(c, workspace, query))

    async def log_from(self, workspace: str) -> int:
        """The version after which the log is complete (0: from the first write)."""
        return await self._engine.read(lambda c: log_start(c, workspace))

    async def reviews(self, workspace: str, organization_id: str | None = None) -> list[Review]:
        """Reviews of the workspace (of one organization), oldest first."""
        return await self._engine.read(lambda c: reviews_of(c, workspace, organization_id))

    async def review(self, workspace: str, review_id: str) -> Review | None:
        """One review by id."""
        return await self._engine.read(lambda c: review_by_id(c, workspace, review_id))

    async def pipeline_stages(self, workspace: str) -> list[PipelineStage] | None:
        """The workspace's own stage model, or None (the default applies)."""
        return await self._engine.read(lambda c: read_pipeline_stages(c, workspace))

    # --- reads --------------------------------------------------------------------------

    async def version(self, workspace: str) -> int:
        """The workspace's change counter (0 for a workspace never written)."""
        row = await self._one("SELECT version FROM workspaces WHERE workspace = ?", (workspace,))
        return int(row[0]) if row else 0

    async def workspaces(self) -> list[str]:
        """The workspaces holding any graph record, sorted."""
        tables = [t.table for t in ENTITY_TABLES.values()] + ["relationships", "decision_rights"]
        holds = " OR ".join(
            f"EXISTS (SELECT 1 FROM {t} WHERE {t}.workspace = w.workspace)" for t in tables
        )
        rows = await self._all(
            f"SELECT workspace FROM workspaces w WHERE {holds} ORDER BY workspace", ()
        )
        return [row[0] for row in rows]

    async def find(
        self, workspace: str, kind: EntityKind, where: Mapping[str, Sequence[FilterValue]]
    ) -> list[Entity]:
        """Every record of ``kind`` matching ``where``, in id order."""
        table = ENTITY_TABLES[kind]
        condition, params = matching(table, workspace, where)
        rows = await self._all(
            f"SELECT t.doc FROM {table.table} t WHERE {condition} ORDER BY t.id", params
        )
        return _decode(table, rows)

    async def page(self, workspace: str, kind: EntityKind, query: ListQuery) -> list[Entity]:
        """At most ``query.limit`` matching records with ids after ``query.after``."""
        table = ENTITY_TABLES[kind]
        condition, params = matching(table, workspace, query.where, query.search)
        if query.after is not None:
            condition += " AND t.id > ?"
            params.append(query.after)
        rows = await self._all(
            f"SELECT t.doc FROM {table.table} t WHERE {condition} ORDER BY t.id LIMIT ?",
            [*params, query.limit],
        )
        return _decode(table, rows)

    async def count(self, workspace: str, kind: EntityKind, query: ListQuery) -> int:
        """How many records match ``query`` (``after`` and ``limit`` ignored)."""
        table = ENTITY_TABLES[kind]
        condition, params = matching(table, workspace, query.where, query.search)
        row = await self._one(f"SELECT count(*) FROM {table.table} t WHERE {condition}", params)
        return int(row[0]) if row else 0

    async def relationships(
        self,
        workspace: str,
        person_ids: Sequence[str] | None = None,
        types: Sequence[RelationshipType] | None = None,
    ) -> list[Relationship]:
        """Relationships touching any of ``person_ids``, of ``types``, in key order."""
        sql = "SELECT type, a, b, doc FROM relationships{} WHERE workspace = ?"
        params: list[Any] = [workspace]
        if types is not None:
            sql += _OF_TYPES
            params.append(_type_list(types))
        if person_ids is None:  # a whole workspace: row by row (one text could pass 1 GB)
            rows = await self._all(sql.format("") + " ORDER BY 1, 2, 3", params)
            return records_of(Relationship, [row[3] for row in rows])
        # One index search per end, united: with "a IN … OR b IN …" (or without INDEXED
        # BY) SQLite scanned the whole workspace in key order to spare a sort, and every
        # link at a million people took 1.5 s.
        people = json_list(set(person_ids))
        end = " AND {} IN (SELECT value FROM json_each(?))"
        sql = (
            sql.format(" INDEXED BY ix_relationships_a")
            + end.format("a")
            + " UNION "
            + sql.format(" INDEXED BY ix_relationships_b")
            + end.format("b")
        )
        params = [*params, people, *params, people]
        # One array of documents (``DOCS_ARRAY``), put in key order here: the order of
        # group_concat's rows is SQLite's choice.
        array = f"SELECT {DOCS_ARRAY.format('doc')} FROM ({sql})"
        rows = await self._all_of(len(person_ids), array, params)
        found = records_in(Relationship, rows[0][0])
        found.sort(key=_BY_KEY)
        return found

    async def relationship_page(
        self,
        workspace: str,
        *,
        after: tuple[str, str, str] | None,
        first: int,
        types: Sequence[RelationshipType] | None = None,
    ) -> list[Relationship]:
        """A page in key order: a range of the primary key (workspace, type, a, b), whose
        (a, b) is the key's (KNOWS rows hold the sorted pair), read after ``after``. SQLite
        compares text by its UTF-8 bytes, which is code point order, as Python does."""
        sql = "SELECT doc FROM relationships WHERE workspace = ?"
        params: list[Any] = [workspace]
        if types is not None:
            sql += _OF_TYPES
            params.append(_type_list(types))
        if after is not None:
            sql += " AND (type, a, b) > (?, ?, ?)"
            params.extend(after)
        rows = await self._all(sql + " ORDER BY type, a, b LIMIT ?", [*params, max(first, 0)])
        return records_of(Relationship, [row[0] for row in rows])

    async def count_relationships(
        self, workspace: str, types: Sequence[RelationshipType] | None = None
    ) -> int:
        """Counted in SQL over the primary key's range of the workspace."""
        sql = "SELECT count(*) FROM relationships WHERE workspace = ?"
        params: list[Any] = [workspace]
        if types is not None:
            sql += _OF_TYPES
            params.append(_type_list(types))
        row = await self._one(sql, params)
        return int(row[0])

    async def decision_rights(
        self,
        workspace: str,
        person_ids: Sequence[str] | None = None,
        scope_ids: Sequence[str] | None = None,
    ) -> list[DecisionRight]:
        """Decision rights held by ``person_ids`` and scoped to ``scope_ids``, in key order."""
        sql = "SELECT doc FROM decision_rights WHERE workspace = ?"
        params: list[Any] = [workspace]
        if person_ids is not None:
            sql += " AND person_id IN (SELECT value FROM json_each(?))"
            params.append(json_list(set(person_ids)))
        if scope_ids is not None:
            sql += " AND scope_id IN (SELECT value FROM json_each(?))"
            params.append(json_list(set(scope_ids)))
        many = len(person_ids or ()) + len(scope_ids or ())
        rows = await self._all_of(many, f"{sql} ORDER BY {RIGHT_COLUMNS}", params)
        return records_of(DecisionRight, [row[0] for row in rows])


_BY_KEY = attrgetter("key")

_OF_TYPES = " AND type IN (SELECT value FROM json_each(?))"
"""The relationship reads' filter on types; its parameter is ``_type_list(types)``."""


def _type_list(types: Sequence[RelationshipType]) -> str:
    return json_list(RelationshipType(t).value for t in types)


def _decode(table: EntityTable, rows: list[Any]) -> list[Entity]:
    return records_of(table.model, [row[0] for row in rows])

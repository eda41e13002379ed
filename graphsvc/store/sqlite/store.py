"""``SqliteStore``: the ``GraphStore`` over one SQLite file (the package docstring tells how)."""

# Table and column names in f-strings come only from ENTITY_TABLES and constants of this
# package; every value is a bound parameter, so S608 (SQL injection) does not apply.
# ruff: noqa: S608

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from datetime import date, datetime
from typing import Any

from graphsvc.domain.auth import ApiToken
from graphsvc.domain.changes import ChangeSet
from graphsvc.domain.enums import EntityKind, RelationshipType, Seniority, Stance
from graphsvc.domain.history import Change, ChangeQuery, Review
from graphsvc.domain.listing import FilterValue, ListQuery
from graphsvc.domain.models import DecisionRight, Entity, Relationship, RelationshipKey
from graphsvc.domain.pipeline import PipelineStage
from graphsvc.domain.rows import PersonRow, ProjectionSnapshot, RelationshipRow
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
from graphsvc.store.sqlite.query import json_list, matching
from graphsvc.store.sqlite.schema import (
    ENTITY_TABLES,
    RIGHT_COLUMNS,
    SCHEMA_VERSION,
    EntityTable,
    ensure_schema,
    token_row,
)
from graphsvc.store.sqlite.snapshots import read_snapshot, save_snapshot
from graphsvc.store.sqlite.turn import FileTurn
from graphsvc.store.sqlite.write import (
    apply_changes,
    check_version,
    relationship_key_row,
    transaction,
)

__all__ = ["STREAM_BATCH", "SqliteStore"]

STREAM_BATCH = 5000
"""Records per batch of the ``stream*`` methods: large enough to amortise a query."""

POINT_READ_IDS = 16
"""Up to this many ids, ``get`` tries the calling thread first, as every other read of a
request does (``SqliteEngine.read_point``); larger batches (a page's people, a power map's)
are long by nature and go straight to a reader thread."""


class SqliteStore:
    """``GraphStore`` over one SQLite file; several processes may share the file."""

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

    async def get(self, workspace: str, kind: EntityKind, ids: Sequence[str]) -> dict[str, Entity]:
        """The records of ``kind`` with these ids (missing ids are absent), in id order."""
        if not ids:
            return {}
        table = ENTITY_TABLES[kind]
        sql = (
            f"SELECT doc FROM {table.table} WHERE workspace = ? "
            "AND id IN (SELECT value FROM json_each(?)) ORDER BY id"
        )
        params = (workspace, json_list(set(ids)))
        if len(ids) <= POINT_READ_IDS:
            rows = await self._all(sql, params)
        else:  # known to be long (a page's or a power map's people): no try on the loop
            rows = await self._all_in_reader(sql, params)
        records = _decode(table, rows)
        return {record.id: record for record in records}

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
        if person_ids is None:
            sql = sql.format("")
        else:
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
        rows = await self._all(sql + " ORDER BY 1, 2, 3", params)
        return [Relationship.model_validate_json(row[3]) for row in rows]

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
        return [Relationship.model_validate_json(row[0]) for row in rows]

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

    async def get_relationships(
        self, workspace: str, keys: Sequence[RelationshipKey]
    ) -> dict[RelationshipKey, Relationship]:
        """The relationships with these keys (a KNOWS pair is found in either order)."""
        if not keys:
            return {}
        wanted = json_list(list(relationship_key_row(key)) for key in keys)
        rows = await self._all(
            # CROSS JOIN keeps the wanted keys as the outer loop, so that each is one primary
            # key search; a plain JOIN let SQLite scan them once per stored relationship.
            "SELECT r.doc FROM json_each(?) k CROSS JOIN relationships r "
            "ON r.workspace = ? AND r.type = json_extract(k.value, '$[0]') "
            "AND r.a = json_extract(k.value, '$[1]') AND r.b = json_extract(k.value, '$[2]') "
            "ORDER BY r.type, r.a, r.b",
            (wanted, workspace),
        )
        found = (Relationship.model_validate_json(row[0]) for row in rows)
        return {relationship.key: relationship for relationship in found}

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
        rows = await self._all(f"{sql} ORDER BY {RIGHT_COLUMNS}", params)
        return [DecisionRight.model_validate_json(row[0]) for row in rows]

    async def stream(self, workspace: str, kind: EntityKind) -> AsyncIterator[list[Entity]]:
        """Every record of ``kind`` in id order, ``STREAM_BATCH`` at a time.

        Each batch is its own read (keyset on the last id), so memory stays flat; a write
        committed between batches may show in the later ones. Callers needing one snapshot
        compare ``version`` before and after, as projections do.
        """
        table = ENTITY_TABLES[kind]
        sql = (
            f"SELECT id, doc FROM {table.table} WHERE workspace = ? AND id > ? ORDER BY id LIMIT ?"
        )
        async for rows in self._keyset(sql, workspace, 1):
            yield [table.model.model_validate_json(row[1]) for row in rows]

    async def stream_relationships(self, workspace: str) -> AsyncIterator[list[Relationship]]:
        """Every relationship in key order, ``STREAM_BATCH`` at a time."""
        sql = (
            "SELECT type, a, b, doc FROM relationships WHERE workspace = ? "
            "AND (type, a, b) > (?, ?, ?) ORDER BY type, a, b LIMIT ?"
        )
        async for rows in self._keyset(sql, workspace, 3):
            yield [Relationship.model_validate_json(row[3]) for row in rows]

    async def stream_relationship_rows(
        self, workspace: str
    ) -> AsyncIterator[list[RelationshipRow]]:
        """Every relationship as a ``RelationshipRow``, in key order, ``STREAM_BATCH`` at a time.

        Trusted read: only the fields a projection needs, taken from the JSON this store
        wrote after validating it, without a pydantic record per relationship.
        """
        sql = (
            "SELECT type, a, b, doc ->> 'strength', doc ->> 'dotted', doc ->> 'lastContactOn' "
            "FROM relationships WHERE workspace = ? "
            "AND (type, a, b) > (?, ?, ?) ORDER BY type, a, b LIMIT ?"
        )
        types = {t.value: t for t in RelationshipType}
        async for rows in self._keyset(sql, workspace, 3):
            yield [
                RelationshipRow(
                    types[t], a, b, s, bool(d), None if c is None else date.fromisoformat(c)
                )
                for t, a, b, s, d, c in rows
            ]

    async def stream_person_rows(self, workspace: str) -> AsyncIterator[list[PersonRow]]:
        """Every person as a ``PersonRow``, in id order, ``STREAM_BATCH`` at a time.

        Trusted read, as ``stream_relationship_rows``: the indexed columns and the name and
        title of the JSON this store wrote after validating the record.
        """
        sql = (
            "SELECT id, doc ->> 'name', organization_id, doc ->> 'title', department_id, "
            "seniority, stance FROM people WHERE workspace = ? AND id > ? ORDER BY id LIMIT ?"
        )
        seniorities = {s.value: s for s in Seniority}
        stances = {s.value: s for s in Stance}
        async for rows in self._keyset(sql, workspace, 1):
            yield [
                PersonRow(i, n, o, t, d, None if s is None else seniorities[s], stances[st])
                for i, n, o, t, d, s, st in rows
            ]

    async def stream_decision_rights(self, workspace: str) -> AsyncIterator[list[DecisionRight]]:
        """Every decision right in key order, ``STREAM_BATCH`` at a time."""
        sql = (
            f"SELECT {RIGHT_COLUMNS}, doc FROM decision_rights WHERE workspace = ? "
            f"AND ({RIGHT_COLUMNS}) > (?, ?, ?, ?) ORDER BY {RIGHT_COLUMNS} LIMIT ?"
        )
        async for rows in self._keyset(sql, workspace, 4):
            yield [DecisionRight.model_validate_json(row[4]) for row in rows]

    # --- API tokens ---------------------------------------------------------------------

    async def save_token(self, token: ApiToken) -> None:
        """Store a new token durably; ``Conflict`` if its id or secret hash is taken."""
        await self._engine.write(
            lambda c: c.execute(
                "INSERT INTO tokens (id, workspace, secret_hash, created_ts, doc) "
                "VALUES (?, ?, ?, ?, ?)",
                token_row(token),
            )
        )

    async def tokens(self, workspace: str | None = None) -> list[ApiToken]:
        """Tokens of one workspace (all when ``None``), revoked ones included, by creation."""
        if workspace is None:
            rows = await self._all("SELECT doc FROM tokens ORDER BY created_ts, id", ())
        else:
            rows = await self._all(
                "SELECT doc FROM tokens WHERE workspace = ? ORDER BY created_ts, id", (workspace,)
            )
        return [ApiToken.model_validate_json(row[0]) for row in rows]

    async def token_by_hash(self, secret_hash: str) -> ApiToken | None:
        """The token whose secret hashes to ``secret_hash``, revoked or not."""
        # Every authenticated request asks this: a point read, on the calling thread. Not
        # cached, so that a revocation by any process (the CLI, another worker) holds at once.
        row = await self._engine.read_point(
            lambda c: c.execute(
                "SELECT doc FROM tokens WHERE secret_hash = ?", (secret_hash,)
            ).fetchone()
        )
        return ApiToken.model_validate_json(row[0]) if row else None

    async def revoke_token(self, token_id: str, at: datetime) -> bool:
        """Mark a token revoked at ``at`` (a second revocation keeps the first time)."""

        def revoke(c: sqlite3.Connection) -> bool:
            def work() -> bool:
                row = c.execute("SELECT doc FROM tokens WHERE id = ?", (token_id,)).fetchone()
                if row is None:
                    return False
                token = ApiToken.model_validate_json(row[0])
                if token.revoked_at is None:
                    revoked = token.model_copy(update={"revoked_at": at})
                    c.execute(
                        "UPDATE tokens SET doc = ? WHERE id = ?",
                        (revoked.model_dump_json(), token_id),
                    )
                return True

            return transaction(c, work)

        return await self._engine.write(revoke)

    # --- helpers ------------------------------------------------------------------------

    async def _keyset(self, sql: str, workspace: str, width: int) -> AsyncIterator[list[Any]]:
        """The rows of ``sql`` in batches of ``STREAM_BATCH``, each read after the last key.

        ``sql`` takes the workspace, ``width`` key values and the limit, and selects its
        ``width`` key columns first, in its ORDER BY order. Every key part is a non-empty
        string, so every key sorts after the all-empty one the walk starts from.
        """
        after: tuple[Any, ...] = ("",) * width
        while rows := await self._all_in_reader(sql, (workspace, *after, STREAM_BATCH)):
            after = tuple(rows[-1][:width])
            yield rows

    async def _all(self, sql: str, params: Sequence[Any]) -> list[Any]:
        """The rows of ``sql``: on the calling thread if the read is short, else in a reader
        thread (``SqliteEngine.read_point``)."""
        return await self._engine.read_point(lambda c: c.execute(sql, params).fetchall())

    async def _all_in_reader(self, sql: str, params: Sequence[Any]) -> list[Any]:
        """The rows of ``sql``, read in a reader thread: for reads long by nature (the
        batches of a whole-workspace walk, many records by id)."""
        return await self._engine.read(lambda c: c.execute(sql, params).fetchall())

    async def _one(self, sql: str, params: Sequence[Any]) -> Any:
        """The first row of ``sql``, read as ``_all`` reads."""
        return await self._engine.read_point(lambda c: c.execute(sql, params).fetchone())


_OF_TYPES = " AND type IN (SELECT value FROM json_each(?))"
"""The relationship reads' filter on types; its parameter is ``_type_list(types)``."""


def _type_list(types: Sequence[RelationshipType]) -> str:
    return json_list(RelationshipType(t).value for t in types)


def _decode(table: EntityTable, rows: list[Any]) -> list[Entity]:
    return [table.model.model_validate_json(row[0]) for row in rows]

"""``StreamReads``: the SQLite store's whole-workspace walks, ``STREAM_BATCH`` at a time.

What exports and projection builds read: every record of a kind, every relationship or
decision right, in key order, each batch its own read after the last key (keyset), so that
memory stays flat however large the workspace. The ``*_rows`` walks are trusted reads of
only the fields a projection needs, taken from the JSON this store wrote after validating it.
"""

# Table and column names in f-strings come only from ENTITY_TABLES and constants of this
# package; every value is a bound parameter, so S608 (SQL injection) does not apply.
# ruff: noqa: S608

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from graphsvc.domain.enums import EntityKind, RelationshipType, Seniority, Stance
from graphsvc.domain.models import DecisionRight, Entity, Relationship
from graphsvc.domain.rows import PersonRow, RelationshipRow
from graphsvc.store.sqlite.reads import EngineReads
from graphsvc.store.sqlite.rows import RELATIONSHIP_ROW_FIELDS, records_of, relationship_row_of
from graphsvc.store.sqlite.schema import ENTITY_TABLES, RIGHT_COLUMNS

__all__ = ["STREAM_BATCH", "StreamReads"]

STREAM_BATCH = 5000
"""Records per batch of the ``stream*`` methods: large enough to amortise a query."""


class StreamReads(EngineReads):
    """The ``stream*`` methods of ``GraphStore`` over SQLite."""

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
            yield records_of(table.model, [row[1] for row in rows])

    async def stream_relationships(self, workspace: str) -> AsyncIterator[list[Relationship]]:
        """Every relationship in key order, ``STREAM_BATCH`` at a time."""
        sql = (
            "SELECT type, a, b, doc FROM relationships WHERE workspace = ? "
            "AND (type, a, b) > (?, ?, ?) ORDER BY type, a, b LIMIT ?"
        )
        async for rows in self._keyset(sql, workspace, 3):
            yield records_of(Relationship, [row[3] for row in rows])

    async def stream_relationship_rows(
        self, workspace: str
    ) -> AsyncIterator[list[RelationshipRow]]:
        """Every relationship as a ``RelationshipRow``, in key order, ``STREAM_BATCH`` at a time.

        Trusted read: only the fields a projection needs, taken from the JSON this store
        wrote after validating it, without a pydantic record per relationship.
        """
        sql = (
            f"SELECT type, a, b, {RELATIONSHIP_ROW_FIELDS} FROM relationships WHERE workspace = ? "
            "AND (type, a, b) > (?, ?, ?) ORDER BY type, a, b LIMIT ?"
        )
        types = {t.value: t for t in RelationshipType}
        async for rows in self._keyset(sql, workspace, 3):
            yield [relationship_row_of(types[t], a, b, s, d, c) for t, a, b, s, d, c in rows]

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
            yield records_of(DecisionRight, [row[4] for row in rows])

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

"""``LookupReads``: the SQLite store's reads by id and by key, which a write's lookups make
(``services.writes.stored_state``): records and relationships by id or key, compared with
what a write gives (``compare``), and the reporting lines a write walks up.
"""

# Table names in f-strings come only from ENTITY_TABLES; every value is a bound parameter.
# ruff: noqa: S608

from __future__ import annotations

from collections.abc import Sequence
from operator import attrgetter

from graphsvc.domain.enums import EntityKind, RelationshipType
from graphsvc.domain.models import Entity, Relationship, RelationshipKey
from graphsvc.domain.rows import RelationshipRow
from graphsvc.store.compare import Compared, compared_records, compared_relationships
from graphsvc.store.sqlite.compare import entity_texts, relationship_texts, texts_compared
from graphsvc.store.sqlite.query import json_list
from graphsvc.store.sqlite.reads import EngineReads
from graphsvc.store.sqlite.rows import (
    DOCS_ARRAY,
    RELATIONSHIP_ROW_FIELDS,
    records_in,
    relationship_row_of,
)
from graphsvc.store.sqlite.schema import ENTITY_TABLES
from graphsvc.store.sqlite.write import relationship_key_row

__all__ = ["LookupReads"]


class LookupReads(EngineReads):
    """``get``, ``get_relationships``, ``compare``, ``compare_relationships`` and
    ``reporting_lines`` of ``GraphReader`` over SQLite."""

    async def get(self, workspace: str, kind: EntityKind, ids: Sequence[str]) -> dict[str, Entity]:
        """The records of ``kind`` with these ids (missing ids are absent), in id order."""
        if not ids:
            return {}
        table = ENTITY_TABLES[kind]
        sql = (
            f"SELECT {DOCS_ARRAY.format('doc')} FROM (SELECT doc FROM {table.table} "
            "WHERE workspace = ? AND id IN (SELECT value FROM json_each(?)) ORDER BY id)"
        )
        rows = await self._all_of(len(ids), sql, (workspace, json_list(set(ids))))
        records = records_in(table.model, rows[0][0])
        records.sort(key=_BY_ID)  # in id order as the query gave them (linear), whatever it did
        return {record.id: record for record in records}

    async def get_relationships(
        self, workspace: str, keys: Sequence[RelationshipKey]
    ) -> dict[RelationshipKey, Relationship]:
        """The relationships with these keys (a KNOWS pair is found in either order)."""
        if not keys:
            return {}
        wanted = json_list(list(relationship_key_row(key)) for key in keys)
        rows = await self._all_of(
            len(keys),
            # CROSS JOIN keeps the wanted keys as the outer loop, so that each is one primary
            # key search; a plain JOIN let SQLite scan them once per stored relationship.
            f"SELECT {DOCS_ARRAY.format('r.doc')} FROM json_each(?) k CROSS JOIN relationships r "
            "ON r.workspace = ? AND r.type = json_extract(k.value, '$[0]') "
            "AND r.a = json_extract(k.value, '$[1]') AND r.b = json_extract(k.value, '$[2]')",
            (wanted, workspace),
        )
        found = records_in(Relationship, rows[0][0])
        return {relationship.key: relationship for relationship in found}

    async def compare(
        self, workspace: str, kind: EntityKind, records: Sequence[Entity]
    ) -> Compared[str, Entity]:
        """Which of ``records`` are stored as given: their JSON texts compared with the stored
        ones in SQL, the rest read back and compared as models (``sqlite.compare``)."""
        table = ENTITY_TABLES[kind]
        given = entity_texts(table, records) if records else None
        if given is None:
            return compared_records(records, await self.get(workspace, kind, _ids(records)))
        same, differ = await self._engine.read(
            lambda c: texts_compared(c, workspace, table.table, given)
        )
        alike = set(same)
        compared = compared_records(
            [record for record in records if record.id not in alike],
            {record.id: record for record in records_in(table.model, differ)},
        )
        compared.same |= alike
        return compared

    async def compare_relationships(
        self, workspace: str, relationships: Sequence[Relationship]
    ) -> Compared[RelationshipKey, Relationship]:
        """Which of ``relationships`` are stored as given, as ``compare`` tells it."""
        given = relationship_texts(relationships) if relationships else None
        if given is None:
            keys = [relationship.key for relationship in relationships]
            stored = await self.get_relationships(workspace, keys)
            return compared_relationships(relationships, stored)
        texts, keys = given
        same, differ = await self._engine.read(lambda c: texts_compared(c, workspace, None, texts))
        alike = set(same)
        compared = compared_relationships(
            [r for n, r in enumerate(relationships) if n not in alike],
            {line.key: line for line in records_in(Relationship, differ)},
        )
        compared.same.update(keys[n] for n in alike)
        return compared

    async def reporting_lines(self, workspace: str, people: Sequence[str]) -> list[RelationshipRow]:
        """The REPORTS_TO lines from ``people``, in key order: one primary key search per
        person, and of each line only its ends and the three fields besides its key.

        Trusted read, as ``stream_relationship_rows``: a re-import of 100k people walks up
        100k lines, which read back as records (either end of each, as ``relationships``
        reads them) took 0.45 s of it and, at a million people, ~1 GB.
        """
        if not people:
            return []
        rows = await self._all_of(
            len(people),
            f"SELECT a, b, {RELATIONSHIP_ROW_FIELDS} FROM relationships "
            "WHERE workspace = ? AND type = 'REPORTS_TO' "
            "AND a IN (SELECT value FROM json_each(?)) ORDER BY a, b",
            (workspace, json_list(set(people))),
        )
        return [relationship_row_of(_REPORTS_TO, a, b, s, d, c) for a, b, s, d, c in rows]


_BY_ID = attrgetter("id")
_REPORTS_TO = RelationshipType.REPORTS_TO


def _ids(records: Sequence[Entity]) -> list[str]:
    return [record.id for record in records]

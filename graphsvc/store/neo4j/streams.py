"""``Neo4jStreams``: the Neo4j store's whole-workspace reads, one keyset page per batch (a
base of ``Neo4jStore``, as ``sqlite/streams`` is of the SQLite store)."""

from __future__ import annotations

from collections.abc import AsyncIterator

from graphsvc.domain.enums import EntityKind, RelationshipType
from graphsvc.domain.models import DecisionRight, Entity, Relationship
from graphsvc.domain.rows import PersonRow, RelationshipRow
from graphsvc.store.neo4j.catalog import statement
from graphsvc.store.neo4j.engine import Neo4jEngine
from graphsvc.store.neo4j.rows import LABELS, entity_from, person_row_from, relationship_row_from

__all__ = ["Neo4jStreams"]


class Neo4jStreams:
    """The ``stream*`` reads of ``GraphStore`` (``_engine`` is the store's)."""

    _engine: Neo4jEngine

    async def stream(self, workspace: str, kind: EntityKind) -> AsyncIterator[list[Entity]]:
        """Every record of ``kind`` in id order, one keyset page per batch."""
        query = statement("stream_entities", label=LABELS[kind])
        async for rows in self._engine.keyset(query, workspace):
            yield [entity_from(kind, data) for data in rows]

    async def stream_relationships(self, workspace: str) -> AsyncIterator[list[Relationship]]:
        """Every relationship in key order: per type, pages of start people in id order."""
        for type_ in sorted(RelationshipType):
            query = statement("stream_relationships", type=type_.value)
            async for rows in self._engine.keyset(query, workspace):
                yield [Relationship.model_validate_json(data) for data in rows]

    async def stream_relationship_rows(
        self, workspace: str
    ) -> AsyncIterator[list[RelationshipRow]]:
        """Every relationship as a ``RelationshipRow``, in key order (as ``stream_relationships``)
        but read from the stored JSON without building a pydantic record per relationship."""
        for type_ in sorted(RelationshipType):
            # Already in key order: one type per query, and the query orders by the key's
            # (from, to), which are the edge's ends (KNOWS is stored by its sorted pair).
            query = statement("stream_relationships", type=type_.value)
            async for rows in self._engine.keyset(query, workspace):
                yield [relationship_row_from(data) for data in rows]

    async def stream_person_rows(self, workspace: str) -> AsyncIterator[list[PersonRow]]:
        """Every person as a ``PersonRow``, in id order (as ``stream`` of people), read from
        the stored JSON without building a pydantic record per person."""
        query = statement("stream_entities", label=LABELS[EntityKind.PERSON])
        async for rows in self._engine.keyset(query, workspace):
            yield [person_row_from(data) for data in rows]

    async def stream_decision_rights(self, workspace: str) -> AsyncIterator[list[DecisionRight]]:
        """Every decision right in key order, keyset-paged on the whole key."""
        query = statement("stream_decision_rights")
        async for rows in self._engine.keyset(query, workspace, after=None):
            yield [DecisionRight.model_validate_json(data) for data in rows]

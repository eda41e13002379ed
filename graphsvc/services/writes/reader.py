"""What a write's preparation may read: the store's lookups it uses, and nothing that writes.

Planning code takes a ``GraphReader`` rather than a ``GraphStore``, so it can neither write
nor read anything a ``RecordingReader`` (``read_set``) would not record. Any ``GraphStore``
is one; the method contracts are ``GraphStore``'s (``store.base``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from graphsvc.domain.enums import EntityKind, RelationshipType
from graphsvc.domain.listing import FilterValue, ListQuery
from graphsvc.domain.models import DecisionRight, Entity, Relationship, RelationshipKey

__all__ = ["GraphReader"]


class GraphReader(Protocol):
    """The reads of ``GraphStore`` that planning a write makes (see ``GraphStore``)."""

    async def get(
        self, workspace: str, kind: EntityKind, ids: Sequence[str]
    ) -> dict[str, Entity]: ...

    async def find(
        self, workspace: str, kind: EntityKind, where: Mapping[str, Sequence[FilterValue]]
    ) -> list[Entity]: ...

    async def page(self, workspace: str, kind: EntityKind, query: ListQuery) -> list[Entity]: ...

    async def count(self, workspace: str, kind: EntityKind, query: ListQuery) -> int: ...

    async def relationships(
        self,
        workspace: str,
        person_ids: Sequence[str] | None = None,
        types: Sequence[RelationshipType] | None = None,
    ) -> list[Relationship]: ...

    async def get_relationships(
        self, workspace: str, keys: Sequence[RelationshipKey]
    ) -> dict[RelationshipKey, Relationship]: ...

    async def decision_rights(
        self,
        workspace: str,
        person_ids: Sequence[str] | None = None,
        scope_ids: Sequence[str] | None = None,
    ) -> list[DecisionRight]: ...

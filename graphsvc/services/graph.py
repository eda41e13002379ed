"""GraphService: validated, atomic writes and plain reads over one store.

Every write, from a million-record import to a one-field update, goes the same way:
build a ``GraphDocument`` of what is written, validate it against the store's current
content (``domain.validation``), turn it into a ``ChangeSet``, apply it in one store
transaction, then notify listeners with the change set and the new version.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from graphsvc.domain.enums import EntityKind, RelationshipType
from graphsvc.domain.models import DecisionRight, Entity, GraphDocument, Relationship
from graphsvc.store.base import ChangeSet, FilterValue, GraphStore, ListQuery

ChangeListener = Callable[[str, ChangeSet, int], Awaitable[None]]
"""Called as ``listener(workspace, applied_changes, new_version)`` after every write."""

ProgressCallback = Callable[[str, int, int], None]
"""Called as ``progress(stage, done, total)`` during long work (CLI progress bars)."""


@dataclass
class ImportSummary:
    """What an import did: per list of the document, how many records it wrote."""

    counts: dict[str, int] = field(default_factory=dict)
    version: int = 0


class GraphService:
    """Reads and validated writes of workspaces in one store."""

    def __init__(self, store: GraphStore, listeners: Sequence[ChangeListener] = ()) -> None:
        self.store = store
        self.listeners = list(listeners)

    # --- writes (each validated in full, atomic, then announced to listeners) -----------

    async def import_document(
        self,
        workspace: str,
        document: Mapping[str, Any] | GraphDocument,
        progress: ProgressCallback | None = None,
    ) -> ImportSummary:
        """Upsert a whole graph document: all of it or, on any ``InvalidDocument``, nothing."""
        raise NotImplementedError

    async def create(self, workspace: str, kind: EntityKind, data: Mapping[str, Any]) -> Entity:
        """Create one record (camelCase ``data``); ``Conflict`` if the id is taken."""
        raise NotImplementedError

    async def update(
        self, workspace: str, kind: EntityKind, id: str, patch: Mapping[str, Any]
    ) -> Entity:
        """Change the given fields of one record (``None`` clears an optional field)."""
        raise NotImplementedError

    async def delete(self, workspace: str, kind: EntityKind, id: str) -> None:
        """Delete one record; ``Conflict`` while other records still reference it."""
        raise NotImplementedError

    async def link(self, workspace: str, relationship: Relationship) -> Relationship:
        """Create or update a relationship between two existing people."""
        raise NotImplementedError

    async def unlink(
        self, workspace: str, type_: RelationshipType, from_id: str, to_id: str
    ) -> None:
        """Remove a relationship; ``NotFound`` if there is none."""
        raise NotImplementedError

    async def grant(self, workspace: str, right: DecisionRight) -> DecisionRight:
        """Create or update a decision right."""
        raise NotImplementedError

    async def revoke(self, workspace: str, right_key: tuple[str, str, str, str]) -> None:
        """Remove a decision right by (personId, scopeId, area, role); ``NotFound`` if none."""
        raise NotImplementedError

    # --- reads --------------------------------------------------------------------------

    async def get(self, workspace: str, kind: EntityKind, ids: Sequence[str]) -> dict[str, Entity]:
        """Records by id (missing ids absent)."""
        return await self.store.get(workspace, kind, ids)

    async def find(
        self, workspace: str, kind: EntityKind, where: Mapping[str, Sequence[FilterValue]]
    ) -> list[Entity]:
        """All records matching ``where``."""
        return await self.store.find(workspace, kind, where)

    async def page(self, workspace: str, kind: EntityKind, query: ListQuery) -> list[Entity]:
        """One page of records."""
        return await self.store.page(workspace, kind, query)

    async def count(self, workspace: str, kind: EntityKind, query: ListQuery) -> int:
        """Total matching records."""
        return await self.store.count(workspace, kind, query)

"""GraphService: validated, atomic writes and plain reads over one store.

Every write, from a million-record import to a one-field update, goes the same way:
build a ``GraphDocument`` of what is written, validate it against the store's current
content (``domain.validation``), turn it into a ``ChangeSet``, apply it in one store
transaction, then notify listeners with the change set and the new version.

Semantics shared by all writes:

- **Upsert by id** (by key for relationships and decision rights): a written record replaces
  the stored one whole.
- **No-op writes are not applied**: records equal to their stored version are left out of the
  change set, and an empty change set is not applied at all, so importing the same document
  twice changes nothing, not even the workspace version.
- **``reportsToId``** on a person replaces that person's stored solid REPORTS_TO lines (a
  person moved to a new manager keeps one manager); absent, the lines stay.
- **All or nothing**: any rule broken anywhere raises ``InvalidDocument`` listing every issue,
  and nothing is written.

Concurrent writes are committed by ``write_commit.WriteCommitter``: each is prepared (store
lookups, validation, diff) without a lock, then applied under the service's write lock only
if nothing it read changed meanwhile, and otherwise prepared again under the lock; either way
it is validated against exactly the state it is applied to, as if writes ran one at a time.

- **Writes of this service** are arbitrated by the read set of each preparation
  (``write_conflicts``): a write applied meanwhile that touched what another read makes that
  one prepare again. The lock is held for one store round trip, not for every lookup, and
  writes queued at it that cannot affect each other are applied in one transaction (group
  commit, ``write_group``): one fsync and one version for all of them, each acknowledged
  only once that transaction is durable.
- **Writes of other processes** (``graphsvc import`` while the server runs, a second replica
  on Neo4j, another ``GraphService`` on the same store) are caught by optimistic concurrency
  on the workspace version: a preparation notes the version it starts from, and the store
  applies the change set only if the version is still that one, plus this service's own
  writes since (``GraphStore.apply(expected_version=...)``, checked inside the store's write
  transaction). Otherwise the store raises ``VersionMoved`` having changed nothing, and the
  write is prepared again against the fresh state, up to ``write_commit.MAX_ATTEMPTS``
  times, then refused with ``Conflict``. So two processes each creating a SELF organization
  give one SELF organization: the second is validated again and refused.
- A refusal or a no-op is answered only after the same checks, so no answer rests on a mix of
  states. Deletes, unlinks and revokes are rare and are prepared under the lock from the
  start (still version-checked).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from graphsvc.domain.changes import ChangeSet
from graphsvc.domain.enums import BuyingRole, EntityKind, RelationshipType
from graphsvc.domain.labels import KIND_NOUN
from graphsvc.domain.listing import FilterValue, ListQuery
from graphsvc.domain.models import (
    DecisionRight,
    Entity,
    GraphDocument,
    Relationship,
    RelationshipKey,
    relationship_key,
)
from graphsvc.domain.validation import validate_document
from graphsvc.errors import Conflict, InvalidDocument, InvalidInput, Issue, NotFound
from graphsvc.services.parsing import parse_document, parse_record
from graphsvc.services.writes.commit import (
    ChangeListener,
    Plan,
    Prepare,
    ProgressCallback,
    WriteCommitter,
)
from graphsvc.services.writes.deletion import deletion
from graphsvc.services.writes.diff import document_changes, stored_form
from graphsvc.services.writes.stored_state import load_stored_state
from graphsvc.store.base import GraphStore

__all__ = ["ChangeListener", "GraphService", "ImportSummary", "ProgressCallback"]


@dataclass
class ImportSummary:
    """What an import did: per list of the document, how many records it wrote.

    Records equal to their stored version are not written and not counted; ``removed``
    counts solid REPORTS_TO lines that a ``reportsToId`` replaced; ``applied`` is False when
    nothing differed from the store (the version is then the unchanged current one).
    """

    counts: dict[str, int] = field(default_factory=dict)
    version: int = 0
    removed: int = 0
    applied: bool = False


class GraphService:
    """Reads and validated writes of workspaces in one store."""

    def __init__(self, store: GraphStore, listeners: Sequence[ChangeListener] = ()) -> None:
        self.store = store
        self.listeners = list(listeners)
        self._committer = WriteCommitter(store, self.listeners)

    # --- writes (each validated in full, atomic, then announced to listeners) -----------

    async def import_document(
        self,
        workspace: str,
        document: Mapping[str, Any] | GraphDocument,
        progress: ProgressCallback | None = None,
    ) -> ImportSummary:
        """Upsert a whole graph document: all of it or, on any ``InvalidDocument``, nothing.

        ``document`` is a parsed ``GraphDocument`` or its JSON form as a mapping (parsed
        here). See the module docstring for upsert, no-op and ``reportsToId`` semantics.
        """
        report = progress or _no_progress
        report("parse", 0, 1)
        doc = document if isinstance(document, GraphDocument) else parse_document(document)
        report("parse", 1, 1)
        return await self._write(workspace, doc, report)

    async def create(self, workspace: str, kind: EntityKind, data: Mapping[str, Any]) -> Entity:
        """Create one record (camelCase ``data``); ``Conflict`` if the id is taken.

        A person's ``data`` may carry ``reportsToId`` (their solid manager).
        """
        record = parse_record(kind, data)
        doc = _one_record(kind, record)

        async def prepare(store: GraphStore) -> Plan:
            if await store.get(workspace, kind, [record.id]):
                raise Conflict(f"{KIND_NOUN[kind]} {record.id!r} already exists")
            return await _plan(store, workspace, doc, _no_progress)

        await self._commit(workspace, prepare, _no_progress)
        return stored_form(record)

    async def update(
        self, workspace: str, kind: EntityKind, id: str, patch: Mapping[str, Any]
    ) -> Entity:
        """Change the given fields of one record (``None`` clears an optional field).

        ``patch`` holds camelCase fields, merged onto the stored record; the result is
        validated as a one-record document against the store. For people, ``reportsToId``
        sets the solid manager (replacing the stored solid lines) and ``None`` removes them.
        Clearing an organization's ``parentId`` also clears ``parentRelation`` and
        ``ownership``, which mean nothing without a parent. ``NotFound`` if no such record.
        """
        written: list[Entity] = []

        async def prepare(store: GraphStore) -> Plan:
            stored = (await store.get(workspace, kind, [id])).get(id)
            if stored is None:
                raise NotFound(f"no {KIND_NOUN[kind]} with id {id!r}")
            merged, clear_manager = _merge(kind, stored.to_document(), patch, id)
            record = parse_record(kind, merged)
            written[:] = [record]
            clear = [id] if clear_manager else []
            doc = _one_record(kind, record)
            return await _plan(store, workspace, doc, _no_progress, clear_managers=clear)

        await self._commit(workspace, prepare, _no_progress)
        return stored_form(written[0])

    async def delete(self, workspace: str, kind: EntityKind, id: str) -> None:
        """Delete one record; ``Conflict`` while other records still reference it.

        A person's relationships and decision rights are deleted with them. An organization
        or department still referenced (child organizations or departments, people, systems,
        opportunities, decision rights scoped to it) is refused, naming the referrers.
        ``NotFound`` if no such record.
        """

        async def prepare(store: GraphStore) -> Plan:
            if not await store.get(workspace, kind, [id]):
                raise NotFound(f"no {KIND_NOUN[kind]} with id {id!r}")
            return Plan(await deletion(store, workspace, kind, id), {}, 0)

        await self._committer.commit(workspace, prepare, _no_progress, serial=True)

    async def link(self, workspace: str, relationship: Relationship) -> Relationship:
        """Create or update a relationship between two existing people.

        Validated like a document of this one relationship: both people must exist, it may
        not close a cycle of solid REPORTS_TO lines.
        """
        await self._write(workspace, GraphDocument(relationships=[relationship]), _no_progress)
        return relationship

    async def unlink(
        self, workspace: str, type_: RelationshipType, from_id: str, to_id: str
    ) -> None:
        """Remove a relationship; ``NotFound`` if there is none (KNOWS in either order)."""
        key = relationship_key(RelationshipType(type_), from_id, to_id)

        async def prepare(store: GraphStore) -> Plan:
            if not await store.get_relationships(workspace, [key]):
                raise NotFound(f"no {key[0].value} relationship {from_id}→{to_id}")
            return Plan(ChangeSet(relationship_deletes=[key]), {}, 0)

        await self._committer.commit(workspace, prepare, _no_progress, serial=True)

    async def grant(self, workspace: str, right: DecisionRight) -> DecisionRight:
        """Create or update a decision right (its person and scope must exist)."""
        await self._write(workspace, GraphDocument(decision_rights=[right]), _no_progress)
        return right

    async def revoke(self, workspace: str, right_key: tuple[str, str, str, str]) -> None:
        """Remove a decision right by (personId, scopeId, area, role); ``NotFound`` if none.

        The area matches in any case, as in the right's identity.
        """
        person_id, scope_id, area, role_name = right_key
        try:
            role = BuyingRole(role_name)
        except ValueError:
            choices = ", ".join(BuyingRole)
            raise InvalidInput(f"role {role_name!r} is not one of {choices}") from None
        key = (person_id, scope_id, area.casefold(), role)

        async def prepare(store: GraphStore) -> Plan:
            rights = await store.decision_rights(workspace, [person_id], [scope_id])
            if not any(right.key == key for right in rights):
                raise NotFound(
                    f"no decision right {person_id}/{scope_id}/{area}/{role.value} to revoke"
                )
            return Plan(ChangeSet(decision_right_deletes=[key]), {}, 0)

        await self._committer.commit(workspace, prepare, _no_progress, serial=True)

    # --- the one write path -------------------------------------------------------------

    async def _write(
        self, workspace: str, doc: GraphDocument, report: ProgressCallback
    ) -> ImportSummary:
        async def prepare(store: GraphStore) -> Plan:
            return await _plan(store, workspace, doc, report)

        return await self._commit(workspace, prepare, report)

    async def _commit(
        self, workspace: str, prepare: Prepare, report: ProgressCallback
    ) -> ImportSummary:
        """Prepare and apply one write through the committer (module docstring)."""
        plan, version, applied = await self._committer.commit(workspace, prepare, report)
        return ImportSummary(
            counts=plan.counts, version=version, removed=plan.removed, applied=applied
        )

    def applying(self, workspace: str) -> bool:
        """True while a write of this service to ``workspace`` may be stored but not announced.

        At most one write is in that state at a time (the write lock). A cache comparing its
        version with ``store.version`` may see that write's version one step ahead of what
        listeners were told: this says the step is ours, not another process's.
        """
        return self._committer.applying(workspace)

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

    async def relationships(
        self,
        workspace: str,
        person_ids: Sequence[str] | None = None,
        types: Sequence[RelationshipType] | None = None,
    ) -> list[Relationship]:
        """Relationships touching any of ``person_ids`` (all when ``None``), of ``types``
        (all when ``None``), in key order."""
        return await self.store.relationships(workspace, person_ids, types)

    async def get_relationships(
        self, workspace: str, keys: Sequence[RelationshipKey]
    ) -> dict[RelationshipKey, Relationship]:
        """Relationships by key (a KNOWS key is the sorted pair); missing keys absent."""
        return await self.store.get_relationships(workspace, keys)

    async def decision_rights(
        self,
        workspace: str,
        person_ids: Sequence[str] | None = None,
        scope_ids: Sequence[str] | None = None,
    ) -> list[DecisionRight]:
        """Decision rights held by any of ``person_ids`` and/or scoped to any of ``scope_ids``
        (``None`` matches all), in key order."""
        return await self.store.decision_rights(workspace, person_ids, scope_ids)


def _no_progress(stage: str, done: int, total: int) -> None:
    """The progress callback of writes nobody watches."""


async def _plan(
    store: GraphStore,
    workspace: str,
    doc: GraphDocument,
    report: ProgressCallback,
    clear_managers: Iterable[str] = (),
) -> Plan:
    """Validate ``doc`` against what ``store`` holds and diff it, or raise ``InvalidDocument``."""
    stored = await load_stored_state(store, workspace, doc, report)
    report("validate", 0, 1)
    issues = validate_document(doc, stored.known)
    report("validate", 1, 1)
    if issues:
        raise InvalidDocument(issues)
    report("diff", 0, 1)
    changes = document_changes(doc, stored, clear_managers)
    report("diff", 1, 1)
    return Plan(changes.change_set, changes.counts, changes.removed)


def _one_record(kind: EntityKind, record: Entity) -> GraphDocument:
    """A document holding just ``record`` (the list named by ``kind``)."""
    return GraphDocument.model_validate({kind.value: [record]}, by_name=True)


def _merge(
    kind: EntityKind, stored: dict[str, Any], patch: Mapping[str, Any], id: str
) -> tuple[dict[str, Any], bool]:
    """The stored record with ``patch`` applied, and whether a person's manager is cleared."""
    if "id" in patch and patch["id"] != id:
        raise InvalidDocument([Issue("id", id, "the id of a record cannot be changed")])
    merged = dict(stored)
    clear_manager = False
    for name, value in patch.items():
        if value is None:
            merged.pop(name, None)
            clear_manager = clear_manager or name == "reportsToId"
        else:
            merged[name] = value
    if kind is EntityKind.ORGANIZATION and "parentId" in patch and patch["parentId"] is None:
        for dependent in ("parentRelation", "ownership"):
            if patch.get(dependent) is None:
                merged.pop(dependent, None)
    return merged, clear_manager and kind is EntityKind.PERSON

"""Plans of upserts: a graph document validated against the stored state and diffed into a
``ChangeSet``, and the one-record documents that create and update write.

Every upsert, from a million-record import to a one-field update, is planned the same way:
load what the store holds that the document touches (``stored_state``), validate the
document against it (``domain.validation``), and keep only what differs (``diff``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from graphsvc.domain.enums import EntityKind
from graphsvc.domain.labels import KIND_NOUN
from graphsvc.domain.models import Entity, GraphDocument
from graphsvc.domain.validation import validate_document
from graphsvc.errors import Conflict, InvalidDocument, Issue, NotFound
from graphsvc.services.parsing import parse_record
from graphsvc.services.writes.commit import Plan, ProgressCallback, no_progress
from graphsvc.services.writes.diff import document_changes, stored_form
from graphsvc.services.writes.stored_state import load_stored_state
from graphsvc.store.base import GraphReader

__all__ = ["creation_plan", "document_plan", "update_plan"]


async def document_plan(
    reader: GraphReader,
    workspace: str,
    doc: GraphDocument,
    report: ProgressCallback = no_progress,
    clear_managers: Iterable[str] = (),
) -> Plan:
    """Validate ``doc`` against what ``reader`` holds and diff it, or raise ``InvalidDocument``.

    ``clear_managers`` names people whose stored solid REPORTS_TO lines are all removed.
    """
    stored = await load_stored_state(reader, workspace, doc, report)
    report("validate", 0, 1)
    issues = validate_document(doc, stored.known)
    report("validate", 1, 1)
    if issues:
        raise InvalidDocument(issues)
    report("diff", 0, 1)
    changes = document_changes(doc, stored, clear_managers)
    report("diff", 1, 1)
    return Plan(changes.change_set, changes.counts, changes.removed)


async def creation_plan(
    reader: GraphReader, workspace: str, kind: EntityKind, record: Entity
) -> Plan:
    """Create ``record``; ``Conflict`` if its id is taken."""
    if await reader.get(workspace, kind, [record.id]):
        raise Conflict(f"{KIND_NOUN[kind]} {record.id!r} already exists")
    return await document_plan(reader, workspace, _one_record(kind, record))


async def update_plan(
    reader: GraphReader, workspace: str, kind: EntityKind, id: str, patch: Mapping[str, Any]
) -> tuple[Plan, Entity]:
    """Merge ``patch`` onto stored record ``id``: the plan and the record as it is stored.

    ``NotFound`` if no such record; see ``GraphService.update`` for the patch's meaning.
    """
    stored = (await reader.get(workspace, kind, [id])).get(id)
    if stored is None:
        raise NotFound(f"no {KIND_NOUN[kind]} with id {id!r}")
    merged, clear_manager = _merge(kind, stored.to_document(), patch, id)
    record = parse_record(kind, merged)
    clear = [id] if clear_manager else []
    doc = _one_record(kind, record)
    plan = await document_plan(reader, workspace, doc, clear_managers=clear)
    return plan, stored_form(record)


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

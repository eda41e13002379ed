"""Plans of upserts: a graph document validated against the stored state and diffed into a
``ChangeSet``, and the one-record documents that create and update write.

Every upsert, from a million-record import to a one-field update, is planned the same way:
load what the store holds that the document touches (``stored_state``), validate the
document against it (``domain.validation``), and keep only what differs (``diff``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from graphsvc.domain.enums import EntityKind, RelationshipType
from graphsvc.domain.labels import KIND_NOUN
from graphsvc.domain.models import (
    DecisionRight,
    Entity,
    GraphDocument,
    Relationship,
    relationship_key,
)
from graphsvc.domain.validation import validate_document
from graphsvc.errors import Conflict, InvalidDocument, Issue, NotFound
from graphsvc.services.parsing import ParsedDocument, parse_keyed, parse_record
from graphsvc.services.writes.commit import Plan, ProgressCallback, no_progress
from graphsvc.services.writes.diff import document_changes, stored_form
from graphsvc.services.writes.log import Before
from graphsvc.services.writes.stamp import stamp_histories, today
from graphsvc.services.writes.stored_state import load_stored_state
from graphsvc.store.base import GraphReader

__all__ = ["creation_plan", "document_plan", "grant_plan", "link_plan", "update_plan"]

_IN_ONE_RECORD = re.compile(r"^[A-Za-z]+\[0\]\.?")
"""The ``people[0].`` of an issue on a one-record document: a single write names fields."""

LINK_FIELDS = ("strength", "lastContactOn", "dotted")
"""The fields of a relationship besides its key, which ``link`` sets only when given."""


async def document_plan(
    reader: GraphReader,
    workspace: str,
    doc: GraphDocument | ParsedDocument,
    report: ProgressCallback = no_progress,
    clear_managers: Iterable[str] = (),
) -> Plan:
    """Validate ``doc`` against what ``reader`` holds and diff it, or raise ``InvalidDocument``.

    A ``ParsedDocument``'s own issues (records refused on their own) are reported together
    with the cross-record rules' issues on the records that parsed, in document order.
    ``clear_managers`` names people whose stored solid REPORTS_TO lines are all removed.
    """
    parsed = doc if isinstance(doc, ParsedDocument) else ParsedDocument(doc)
    doc = parsed.document
    stored = await load_stored_state(reader, workspace, doc, report)
    report("validate", 0, 1)
    issues = parsed.issues_with(validate_document(doc, stored.known, parsed.unparsed_ids))
    report("validate", 1, 1)
    if issues:
        raise InvalidDocument(issues)
    report("diff", 0, 1)
    doc = stamp_histories(doc, stored, today())
    changes = document_changes(doc, stored, clear_managers)
    report("diff", 1, 1)
    relationships = stored.relationships
    # The reporting lines a reportsToId replaces, and the stored lines it rewrites (known
    # as rows, ``StoredState.reporting``), read for their change log entries.
    unread = [k for k in changes.change_set.relationship_deletes if k not in relationships]
    if walked := stored.reporting:
        unread += [
            key
            for line in changes.change_set.relationships
            if (key := line.key) not in relationships and walked.get(key) is not None
        ]
    if unread:
        relationships = {**relationships, **await reader.get_relationships(workspace, unread)}
    before = Before(stored.records, relationships, stored.decision_rights, stored.own_stages)
    return Plan(changes.change_set, changes.counts, changes.removed, before)


async def creation_plan(
    reader: GraphReader, workspace: str, kind: EntityKind, record: Entity
) -> tuple[Plan, Entity]:
    """Create ``record``; ``Conflict`` if its id is taken. The plan and the record as it is
    stored (an opportunity's ``stageHistory`` gains its stage, ``services.writes.stamp``)."""
    if await reader.get(workspace, kind, [record.id]):
        raise Conflict(f"{KIND_NOUN[kind]} {record.id!r} already exists")
    plan = await _one_record_plan(reader, workspace, _one_record(kind, record))
    return plan, _written(plan, kind, stored_form(record))


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
    if kind is EntityKind.OPPORTUNITY and "stageHistory" in patch and not patch["stageHistory"]:
        merged["stageHistory"] = []  # cleared: the history given is empty, not the stored one
    record = parse_record(kind, merged)
    clear = [id] if clear_manager else []
    doc = _one_record(kind, record)
    plan = await _one_record_plan(reader, workspace, doc, clear_managers=clear)
    return plan, _written(plan, kind, stored_form(record))


def _written(plan: Plan, kind: EntityKind, record: Entity) -> Entity:
    """``record`` as the plan writes it (the write path may add to it), or as given when the
    plan leaves it alone (then it equals the stored record)."""
    for upsert in plan.changes.upserts.get(kind, ()):
        if upsert.id == record.id:
            return upsert
    return record


async def link_plan(
    reader: GraphReader, workspace: str, given: Mapping[str, Any]
) -> tuple[Plan, Relationship]:
    """Create or update the relationship ``given`` names: the plan and the relationship.

    ``given`` holds camelCase fields: ``type``, ``from`` and ``to`` (the key) and any of
    ``strength``, ``lastContactOn`` and ``dotted``. A field left out keeps its stored value
    (its default for a new relationship); ``None`` clears it. So logging a contact date
    never erases a strength, and the reverse.
    """
    merged: dict[str, Any] = {name: given.get(name) for name in ("type", "from", "to")}
    key = _key_of(merged)
    if key is not None:
        stored = (await reader.get_relationships(workspace, [key])).get(key)
        if stored is not None:
            kept = stored.to_document()
            merged |= {name: kept[name] for name in LINK_FIELDS if name in kept}
    for name in LINK_FIELDS:
        if name in given:
            if given[name] is None:
                merged.pop(name, None)
            else:
                merged[name] = given[name]
    tie = parse_keyed(Relationship, merged)
    doc = GraphDocument(relationships=[tie])
    return await _one_record_plan(reader, workspace, doc), tie


async def grant_plan(reader: GraphReader, workspace: str, right: DecisionRight) -> Plan:
    """Create or update decision right ``right`` (its person and scope must exist)."""
    return await _one_record_plan(reader, workspace, GraphDocument(decision_rights=[right]))


def _key_of(fields: Mapping[str, Any]) -> tuple[RelationshipType, str, str] | None:
    """The key named by raw ``type``/``from``/``to``, or None when they cannot form one
    (parsing the record then says why)."""
    type_, from_id, to_id = fields["type"], fields["from"], fields["to"]
    if not (isinstance(from_id, str) and isinstance(to_id, str)):
        return None
    try:
        return relationship_key(RelationshipType(type_), from_id, to_id)
    except ValueError:
        return None


async def _one_record_plan(
    reader: GraphReader, workspace: str, doc: GraphDocument, clear_managers: Iterable[str] = ()
) -> Plan:
    """``document_plan`` of a single write: its issues name the record's fields
    (``departmentId``), not a position in a document (``people[0].departmentId``)."""
    try:
        return await document_plan(reader, workspace, doc, clear_managers=clear_managers)
    except InvalidDocument as refused:
        raise InvalidDocument(
            [
                Issue(_IN_ONE_RECORD.sub("", issue.path), issue.record, issue.message)
                for issue in refused.issues
            ]
        ) from None


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

"""Turn a validated document into the smallest ``ChangeSet`` that makes the store match it.

Records equal to their stored version are left out, so importing the same document twice
writes nothing and the workspace version does not move. ``reportsToId`` on a person
*replaces* that person's stored solid REPORTS_TO lines: lines to other managers are deleted
unless the document itself writes them (as a relationship of its own). A document's
``pipelineStages`` replaces the stage model only when it differs from the model in use.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from graphsvc.domain.changes import ChangeSet
from graphsvc.domain.enums import EntityKind, RelationshipType
from graphsvc.domain.models import (
    Entity,
    GraphDocument,
    Person,
    PersonEntry,
    Relationship,
    RelationshipKey,
    relationship_key,
)
from graphsvc.services.writes.stored_state import StoredState, document_relationships

__all__ = ["Changes", "document_changes", "stored_form"]

_PERSON_FIELDS = tuple(Person.model_fields)


@dataclass
class Changes:
    """The change set and, per document list, how many records it writes."""

    change_set: ChangeSet
    counts: dict[str, int] = field(default_factory=dict)
    removed: int = 0
    """Stored solid REPORTS_TO lines deleted because a ``reportsToId`` replaced them."""


def stored_form(record: Entity) -> Entity:
    """A document record as stored: a person without ``reportsToId`` (that is a relationship).

    Built from the entry's already-validated values (pydantic-core's validation of those is
    faster than ``model_construct``, which matters for a million people).
    """
    if not isinstance(record, PersonEntry):
        return record
    values = record.__dict__
    return Person.model_validate({name: values[name] for name in _PERSON_FIELDS})


def _same_relationship(a: Relationship, b: Relationship | None) -> bool:
    """Equal as stored: KNOWS written b–a is the same relationship as a–b."""
    return (
        b is not None
        and a.key == b.key
        and a.strength == b.strength
        and a.last_contact_on == b.last_contact_on
        and a.dotted == b.dotted
    )


def _entities(doc: GraphDocument) -> Iterable[tuple[EntityKind, Sequence[Entity]]]:
    yield EntityKind.ORGANIZATION, doc.organizations
    yield EntityKind.DEPARTMENT, doc.departments
    yield EntityKind.PERSON, doc.people
    yield EntityKind.SYSTEM, doc.systems
    yield EntityKind.OPPORTUNITY, doc.opportunities


def document_changes(
    doc: GraphDocument, stored: StoredState, clear_managers: Iterable[str] = ()
) -> Changes:
    """What applying the valid ``doc`` over ``stored`` changes.

    ``clear_managers`` names people whose stored solid REPORTS_TO lines are all removed
    (an update that sets ``reportsToId`` to null).
    """
    changes = ChangeSet()
    counts: dict[str, int] = {}
    for kind, records in _entities(doc):
        known = stored.records.get(kind, {})
        upserts: list[Entity] = []
        for record in records:
            entity = stored_form(record)
            if known.get(entity.id) != entity:
                upserts.append(entity)
        changes.upserts[kind] = upserts
        counts[kind.value] = len(upserts)

    lines = document_relationships(doc)
    changes.relationships = [
        line for line in lines if not _same_relationship(line, stored.relationships.get(line.key))
    ]
    counts["relationships"] = len(changes.relationships)
    written: set[RelationshipKey] = {line.key for line in lines}
    replaced = [p.id for p in doc.people if p.reports_to_id is not None]
    for person_id in (*replaced, *clear_managers):
        for manager in stored.known.solid_managers.get(person_id, ()):
            key = relationship_key(RelationshipType.REPORTS_TO, person_id, manager)
            if key not in written:
                changes.relationship_deletes.append(key)

    changes.decision_rights = [
        right for right in doc.decision_rights if stored.decision_rights.get(right.key) != right
    ]
    counts["decisionRights"] = len(changes.decision_rights)
    if doc.pipeline_stages is not None and tuple(doc.pipeline_stages) != stored.known.stage_model:
        changes.pipeline_stages = list(doc.pipeline_stages)
        counts["pipelineStages"] = 1
    return Changes(changes, counts, removed=len(changes.relationship_deletes))

"""Turn a validated document into the smallest ``ChangeSet`` that makes the store match it.

Records equal to their stored version are left out, so importing the same document twice
writes nothing and the workspace version does not move. ``reportsToId`` on a person
*replaces* that person's stored solid REPORTS_TO lines: lines to other managers are deleted
unless the document itself writes them (as a relationship of its own). A document's
``pipelineStages`` replaces the stage model only when it differs from the model in use.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from graphsvc.domain.changes import ChangeSet
from graphsvc.domain.compact import built, shared_fields_set
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
from graphsvc.domain.rows import RelationshipRow
from graphsvc.services.writes.stored_state import StoredLines, StoredState, stored_form
from graphsvc.store.compare import same_relationship

__all__ = ["Changes", "document_changes", "stored_form"]


@dataclass
class Changes:
    """The change set and, per document list, how many records it writes."""

    change_set: ChangeSet
    counts: dict[str, int] = field(default_factory=dict)
    removed: int = 0
    """Stored solid REPORTS_TO lines deleted because a ``reportsToId`` replaced them."""


_LINE_FIELDS = shared_fields_set(("type", "from_id", "to_id"))
"""The fields set of every ``reportsToId`` line: the fields it is built with."""


def reporting_lines(people: Iterable[PersonEntry]) -> Iterator[Relationship]:
    """The REPORTS_TO line of each of ``people`` that has a ``reportsToId``.

    Call only on a valid document (a person cannot report to themselves there): a line is
    built from the person's validated ids without validating them again
    (``domain.compact.built``), its fields set ``type``, ``from`` and ``to`` shared by all.
    """
    reports_to = RelationshipType.REPORTS_TO
    for p in people:
        if p.reports_to_id is not None:
            yield built(
                Relationship,
                {
                    "type": reports_to,
                    "from_id": p.id,
                    "to_id": p.reports_to_id,
                    "strength": None,
                    "last_contact_on": None,
                    "dotted": False,
                },
                _LINE_FIELDS,
            )


def _same_record(stored: Entity, record: Entity) -> bool:
    """``stored == stored_form(record)`` as pydantic compares records (same model, every
    field equal), on one C-level pass: each of the stored record's fields is among
    ``record``'s values.

    A record read from the store holds exactly its model's fields; ``record`` may hold keys
    beside them: a document's person entry holds its ``reports_to_id`` (pydantic's ``__eq__``
    would filter it out field by field: ~1.5 µs a person of a no-op re-import's 100,000), and
    is compared as the ``Person`` it is stored as without that view being built (a person
    left alone needs none). Records carry no private or extra values.
    """
    model = Person if type(record) is PersonEntry else type(record)
    return type(stored) is model and stored.__dict__.items() <= record.__dict__.items()


def _moved_reporting_lines(
    people: Iterable[PersonEntry],
    walked: StoredLines,
    stored_lines: Mapping[RelationshipKey, Relationship],
) -> list[PersonEntry]:
    """The people whose ``reportsToId`` line is not stored as it would be written (a line
    of the key alone: no strength or contact date, solid).
    A stored line is its row (``StoredState.reporting``) or, for a person whose lines were
    not walked, its record.

    The comparison needs no line: on a no-op re-import of 100k people, building each one
    only to find it stored (``same_relationship``) took ~0.2 s.
    """
    reports_to = RelationshipType.REPORTS_TO
    moved = []
    for p in people:
        if p.reports_to_id is None:
            continue
        key = (reports_to, p.id, p.reports_to_id)  # REPORTS_TO is directed: its ends as given
        line: RelationshipRow | Relationship | None = walked.get(key) or stored_lines.get(key)
        if (
            line is None
            or line.strength is not None
            or line.last_contact_on is not None
            or line.dotted
        ):
            moved.append(p)
    return moved


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
        new = stored.new.get(kind)  # None: not compared by the store
        upserts: list[Entity] = []
        for record in records:
            before = known.get(record.id)
            if before is None:
                # Compared by the store and not new: stored as given (``StoredState.new``).
                if new is None or record.id in new:
                    upserts.append(stored_form(record))
            elif not _same_record(before, record):
                upserts.append(stored_form(record))
        changes.upserts[kind] = upserts
        counts[kind.value] = len(upserts)

    stored_lines, new_lines = stored.relationships, stored.new_relationships
    walked = stored.reporting
    reports_to = RelationshipType.REPORTS_TO
    if stored_lines or new_lines is not None or walked:
        for line in doc.relationships:
            # Each line's key is made once (a property: 4 calls a line cost 0.3 s at 100k).
            key = line.key
            stored_line = stored_lines.get(key)
            if stored_line is None:
                if new_lines is None or key in new_lines:  # else stored as given
                    changes.relationships.append(line)
            elif not same_relationship(line, stored_line):
                changes.relationships.append(line)
        moved = _moved_reporting_lines(doc.people, walked, stored_lines)
        changes.relationships.extend(reporting_lines(moved))
    else:  # nothing to compare with (an import into an empty workspace)
        changes.relationships.extend(doc.relationships)
        changes.relationships.extend(reporting_lines(doc.people))
    counts["relationships"] = len(changes.relationships)
    managers = stored.known.solid_managers
    if managers:  # stored solid lines that a reportsToId (or clearing it) replaces
        # A stored line stays when the person's reportsToId names it or the document writes
        # it as a relationship of its own: only REPORTS_TO keys are kept to ask (a set of
        # every key the document writes was 2M keys at a million people).
        own_lines = {key for line in doc.relationships if (key := line.key)[0] is reports_to}
        replaced = ((p.id, p.reports_to_id) for p in doc.people if p.reports_to_id is not None)
        for person_id, kept in itertools.chain(replaced, ((i, None) for i in clear_managers)):
            for manager in managers.get(person_id, ()):
                key = relationship_key(reports_to, person_id, manager)
                if manager != kept and key not in own_lines:
                    changes.relationship_deletes.append(key)

    changes.decision_rights = [
        right for right in doc.decision_rights if stored.decision_rights.get(right.key) != right
    ]
    counts["decisionRights"] = len(changes.decision_rights)
    if doc.pipeline_stages is not None and tuple(doc.pipeline_stages) != stored.known.stage_model:
        changes.pipeline_stages = list(doc.pipeline_stages)
        counts["pipelineStages"] = 1
    return Changes(changes, counts, removed=len(changes.relationship_deletes))

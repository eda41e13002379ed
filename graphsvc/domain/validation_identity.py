"""Identity rules within one document: no id twice per kind, no relationship or right twice.

A document is an upsert keyed by identity, so two records with the same identity would make
the result depend on their order; they are refused instead (CONTRACT §3).
"""

from __future__ import annotations

from collections.abc import Sequence

from graphsvc.domain.enums import EntityKind, RelationshipType
from graphsvc.domain.labels import KIND_NOUN, decision_right_label, relationship_label
from graphsvc.domain.models import (
    DecisionRightKey,
    Entity,
    GraphDocument,
    Relationship,
    RelationshipKey,
)
from graphsvc.errors import Issue

__all__ = ["duplicate_ids", "duplicate_keys"]


def _lists(doc: GraphDocument) -> list[tuple[EntityKind, Sequence[Entity]]]:
    return [
        (EntityKind.ORGANIZATION, doc.organizations),
        (EntityKind.DEPARTMENT, doc.departments),
        (EntityKind.PERSON, doc.people),
        (EntityKind.SYSTEM, doc.systems),
        (EntityKind.OPPORTUNITY, doc.opportunities),
    ]


def duplicate_ids(doc: GraphDocument) -> list[Issue]:
    """One issue for every record whose id an earlier record of the same kind already has."""
    issues: list[Issue] = []
    for kind, records in _lists(doc):
        first: dict[str, int] = {}
        for i, record in enumerate(records):
            earlier = first.setdefault(record.id, i)
            if earlier != i:
                issues.append(
                    Issue(
                        f"{kind.value}[{i}].id",
                        record.id,
                        f"duplicate id: {KIND_NOUN[kind]} {record.id!r} "
                        f"is already {kind.value}[{earlier}]",
                    )
                )
    return issues


def duplicate_keys(doc: GraphDocument) -> list[Issue]:
    """Relationships (``reportsToId`` lines included) and decision rights given twice.

    Kept small for a million people: a person's line is found through the person's first
    position (a repeated person is already a duplicate id; its line is not a second problem),
    not a key per line, and the relationships seen are a set until one is seen twice (only
    then are their first positions needed, for the message). A key and position per line
    and per relationship were ~0.2 GB of a million-person re-import's peak (bench/README.md,
    "Import, round eight").
    """
    issues: list[Issue] = []
    people = doc.people
    first_person: dict[str, int] = {}
    for i, p in enumerate(people):
        first_person.setdefault(p.id, i)
    reports_to = RelationshipType.REPORTS_TO
    seen: set[RelationshipKey] = set()
    firsts: dict[RelationshipKey, int] | None = None  # each key's first position, once needed
    relationships = doc.relationships
    for i, r in enumerate(relationships):
        key = r.key
        # Positions, not paths: a path is written only for an issue (215k f-strings at 100k).
        if (
            r.type is reports_to
            and (person := first_person.get(r.from_id)) is not None
            and people[person].reports_to_id == r.to_id  # REPORTS_TO is directed
        ):
            earlier = f"people[{person}].reportsToId"
        elif firsts is not None:
            first = firsts.setdefault(key, i)
            if first == i:
                continue
            earlier = f"relationships[{first}]"
        elif key not in seen:
            seen.add(key)
            continue
        else:
            firsts = _first_positions(relationships[:i], seen)
            seen = set()
            earlier = f"relationships[{firsts[key]}]"
        mutual = (
            " (KNOWS is mutual: a–b and b–a are one relationship)"
            if r.type is RelationshipType.KNOWS
            else ""
        )
        issues.append(
            Issue(
                f"relationships[{i}]",
                relationship_label(r),
                f"duplicate relationship: the same type, from and to as {earlier}{mutual}",
            )
        )
    rights: dict[DecisionRightKey, int] = {}
    for i, right in enumerate(doc.decision_rights):
        first = rights.setdefault(right.key, i)
        if first != i:
            issues.append(
                Issue(
                    f"decisionRights[{i}]",
                    decision_right_label(right),
                    "duplicate decision right: the same person, scope, area (ignoring case) "
                    f"and role as decisionRights[{first}]",
                )
            )
    return issues


def _first_positions(
    relationships: Sequence[Relationship], seen: set[RelationshipKey]
) -> dict[RelationshipKey, int]:
    """The first position in ``relationships`` of each key of ``seen``."""
    firsts: dict[RelationshipKey, int] = {}
    for i, r in enumerate(relationships):
        if (key := r.key) in seen:
            firsts.setdefault(key, i)
    return firsts

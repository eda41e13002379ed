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
    """Relationships (``reportsToId`` lines included) and decision rights given twice."""
    issues: list[Issue] = []
    # Positions, not paths: a path is written only for an issue (215k f-strings at 100k).
    people_lines: dict[RelationshipKey, int] = {}
    reports_to = RelationshipType.REPORTS_TO
    seen_people: set[str] = set()
    for i, p in enumerate(doc.people):
        # A repeated person is already a duplicate id; its line is not a second problem.
        if p.id in seen_people:
            continue
        seen_people.add(p.id)
        if p.reports_to_id is not None:
            # REPORTS_TO is directed: the key is the type, from and to as they are.
            people_lines[(reports_to, p.id, p.reports_to_id)] = i
    lines: dict[RelationshipKey, int] = {}
    for i, r in enumerate(doc.relationships):
        key = r.key
        person = people_lines.get(key)
        if person is not None:
            earlier = f"people[{person}].reportsToId"
        else:
            first = lines.setdefault(key, i)
            if first == i:
                continue
            earlier = f"relationships[{first}]"
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

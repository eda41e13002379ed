"""Deletes: what a record's removal takes with it, or what still holds on to it.

A person takes their relationships and decision rights along (they mean nothing without
the person). An organization or a department is refused with ``Conflict`` while anything
still points at it, naming what: deleting it would otherwise leave dangling references or
silently destroy an account plan. Systems and opportunities are leaves.
"""

from __future__ import annotations

from graphsvc.domain.changes import ChangeSet
from graphsvc.domain.enums import EntityKind
from graphsvc.domain.labels import KIND_NOUN, bounded_list, decision_right_label, id_list
from graphsvc.domain.listing import ListQuery
from graphsvc.errors import Conflict
from graphsvc.store.base import GraphStore

__all__ = ["deletion"]

_SHOWN = 5
"""Referencing records named per kind in a Conflict message."""

_REFERENCES: dict[EntityKind, list[tuple[str, EntityKind, str]]] = {
    EntityKind.ORGANIZATION: [
        ("child organizations", EntityKind.ORGANIZATION, "parentId"),
        ("departments", EntityKind.DEPARTMENT, "organizationId"),
        ("people", EntityKind.PERSON, "organizationId"),
        ("systems", EntityKind.SYSTEM, "organizationId"),
        ("opportunities", EntityKind.OPPORTUNITY, "organizationId"),
    ],
    EntityKind.DEPARTMENT: [
        ("child departments", EntityKind.DEPARTMENT, "parentId"),
        ("people", EntityKind.PERSON, "departmentId"),
        ("systems", EntityKind.SYSTEM, "departmentIds"),
        ("opportunities", EntityKind.OPPORTUNITY, "departmentId"),
    ],
}
"""For kinds others point at: (what, kind of the referrer, its field holding the id)."""


async def deletion(store: GraphStore, workspace: str, kind: EntityKind, id: str) -> ChangeSet:
    """The change set deleting record ``id`` of ``kind`` (which exists), or ``Conflict``."""
    changes = ChangeSet(deletes={kind: [id]})
    if kind is EntityKind.PERSON:
        lines = await store.relationships(workspace, [id])
        changes.relationship_deletes = [line.key for line in lines]
        rights = await store.decision_rights(workspace, person_ids=[id])
        changes.decision_right_deletes = [right.key for right in rights]
        return changes
    references = _REFERENCES.get(kind)
    if references is None:
        return changes
    held: list[str] = []
    for what, referrer, field in references:
        query = ListQuery(where={field: [id]}, limit=_SHOWN)
        total = await store.count(workspace, referrer, query)
        if total:
            shown = [r.id for r in await store.page(workspace, referrer, query)]
            rest = f" and {total - len(shown)} more" if total > len(shown) else ""
            held.append(f"{what} {id_list(shown, _SHOWN)}{rest}")
    rights = await store.decision_rights(workspace, scope_ids=[id])
    if rights:
        labels = (decision_right_label(r) for r in rights)
        held.append(f"decision rights {bounded_list(labels, _SHOWN)}")
    if held:
        raise Conflict(
            f"{KIND_NOUN[kind]} {id!r} is still referenced by {'; '.join(held)}; "
            "delete or move them first"
        )
    return changes

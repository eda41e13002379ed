"""Plans of removals: a record with what it takes along, a relationship, a decision right.

Each is refused with ``NotFound`` when there is nothing to remove. A person takes their
relationships and decision rights along (they mean nothing without the person). An
organization or a department is refused with ``Conflict`` while anything still points at
it, naming what: deleting it would otherwise leave dangling references or silently destroy
an account plan. So is one of our people who still owns opportunities. Systems and
opportunities are leaves.
"""

from __future__ import annotations

from graphsvc.domain.changes import ChangeSet
from graphsvc.domain.enums import BuyingRole, EntityKind
from graphsvc.domain.labels import KIND_NOUN, bounded_list, decision_right_label, id_list
from graphsvc.domain.listing import ListQuery
from graphsvc.domain.models import DecisionRightKey, Entity, Opportunity, Person, RelationshipKey
from graphsvc.errors import Conflict, InvalidInput, NotFound
from graphsvc.services.writes.commit import Plan
from graphsvc.services.writes.log import Before
from graphsvc.store.base import GraphReader

__all__ = ["decision_right_key", "deletion_plan", "revoke_plan", "unlink_plan"]

_SHOWN = 5
"""Referencing records named per kind in a Conflict message."""

_OWNER_PAGE = 10_000
"""Opportunities read per page when looking for the deals a person owns."""

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


async def deletion_plan(reader: GraphReader, workspace: str, kind: EntityKind, id: str) -> Plan:
    """Delete record ``id`` of ``kind``; ``NotFound`` if none, ``Conflict`` while referenced."""
    stored = await reader.get(workspace, kind, [id])
    if not stored:
        raise NotFound(f"no {KIND_NOUN[kind]} with id {id!r}")
    record = stored[id]
    if isinstance(record, Person):
        await _refuse_owner(reader, workspace, record)
    return await _deletion(reader, workspace, kind, id, stored)


async def _refuse_owner(reader: GraphReader, workspace: str, person: Person) -> None:
    """``Conflict`` while one of our people still owns opportunities (CONTRACT §7's
    ``ownerId``): their deals must be handed over first, not left with an owner who is gone.

    Only people of our SELF organization can own deals, so only their deletion reads the
    opportunities (page by page: ``ownerId`` is not a filter of the stores).
    """
    ours = await reader.find(workspace, EntityKind.ORGANIZATION, {"kind": ["SELF"]})
    if person.organization_id not in {o.id for o in ours}:
        return
    owned: list[str] = []
    after: str | None = None
    while True:
        page = await reader.page(
            workspace, EntityKind.OPPORTUNITY, ListQuery(after=after, limit=_OWNER_PAGE)
        )
        owned.extend(o.id for o in page if isinstance(o, Opportunity) and o.owner_id == person.id)
        if len(page) < _OWNER_PAGE:
            break
        after = page[-1].id
    if owned:
        raise Conflict(
            f"person {person.id!r} still owns opportunities {id_list(owned, _SHOWN)}; "
            "give them another ownerId first"
        )


async def unlink_plan(
    reader: GraphReader, workspace: str, key: RelationshipKey, from_id: str, to_id: str
) -> Plan:
    """Delete relationship ``key`` (written ``from_id``→``to_id``); ``NotFound`` if none."""
    stored = await reader.get_relationships(workspace, [key])
    if not stored:
        raise NotFound(f"no {key[0].value} relationship {from_id}→{to_id}")
    return Plan(ChangeSet(relationship_deletes=[key]), {}, 0, Before(relationships=stored))


def decision_right_key(right_key: tuple[str, str, str, str]) -> DecisionRightKey:
    """The key of (personId, scopeId, area, role): the area casefolded, as in a right's key."""
    person_id, scope_id, area, role_name = right_key
    try:
        role = BuyingRole(role_name)
    except ValueError:
        choices = ", ".join(BuyingRole)
        raise InvalidInput(f"role {role_name!r} is not one of {choices}") from None
    return (person_id, scope_id, area.casefold(), role)


async def revoke_plan(
    reader: GraphReader, workspace: str, key: DecisionRightKey, area: str
) -> Plan:
    """Delete decision right ``key`` (``area`` as written); ``NotFound`` if none."""
    person_id, scope_id, _area, role = key
    rights = await reader.decision_rights(workspace, [person_id], [scope_id])
    stored = {right.key: right for right in rights if right.key == key}
    if not stored:
        raise NotFound(f"no decision right {person_id}/{scope_id}/{area}/{role.value} to revoke")
    return Plan(ChangeSet(decision_right_deletes=[key]), {}, 0, Before(decision_rights=stored))


async def _deletion(
    reader: GraphReader, workspace: str, kind: EntityKind, id: str, stored: dict[str, Entity]
) -> Plan:
    """The plan deleting record ``id`` of ``kind`` (``stored``), or ``Conflict``."""
    changes = ChangeSet(deletes={kind: [id]})
    before = Before(records={kind: stored})
    if kind is EntityKind.PERSON:
        lines = await reader.relationships(workspace, [id])
        changes.relationship_deletes = [line.key for line in lines]
        rights = await reader.decision_rights(workspace, person_ids=[id])
        changes.decision_right_deletes = [right.key for right in rights]
        before.relationships = {line.key: line for line in lines}
        before.decision_rights = {right.key: right for right in rights}
        return Plan(changes, {}, 0, before)
    references = _REFERENCES.get(kind)
    if references is None:
        return Plan(changes, {}, 0, before)
    held: list[str] = []
    for what, referrer, field in references:
        query = ListQuery(where={field: [id]}, limit=_SHOWN)
        total = await reader.count(workspace, referrer, query)
        if total:
            shown = [r.id for r in await reader.page(workspace, referrer, query)]
            rest = f" and {total - len(shown)} more" if total > len(shown) else ""
            held.append(f"{what} {id_list(shown, _SHOWN)}{rest}")
    rights = await reader.decision_rights(workspace, scope_ids=[id])
    if rights:
        labels = (decision_right_label(r) for r in rights)
        held.append(f"decision rights {bounded_list(labels, _SHOWN)}")
    if held:
        raise Conflict(
            f"{KIND_NOUN[kind]} {id!r} is still referenced by {'; '.join(held)}; "
            "delete or move them first"
        )
    return Plan(changes, {}, 0, before)

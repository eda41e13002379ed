"""The list queries' use case: filtered pages of every kind, each in one stable order.

- Id-keyed kinds page in the store: keyset pages in id order, one record more than asked
  telling whether a next page exists. A filter on an organization matches its organization
  scope (``domain.scope``, the same rule as the analytic queries): the organization alone,
  or with ``include_subsidiaries`` everything below it, and an unknown organization is
  ``NotFound`` there as here.
- Every relationship (no person, no organization) pages in the store by key, a count apart.
  Relationships of a person or a scope and decision rights are read whole for their filter
  (the store narrows them by person or scope) and paged here by key, keys compared as
  tuples.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Protocol, TypeVar

from graphsvc.analytics.vocabulary import normalized
from graphsvc.domain.enums import BuyingRole, EntityKind, RelationshipType
from graphsvc.domain.listing import FilterValue, ListQuery, Page
from graphsvc.domain.models import ENTITY_MODELS, DecisionRight, Entity, Organization, Relationship
from graphsvc.domain.scope import organizations_in_scope
from graphsvc.store.base import GraphStore

__all__ = ["ListingService"]

E = TypeVar("E", bound=Entity)
_KIND_OF: dict[type[object], EntityKind] = {model: kind for kind, model in ENTITY_MODELS.items()}


class _Keyed(Protocol):
    @property
    def key(self) -> tuple[str, ...]: ...


K = TypeVar("K", bound=_Keyed)


class ListingService:
    """Pages of records, relationships and decision rights of a workspace."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store

    async def records(
        self,
        workspace: str,
        model: type[E],
        *,
        first: int,
        after: str | None = None,
        where: Mapping[str, Sequence[FilterValue]] | None = None,
        search: str | None = None,
        organization_id: str | None = None,
        include_subsidiaries: bool = False,
    ) -> Page[E]:
        """Up to ``first`` records of ``model``'s kind with ids after ``after``, in id order.

        ``where`` and ``search`` are those of a ``ListQuery``; ``organization_id`` narrows
        the records to the organization's scope (``NotFound`` for an unknown organization).
        """
        kind = _KIND_OF[model]
        matching = dict(where or {})
        if organization_id is not None:
            scope = await self.organization_scope(
                workspace, organization_id, include_subsidiaries=include_subsidiaries
            )
            matching["organizationId"] = list(scope)
        query = ListQuery(where=matching, search=search, after=after, limit=first + 1)
        found = [r for r in await self.store.page(workspace, kind, query) if isinstance(r, model)]

        async def total() -> int:
            return await self.store.count(workspace, kind, query)

        return Page(found[:first], len(found) > first, total)

    async def organization_scope(
        self, workspace: str, organization_id: str, *, include_subsidiaries: bool
    ) -> tuple[str, ...]:
        """The organization scope's ids, from one read of the store (CONTRACT §5).

        With subsidiaries, every organization of the workspace is read once (a generated
        million-person workspace has about 200) rather than one query per level below.
        """
        if include_subsidiaries:
            read = await self.store.find(workspace, EntityKind.ORGANIZATION, {})
        else:
            one = await self.store.get(workspace, EntityKind.ORGANIZATION, [organization_id])
            read = list(one.values())
        found = [o for o in read if isinstance(o, Organization)]
        children: dict[str, list[str]] = {}
        for o in found:
            if o.parent_id is not None:
                children.setdefault(o.parent_id, []).append(o.id)
        return organizations_in_scope(
            organization_id,
            children,
            known={o.id for o in found},
            include_subsidiaries=include_subsidiaries,
        )

    async def relationships(
        self,
        workspace: str,
        *,
        first: int,
        after: tuple[str, ...] | None = None,
        person_id: str | None = None,
        types: Sequence[RelationshipType] | None = None,
        organization_id: str | None = None,
        include_subsidiaries: bool = True,
    ) -> Page[Relationship]:
        """Up to ``first`` relationships after the key ``after``, in key (type, from, to) order,
        touching ``person_id``, of ``types``, and with both ends among the people of
        ``organization_id``'s scope when given (``NotFound`` for an unknown organization).

        The scope's people are read once and their relationships in one store call, so a
        power map costs a read per page, not one per person.
        """
        if organization_id is None:
            if person_id is None:
                return await self._relationship_page(workspace, after, first, types)
            found = await self.store.relationships(workspace, [person_id], types)
            return _after_key(found, after, first)
        kept = await self.scope_relationships(
            workspace,
            organization_id,
            include_subsidiaries=include_subsidiaries,
            person_id=person_id,
            types=types,
        )
        return _after_key(kept, after, first)

    async def _relationship_page(
        self,
        workspace: str,
        after: tuple[str, ...] | None,
        first: int,
        types: Sequence[RelationshipType] | None,
    ) -> Page[Relationship]:
        """A page of every relationship (of ``types``) read by key in the store: the one
        list that grows with the workspace, so it is never read whole (a page of 50 at 100k
        people decoded all 230k relationships)."""
        found = await self.store.relationship_page(
            workspace, after=_three_parts(after), first=first + 1, types=types
        )

        async def total() -> int:
            return await self.store.count_relationships(workspace, types)

        return Page(found[:first], len(found) > first, total)

    async def scope_relationships(
        self,
        workspace: str,
        organization_id: str,
        *,
        include_subsidiaries: bool = True,
        person_id: str | None = None,
        types: Sequence[RelationshipType] | None = None,
    ) -> list[Relationship]:
        """Every relationship with both ends among the people of ``organization_id``'s scope
        (``NotFound`` for an unknown organization), touching ``person_id`` and of ``types``
        when given, in key (type, from, to) order: the lines of a power map, whole.
        """
        scope = await self.organization_scope(
            workspace, organization_id, include_subsidiaries=include_subsidiaries
        )
        people = await self.store.find(
            workspace, EntityKind.PERSON, {"organizationId": list(scope)}
        )
        inside = {p.id for p in people}
        if person_id is not None and person_id not in inside:
            return []
        asked = [person_id] if person_id is not None else sorted(inside)
        found = await self.store.relationships(workspace, asked, types) if asked else []
        kept = [r for r in found if r.from_id in inside and r.to_id in inside]
        return sorted(kept, key=lambda r: r.key)

    async def decision_rights(
        self,
        workspace: str,
        *,
        first: int,
        after: tuple[str, ...] | None = None,
        person_id: str | None = None,
        scope_id: str | None = None,
        area: str | None = None,
        roles: Collection[BuyingRole] | None = None,
    ) -> Page[DecisionRight]:
        """Up to ``first`` decision rights after the key ``after``, in key (person, scope,
        area, role) order, held by ``person_id``, scoped to ``scope_id``, for ``area`` (any
        case, spaces at either end ignored, as ``decisionMakers`` matches it) and of ``roles``
        when given."""
        found = await self.store.decision_rights(
            workspace,
            [person_id] if person_id is not None else None,
            [scope_id] if scope_id is not None else None,
        )
        wanted = normalized(area) if area is not None else None
        kept = [
            r
            for r in found
            if (wanted is None or r.area.casefold() == wanted)
            and (roles is None or r.role in roles)
        ]
        return _after_key(kept, after, first)


def _three_parts(after: tuple[str, ...] | None) -> tuple[str, str, str] | None:
    """``after`` as a (type, from, to) position selecting the same keys: ids are never
    empty, so a shorter cursor ends in empty parts and a longer one's extra parts only
    exclude the key they extend."""
    if not after:
        return None
    padded = (*after, "", "")
    return padded[0], padded[1], padded[2]


def _after_key(records: Sequence[K], after: tuple[str, ...] | None, first: int) -> Page[K]:
    """A page of an in-memory list: up to ``first`` records with keys after ``after``."""
    ordered = sorted(records, key=lambda r: r.key)
    rest = [r for r in ordered if after is None or r.key > after][: first + 1]
    count = len(records)

    async def total() -> int:
        return count

    return Page(rest[:first], len(rest) > first, total)

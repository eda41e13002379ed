"""The list queries: one Relay-style connection per kind, with filters.

The id-keyed kinds page in the store (keyset pages in id order). Relationships and decision
rights are read whole for the filter (narrow it by person or scope) and paged here, in key
order, with the same cursors.
"""

# strawberry.field(description=...) is typed as returning Any; the resolvers stay typed.
# mypy: disable-error-code="untyped-decorator"

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Annotated, TypeVar

import strawberry

from graphsvc.api.graphql.connections import (
    DEFAULT_PAGE,
    Connection,
    decode_cursor,
    encode_cursor,
    page_size,
)
from graphsvc.api.graphql.context import Info
from graphsvc.api.graphql.filters import (
    DecisionRightFilter,
    DepartmentFilter,
    OpportunityFilter,
    OrganizationFilter,
    PersonFilter,
    RelationshipFilter,
    SystemFilter,
    Where,
)
from graphsvc.api.graphql.types import (
    DecisionRight,
    Department,
    InstalledSystem,
    Opportunity,
    Organization,
    Person,
    Relationship,
)
from graphsvc.domain import models
from graphsvc.domain.enums import EntityKind
from graphsvc.domain.listing import FilterValue
from graphsvc.domain.listing import ListQuery as StoreListQuery

E = TypeVar("E", bound=models.Entity)
N = TypeVar("N")
R = TypeVar("R")

First = Annotated[
    int | None,
    strawberry.argument(description="At most this many nodes (default 50, at most 500)."),
]
After = Annotated[
    str | None, strawberry.argument(description="The endCursor of the previous page.")
]


@strawberry.type
class ListQuery:
    """Paginated, filtered lists of every kind."""

    @strawberry.field(description="Organizations in id order.")
    async def organizations(
        self,
        info: Info,
        filter: OrganizationFilter | None = None,
        first: First = DEFAULT_PAGE,
        after: After = None,
    ) -> Connection[Organization]:
        f = filter or OrganizationFilter()
        return await _page(
            info, EntityKind.ORGANIZATION, models.Organization, Organization.from_record,
            f.where(), f.search, first, after,
        )  # fmt: skip

    @strawberry.field(description="Departments in id order.")
    async def departments(
        self,
        info: Info,
        filter: DepartmentFilter | None = None,
        first: First = DEFAULT_PAGE,
        after: After = None,
    ) -> Connection[Department]:
        f = filter or DepartmentFilter()
        where = await _in_organizations(info, f.where(), f.organization_id, f.include_subsidiaries)
        return await _page(
            info, EntityKind.DEPARTMENT, models.Department, Department.from_record,
            where, f.search, first, after,
        )  # fmt: skip

    @strawberry.field(description="People in id order.")
    async def people(
        self,
        info: Info,
        filter: PersonFilter | None = None,
        first: First = DEFAULT_PAGE,
        after: After = None,
    ) -> Connection[Person]:
        f = filter or PersonFilter()
        where = await _in_organizations(info, f.where(), f.organization_id, f.include_subsidiaries)
        return await _page(
            info, EntityKind.PERSON, models.Person, Person.from_record,
            where, f.search, first, after,
        )  # fmt: skip

    @strawberry.field(description="Installed systems in id order.")
    async def systems(
        self,
        info: Info,
        filter: SystemFilter | None = None,
        first: First = DEFAULT_PAGE,
        after: After = None,
    ) -> Connection[InstalledSystem]:
        f = filter or SystemFilter()
        where = await _in_organizations(info, f.where(), f.organization_id, f.include_subsidiaries)
        return await _page(
            info, EntityKind.SYSTEM, models.InstalledSystem, InstalledSystem.from_record,
            where, f.search, first, after,
        )  # fmt: skip

    @strawberry.field(description="Opportunities in id order.")
    async def opportunities(
        self,
        info: Info,
        filter: OpportunityFilter | None = None,
        first: First = DEFAULT_PAGE,
        after: After = None,
    ) -> Connection[Opportunity]:
        f = filter or OpportunityFilter()
        where = await _in_organizations(info, f.where(), f.organization_id, f.include_subsidiaries)
        return await _page(
            info, EntityKind.OPPORTUNITY, models.Opportunity, Opportunity.from_record,
            where, f.search, first, after,
        )  # fmt: skip

    @strawberry.field(description="Relationships in key order (type, from, to).")
    async def relationships(
        self,
        info: Info,
        filter: RelationshipFilter | None = None,
        first: First = DEFAULT_PAGE,
        after: After = None,
    ) -> Connection[Relationship]:
        f = filter or RelationshipFilter()
        ctx = info.context
        found = await ctx.services.graph.relationships(
            ctx.workspace,
            person_ids=[f.person_id] if f.person_id is not None else None,
            types=f.type,
        )
        return _slice(found, lambda r: list(r.key), Relationship.from_record, first, after)

    @strawberry.field(description="Decision rights in key order (person, scope, area, role).")
    async def decision_rights(
        self,
        info: Info,
        filter: DecisionRightFilter | None = None,
        first: First = DEFAULT_PAGE,
        after: After = None,
    ) -> Connection[DecisionRight]:
        f = filter or DecisionRightFilter()
        ctx = info.context
        found = await ctx.services.graph.decision_rights(
            ctx.workspace,
            person_ids=[f.person_id] if f.person_id is not None else None,
            scope_ids=[f.scope_id] if f.scope_id is not None else None,
        )
        area = f.area.casefold() if f.area is not None else None
        kept = [
            r
            for r in found
            if (area is None or r.area.casefold() == area) and (f.role is None or r.role in f.role)
        ]
        return _slice(kept, lambda r: list(r.key), DecisionRight.from_record, first, after)


async def _page(
    info: Info,
    kind: EntityKind,
    model: type[E],
    convert: Callable[[E], N],
    where: Where,
    search: str | None,
    first: int | None,
    after: str | None,
) -> Connection[N]:
    """One store page; one record more than asked tells whether a next page exists."""
    size = page_size(first)
    ctx = info.context
    query = StoreListQuery(where=where, search=search, after=decode_cursor(after), limit=size + 1)
    found = await ctx.services.graph.page(ctx.workspace, kind, query)
    records = [r for r in found if isinstance(r, model)]

    async def count() -> int:
        return await ctx.services.graph.count(ctx.workspace, kind, query)

    return Connection.build(
        [convert(r) for r in records], [encode_cursor(r.id) for r in records], size, count
    )


def _slice(
    records: Sequence[R],
    key: Callable[[R], list[str]],
    convert: Callable[[R], N],
    first: int | None,
    after: str | None,
) -> Connection[N]:
    """A page of an in-memory list, positioned by each record's key."""
    size = page_size(first)
    start = decode_cursor(after)
    positioned = sorted(
        ((json.dumps(key(r), ensure_ascii=False), r) for r in records), key=lambda pr: pr[0]
    )
    rest = [(p, r) for p, r in positioned if start is None or p > start][: size + 1]
    total = len(records)

    async def count() -> int:
        return total

    return Connection.build(
        [convert(r) for _, r in rest], [encode_cursor(p) for p, _ in rest], size, count
    )


async def _in_organizations(
    info: Info, where: Where, organization_id: str | None, include_subsidiaries: bool
) -> Where:
    """``where`` narrowed to one organization, or to it and everything below it."""
    if organization_id is None:
        return where
    scope = [organization_id]
    if include_subsidiaries:
        scope = await organization_scope(info, organization_id)
    organizations: list[FilterValue] = list(scope)
    return {**where, "organizationId": organizations}


async def organization_scope(info: Info, organization_id: str) -> list[str]:
    """The organization and every organization below it through parentId (CONTRACT §5)."""
    ctx = info.context
    seen = [organization_id]
    frontier: list[str] = [organization_id]
    while frontier:
        below = await ctx.services.graph.find(
            ctx.workspace, EntityKind.ORGANIZATION, {"parentId": list(frontier)}
        )
        frontier = [o.id for o in below if o.id not in seen]
        seen.extend(frontier)
    return seen

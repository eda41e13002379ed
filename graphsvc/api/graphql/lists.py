"""The list queries: one Relay-style connection per kind, with filters.

Resolvers map their arguments to ``ListingService`` (``services.listing``), which owns the
rules (organization scope, filters, order and paging), and its domain pages to connections.
"""

# strawberry.field(description=...) is typed as returning Any; the resolvers stay typed.
# mypy: disable-error-code="untyped-decorator"

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Annotated, TypeVar

import strawberry
from strawberry.types.nodes import SelectedField, Selection

from graphsvc.api.graphql.connections import (
    DEFAULT_PAGE,
    Connection,
    decode_cursor,
    decode_key_cursor,
    encode_cursor,
    encode_key_cursor,
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
from graphsvc.services.listing import ListingService

E = TypeVar("E", bound=models.Entity)
N = TypeVar("N")

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
        return await _records(
            info, models.Organization, Organization.from_record, first, after, f.where(), f.search
        )

    @strawberry.field(description="Departments in id order.")
    async def departments(
        self,
        info: Info,
        filter: DepartmentFilter | None = None,
        first: First = DEFAULT_PAGE,
        after: After = None,
    ) -> Connection[Department]:
        f = filter or DepartmentFilter()
        return await _records(
            info, models.Department, Department.from_record, first, after,
            f.where(), f.search, f.organization_id, f.include_subsidiaries,
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
        found = await _records(
            info, models.Person, Person.from_record, first, after,
            f.where(), f.search, f.organization_id, f.include_subsidiaries,
        )  # fmt: skip
        await _read_neighbours(info, [edge.node.record for edge in found.edges])
        return found

    @strawberry.field(description="Installed systems in id order.")
    async def systems(
        self,
        info: Info,
        filter: SystemFilter | None = None,
        first: First = DEFAULT_PAGE,
        after: After = None,
    ) -> Connection[InstalledSystem]:
        f = filter or SystemFilter()
        return await _records(
            info, models.InstalledSystem, InstalledSystem.from_record, first, after,
            f.where(), f.search, f.organization_id, f.include_subsidiaries,
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
        return await _records(
            info, models.Opportunity, Opportunity.from_record, first, after,
            f.where(), f.search, f.organization_id, f.include_subsidiaries,
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
        page = await _listing(info).relationships(
            info.context.workspace,
            first=page_size(first),
            after=decode_key_cursor(after),
            person_id=f.person_id,
            types=f.type,
            organization_id=f.organization_id,
            include_subsidiaries=f.include_subsidiaries,
        )
        return Connection.of(page, Relationship.from_record, lambda r: encode_key_cursor(r.key))

    @strawberry.field(
        description="The lines of powerMap's people in one answer: every relationship with "
        "both ends among the people of the organization scope (with subsidiaries by default, "
        "as powerMap), in key order (type, from, to); the same set as relationships(filter: "
        "{organizationId}), unpaged, for front ends that draw the whole map. Read fromId and "
        "toId rather than from { id } and to { id }: they need no lookup of the people."
    )
    async def power_map_lines(
        self,
        info: Info,
        organization_id: strawberry.ID,
        include_subsidiaries: bool | None = True,
    ) -> list[Relationship]:
        found = await _listing(info).scope_relationships(
            info.context.workspace,
            str(organization_id),
            include_subsidiaries=include_subsidiaries is not False,  # null: the default
        )
        return [Relationship.from_record(r) for r in found]

    @strawberry.field(description="Decision rights in key order (person, scope, area, role).")
    async def decision_rights(
        self,
        info: Info,
        filter: DecisionRightFilter | None = None,
        first: First = DEFAULT_PAGE,
        after: After = None,
    ) -> Connection[DecisionRight]:
        f = filter or DecisionRightFilter()
        page = await _listing(info).decision_rights(
            info.context.workspace,
            first=page_size(first),
            after=decode_key_cursor(after),
            person_id=f.person_id,
            scope_id=f.scope_id,
            area=f.area,
            roles=f.role,
        )
        return Connection.of(page, DecisionRight.from_record, lambda r: encode_key_cursor(r.key))


async def _records(
    info: Info,
    model: type[E],
    convert: Callable[[E], N],
    first: int | None,
    after: str | None,
    where: Where,
    search: str | None,
    organization_id: str | None = None,
    include_subsidiaries: bool = False,
) -> Connection[N]:
    """A connection of an id-keyed kind, its cursors the records' ids."""
    page = await _listing(info).records(
        info.context.workspace,
        model,
        first=page_size(first),
        after=decode_cursor(after),
        where=where,
        search=search,
        organization_id=organization_id,
        include_subsidiaries=include_subsidiaries,
    )
    return Connection.of(page, convert, lambda r: encode_cursor(r.id))


async def _read_neighbours(info: Info, people: list[models.Person]) -> None:
    """Read the organizations and departments of a page's ``people`` into the loaders, if the
    query asks for them: each row's field then resolves without an await (``loaded``).

    The same one store read per kind the loaders would make, made before the rows resolve.
    """
    # selected_fields is this list field itself (once per occurrence in the query).
    asked = _node_fields(
        [s for field in _fields(info.selected_fields, None) for s in field.selections]
    )
    loaders = info.context.loaders
    reads: list[Awaitable[object]] = []
    if "organization" in asked:
        reads.append(loaders.organization.load_many(sorted({p.organization_id for p in people})))
    if "department" in asked:
        ids = sorted({p.department_id for p in people if p.department_id is not None})
        reads.append(loaders.department.load_many(ids))
    if reads:
        await asyncio.gather(*reads)


def _node_fields(selections: Sequence[Selection]) -> set[str]:
    """Names of the fields asked of ``edges { node { … } }`` below ``selections``, through
    fragments."""
    names: set[str] = set()
    for edges in _fields(selections, "edges"):
        for node in _fields(edges.selections, "node"):
            names.update(f.name for f in _fields(node.selections, None))
    return names


def _fields(selections: Sequence[Selection], name: str | None) -> list[SelectedField]:
    """The fields named ``name`` (any with None) among ``selections``, through fragments."""
    found: list[SelectedField] = []
    for selection in selections:
        if isinstance(selection, SelectedField):
            if name is None or selection.name == name:
                found.append(selection)
        else:  # a fragment spread or inline fragment
            found.extend(_fields(selection.selections, name))
    return found


def _listing(info: Info) -> ListingService:
    return info.context.services.listing

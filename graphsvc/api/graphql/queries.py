"""Entity lookups by id: ``organization(id)``, ``department(id)`` ... (null when not found)."""

# strawberry.field(description=...) is typed as returning Any; the resolvers stay typed.
# mypy: disable-error-code="untyped-decorator"

from __future__ import annotations

import strawberry

from graphsvc.api.graphql.context import Info
from graphsvc.api.graphql.types import (
    Department,
    InstalledSystem,
    Opportunity,
    Organization,
    Person,
)


@strawberry.type
class EntityQuery:
    """One record of each id-keyed kind by its id."""

    @strawberry.field(description="The organization with this id, or null.")
    async def organization(self, info: Info, id: strawberry.ID) -> Organization | None:
        found = await info.context.loaders.organization.load(id)
        return Organization.from_record(found) if found else None

    @strawberry.field(description="The department with this id, or null.")
    async def department(self, info: Info, id: strawberry.ID) -> Department | None:
        found = await info.context.loaders.department.load(id)
        return Department.from_record(found) if found else None

    @strawberry.field(description="The person with this id, or null.")
    async def person(self, info: Info, id: strawberry.ID) -> Person | None:
        found = await info.context.loaders.person.load(id)
        return Person.from_record(found) if found else None

    @strawberry.field(description="The installed system with this id, or null.")
    async def system(self, info: Info, id: strawberry.ID) -> InstalledSystem | None:
        found = await info.context.loaders.system.load(id)
        return InstalledSystem.from_record(found) if found else None

    @strawberry.field(description="The opportunity with this id, or null.")
    async def opportunity(self, info: Info, id: strawberry.ID) -> Opportunity | None:
        found = await info.context.loaders.opportunity.load(id)
        return Opportunity.from_record(found) if found else None

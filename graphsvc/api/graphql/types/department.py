"""``Department``: a unit of an organization; departments nest."""

# strawberry.field(description=...) is typed as returning Any; the resolvers stay typed.
# mypy: disable-error-code="untyped-decorator"

from __future__ import annotations

import strawberry

from graphsvc.api.graphql.context import Info
from graphsvc.api.graphql.types import links as _links
from graphsvc.api.graphql.types import organization as _organization
from graphsvc.api.graphql.types import person as _person
from graphsvc.api.graphql.types import pipeline as _pipeline
from graphsvc.api.graphql.types.refs import (
    DecisionRightRef,
    InstalledSystemRef,
    OpportunityRef,
    OrganizationRef,
    PersonRef,
)
from graphsvc.domain import models


@strawberry.type(
    description="A unit of an organization (部, 課 ...). Departments nest through parent."
)
class Department:
    id: strawberry.ID
    organization_id: strawberry.ID
    name: str
    function: str | None = strawberry.field(description="What the unit does: IT, Finance, HR ...")
    headcount: int | None
    parent_id: strawberry.ID | None = strawberry.field(
        description="The enclosing department's id; null for a top-level department."
    )
    record: strawberry.Private[models.Department]

    @classmethod
    def from_record(cls, record: models.Department) -> Department:
        """The GraphQL view of a stored department."""
        return cls(
            id=strawberry.ID(record.id),
            organization_id=strawberry.ID(record.organization_id),
            name=record.name,
            function=record.function,
            headcount=record.headcount,
            parent_id=strawberry.ID(record.parent_id) if record.parent_id else None,
            record=record,
        )

    @strawberry.field(description="The organization this department belongs to.")
    async def organization(self, info: Info) -> OrganizationRef:
        found = await info.context.loaders.organization.load(self.record.organization_id)
        if found is None:
            raise LookupError(
                f"department {self.record.id}: "
                f"organization {self.record.organization_id} is missing"
            )
        return _organization.Organization.from_record(found)

    @strawberry.field(description="The enclosing department; null for a top-level department.")
    async def parent(self, info: Info) -> Department | None:
        if self.record.parent_id is None:
            return None
        found = await info.context.loaders.department.load(self.record.parent_id)
        return Department.from_record(found) if found else None

    @strawberry.field(description="Departments directly inside this one.")
    async def children(self, info: Info) -> list[Department]:
        found = await info.context.loaders.children_of_department.load(self.record.id)
        return [Department.from_record(d) for d in found]

    @strawberry.field(description="People assigned to this department (not to its children).")
    async def people(self, info: Info) -> list[PersonRef]:
        found = await info.context.loaders.people_of_department.load(self.record.id)
        return [_person.Person.from_record(p) for p in found]

    @strawberry.field(description="Systems this department uses, ours and others'.")
    async def systems(self, info: Info) -> list[InstalledSystemRef]:
        found = await info.context.loaders.systems_of_department.load(self.record.id)
        return [_pipeline.InstalledSystem.from_record(s) for s in found]

    @strawberry.field(description="Our opportunities for this department, in any status.")
    async def opportunities(self, info: Info) -> list[OpportunityRef]:
        found = await info.context.loaders.opportunities_of_department.load(self.record.id)
        return [_pipeline.Opportunity.from_record(o) for o in found]

    @strawberry.field(description="Decision rights scoped to this department.")
    async def decision_rights(self, info: Info) -> list[DecisionRightRef]:
        found = await info.context.loaders.rights_in_scope.load(self.record.id)
        return [_links.DecisionRight.from_record(r) for r in found]

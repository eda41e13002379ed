"""``Organization``: a company and its place in a group (parent, subsidiaries, affiliates)."""

# strawberry.field(description=...) is typed as returning Any; the resolvers stay typed.
# mypy: disable-error-code="untyped-decorator"

from __future__ import annotations

import strawberry

from graphsvc.api.graphql.context import Info
from graphsvc.api.graphql.types import department as _department
from graphsvc.api.graphql.types import links as _links
from graphsvc.api.graphql.types import person as _person
from graphsvc.api.graphql.types import pipeline as _pipeline
from graphsvc.api.graphql.types.refs import (
    DecisionRightRef,
    DepartmentRef,
    InstalledSystemRef,
    OpportunityRef,
    PersonRef,
)
from graphsvc.domain import models
from graphsvc.domain.enums import OrganizationKind, ParentRelation


@strawberry.type(
    description="A company: ours (kind SELF), an account, a partner or a competitor. "
    "Groups are trees: an organization may hang below a parent as a SUBSIDIARY or AFFILIATE."
)
class Organization:
    id: strawberry.ID = strawberry.field(description="The user-chosen id (typically a CRM id).")
    name: str
    kind: OrganizationKind
    industry: str | None
    employees: int | None
    revenue: float | None = strawberry.field(description="Annual revenue, in any one currency.")
    parent_id: strawberry.ID | None = strawberry.field(
        description="The parent organization's id; null at the top of a group."
    )
    parent_relation: ParentRelation | None = strawberry.field(
        description="How this organization hangs below its parent (null without a parent)."
    )
    ownership: float | None = strawberry.field(
        description="The parent's share of this organization, in (0, 1]."
    )
    record: strawberry.Private[models.Organization]

    @classmethod
    def from_record(cls, record: models.Organization) -> Organization:
        """The GraphQL view of a stored organization."""
        return cls(
            id=strawberry.ID(record.id),
            name=record.name,
            kind=record.kind,
            industry=record.industry,
            employees=record.employees,
            revenue=record.revenue,
            parent_id=_id_or_none(record.parent_id),
            parent_relation=record.parent_relation,
            ownership=record.ownership,
            record=record,
        )

    @strawberry.field(description="The organization directly above this one in its group.")
    async def parent(self, info: Info) -> Organization | None:
        if self.record.parent_id is None:
            return None
        found = await info.context.loaders.organization.load(self.record.parent_id)
        return Organization.from_record(found) if found else None

    @strawberry.field(
        description="Organizations directly below this one (subsidiaries and affiliates); "
        "each tells its parentRelation and ownership."
    )
    async def subsidiaries(self, info: Info) -> list[Organization]:
        found = await info.context.loaders.subsidiaries.load(self.record.id)
        return [Organization.from_record(o) for o in found]

    @strawberry.field(
        description="The organization's departments: the top-level ones, or with all: true "
        "every department at any depth."
    )
    async def departments(self, info: Info, all: bool = False) -> list[DepartmentRef]:
        found = await info.context.loaders.departments_of_organization.load(self.record.id)
        return [_department.Department.from_record(d) for d in found if all or d.parent_id is None]

    @strawberry.field(description="Everybody employed by this organization (not its subsidiaries).")
    async def people(self, info: Info) -> list[PersonRef]:
        found = await info.context.loaders.people_of_organization.load(self.record.id)
        return [_person.Person.from_record(p) for p in found]

    @strawberry.field(description="Systems installed at this organization, ours and others'.")
    async def systems(self, info: Info) -> list[InstalledSystemRef]:
        found = await info.context.loaders.systems_of_organization.load(self.record.id)
        return [_pipeline.InstalledSystem.from_record(s) for s in found]

    @strawberry.field(description="Our opportunities at this organization, in any status.")
    async def opportunities(self, info: Info) -> list[OpportunityRef]:
        found = await info.context.loaders.opportunities_of_organization.load(self.record.id)
        return [_pipeline.Opportunity.from_record(o) for o in found]

    @strawberry.field(
        description="Decision rights scoped to this organization itself (not to its departments)."
    )
    async def decision_rights(self, info: Info) -> list[DecisionRightRef]:
        found = await info.context.loaders.rights_in_scope.load(self.record.id)
        return [_links.DecisionRight.from_record(r) for r in found]


def _id_or_none(value: str | None) -> strawberry.ID | None:
    return strawberry.ID(value) if value is not None else None

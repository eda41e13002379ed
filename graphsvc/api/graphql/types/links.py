"""``Relationship`` and ``DecisionRight``: the records keyed by who they connect."""

# strawberry.field(description=...) is typed as returning Any; the resolvers stay typed.
# mypy: disable-error-code="untyped-decorator"

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry

from graphsvc.api.graphql.context import Info
from graphsvc.api.graphql.types import department as _department
from graphsvc.api.graphql.types import organization as _organization
from graphsvc.api.graphql.types import person as _person
from graphsvc.api.graphql.types.refs import DepartmentRef, OrganizationRef, PersonRef
from graphsvc.domain import models
from graphsvc.domain.enums import BuyingRole, RelationshipType

_REFERRER = "relationship or right"

Scope = Annotated[
    OrganizationRef | DepartmentRef,
    strawberry.union(
        "Scope", description="Where a decision right applies: an organization or a department."
    ),
]


@strawberry.type(
    description="A tie between two people. INFLUENCES and REPORTS_TO point from the "
    "influencer / the report to the other person. KNOWS is mutual: from and to are as "
    "recorded, and (KNOWS, a, b) is the same relationship as (KNOWS, b, a). A relationship is "
    "identified by (type, from, to)."
)
class Relationship:
    type: RelationshipType
    strength: float | None = strawberry.field(
        description="Recorded strength in (0, 1]; null when not recorded."
    )
    effective_strength: float = strawberry.field(
        description="The strength used by contact routes: the recorded one, or the default "
        "for the type (KNOWS 0.5, INFLUENCES 0.5, REPORTS_TO solid 0.7, dotted 0.5)."
    )
    last_contact_on: date | None = strawberry.field(
        description="When one of the two people last spoke (for KNOWS)."
    )
    dotted: bool = strawberry.field(
        description="True for a dotted REPORTS_TO line (a secondary, informal-formal manager)."
    )
    record: strawberry.Private[models.Relationship]

    @classmethod
    def from_record(cls, record: models.Relationship) -> Relationship:
        """The GraphQL view of a stored relationship."""
        return cls(
            type=record.type,
            strength=record.strength,
            effective_strength=record.effective_strength,
            last_contact_on=record.last_contact_on,
            dotted=record.dotted,
            record=record,
        )

    @strawberry.field(description="The id of the person the relationship starts at (no lookup).")
    def from_id(self) -> strawberry.ID:
        return strawberry.ID(self.record.from_id)

    @strawberry.field(description="The id of the person the relationship points to (no lookup).")
    def to_id(self) -> strawberry.ID:
        return strawberry.ID(self.record.to_id)

    @strawberry.field(name="from", description="The person the relationship starts at.")
    async def from_(self, info: Info) -> PersonRef:
        return await _person.person_named(info, self.record.from_id, _REFERRER)

    @strawberry.field(description="The person the relationship points to.")
    async def to(self, info: Info) -> PersonRef:
        return await _person.person_named(info, self.record.to_id, _REFERRER)


@strawberry.type(
    description="A person's buying role for an area (IT, SFA, ...), scoped to an organization "
    "or a department, optionally with a budget limit. Identified by (person, scopeId, area "
    "compared case-insensitively, role)."
)
class DecisionRight:
    scope_id: strawberry.ID = strawberry.field(
        description="The id of the organization or department the right applies to."
    )
    area: str = strawberry.field(description="What is decided, e.g. IT or SFA.")
    role: BuyingRole
    budget_limit: float | None = strawberry.field(
        description="The most this person can approve alone, when known."
    )
    record: strawberry.Private[models.DecisionRight]

    @classmethod
    def from_record(cls, record: models.DecisionRight) -> DecisionRight:
        """The GraphQL view of a stored decision right."""
        return cls(
            scope_id=strawberry.ID(record.scope_id),
            area=record.area,
            role=record.role,
            budget_limit=record.budget_limit,
            record=record,
        )

    @strawberry.field(description="Who holds the right.")
    async def person(self, info: Info) -> PersonRef:
        return await _person.person_named(info, self.record.person_id, _REFERRER)

    @strawberry.field(description="The organization or department named by scopeId.")
    async def scope(self, info: Info) -> Scope | None:
        loaders = info.context.loaders
        organization = await loaders.organization.load(self.record.scope_id)
        if organization is not None:
            return _organization.Organization.from_record(organization)
        department = await loaders.department.load(self.record.scope_id)
        return _department.Department.from_record(department) if department else None

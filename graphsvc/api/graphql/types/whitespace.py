"""whitespace's type: a department without our footprint, and why to pursue it."""

# strawberry.field(description=...) is typed as returning Any; the resolvers stay typed.
# mypy: disable-error-code="untyped-decorator"

from __future__ import annotations

from datetime import date

import strawberry

from graphsvc.api.graphql.context import Info
from graphsvc.api.graphql.types.department import Department
from graphsvc.api.graphql.types.organization import Organization
from graphsvc.api.graphql.types.pipeline import InstalledSystem
from graphsvc.api.graphql.types.rounding import rounded
from graphsvc.services import analytics

__all__ = ["WhitespaceDepartment"]


@strawberry.type(description="A department without our footprint, and why to pursue it.")
class WhitespaceDepartment:
    has_contact: bool = strawberry.field(
        description="Some person of the department KNOWS one of our (SELF) people."
    )
    priority: float = strawberry.field(
        description="log10(1 + headcount) + Σ over competitor contracts ending within 365 "
        "days of asOf (default today) (1 + (365 − days left) / 365) + 2 when hasContact. "
        "Higher first. Rounded to 6 decimal places."
    )
    reasons: list[str] = strawberry.field(
        description="Why the department is whitespace (first: no system or open/won "
        "opportunity of ours, or which system of ours is there but RETIRING), then each part "
        "of the priority, in words."
    )
    found: strawberry.Private[analytics.WhitespaceDepartment]
    as_of: strawberry.Private[date]

    @classmethod
    def of(cls, found: analytics.WhitespaceDepartment, as_of: date) -> WhitespaceDepartment:
        """The GraphQL view of a department the service found (its priority rounded), for
        the query's day ``as_of`` (its competitor systems' daysLeft count from it)."""
        return cls(
            has_contact=found.has_contact,
            priority=rounded(found.priority),
            reasons=list(found.reasons),
            found=found,
            as_of=as_of,
        )

    @strawberry.field(description="The department.")
    async def department(self, info: Info) -> Department:
        record = await info.context.loaders.department.load(self.found.department_id)
        if record is None:
            raise LookupError(f"whitespace names a missing department {self.found.department_id}")
        return Department.from_record(record)

    @strawberry.field(description="The department's organization.")
    async def organization(self, info: Info) -> Organization:
        record = await info.context.loaders.organization.load(self.found.organization_id)
        if record is None:
            raise LookupError(
                f"whitespace names a missing organization {self.found.organization_id}"
            )
        return Organization.from_record(record)

    @strawberry.field(
        description="The non-ours systems the department uses (any status; with category, of "
        "that category), soonest contract end first."
    )
    def competitor_systems(self) -> list[InstalledSystem]:
        return [
            InstalledSystem.from_record(s, as_of=self.as_of) for s in self.found.competitor_systems
        ]

"""categoryFootprint's types: an organization scope's companies × the workspace's categories."""

# strawberry.field(description=...) is typed as returning Any; the resolvers stay typed.
# mypy: disable-error-code="untyped-decorator"

from __future__ import annotations

import strawberry

from graphsvc.api.graphql.context import Info
from graphsvc.api.graphql.types.organization import Organization
from graphsvc.api.graphql.types.pipeline import InstalledSystem, Opportunity
from graphsvc.services import analytics

__all__ = ["CategoryFootprint", "FootprintCell", "FootprintState"]

FootprintState = analytics.FootprintState
strawberry.enum(
    FootprintState,
    description="What a company has of a category, the first that holds: OURS (an ACTIVE or "
    "PILOT system of ours, or a WON opportunity), OPEN_OPPORTUNITY (an OPEN opportunity), "
    "COMPETITOR (a competitor's system, any status), WHITESPACE (none of these).",
)


@strawberry.type(description="One company × one category of a categoryFootprint.")
class FootprintCell:
    category: str = strawberry.field(description="The category (a column of the table).")
    state: FootprintState = strawberry.field(description="What the company has of it.")
    departments: int = strawberry.field(description="How many departments the company has.")
    whitespace_departments: int = strawberry.field(
        description="How many of them have no footprint of ours in the category: those "
        "whitespace(category) lists for this company."
    )
    found: strawberry.Private[analytics.FootprintCell]

    @classmethod
    def of(cls, found: analytics.FootprintCell) -> FootprintCell:
        """The GraphQL view of one cell the service found."""
        return cls(
            category=found.category,
            state=found.state,
            departments=found.departments,
            whitespace_departments=found.whitespace_departments,
            found=found,
        )

    @strawberry.field(description="The company (a row of the table).")
    async def organization(self, info: Info) -> Organization:
        record = await info.context.loaders.organization.load(self.found.organization_id)
        if record is None:
            raise LookupError(
                f"a footprint names a missing organization {self.found.organization_id}"
            )
        return Organization.from_record(record)

    @strawberry.field(
        description="Our ACTIVE or PILOT systems of the category at the company, by id."
    )
    def our_systems(self) -> list[InstalledSystem]:
        return [InstalledSystem.from_record(s) for s in self.found.our_systems]

    @strawberry.field(
        description="Competitors' systems of the category at the company (any status), soonest "
        "contract end first (none last), then by id."
    )
    def competitor_systems(self) -> list[InstalledSystem]:
        return [InstalledSystem.from_record(s) for s in self.found.competitor_systems]

    @strawberry.field(description="OPEN opportunities of the category at the company, by id.")
    def open_opportunities(self) -> list[Opportunity]:
        return [Opportunity.from_record(o) for o in self.found.open_opportunities]

    @strawberry.field(description="WON opportunities of the category at the company, by id.")
    def won_opportunities(self) -> list[Opportunity]:
        return [Opportunity.from_record(o) for o in self.found.won_opportunities]


@strawberry.type(
    description="The footprint of ours and competitors' per company of an organization scope "
    "and product category: a heat map of where to sell next."
)
class CategoryFootprint:
    categories: list[str] = strawberry.field(
        description="The columns: every category of the workspace's systems and opportunities "
        "(as the categories query lists them)."
    )
    found: strawberry.Private[analytics.CategoryFootprint]

    @classmethod
    def of(cls, found: analytics.CategoryFootprint) -> CategoryFootprint:
        """The GraphQL view of the table the service found."""
        return cls(categories=list(found.categories), found=found)

    @strawberry.field(
        description="The rows: the organizations of the scope (ids sorted; our own SELF "
        "organization never has a row)."
    )
    async def organizations(self, info: Info) -> list[Organization]:
        loaded = await info.context.loaders.organization.load_many(
            list(self.found.organization_ids)
        )
        return [Organization.from_record(o) for o in loaded if o is not None]

    @strawberry.field(
        description="One cell per row and column: row by row (in organizations' order), each "
        "row's cells in categories' order."
    )
    def cells(self) -> list[FootprintCell]:
        return [FootprintCell.of(c) for c in self.found.cells]

"""decisionAreas' type: one decision area of an organization scope, with its counts."""

from __future__ import annotations

import strawberry

from graphsvc.services import analytics

__all__ = ["DecisionAreaSummary"]


@strawberry.type(
    description="A decision area of an organization scope (IT, Finance, ...): the value to "
    "pass as decisionMakers' area or DecisionAreaInput.area."
)
class DecisionAreaSummary:
    area: str = strawberry.field(
        description="The area, trimmed; areas differing only in case or surrounding spaces "
        "are one, spelled as most of its decision rights spell it."
    )
    rights: int = strawberry.field(description="How many decision rights of the scope it has.")
    holders: int = strawberry.field(description="How many distinct people hold them.")

    @classmethod
    def of(cls, found: analytics.DecisionAreaSummary) -> DecisionAreaSummary:
        """The GraphQL view of one area the service found."""
        return cls(area=found.area, rights=found.rights, holders=found.holders)

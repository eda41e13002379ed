"""coverage's types: how well our people cover an organization's decision makers."""

# strawberry.field(description=...) is typed as returning Any; the resolvers stay typed.
# mypy: disable-error-code="untyped-decorator"

from __future__ import annotations

import strawberry

from graphsvc.api.graphql.types.links import DecisionRight
from graphsvc.api.graphql.types.rounding import rounded_or_none
from graphsvc.services import analytics

__all__ = ["Coverage", "DecisionMakerCoverage"]


@strawberry.type(description="One decision right and how close our people are to its holder.")
class DecisionMakerCoverage:
    right: DecisionRight
    direct_contact: bool = strawberry.field(
        description="The holder KNOWS one of our (SELF) people."
    )
    best_route_score: float | None = strawberry.field(
        description="Score of the best contactRoutes route to the holder (STRENGTH, at most "
        f"{analytics.DEFAULT_MAX_HOPS} hops), rounded to 6 decimal places; null when unreachable."
    )

    @classmethod
    def of(cls, found: analytics.DecisionMakerCoverage) -> DecisionMakerCoverage:
        """The GraphQL view of one right's coverage (its score rounded)."""
        return cls(
            right=DecisionRight.from_record(found.right),
            direct_contact=found.direct_contact,
            best_route_score=rounded_or_none(found.best_route_score),
        )


@strawberry.type(description="How well our people cover an organization's decision makers.")
class Coverage:
    decision_makers: list[DecisionMakerCoverage] = strawberry.field(
        description="Every decision right of the scope, in decisionMakers order."
    )
    single_threaded: bool = strawberry.field(
        description="Every KNOWS relationship between our people and the scope has the same "
        "one of our people at our end; false when there is none at all."
    )
    stale_relationships: int = strawberry.field(
        description="Those KNOWS relationships with no lastContactOn, or one more than "
        "staleAfterDays before asOf."
    )

    @classmethod
    def of(cls, found: analytics.Coverage) -> Coverage:
        """The GraphQL view of the service's coverage."""
        return cls(
            decision_makers=[DecisionMakerCoverage.of(c) for c in found.decision_makers],
            single_threaded=found.single_threaded,
            stale_relationships=found.stale_relationships,
        )

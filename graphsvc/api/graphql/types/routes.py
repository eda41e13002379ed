"""contactRoutes' types: the ``RouteMetric`` and ``DecisionAreaInput`` it takes, the ``Route``
and ``RouteHop`` it returns (the people on a route resolve through the DataLoaders)."""

# strawberry.field(description=...) is typed as returning Any; the resolvers stay typed.
# mypy: disable-error-code="untyped-decorator"

from __future__ import annotations

import strawberry

from graphsvc.api.graphql.context import Info
from graphsvc.api.graphql.types.person import Person, person_named
from graphsvc.api.graphql.types.rounding import rounded
from graphsvc.domain.enums import RelationshipType
from graphsvc.services import analytics

__all__ = ["DecisionAreaInput", "Route", "RouteHop", "RouteMetric"]

_REFERRER = "an analytic result"

RouteMetric = analytics.RouteMetric
strawberry.enum(
    RouteMetric,
    description="How contact routes are ranked. STRENGTH: highest score first, equal scores "
    "fewer hops first. HOPS: fewest hops first, equal hop counts higher score first.",
)


@strawberry.input(description="Route targets by buying power in an organization's group.")
class DecisionAreaInput:
    organization_id: strawberry.ID = strawberry.field(
        description="The organization; its subsidiaries and affiliates are included."
    )
    area: str = strawberry.field(description="The decision area, e.g. IT (case-insensitive).")

    def to_domain(self) -> analytics.DecisionArea:
        """The service's form of this input."""
        return analytics.DecisionArea(str(self.organization_id), self.area)


@strawberry.type(description="One hop of a route, in the route's direction.")
class RouteHop:
    type: RelationshipType = strawberry.field(
        description="The type of the strongest relationship between the two people (equally "
        "strong ones: KNOWS, then INFLUENCES, then REPORTS_TO). Walked in either direction."
    )
    strength: float = strawberry.field(
        description="Its strength, or the default (KNOWS 0.5, INFLUENCES 0.5, REPORTS_TO solid "
        "0.7, dotted 0.5)."
    )
    hop: strawberry.Private[analytics.RouteHop]

    @strawberry.field(name="from", description="The person this hop starts at.")
    async def from_(self, info: Info) -> Person:
        return await person_named(info, self.hop.from_id, _REFERRER)

    @strawberry.field(description="The person this hop reaches.")
    async def to(self, info: Info) -> Person:
        return await person_named(info, self.hop.to_id, _REFERRER)

    @classmethod
    def of(cls, hop: analytics.RouteHop) -> RouteHop:
        """The GraphQL view of a hop the service found."""
        return cls(type=hop.type, strength=hop.strength, hop=hop)


@strawberry.type(description="A warm route from one of our people to a target person.")
class Route:
    score: float = strawberry.field(
        description="The product of the hop strengths (rounded to 6 decimal places)."
    )
    hops: list[RouteHop] = strawberry.field(description="The hops, from our person on.")
    weakest_link: RouteHop = strawberry.field(
        description="The hop of lowest strength (equally weak: the one nearest our person)."
    )
    explanation: str = strawberry.field(
        description='One sentence naming every person and link, e.g. "Ken Ueda (BDR, Nexa '
        'Systems) knows 伊藤 翔 (0.80), who influences 佐藤 健, CIO (0.95)".'
    )
    ids: strawberry.Private[tuple[str, ...]]

    @strawberry.field(description="Everyone on the route: our person first, the target last.")
    async def people(self, info: Info) -> list[Person]:
        # One batch for the whole route: awaiting each person in turn cost a store read per
        # person (a Bolt round trip each on Neo4j).
        found = await info.context.loaders.person.load_many(list(self.ids))
        missing = [pid for pid, record in zip(self.ids, found, strict=True) if record is None]
        if missing:
            raise LookupError(f"analytics name missing people {missing}")
        return [Person.from_record(record) for record in found if record is not None]

    @classmethod
    def of(cls, route: analytics.Route) -> Route:
        """The GraphQL view of a route the service found (its score rounded)."""
        hops = [RouteHop.of(h) for h in route.hops]
        weakest = hops[route.hops.index(route.weakest_link)]
        return cls(
            score=rounded(route.score),
            hops=hops,
            weakest_link=weakest,
            explanation=route.explanation,
            ids=route.people,
        )

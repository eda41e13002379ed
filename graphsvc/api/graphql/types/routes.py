"""contactRoutes' types: the ``RouteMetric`` and ``DecisionAreaInput`` it takes, the ``Route``
and ``RouteHop`` it returns (the people on a route resolve through the DataLoaders), and
contactRouteSearch's ``RouteSearch`` (routes, or why there is none)."""

# strawberry.field(description=...) is typed as returning Any; the resolvers stay typed.
# mypy: disable-error-code="untyped-decorator"

from __future__ import annotations

import strawberry

from graphsvc.api.graphql.context import Info
from graphsvc.api.graphql.types.links import DecisionRight
from graphsvc.api.graphql.types.person import Person, person_named
from graphsvc.api.graphql.types.rounding import rounded
from graphsvc.domain.enums import RelationshipType
from graphsvc.services import analytics

__all__ = [
    "DecisionAreaInput",
    "ExplanationLanguage",
    "Route",
    "RouteEmptyReason",
    "RouteHop",
    "RouteMetric",
    "RouteSearch",
]

_REFERRER = "an analytic result"

RouteMetric = analytics.RouteMetric
strawberry.enum(
    RouteMetric,
    description="How contact routes are ranked. STRENGTH: highest score first, equal scores "
    "fewer hops first. HOPS: fewest hops first, equal hop counts higher score first.",
)

ExplanationLanguage = analytics.ExplanationLanguage
strawberry.enum(
    ExplanationLanguage,
    description="The language of a route's explanation. AUTO: Japanese when most people on "
    "the route have a name in Japanese script (kana or kanji; on a tie, the target's name "
    "decides), English otherwise. EN: English. JA: Japanese.",
)

RouteEmptyReason = analytics.RouteEmptyReason
strawberry.enum(
    RouteEmptyReason,
    description="Why a route search found nothing, computed from the data; the first that "
    "holds, in this order. NO_TARGETS: the decision area has no ECONOMIC_BUYER or "
    "DECISION_MAKER in the scope. NO_SOURCES: no one to start from (no people in our SELF "
    "organization, or every source is in `avoid`). TARGET_UNREACHABLE_WITHIN_MAX_HOPS: a "
    f"route that avoids blockers and `avoid` exists with more hops (at most {analytics.MAX_HOPS}"
    "): raise maxHops. ALL_WAYS_BLOCKED: every route (of at most "
    f"{analytics.MAX_HOPS} hops) passes through a BLOCKER or someone in `avoid`. "
    "NO_CONTACT_INTO_ORGANIZATION: none of our people (the sources) has any relationship "
    "with anyone in the target's organization group (its top parent and everything below). "
    "NOT_CONNECTED: we know people in that group, but no chain of relationships of at most "
    f"{analytics.MAX_HOPS} hops reaches the target.",
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
    route: strawberry.Private[analytics.Route]
    ids: strawberry.Private[tuple[str, ...]]

    @strawberry.field(
        description='One sentence naming every person and link, e.g. (EN) "Ken Ueda (BDR, '
        'Nexa Systems) knows 伊藤 翔 (0.80), who influences 佐藤 健, CIO (0.95)" or (JA) '
        '"Ken Ueda（BDR、Nexa Systems）は伊藤 翔を知っており（0.80）、'
        '伊藤 翔は佐藤 健（CIO）に影響を与えている（0.95）。". Our person is named with title and '
        "organization, the target with title; anyone whose name another person in the "
        "workspace (or on the route) also has is named with title, organization and stance "
        "(stance left out when UNKNOWN). `language` picks the language; AUTO (the default) "
        "follows the names (see ExplanationLanguage)."
    )
    def explanation(self, language: ExplanationLanguage | None = ExplanationLanguage.AUTO) -> str:
        return self.route.explanations[language or ExplanationLanguage.AUTO]

    @strawberry.field(
        description="The first person on the route outside our (SELF) organization: the way "
        "into the account (see contactRoutes' distinctEntry). Null when the route never "
        "leaves our organization."
    )
    async def entry_point(self, info: Info) -> Person | None:
        if self.route.entry is None:
            return None
        return await person_named(info, self.route.entry, _REFERRER)

    @strawberry.field(
        description="With `decisionArea`: the target's decision right for that area that made "
        "it a target (ECONOMIC_BUYER before DECISION_MAKER, then by scope id). Null for "
        "routes asked for with `to`."
    )
    def target_right(self) -> DecisionRight | None:
        right = self.route.target_right
        return DecisionRight.from_record(right) if right is not None else None

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
            ids=route.people,
            route=route,
        )


@strawberry.type(description="The routes of a contactRouteSearch and, when none, the reason.")
class RouteSearch:
    routes: list[Route] = strawberry.field(
        description="Exactly what contactRoutes returns for the same arguments."
    )
    empty_reason: RouteEmptyReason | None = strawberry.field(
        description="Why `routes` is empty (see RouteEmptyReason); null when it is not."
    )

    @classmethod
    def of(cls, search: analytics.RouteSearch) -> RouteSearch:
        """The GraphQL view of a search the service ran."""
        return cls(routes=[Route.of(r) for r in search.routes], empty_reason=search.empty_reason)

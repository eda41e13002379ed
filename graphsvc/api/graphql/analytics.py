"""The analytic queries of CONTRACT §4: contactRoutes, decisionMakers, whitespace, powerMap,
coverage, displacementWindows.

Resolvers call ``AnalyticsService`` (``services.analytics``) with domain arguments and map
its domain results to these types; people, departments, organizations and systems resolve
through the request's DataLoaders like everywhere else in the API. The semantics, and every
choice the contract leaves open, are in the descriptions (and in ``graphsvc.analytics``).
"""

# strawberry.field(description=...) is typed as returning Any; the resolvers stay typed.
# mypy: disable-error-code="untyped-decorator"

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry
from strawberry import UNSET

from graphsvc import analytics
from graphsvc.analytics import centrality as _centrality
from graphsvc.analytics import routes as _routes
from graphsvc.api.graphql.context import Info
from graphsvc.api.graphql.types import DecisionRight, Department, InstalledSystem, Organization
from graphsvc.api.graphql.types import Person as PersonType
from graphsvc.domain.enums import RelationshipType
from graphsvc.services.analytics import AnalyticsService

__all__ = ["AnalyticsQuery"]

DECIMALS = 6
"""Scores leave the API rounded to this many places: products and PageRank iterations carry
float noise (0.49288200000000004) that means nothing to a reader. Ordering is decided on the
exact values before rounding."""


def _rounded(value: float) -> float:
    return round(value, DECIMALS)


def _rounded_or_none(value: float | None) -> float | None:
    return None if value is None else _rounded(value)


RouteMetric = strawberry.enum(
    _routes.RouteMetric,
    description="How contact routes are ranked. STRENGTH: highest score first, equal scores "
    "fewer hops first. HOPS: fewest hops first, equal hop counts higher score first.",
)


@strawberry.input(description="Route targets by buying power in an organization's group.")
class DecisionAreaInput:
    organization_id: strawberry.ID = strawberry.field(
        description="The organization; its subsidiaries and affiliates are included."
    )
    area: str = strawberry.field(description="The decision area, e.g. IT (case-insensitive).")


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
    hop: strawberry.Private[_routes.RouteHop]

    @strawberry.field(name="from", description="The person this hop starts at.")
    async def from_(self, info: Info) -> PersonType:
        return await _person(info, self.hop.from_id)

    @strawberry.field(description="The person this hop reaches.")
    async def to(self, info: Info) -> PersonType:
        return await _person(info, self.hop.to_id)

    @classmethod
    def of(cls, hop: _routes.RouteHop) -> RouteHop:
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
    async def people(self, info: Info) -> list[PersonType]:
        # One batch for the whole route: awaiting each person in turn cost a store read per
        # person (a Bolt round trip each on Neo4j).
        found = await info.context.loaders.person.load_many(list(self.ids))
        missing = [pid for pid, record in zip(self.ids, found, strict=True) if record is None]
        if missing:
            raise LookupError(f"analytics name missing people {missing}")
        return [PersonType.from_record(record) for record in found if record is not None]

    @classmethod
    def of(cls, route: _routes.Route) -> Route:
        hops = [RouteHop.of(h) for h in route.hops]
        weakest = hops[route.hops.index(route.weakest_link)]
        return cls(
            score=_rounded(route.score),
            hops=hops,
            weakest_link=weakest,
            explanation=route.explanation,
            ids=route.people,
        )


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
    reasons: list[str] = strawberry.field(description="Each part of the priority, in words.")
    found: strawberry.Private[analytics.WhitespaceDepartment]

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
        return [InstalledSystem.from_record(s) for s in self.found.competitor_systems]


@strawberry.type(description="One person's formal and informal power within the scope.")
class PowerScore:
    influence: float = strawberry.field(
        description="Weighted PageRank (damping 0.85) on the listens-to graph of the scope "
        "(INFLUENCES a→b adds b→a, REPORTS_TO a→b adds a→b, weighted by strength, parallel "
        "edges adding up), scaled so the maximum is 1; 0 for all when nobody listens to anyone. "
        "Rounded to 6 decimal places."
    )
    formal_rank: int = strawberry.field(
        description="EXECUTIVE 5, VP 4, DIRECTOR 3, MANAGER 2, STAFF 1, unknown 0."
    )
    brokerage: float = strawberry.field(
        description="Normalised betweenness centrality on the undirected, unweighted "
        "relationship graph among the scope's people: exact for scopes of up to "
        f"{_centrality.EXACT_UP_TO:,} people; above, the Brandes–Pich estimate from "
        f"{_centrality.PIVOTS} source people drawn with a fixed seed (the same answer on "
        "every call, the top brokers found reliably, their values typically within 10 %). "
        "Rounded to 6 decimal places."
    )
    hidden_influencer: bool = strawberry.field(
        description="formalRank ≤ 2 and influence > 0 and in the top 20 % of the scope: at most "
        "ceil(20 % of the scope) people, this one included, have at least this influence. People "
        "tied across that line are all out (everyone nobody listens to shares one base value)."
    )
    person_id: strawberry.Private[str]

    @strawberry.field(description="The person.")
    async def person(self, info: Info) -> PersonType:
        return await _person(info, self.person_id)


@strawberry.type(description="One decision right and how close our people are to its holder.")
class DecisionMakerCoverage:
    right: DecisionRight
    direct_contact: bool = strawberry.field(
        description="The holder KNOWS one of our (SELF) people."
    )
    best_route_score: float | None = strawberry.field(
        description="Score of the best contactRoutes route to the holder (STRENGTH, at most 6 "
        "hops), rounded to 6 decimal places; null when unreachable."
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


@strawberry.type
class AnalyticsQuery:
    """The six analytic queries (CONTRACT §4/§5)."""

    @strawberry.field(
        description="The k best warm routes from our people (or `from`) to `to`, or to every "
        "ECONOMIC_BUYER or DECISION_MAKER of `decisionArea` (exactly one of the two). Routes "
        "walk KNOWS, INFLUENCES and REPORTS_TO both ways, never through a BLOCKER or anyone in "
        "`avoid` (either may be the target; someone in `avoid` is never a source either), with "
        "1 to maxHops hops (at most 10; k at most 50). Remaining ties are broken by the people's "
        "ids read from the target back. Unknown ids are a NOT_FOUND error. No route: []."
    )
    async def contact_routes(
        self,
        info: Info,
        to: strawberry.ID | None = UNSET,
        decision_area: DecisionAreaInput | None = UNSET,
        from_: Annotated[list[strawberry.ID] | None, strawberry.argument(name="from")] = UNSET,
        avoid: list[strawberry.ID] | None = UNSET,
        k: int | None = 3,
        max_hops: int | None = 6,
        metric: _routes.RouteMetric | None = _routes.RouteMetric.STRENGTH,
    ) -> list[Route]:
        # Arguments left out arrive as UNSET, explicit nulls as None: both mean "not given",
        # and a null k, maxHops or metric means its default (the contract's types are nullable).
        area = (
            analytics.DecisionArea(str(decision_area.organization_id), decision_area.area)
            if decision_area
            else None
        )
        found = await _service(info).contact_routes(
            info.context.workspace,
            to=str(to) if to else None,
            decision_area=area,
            sources=[str(s) for s in from_] if from_ else None,
            avoid=[str(a) for a in avoid or ()],
            k=3 if k is None else k,
            max_hops=6 if max_hops is None else max_hops,
            metric=metric or _routes.RouteMetric.STRENGTH,
        )
        return [Route.of(r) for r in found]

    @strawberry.field(
        description="Every decision right scoped to the organization (with subsidiaries and "
        "affiliates, recursively, unless includeSubsidiaries is false) or a department in it, "
        "for `area` (case-insensitive) when given; ordered by role (ECONOMIC_BUYER, "
        "DECISION_MAKER, APPROVER, TECHNICAL_EVALUATOR, PROCUREMENT, GATEKEEPER, INFLUENCER, "
        "USER), seniority (highest first, unknown last), name, then person id."
    )
    async def decision_makers(
        self,
        info: Info,
        organization_id: strawberry.ID,
        area: str | None = UNSET,
        include_subsidiaries: bool | None = True,
    ) -> list[DecisionRight]:
        found = await _service(info).decision_makers(
            info.context.workspace,
            str(organization_id),
            area=area or None,
            include_subsidiaries=include_subsidiaries is not False,
        )
        return [DecisionRight.from_record(r) for r in found]

    @strawberry.field(
        description="Departments of the organization scope with no footprint of ours (no ACTIVE "
        "or PILOT system of ours used by it, no OPEN or WON opportunity on it; with category, "
        "only that category counts), each judged on its own. Ordered by priority (see "
        "WhitespaceDepartment.priority), then organization id, department name and id."
    )
    async def whitespace(
        self,
        info: Info,
        organization_id: strawberry.ID,
        category: str | None = UNSET,
        include_subsidiaries: bool | None = True,
        as_of: Annotated[
            date | None,
            strawberry.argument(
                description="The day expiring competitor contracts are counted from "
                "(default today); an extension of CONTRACT §4, like coverage's asOf."
            ),
        ] = UNSET,
    ) -> list[WhitespaceDepartment]:
        found = await _service(info).whitespace(
            info.context.workspace,
            str(organization_id),
            category=category or None,
            include_subsidiaries=include_subsidiaries is not False,
            as_of=as_of or None,
        )
        return [
            WhitespaceDepartment(
                has_contact=w.has_contact,
                priority=_rounded(w.priority),
                reasons=list(w.reasons),
                found=w,
            )
            for w in found
        ]

    @strawberry.field(
        description="One entry per person of the organization scope: influence, formal rank, "
        "brokerage and hidden influencers (see PowerScore). Ordered by influence (descending), "
        "then formal rank (descending), name and id."
    )
    async def power_map(
        self, info: Info, organization_id: strawberry.ID, include_subsidiaries: bool | None = True
    ) -> list[PowerScore]:
        found = await _service(info).power_map(
            info.context.workspace,
            str(organization_id),
            include_subsidiaries=include_subsidiaries is not False,
        )
        return [
            PowerScore(
                influence=_rounded(s.influence),
                formal_rank=s.formal_rank,
                brokerage=_rounded(s.brokerage),
                hidden_influencer=s.hidden_influencer,
                person_id=s.person_id,
            )
            for s in found
        ]

    @strawberry.field(
        description="Coverage of the organization scope's decision rights by our people: "
        "direct contacts, best route scores, single-threadedness, stale relationships "
        "(asOf defaults to today)."
    )
    async def coverage(
        self,
        info: Info,
        organization_id: strawberry.ID,
        include_subsidiaries: bool | None = True,
        stale_after_days: int | None = 90,
        as_of: date | None = UNSET,
    ) -> Coverage:
        found = await _service(info).coverage(
            info.context.workspace,
            str(organization_id),
            include_subsidiaries=include_subsidiaries is not False,
            stale_after_days=90 if stale_after_days is None else stale_after_days,
            as_of=as_of or None,
        )
        return Coverage(
            decision_makers=[
                DecisionMakerCoverage(
                    right=DecisionRight.from_record(c.right),
                    direct_contact=c.direct_contact,
                    best_route_score=_rounded_or_none(c.best_route_score),
                )
                for c in found.decision_makers
            ],
            single_threaded=found.single_threaded,
            stale_relationships=found.stale_relationships,
        )

    @strawberry.field(
        description="Non-ours systems (any status) of the organization scope whose "
        "contractEndsOn is between asOf (default today) and asOf + withinDays, inclusive; "
        "soonest first, then by id."
    )
    async def displacement_windows(
        self,
        info: Info,
        organization_id: strawberry.ID,
        within_days: int | None = 365,
        include_subsidiaries: bool | None = True,
        as_of: date | None = UNSET,
    ) -> list[InstalledSystem]:
        found = await _service(info).displacement_windows(
            info.context.workspace,
            str(organization_id),
            within_days=365 if within_days is None else within_days,
            include_subsidiaries=include_subsidiaries is not False,
            as_of=as_of or None,
        )
        return [InstalledSystem.from_record(s) for s in found]


def _service(info: Info) -> AnalyticsService:
    return info.context.services.analytics


async def _person(info: Info, person_id: str) -> PersonType:
    found = await info.context.loaders.person.load(person_id)
    if found is None:
        raise LookupError(f"analytics name a missing person {person_id}")
    return PersonType.from_record(found)

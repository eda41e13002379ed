"""The analytic queries of CONTRACT §4: contactRoutes, decisionMakers, whitespace, powerMap,
coverage, displacementWindows; decisionAreas, which lists what decisionMakers' area can be;
categories, which lists what whitespace's and displacementWindows' category can be; and
categoryFootprint, the companies × categories table beside whitespace.

Resolvers call ``AnalyticsService`` (``services.analytics``) with domain arguments and map
its domain results to the types of ``types`` (``routes``, ``whitespace``, ``power``,
``coverage``), whose people, departments, organizations and systems resolve through the
request's DataLoaders like everywhere else in the API. The semantics, and every choice the
contract leaves open, are in the descriptions (and in ``graphsvc.analytics``). Every
argument's default is the service's (``DEFAULT_*``); an explicit null means that default too.
"""

# strawberry.field(description=...) is typed as returning Any; the resolvers stay typed.
# mypy: disable-error-code="untyped-decorator"

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import strawberry
from strawberry import UNSET

from graphsvc.api.graphql.context import Info
from graphsvc.api.graphql.types import DecisionRight, InstalledSystem
from graphsvc.api.graphql.types.category_footprint import CategoryFootprint
from graphsvc.api.graphql.types.coverage import Coverage
from graphsvc.api.graphql.types.decision_areas import DecisionAreaSummary
from graphsvc.api.graphql.types.power import PowerScore, prime_people
from graphsvc.api.graphql.types.routes import (
    DecisionAreaInput,
    Route,
    RouteMetric,
    RouteSearch,
)
from graphsvc.api.graphql.types.whitespace import WhitespaceDepartment
from graphsvc.services.analytics import (
    DEFAULT_INCLUDE_SUBSIDIARIES,
    DEFAULT_K,
    DEFAULT_MAX_HOPS,
    DEFAULT_METRIC,
    DEFAULT_STALE_AFTER_DAYS,
    DEFAULT_WITHIN_DAYS,
    MAX_HOPS,
    MAX_K,
    AnalyticsService,
)

__all__ = ["AnalyticsQuery"]

_STALE_ATTEMPTS = 3
"""Times powerMap is computed when people it scored were deleted before they could be read;
after the last, those people are left out (deletions kept arriving meanwhile)."""

_ROUTES = (
    "The k best warm routes from our people (or `from`) to `to`, or to every ECONOMIC_BUYER or "
    "DECISION_MAKER of `decisionArea` (exactly one of the two). Routes walk KNOWS, INFLUENCES "
    "and REPORTS_TO both ways, never through a BLOCKER or anyone in `avoid` (either may be the "
    "target; someone in `avoid` is never a source either), with 1 to maxHops hops (at most "
    f"{MAX_HOPS}; k at most {MAX_K}). Remaining ties are broken by the people's ids read from "
    "the target back. Unknown ids are a NOT_FOUND error. No route: [] (contactRouteSearch says "
    "why)."
)

_DISTINCT_ENTRY = (
    "true: the k best routes with distinct entry points, i.e. the best route through each way "
    "into the account, best first. A route's entry point (Route.entryPoint) is its first "
    "person outside our SELF organization. Without it the top k are often variants of one "
    'introduction ("colleague knows colleague"). Ranked and tie-broken like the routes '
    "themselves (metric, then ids read from the target back). Default false: exactly "
    "CONTRACT §5's k best routes."
)


@strawberry.type
class AnalyticsQuery:
    """The six analytic queries (CONTRACT §4/§5)."""

    @strawberry.field(description=_ROUTES)
    async def contact_routes(
        self,
        info: Info,
        to: strawberry.ID | None = UNSET,
        decision_area: DecisionAreaInput | None = UNSET,
        from_: Annotated[list[strawberry.ID] | None, strawberry.argument(name="from")] = UNSET,
        avoid: list[strawberry.ID] | None = UNSET,
        k: int | None = DEFAULT_K,
        max_hops: int | None = DEFAULT_MAX_HOPS,
        metric: RouteMetric | None = DEFAULT_METRIC,
        distinct_entry: Annotated[
            bool | None, strawberry.argument(description=_DISTINCT_ENTRY)
        ] = False,
    ) -> list[Route]:
        found = await _service(info).contact_routes(
            info.context.workspace,
            **_route_arguments(
                to, decision_area, from_, avoid, k, max_hops, metric, distinct_entry
            ),
        )
        return [Route.of(r) for r in found]

    @strawberry.field(
        description="contactRoutes with the reason an empty answer is empty: the same "
        "arguments, the same routes, and `emptyReason` (see RouteEmptyReason), computed from "
        "the data only when there is no route. An extension of CONTRACT §4."
    )
    async def contact_route_search(
        self,
        info: Info,
        to: strawberry.ID | None = UNSET,
        decision_area: DecisionAreaInput | None = UNSET,
        from_: Annotated[list[strawberry.ID] | None, strawberry.argument(name="from")] = UNSET,
        avoid: list[strawberry.ID] | None = UNSET,
        k: int | None = DEFAULT_K,
        max_hops: int | None = DEFAULT_MAX_HOPS,
        metric: RouteMetric | None = DEFAULT_METRIC,
        distinct_entry: Annotated[
            bool | None, strawberry.argument(description=_DISTINCT_ENTRY)
        ] = False,
    ) -> RouteSearch:
        found = await _service(info).contact_route_search(
            info.context.workspace,
            **_route_arguments(
                to, decision_area, from_, avoid, k, max_hops, metric, distinct_entry
            ),
        )
        return RouteSearch.of(found)

    @strawberry.field(
        description="Every decision right scoped to the organization (with subsidiaries and "
        "affiliates, recursively, unless includeSubsidiaries is false) or a department in it, "
        "for `area` when given (ignoring case and spaces at either end; blank: any area; "
        "decisionAreas lists the areas there are); ordered by role (ECONOMIC_BUYER, "
        "DECISION_MAKER, APPROVER, TECHNICAL_EVALUATOR, PROCUREMENT, GATEKEEPER, INFLUENCER, "
        "USER), seniority (highest first, unknown last), name, then person id."
    )
    async def decision_makers(
        self,
        info: Info,
        organization_id: strawberry.ID,
        area: str | None = UNSET,
        include_subsidiaries: bool | None = DEFAULT_INCLUDE_SUBSIDIARIES,
    ) -> list[DecisionRight]:
        found = await _service(info).decision_makers(
            info.context.workspace,
            str(organization_id),
            area=area or None,
            include_subsidiaries=_subsidiaries(include_subsidiaries),
        )
        return [DecisionRight.from_record(r) for r in found]

    @strawberry.field(
        description="The decision areas of the organization scope (with subsidiaries and "
        "affiliates unless includeSubsidiaries is false): every area some decision right "
        "scoped to one of its organizations or departments has, with how many rights and "
        "holders; sorted ignoring case. Not in CONTRACT §4: it lists the values decisionMakers' "
        "area and contactRoutes' decisionArea accept, so nobody has to guess a spelling."
    )
    async def decision_areas(
        self,
        info: Info,
        organization_id: strawberry.ID,
        include_subsidiaries: bool | None = DEFAULT_INCLUDE_SUBSIDIARIES,
    ) -> list[DecisionAreaSummary]:
        found = await _service(info).decision_areas(
            info.context.workspace,
            str(organization_id),
            include_subsidiaries=_subsidiaries(include_subsidiaries),
        )
        return [DecisionAreaSummary.of(a) for a in found]

    @strawberry.field(
        description="Departments of the organization scope with no footprint of ours (no ACTIVE "
        "or PILOT system of ours used by it, no OPEN or WON opportunity on it; with category, "
        "only that category counts), each judged on its own. Ordered by priority (see "
        "WhitespaceDepartment.priority), then organization id, department name and id. Our own "
        "(SELF) organization is refused (INVALID), and SELF departments are never listed."
    )
    async def whitespace(
        self,
        info: Info,
        organization_id: strawberry.ID,
        category: Annotated[
            str | None,
            strawberry.argument(
                description="Only systems and opportunities of this category count (ignoring "
                "case and spaces at either end; blank: all). A category that no system or "
                "opportunity of the workspace has is refused (INVALID), the message listing "
                "the known ones (the categories query lists them too)."
            ),
        ] = UNSET,
        include_subsidiaries: bool | None = DEFAULT_INCLUDE_SUBSIDIARIES,
        as_of: Annotated[
            date | None,
            strawberry.argument(
                description="The day expiring competitor contracts are counted from "
                "(default today); an extension of CONTRACT §4, like coverage's asOf."
            ),
        ] = UNSET,
    ) -> list[WhitespaceDepartment]:
        service = _service(info)
        day = as_of or service.clock()
        found = await service.whitespace(
            info.context.workspace,
            str(organization_id),
            category=category or None,
            include_subsidiaries=_subsidiaries(include_subsidiaries),
            as_of=day,
        )
        return [WhitespaceDepartment.of(w, day) for w in found]

    @strawberry.field(
        description="Every product category of the workspace's systems and opportunities, "
        "sorted ignoring case; categories differing only in case or spaces at either end are "
        "one, spelled as most of their records spell it. Not in CONTRACT §4: it lists the "
        "values whitespace's and displacementWindows' category accept, so nobody has to guess "
        "a spelling."
    )
    async def categories(self, info: Info) -> list[str]:
        return await _service(info).categories(info.context.workspace)

    @strawberry.field(
        description="Where we and competitors are, per company of the organization scope "
        "(with subsidiaries and affiliates unless includeSubsidiaries is false) and per "
        "category of the workspace: a cell per company and category saying OURS, "
        "OPEN_OPPORTUNITY, COMPETITOR or WHITESPACE, with the systems, deals and whitespace "
        "departments behind it (see FootprintCell). Our own (SELF) organization is refused "
        "(INVALID). Not in CONTRACT §4: the organization × category view of whitespace."
    )
    async def category_footprint(
        self,
        info: Info,
        organization_id: strawberry.ID,
        include_subsidiaries: bool | None = DEFAULT_INCLUDE_SUBSIDIARIES,
    ) -> CategoryFootprint:
        found = await _service(info).category_footprint(
            info.context.workspace,
            str(organization_id),
            include_subsidiaries=_subsidiaries(include_subsidiaries),
        )
        return CategoryFootprint.of(found)

    @strawberry.field(
        description="One entry per person of the organization scope: influence, formal rank, "
        "brokerage and hidden influencers (see PowerScore). Ordered by influence (descending), "
        "then formal rank (descending), name and id. A person deleted while the map was "
        "computed is never named: the map is computed again without them."
    )
    async def power_map(
        self,
        info: Info,
        organization_id: strawberry.ID,
        include_subsidiaries: bool | None = DEFAULT_INCLUDE_SUBSIDIARIES,
    ) -> list[PowerScore]:
        for attempt in range(1, _STALE_ATTEMPTS + 1):
            found = await _service(info).power_map(
                info.context.workspace,
                str(organization_id),
                include_subsidiaries=_subsidiaries(include_subsidiaries),
            )
            # Every scored person is read in one store call before their fields resolve: the
            # loader's batches of one await per person cost ~2 s for a 10,000-person scope.
            people = await prime_people(info, [s.person_id for s in found])
            if len(people) == len(found) or attempt == _STALE_ATTEMPTS:
                break
            # A scored person was deleted after the computation read the projection: the
            # deletion is announced by now, so the next computation no longer scores them.
        return [PowerScore.of(s, people[s.person_id]) for s in found if s.person_id in people]

    @strawberry.field(
        description="Coverage of the organization scope's decision rights by our people: "
        "direct contacts, best route scores, how many contacts we have and how many of our "
        "people hold them (status, singleThread), the stale relationships and their count "
        "(asOf defaults to today)."
    )
    async def coverage(
        self,
        info: Info,
        organization_id: strawberry.ID,
        include_subsidiaries: bool | None = DEFAULT_INCLUDE_SUBSIDIARIES,
        stale_after_days: int | None = DEFAULT_STALE_AFTER_DAYS,
        as_of: date | None = UNSET,
    ) -> Coverage:
        found = await _service(info).coverage(
            info.context.workspace,
            str(organization_id),
            include_subsidiaries=_subsidiaries(include_subsidiaries),
            stale_after_days=(
                DEFAULT_STALE_AFTER_DAYS if stale_after_days is None else stale_after_days
            ),
            as_of=as_of or None,
        )
        return Coverage.of(found)

    @strawberry.field(
        description="Non-ours systems (any status) of the organization scope whose "
        "contractEndsOn is between asOf (default today) and asOf + withinDays, inclusive; "
        "soonest first, then by id. Each system's daysLeft counts from this asOf."
    )
    async def displacement_windows(
        self,
        info: Info,
        organization_id: strawberry.ID,
        within_days: int | None = DEFAULT_WITHIN_DAYS,
        include_subsidiaries: bool | None = DEFAULT_INCLUDE_SUBSIDIARIES,
        as_of: date | None = UNSET,
        category: Annotated[
            str | None,
            strawberry.argument(
                description="Only systems of this category (ignoring case and spaces at "
                "either end; blank: all); one no system or opportunity of the workspace has "
                "is refused (INVALID), naming the known ones. Not in CONTRACT §4."
            ),
        ] = UNSET,
        vendor: Annotated[
            str | None,
            strawberry.argument(
                description="Only systems of this vendor (ignoring case and spaces at either "
                "end; blank: all); one no system of the workspace has is refused (INVALID), "
                "naming the known ones. Not in CONTRACT §4."
            ),
        ] = UNSET,
    ) -> list[InstalledSystem]:
        service = _service(info)
        day = as_of or service.clock()
        found = await service.displacement_windows(
            info.context.workspace,
            str(organization_id),
            within_days=DEFAULT_WITHIN_DAYS if within_days is None else within_days,
            include_subsidiaries=_subsidiaries(include_subsidiaries),
            as_of=day,
            category=category or None,
            vendor=vendor or None,
        )
        return [InstalledSystem.from_record(s, as_of=day) for s in found]


def _route_arguments(
    to: strawberry.ID | None,
    decision_area: DecisionAreaInput | None,
    from_: list[strawberry.ID] | None,
    avoid: list[strawberry.ID] | None,
    k: int | None,
    max_hops: int | None,
    metric: RouteMetric | None,
    distinct_entry: bool | None,
) -> dict[str, Any]:
    """The service's arguments of a route query. Arguments left out arrive as UNSET, explicit
    nulls as None: both mean "not given", and a null k, maxHops, metric or distinctEntry means
    its default (the contract's types are nullable)."""
    return {
        "to": str(to) if to else None,
        "decision_area": decision_area.to_domain() if decision_area else None,
        "sources": [str(s) for s in from_] if from_ else None,
        "avoid": [str(a) for a in avoid or ()],
        "k": DEFAULT_K if k is None else k,
        "max_hops": DEFAULT_MAX_HOPS if max_hops is None else max_hops,
        "metric": metric or DEFAULT_METRIC,
        "distinct_entry": bool(distinct_entry),
    }


def _service(info: Info) -> AnalyticsService:
    return info.context.services.analytics


def _subsidiaries(given: bool | None) -> bool:
    """``includeSubsidiaries`` as given, its default for an explicit null."""
    return DEFAULT_INCLUDE_SUBSIDIARIES if given is None else given

"""What an account plan is built from: the answers of the services the API uses.

``gather`` asks ``AnalyticsService`` and ``HistoryService`` exactly what the GraphQL API
would ask for the same organization and ``asOf`` (``powerMap``, ``decisionMakers``,
``contactRouteSearch(to:, distinctEntry: true)``, ``whitespace``, ``displacementWindows``,
``coverage``, ``pipeline``, ``accountChanges``), with the API's defaults, so the plan never
says something the API would contradict. Names, titles, departments and systems are read
from the same projection those answers come from.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from graphsvc.analytics import (
    Coverage,
    Pipeline,
    PowerScore,
    Projection,
    RouteSearch,
    Scope,
    WhitespaceDepartment,
    organization_scope,
)
from graphsvc.domain.enums import BuyingRole, OrganizationKind, RelationshipType
from graphsvc.domain.models import DecisionRight, InstalledSystem, Organization
from graphsvc.errors import InvalidInput, NotFound
from graphsvc.services.analytics import AnalyticsService
from graphsvc.services.history import AccountChanges, HistoryService

__all__ = ["APPROACH_TARGETS", "ROUTES_PER_TARGET", "AccountFacts", "gather"]

APPROACH_TARGETS = 12
"""Economic buyers and decision-makers given an approach scenario (in decisionMakers order);
the rest are counted. Each costs one route search."""
ROUTES_PER_TARGET = 3
"""Distinct routes (one per way into the account) shown per target."""
TARGET_ROLES = (BuyingRole.ECONOMIC_BUYER, BuyingRole.DECISION_MAKER)


@dataclass(frozen=True)
class AccountFacts:
    """Everything the plan says, as the services answered it."""

    organization: Organization
    as_of: date
    projection: Projection
    scope: Scope
    power: list[PowerScore]
    deciders: list[DecisionRight]
    """decisionMakers(organizationId) over every area, in its order."""
    routes: dict[str, RouteSearch]
    """contactRouteSearch(to: person, k: 3, distinctEntry: true) per approach target."""
    targets: list[str]
    """The approach targets (person ids), in decisionMakers order, at most APPROACH_TARGETS."""
    whitespace: list[WhitespaceDepartment]
    windows: list[InstalledSystem]
    coverage: Coverage
    pipeline: Pipeline
    changes: AccountChanges
    managers: dict[str, str]
    """Each scope person's solid REPORTS_TO manager (when the manager is in the scope too)."""

    def organization_name(self, organization_id: str) -> str:
        found = self.projection.organizations.get(organization_id)
        return found.name if found else organization_id

    def person_name(self, person_id: str) -> str:
        found = self.projection.people.get(person_id)
        return found.name if found else person_id

    def department_name(self, department_id: str | None) -> str:
        if department_id is None:
            return ""
        found = self.projection.departments.get(department_id)
        return found.name if found else department_id


async def gather(
    analytics: AnalyticsService,
    history: HistoryService,
    workspace: str,
    organization_id: str,
    as_of: date,
) -> AccountFacts:
    """The facts of ``organization_id``'s plan on ``as_of``; ``NotFound`` for an unknown
    organization, ``InvalidInput`` for our own (SELF) one, which has no account plan."""
    projection = await analytics.projections.get(workspace)

    def locate() -> tuple[Organization, Scope]:
        organization = projection.organizations.get(organization_id)
        if organization is None:
            raise NotFound(f"organization {organization_id!r} does not exist")
        if organization.kind is OrganizationKind.SELF:
            raise InvalidInput(
                f"organization {organization_id!r} is our own (SELF) organization: an account "
                "plan is written for a customer or prospect"
            )
        return organization, organization_scope(projection, organization_id)

    # Read in the analytic worker, under the projection's lock, as every read of a served
    # projection: queued writes and catch-ups change it in that thread.
    organization, scope = await analytics.worker.run(locate, bounded=False)
    deciders = await analytics.decision_makers(workspace, organization_id)
    targets = _targets(deciders)
    routes = {
        person: await analytics.contact_route_search(
            workspace, to=person, k=ROUTES_PER_TARGET, distinct_entry=True
        )
        for person in targets
    }
    return AccountFacts(
        organization=organization,
        as_of=as_of,
        projection=projection,
        scope=scope,
        power=await analytics.power_map(workspace, organization_id),
        deciders=deciders,
        routes=routes,
        targets=targets,
        whitespace=await analytics.whitespace(workspace, organization_id, as_of=as_of),
        windows=await analytics.displacement_windows(workspace, organization_id, as_of=as_of),
        coverage=await analytics.coverage(workspace, organization_id, as_of=as_of),
        pipeline=await analytics.pipeline(workspace, organization_id, as_of=as_of),
        changes=await history.account_changes(workspace, organization_id),
        managers=await analytics.worker.run(lambda: _managers(projection, scope), bounded=False),
    )


def _targets(deciders: list[DecisionRight]) -> list[str]:
    """Holders of an ECONOMIC_BUYER or DECISION_MAKER right, each once, in the given order."""
    seen: dict[str, None] = {}
    for right in deciders:
        if right.role in TARGET_ROLES:
            seen.setdefault(right.person_id, None)
    return list(seen)[:APPROACH_TARGETS]


def all_targets(deciders: list[DecisionRight]) -> int:
    """How many distinct people hold an ECONOMIC_BUYER or DECISION_MAKER right."""
    return len({r.person_id for r in deciders if r.role in TARGET_ROLES})


def _managers(projection: Projection, scope: Scope) -> dict[str, str]:
    people = scope.people
    return {
        a: b
        for (kind, a, b), link in projection.relationships.items()
        if kind is RelationshipType.REPORTS_TO and not link.dotted and a in people and b in people
    }

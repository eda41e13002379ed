"""Why a contact route search found nothing: a reason computed from the data.

Checked in this order, the first that holds is the answer (each later one assumes the
earlier ones do not hold):

- NO_TARGETS: the decision area has no ECONOMIC_BUYER or DECISION_MAKER in the scope;
- NO_SOURCES: no one to start from (no SELF people, or every source is in ``avoid``);
- TARGET_UNREACHABLE_WITHIN_MAX_HOPS: a route that respects blockers and ``avoid`` exists
  with more hops (up to ``MAX_HOPS``): raising ``maxHops`` finds it;
- ALL_WAYS_BLOCKED: a route exists (up to ``MAX_HOPS``) only through a BLOCKER or someone in
  ``avoid``;
- NO_CONTACT_INTO_ORGANIZATION: none of the sources has any relationship with anyone in the
  target's organization group (the top of its parent chain, with everything below it);
- NOT_CONNECTED: our people do know someone in that group, but no chain of relationships of
  at most ``MAX_HOPS`` hops reaches the target.

Each check is one more best-path search (k = 1), run only when the answer is empty.
"""

from __future__ import annotations

from collections.abc import Collection
from enum import StrEnum

from graphsvc.analytics.paths import k_best_paths
from graphsvc.analytics.projection import Projection
from graphsvc.analytics.scope import organization_scope

__all__ = ["RouteEmptyReason", "empty_reason"]


class RouteEmptyReason(StrEnum):
    """Why a route search found no route (see the module docstring)."""

    NO_TARGETS = "NO_TARGETS"
    NO_SOURCES = "NO_SOURCES"
    TARGET_UNREACHABLE_WITHIN_MAX_HOPS = "TARGET_UNREACHABLE_WITHIN_MAX_HOPS"
    ALL_WAYS_BLOCKED = "ALL_WAYS_BLOCKED"
    NO_CONTACT_INTO_ORGANIZATION = "NO_CONTACT_INTO_ORGANIZATION"
    NOT_CONNECTED = "NOT_CONNECTED"


def empty_reason(
    projection: Projection,
    targets: Collection[str],
    starts: Collection[str],
    blocked: Collection[str],
    max_hops: int,
    longest: int,
) -> RouteEmptyReason:
    """Why no route of 1 to ``max_hops`` hops avoiding ``blocked`` joins ``starts`` to
    ``targets``; ``longest`` is the longest route anyone may ask for (``MAX_HOPS``)."""
    if not targets:
        return RouteEmptyReason.NO_TARGETS
    if not starts:
        return RouteEmptyReason.NO_SOURCES

    def found(hops: int, through: Collection[str]) -> bool:
        return bool(
            k_best_paths(projection.walk, targets, starts, k=1, max_hops=hops, blocked=through)
        )

    if max_hops < longest and found(longest, blocked):
        return RouteEmptyReason.TARGET_UNREACHABLE_WITHIN_MAX_HOPS
    if found(longest, frozenset()):
        return RouteEmptyReason.ALL_WAYS_BLOCKED
    group = _group_people(projection, targets)
    walk = projection.walk
    if not any(other in group for s in starts for other in walk.get(s, {})):
        return RouteEmptyReason.NO_CONTACT_INTO_ORGANIZATION
    return RouteEmptyReason.NOT_CONNECTED


def _group_people(projection: Projection, targets: Collection[str]) -> set[str]:
    """Everyone in the organization groups of ``targets`` (from the top of each parent chain)."""
    people: set[str] = set()
    tops: set[str] = set()
    for target in targets:
        org_id = projection.people[target].organization_id
        seen = {org_id}
        while (org := projection.organizations.get(org_id)) is not None and org.parent_id:
            if org.parent_id in seen or org.parent_id not in projection.organizations:
                break
            org_id = org.parent_id
            seen.add(org_id)
        tops.add(org_id)
    for top in sorted(tops):
        if top in projection.organizations:
            people.update(organization_scope(projection, top).people)
        else:
            people.update(projection.org_people.get(top, ()))
    return people

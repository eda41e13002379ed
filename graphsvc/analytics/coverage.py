"""coverage (CONTRACT §5): how well our people reach the deciders of an organization scope.

Over the decision rights of the scope (in ``decision_makers`` order):

- ``direct_contact``: the right's holder KNOWS a person of the SELF organization;
- ``best_route_score``: the score of the best ``contact_routes`` route (STRENGTH, default
  sources, at most ``max_hops`` hops) to the holder; None when unreachable.

``single_threaded``: every KNOWS relationship between a SELF person and a person of the scope
has the same SELF person at our end. Choice: with no such relationship at all it is false:
there is no thread, and the decision makers' ``direct_contact`` already says so.

``stale_relationships``: how many of those KNOWS relationships have no ``lastContactOn``, or
one more than ``stale_after_days`` days before ``as_of`` (exactly that many days is fresh).

Example (the Kaito group, ``as_of`` 2026-11-01): Ken Ueda knows 高橋 誠 (10 days ago) and
中村 優 (never recorded), Mika Tanaka knows 小林 大輔 (2025-01-15): two threads, so not
single-threaded, and two stale relationships; without subsidiaries only Ken's two remain,
so single-threaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from graphsvc.analytics.decision_makers import ordered_rights
from graphsvc.analytics.projection import Projection
from graphsvc.analytics.routes import DEFAULT_MAX_HOPS, contact_routes
from graphsvc.analytics.scope import DEFAULT_INCLUDE_SUBSIDIARIES, organization_scope
from graphsvc.domain.enums import RelationshipType
from graphsvc.domain.models import DecisionRight, RelationshipKey, relationship_key
from graphsvc.errors import InvalidInput

__all__ = ["DEFAULT_STALE_AFTER_DAYS", "Coverage", "DecisionMakerCoverage", "coverage"]

DEFAULT_STALE_AFTER_DAYS = 90
"""Days since the last contact after which a relationship counts as stale, when not given."""


@dataclass(frozen=True)
class DecisionMakerCoverage:
    """One decision right and how close our people are to its holder."""

    right: DecisionRight
    direct_contact: bool
    best_route_score: float | None


@dataclass(frozen=True)
class Coverage:
    """Coverage of an organization scope's decision makers by our people."""

    decision_makers: tuple[DecisionMakerCoverage, ...]
    single_threaded: bool
    stale_relationships: int


def coverage(
    projection: Projection,
    organization_id: str,
    *,
    as_of: date,
    include_subsidiaries: bool = DEFAULT_INCLUDE_SUBSIDIARIES,
    stale_after_days: int = DEFAULT_STALE_AFTER_DAYS,
    max_hops: int = DEFAULT_MAX_HOPS,
) -> Coverage:
    """Coverage of the scope's decision rights, threads and stale relationships."""
    if stale_after_days < 0:
        raise InvalidInput(f"staleAfterDays must not be negative, got {stale_after_days}")
    scope = organization_scope(
        projection, organization_id, include_subsidiaries=include_subsidiaries
    )
    ours = projection.self_people()
    threads: dict[RelationshipKey, str] = {}
    for mine in ours:
        for other in projection.walk.get(mine, ()):
            key = relationship_key(RelationshipType.KNOWS, mine, other)
            if other in scope.people and key in projection.relationships:
                threads.setdefault(key, mine)
    best: dict[str, float | None] = {}
    rows = []
    for right in ordered_rights(projection, scope):
        holder = right.person_id
        if holder not in best:
            routes = contact_routes(projection, to=holder, k=1, max_hops=max_hops)
            best[holder] = routes[0].score if routes else None
        rows.append(DecisionMakerCoverage(right, _knows_ours(projection, holder), best[holder]))
    try:
        cutoff = as_of - timedelta(days=stale_after_days)
    except OverflowError:  # a window reaching before year 1: nothing is older than that
        cutoff = date.min
    stale = sum(
        1
        for key in threads
        if (last := projection.relationships[key].last_contact_on) is None or last < cutoff
    )
    return Coverage(tuple(rows), len(set(threads.values())) == 1, stale)


def _knows_ours(projection: Projection, person_id: str) -> bool:
    ours = projection.self_people()
    return any(
        other in ours and projection.link(RelationshipType.KNOWS, person_id, other) is not None
        for other in projection.walk.get(person_id, ())
    )

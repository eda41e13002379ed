"""coverage (CONTRACT §5): how well our people reach the deciders of an organization scope.

Over the decision rights of the scope (in ``decision_makers`` order):

- ``direct_contact``: the right's holder KNOWS a person of the SELF organization;
- ``best_route_score``: the score of the best ``contact_routes`` route (STRENGTH, default
  sources, at most ``max_hops`` hops) to the holder; None when unreachable. All holders'
  scores come from one search from our people (``reach.best_paths``), not one per holder.

``contacts``: how many KNOWS relationships join a SELF person and a person of the scope (the
"threads"). ``status`` says in one word what they amount to: NO_CONTACT (none at all),
SINGLE_THREADED (all start at the same SELF person, named by ``single_thread``) or
MULTI_THREADED.

``single_threaded``: every such relationship has the same SELF person at our end. Choice
(kept from before ``status`` existed, the contract's field is a non-null Boolean): with no
relationship at all it is false, which alone would read as "all is well"; ``status`` is
NO_CONTACT then, and that is the field to read.

``stale``: those relationships with no ``lastContactOn``, or one more than
``stale_after_days`` days before ``as_of`` (exactly that many days is fresh), never
contacted first, then oldest contact first, then by their person's and our person's ids;
``stale_relationships`` is how many.

Example (the Kaito group, ``as_of`` 2026-11-01): Ken Ueda knows 高橋 誠 (12 days ago) and
中村 優 (never recorded), Mika Tanaka knows 小林 大輔 (2025-01-15): three contacts from two
of our people, so MULTI_THREADED, and two stale relationships (Ken–中村 優, then
Mika–小林 大輔, 655 days); without subsidiaries only Ken's two remain, so SINGLE_THREADED
on Ken; kaito-fs has no contact at all: NO_CONTACT.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from graphsvc.analytics.cancel import checkpoint
from graphsvc.analytics.decision_makers import ordered_rights
from graphsvc.analytics.projection import Projection
from graphsvc.analytics.reach import best_paths, path_score
from graphsvc.analytics.routes import DEFAULT_MAX_HOPS, contact_routes
from graphsvc.analytics.scope import DEFAULT_INCLUDE_SUBSIDIARIES, organization_scope
from graphsvc.domain.enums import RelationshipType
from graphsvc.domain.models import DecisionRight, RelationshipKey, relationship_key
from graphsvc.errors import InvalidInput

__all__ = [
    "DEFAULT_STALE_AFTER_DAYS",
    "Coverage",
    "CoverageStatus",
    "DecisionMakerCoverage",
    "StaleContact",
    "coverage",
]

DEFAULT_STALE_AFTER_DAYS = 90
"""Days since the last contact after which a relationship counts as stale, when not given."""


class CoverageStatus(StrEnum):
    """How many of our people hold the threads into a scope."""

    NO_CONTACT = "NO_CONTACT"
    SINGLE_THREADED = "SINGLE_THREADED"
    MULTI_THREADED = "MULTI_THREADED"


@dataclass(frozen=True)
class StaleContact:
    """A KNOWS relationship between one of our people and one of theirs gone stale."""

    ours: str
    theirs: str
    last_contact_on: date | None
    days_since_contact: int | None


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
    contacts: int
    single_thread: str | None
    stale: tuple[StaleContact, ...]

    @property
    def status(self) -> CoverageStatus:
        """NO_CONTACT, SINGLE_THREADED or MULTI_THREADED."""
        if self.contacts == 0:
            return CoverageStatus.NO_CONTACT
        if self.single_thread is not None:
            return CoverageStatus.SINGLE_THREADED
        return CoverageStatus.MULTI_THREADED

    @property
    def single_threaded(self) -> bool:
        """CONTRACT's field: every thread starts at one of our people (false with none)."""
        return self.single_thread is not None

    @property
    def stale_relationships(self) -> int:
        """How many threads are stale."""
        return len(self.stale)


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
    for mine in sorted(ours):
        for other in projection.walk.get(mine, ()):
            key = relationship_key(RelationshipType.KNOWS, mine, other)
            if other in scope.people and key in projection.relationships:
                threads.setdefault(key, mine)
    rights = ordered_rights(projection, scope)
    best = _best_route_scores(projection, {r.person_id for r in rights}, ours, max_hops)
    rows = [
        DecisionMakerCoverage(
            right, _knows_ours(projection, right.person_id), best[right.person_id]
        )
        for right in rights
    ]
    try:
        cutoff = as_of - timedelta(days=stale_after_days)
    except OverflowError:  # a window reaching before year 1: nothing is older than that
        cutoff = date.min
    stale = []
    for key, mine in threads.items():
        last = projection.relationships[key].last_contact_on
        if last is None or last < cutoff:
            theirs = key[2] if key[1] == mine else key[1]
            since = (as_of - last).days if last is not None else None
            stale.append(StaleContact(mine, theirs, last, since))
    stale.sort(
        key=lambda c: (
            c.last_contact_on is not None,
            c.last_contact_on or date.min,
            c.theirs,
            c.ours,
        )
    )
    holders = set(threads.values())
    single = next(iter(holders)) if len(holders) == 1 else None
    return Coverage(tuple(rows), len(threads), single, tuple(stale))


def _best_route_scores(
    projection: Projection, holders: set[str], ours: Collection[str], max_hops: int
) -> dict[str, float | None]:
    """The score of each holder's best contact route (``contact_routes`` k=1, default sources):
    one search from our people for all of them (``reach``), instead of one per holder."""
    walk = projection.walk
    found = best_paths(walk, ours, max_hops=max_hops, blocked=projection.blockers)
    best: dict[str, float | None] = {}
    for holder in holders:
        checkpoint()  # the analytic time limit (analytics.cancel)
        if holder in ours:  # one of ours holding a right: a route from another of us
            routes = contact_routes(projection, to=holder, k=1, max_hops=max_hops)
            best[holder] = routes[0].score if routes else None
        else:
            path = found.get(holder)
            best[holder] = path_score(walk, path) if path is not None else None
    return best


def _knows_ours(projection: Projection, person_id: str) -> bool:
    ours = projection.self_people()
    return any(
        other in ours and projection.link(RelationshipType.KNOWS, person_id, other) is not None
        for other in projection.walk.get(person_id, ())
    )

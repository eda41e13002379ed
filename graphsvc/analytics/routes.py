"""contactRoutes (CONTRACT §5): warm routes from our people to a person or a decision area.

Rules, as the contract states them:

- Walkable edges are KNOWS, INFLUENCES and REPORTS_TO, each in both directions. A hop's
  strength is the relationship's, or the default (KNOWS 0.5, INFLUENCES 0.5, REPORTS_TO
  solid 0.7, dotted 0.5); between two people joined by several relationships the strongest
  is used.
- ``score`` is the product of the hop strengths.
- Sources are ``sources`` or, by default, every person of the SELF organization. Targets are
  ``to``, or with ``decision_area`` every holder of an ECONOMIC_BUYER or DECISION_MAKER right
  for that area (case-insensitive) in that organization's scope, subsidiaries included.
  Exactly one of ``to`` and ``decision_area``.
- A route never passes *through* a BLOCKER or anyone in ``avoid``; either may be the target.
- Routes are simple paths of 1 to ``max_hops`` hops. STRENGTH: the ``k`` highest scores
  (ties: fewer hops first); HOPS: the ``k`` fewest hops (ties: higher score first).

Choices where the contract is silent:

- Someone in ``avoid`` is never a source either (asking to avoid one of our own people
  means not using them at all). A BLOCKER may be a source: the rule is about passing through.
- A route has at least one hop; a target who is also a source is reached from another source.
- Remaining ties are broken by the people's ids, read from the target back to the source, so
  results never depend on storage order. (The search runs from the targets, which are few,
  towards the sources, which are many; the score is multiplied in that order too.)
- ``weakest_link`` is the weakest hop; among equally weak hops, the one nearest the source.
- Unknown ids in ``to``, ``sources`` or ``avoid`` are ``NotFound``, so a typo never silently
  changes an answer. ``k`` is 1 to 50 and ``max_hops`` 1 to 10 (``InvalidInput`` otherwise).

Example (the Kaito group of CONTRACT §3):
    contact_routes(p, to="p-cio", k=1)[0].explanation ==
    "Ken Ueda (BDR, Nexa Systems) knows 高橋 誠 (0.90), who knows 伊藤 翔 (0.80), "
    "who influences 佐藤 健, CIO (0.95)"
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from enum import StrEnum

from graphsvc.analytics.decision_makers import rights_in_scope
from graphsvc.analytics.paths import k_best_paths
from graphsvc.analytics.projection import PersonNode, Projection
from graphsvc.analytics.scope import organization_scope
from graphsvc.domain.enums import BuyingRole, RelationshipType
from graphsvc.errors import InvalidInput, NotFound

__all__ = [
    "DEFAULT_K",
    "DEFAULT_MAX_HOPS",
    "DEFAULT_METRIC",
    "MAX_HOPS",
    "MAX_K",
    "DecisionArea",
    "Route",
    "RouteHop",
    "RouteMetric",
    "contact_routes",
    "route_targets",
]

DEFAULT_K = 3
"""Routes returned when ``k`` is not given."""
MAX_K = 50
DEFAULT_MAX_HOPS = 6
"""The longest route, in hops, when ``max_hops`` is not given."""
MAX_HOPS = 10
_TARGET_ROLES = frozenset({BuyingRole.ECONOMIC_BUYER, BuyingRole.DECISION_MAKER})


class RouteMetric(StrEnum):
    """How routes are ranked: by score (STRENGTH) or by number of hops (HOPS)."""

    STRENGTH = "STRENGTH"
    HOPS = "HOPS"


DEFAULT_METRIC = RouteMetric.STRENGTH
"""How routes are ranked when ``metric`` is not given."""


@dataclass(frozen=True)
class DecisionArea:
    """Route targets by buying power: the deciders for ``area`` in an organization's group."""

    organization_id: str
    area: str


@dataclass(frozen=True, slots=True)
class RouteHop:
    """One hop of a route, in the route's direction, over the strongest relationship."""

    from_id: str
    to_id: str
    type: RelationshipType
    strength: float
    dotted: bool = False
    reversed: bool = False
    """True when the hop walks a directed relationship against its direction."""


@dataclass(frozen=True)
class Route:
    """A warm route from one of our people (``people[0]``) to a target (``people[-1]``)."""

    score: float
    hops: tuple[RouteHop, ...]
    people: tuple[str, ...]
    weakest_link: RouteHop
    explanation: str


def contact_routes(
    projection: Projection,
    *,
    to: str | None = None,
    decision_area: DecisionArea | None = None,
    sources: Sequence[str] | None = None,
    avoid: Collection[str] = (),
    k: int = DEFAULT_K,
    max_hops: int = DEFAULT_MAX_HOPS,
    metric: RouteMetric = DEFAULT_METRIC,
) -> list[Route]:
    """The ``k`` best routes under ``metric``, best first; empty when there is none."""
    if not 1 <= k <= MAX_K:
        raise InvalidInput(f"k must be between 1 and {MAX_K}, got {k}")
    if not 1 <= max_hops <= MAX_HOPS:
        raise InvalidInput(f"maxHops must be between 1 and {MAX_HOPS}, got {max_hops}")
    avoided = frozenset(avoid)
    _require_people(projection, avoided, "avoid")
    targets = route_targets(projection, to=to, decision_area=decision_area)
    if sources is None:
        starts = projection.self_people() - avoided
    else:
        _require_people(projection, sources, "from")
        starts = set(sources) - avoided
    blocked = projection.blockers | avoided if avoided else projection.blockers
    found = k_best_paths(
        projection.walk,
        targets,
        starts,
        k=k,
        max_hops=max_hops,
        blocked=blocked,
        by_hops=metric is RouteMetric.HOPS,
    )
    return [_route(projection, tuple(reversed(path)), score) for path, score in found]


def route_targets(
    projection: Projection, *, to: str | None = None, decision_area: DecisionArea | None = None
) -> list[str]:
    """The target people of a route query (sorted ids); checks "exactly one of" the two."""
    if (to is None) == (decision_area is None):
        raise InvalidInput("give exactly one of `to` and `decisionArea`")
    if to is not None:
        _require_people(projection, (to,), "to")
        return [to]
    assert decision_area is not None
    scope = organization_scope(projection, decision_area.organization_id)
    return sorted(
        {
            r.person_id
            for r in rights_in_scope(projection, scope, area=decision_area.area)
            if r.role in _TARGET_ROLES and r.person_id in projection.people
        }
    )


def _require_people(projection: Projection, ids: Collection[str], argument: str) -> None:
    missing = sorted(i for i in ids if i not in projection.people)
    if missing:
        raise NotFound(f"{argument}: no person with id {', '.join(map(repr, missing))}")


def _route(projection: Projection, people: tuple[str, ...], score: float) -> Route:
    hops = tuple(_hop(projection, a, b) for a, b in itertools.pairwise(people))
    weakest = min(hops, key=lambda h: h.strength)  # min keeps the first (nearest the source)
    return Route(score, hops, people, weakest, _explain(projection, people, hops))


def _hop(projection: Projection, a: str, b: str) -> RouteHop:
    strongest = projection.strongest_link(a, b)
    if strongest is None:  # the walkable graph only holds pairs that have a relationship
        raise AssertionError(f"projection out of sync: no relationship between {a} and {b}")
    (type_, from_id, _), link = strongest
    reversed_ = type_ is not RelationshipType.KNOWS and from_id != a
    return RouteHop(a, b, type_, link.strength, link.dotted, reversed_)


_VERBS = {
    (RelationshipType.KNOWS, False, False): "knows",
    (RelationshipType.KNOWS, False, True): "knows",
    (RelationshipType.INFLUENCES, False, False): "influences",
    (RelationshipType.INFLUENCES, False, True): "is influenced by",
    (RelationshipType.REPORTS_TO, False, False): "reports to",
    (RelationshipType.REPORTS_TO, False, True): "manages",
    (RelationshipType.REPORTS_TO, True, False): "has a dotted reporting line to",
    (RelationshipType.REPORTS_TO, True, True): "is the dotted-line manager of",
}


def _explain(projection: Projection, people: tuple[str, ...], hops: tuple[RouteHop, ...]) -> str:
    """ "Ken Ueda (BDR, Nexa Systems) knows 伊藤 翔 (0.80), who influences 佐藤 健, CIO (0.95)"."""
    parts = [_first(projection, projection.people[people[0]])]
    for i, hop in enumerate(hops):
        node = projection.people[hop.to_id]
        last = i == len(hops) - 1
        name = f"{node.name}, {node.title}" if last and node.title else node.name
        verb = _VERBS[(hop.type, hop.dotted, hop.reversed)]
        parts.append(f"{'' if i == 0 else ', who '}{verb} {name} ({hop.strength:.2f})")
    return parts[0] + " " + "".join(parts[1:])


def _first(projection: Projection, node: PersonNode) -> str:
    org = projection.organizations.get(node.organization_id)
    details = [d for d in (node.title, org.name if org else None) if d]
    return f"{node.name} ({', '.join(details)})" if details else node.name

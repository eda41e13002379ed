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
- ``distinct_entry``: the ``k`` best routes with distinct *entry points*, the entry point of
  a route being its first person outside our (SELF) organization (its source, when that is
  not one of ours; its target when the route never leaves our organization). That is the
  best route through each entry point, best first, so the top ``k`` are not filled with
  "colleague introduces colleague" variants of one way in. The same search (ties broken the
  same way) refuses any route through an entry point already answered (``paths`` module,
  ``group``), so it stays exact and about as fast as the plain one.
- A route found through ``decision_area`` carries its target's right for that area
  (ECONOMIC_BUYER before DECISION_MAKER, then the scope id); null with ``to``.
- The explanation's language and wording are in ``route_text``; why a search found nothing
  is ``route_reasons``, called by ``search_routes`` only when the answer is empty.
- Unknown ids in ``to``, ``sources`` or ``avoid`` are ``NotFound``, so a typo never silently
  changes an answer. ``k`` is 1 to 50 and ``max_hops`` 1 to 10 (``InvalidInput`` otherwise).

Example (the Kaito group of CONTRACT §3):
    contact_routes(p, to="p-cio", k=1)[0].explanations[ExplanationLanguage.EN] ==
    "Ken Ueda (BDR, Nexa Systems) knows 高橋 誠 (0.90), who knows 伊藤 翔 (0.80), "
    "who influences 佐藤 健, CIO (0.95)"
    (``explanation``, in AUTO language, is the Japanese sentence: most names are Japanese.)
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Hashable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TypedDict, Unpack

from graphsvc.analytics.decision_makers import rights_in_scope
from graphsvc.analytics.paths import Path, k_best_paths
from graphsvc.analytics.projection import Projection
from graphsvc.analytics.route_reasons import RouteEmptyReason, empty_reason
from graphsvc.analytics.route_text import ExplanationLanguage, explain, explanation_language
from graphsvc.analytics.scope import organization_scope
from graphsvc.domain.enums import BuyingRole, RelationshipType
from graphsvc.domain.models import DecisionRight
from graphsvc.errors import InvalidInput, NotFound

__all__ = [
    "DEFAULT_K",
    "DEFAULT_MAX_HOPS",
    "DEFAULT_METRIC",
    "MAX_HOPS",
    "MAX_K",
    "DecisionArea",
    "ExplanationLanguage",
    "Route",
    "RouteEmptyReason",
    "RouteHop",
    "RouteMetric",
    "RouteSearch",
    "contact_routes",
    "route_targets",
    "search_routes",
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
    """In the language the names call for (``ExplanationLanguage.AUTO``)."""
    explanations: dict[ExplanationLanguage, str]
    """The explanation in each language (AUTO, EN, JA)."""
    entry: str | None
    """The first person outside our organization (None: the route never leaves it)."""
    target_right: DecisionRight | None = None
    """The target's right that made it a target (routes to a ``decision_area`` only)."""


@dataclass(frozen=True)
class RouteSearch:
    """Routes with, when there is none, the reason why."""

    routes: list[Route]
    empty_reason: RouteEmptyReason | None


class RouteRequest(TypedDict, total=False):
    """The arguments of a route query, declared once for the function, the service and tests.

    Each may be left out: ``to`` or ``decision_area`` (exactly one is required), ``sources``
    (every person of our SELF organization), ``avoid`` (nobody), ``k`` (``DEFAULT_K``),
    ``max_hops`` (``DEFAULT_MAX_HOPS``), ``metric`` (``DEFAULT_METRIC``), ``distinct_entry``
    (off: one route per way into the account when on).
    """

    to: str | None
    decision_area: DecisionArea | None
    sources: Sequence[str] | None
    avoid: Collection[str]
    k: int
    max_hops: int
    metric: RouteMetric
    distinct_entry: bool


def contact_routes(projection: Projection, **request: Unpack[RouteRequest]) -> list[Route]:
    """The ``k`` best routes under ``metric``, best first; empty when there is none."""
    return _Query.of(projection, request).routes()


def search_routes(projection: Projection, **request: Unpack[RouteRequest]) -> RouteSearch:
    """``contact_routes`` with the reason it found nothing (``route_reasons``), if so."""
    query = _Query.of(projection, request)
    found = query.routes()
    if found:
        return RouteSearch(found, None)
    reason = empty_reason(
        projection, list(query.targets), query.starts, query.blocked, query.max_hops, MAX_HOPS
    )
    return RouteSearch([], reason)


@dataclass(frozen=True)
class _Query:
    """A checked route query: targets (with their rights), sources and who is blocked."""

    projection: Projection
    targets: dict[str, DecisionRight | None]
    starts: set[str]
    blocked: Collection[str]
    k: int
    max_hops: int
    metric: RouteMetric
    distinct_entry: bool

    @classmethod
    def of(cls, projection: Projection, request: RouteRequest) -> _Query:
        """Checks the arguments (``InvalidInput``, ``NotFound``) and resolves them."""
        k = request.get("k", DEFAULT_K)
        max_hops = request.get("max_hops", DEFAULT_MAX_HOPS)
        sources = request.get("sources")
        if not 1 <= k <= MAX_K:
            raise InvalidInput(f"k must be between 1 and {MAX_K}, got {k}")
        if not 1 <= max_hops <= MAX_HOPS:
            raise InvalidInput(f"maxHops must be between 1 and {MAX_HOPS}, got {max_hops}")
        avoided = frozenset(request.get("avoid", ()))
        _require_people(projection, avoided, "avoid")
        targets = _targets(
            projection, to=request.get("to"), decision_area=request.get("decision_area")
        )
        if sources is None:
            starts = projection.self_people() - avoided
        else:
            _require_people(projection, sources, "from")
            starts = set(sources) - avoided
        blocked = projection.blockers | avoided if avoided else projection.blockers
        metric = request.get("metric", DEFAULT_METRIC)
        distinct_entry = request.get("distinct_entry", False)
        return cls(projection, targets, starts, blocked, k, max_hops, metric, distinct_entry)

    def routes(self) -> list[Route]:
        """The best routes (see the module docstring), source first."""
        projection = self.projection
        distinct_entry = self.distinct_entry
        by_hops = self.metric is RouteMetric.HOPS
        found = k_best_paths(
            projection.walk,
            self.targets,
            self.starts,
            k=self.k,
            max_hops=self.max_hops,
            blocked=self.blocked,
            by_hops=by_hops,
            group=self._entry_group if distinct_entry else None,
            state=self._entry_state if distinct_entry else None,
        )
        paths = [(tuple(reversed(path)), score) for path, score in found]
        return [_route(projection, path, score, self.targets[path[-1]]) for path, score in paths]

    # The search runs from the targets: its paths are read target first, source last.

    def _entry_group(self, path: Path) -> Hashable:
        """A found path's entry point (the target when the path never leaves our people)."""
        return _entry(self.projection, path[::-1]) or ("target", path[0])

    def _entry_state(self, prefix: Path) -> Hashable:
        """What of a prefix (from the target) can still decide the entry point: at one of
        our people, the last person outside (the entry if the rest stays with us);
        elsewhere nothing (the entry is this person or one still to come)."""
        projection = self.projection
        if projection.people[prefix[-1]].organization_id != projection.self_organization:
            return None
        return _entry(projection, prefix[::-1])


def _entry(projection: Projection, people: Sequence[str]) -> str | None:
    """The first of ``people`` outside our organization, or None."""
    ours = projection.self_organization
    return next((p for p in people if projection.people[p].organization_id != ours), None)


def route_targets(
    projection: Projection, *, to: str | None = None, decision_area: DecisionArea | None = None
) -> list[str]:
    """The target people of a route query (sorted ids); checks "exactly one of" the two."""
    return sorted(_targets(projection, to=to, decision_area=decision_area))


def _targets(
    projection: Projection, *, to: str | None, decision_area: DecisionArea | None
) -> dict[str, DecisionRight | None]:
    """The targets, each with the right that makes it one (None for ``to``)."""
    if (to is None) == (decision_area is None):
        raise InvalidInput("give exactly one of `to` and `decisionArea`")
    if to is not None:
        _require_people(projection, (to,), "to")
        return {to: None}
    assert decision_area is not None
    scope = organization_scope(projection, decision_area.organization_id)
    rights = sorted(
        (
            r
            for r in rights_in_scope(projection, scope, area=decision_area.area)
            if r.role in _TARGET_ROLES and r.person_id in projection.people
        ),
        key=lambda r: (r.role.order, r.scope_id, r.area),
    )
    targets: dict[str, DecisionRight | None] = {}
    for right in rights:
        targets.setdefault(right.person_id, right)
    return dict(sorted(targets.items()))


def _require_people(projection: Projection, ids: Collection[str], argument: str) -> None:
    missing = sorted(i for i in ids if i not in projection.people)
    if missing:
        raise NotFound(f"{argument}: no person with id {', '.join(map(repr, missing))}")


def _route(
    projection: Projection, people: tuple[str, ...], score: float, right: DecisionRight | None
) -> Route:
    hops = tuple(_hop(projection, a, b) for a, b in itertools.pairwise(people))
    weakest = min(hops, key=lambda h: h.strength)  # min keeps the first (nearest the source)
    texts = {
        language: explain(projection, people, hops, language)
        for language in (ExplanationLanguage.EN, ExplanationLanguage.JA)
    }
    names = [projection.people[p].name for p in people]
    texts[ExplanationLanguage.AUTO] = texts[explanation_language(names)]
    entry = _entry(projection, people)
    return Route(score, hops, people, weakest, texts[ExplanationLanguage.AUTO], texts, entry, right)


def _hop(projection: Projection, a: str, b: str) -> RouteHop:
    strongest = projection.strongest_link(a, b)
    if strongest is None:  # the walkable graph only holds pairs that have a relationship
        raise AssertionError(f"projection out of sync: no relationship between {a} and {b}")
    (type_, from_id, _), link = strongest
    reversed_ = type_ is not RelationshipType.KNOWS and from_id != a
    return RouteHop(a, b, type_, link.strength, link.dotted, reversed_)

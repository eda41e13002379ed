"""powerMap (CONTRACT §5): formal rank against informal influence, per person of a scope.

- ``formal_rank``: EXECUTIVE 5, VP 4, DIRECTOR 3, MANAGER 2, STAFF 1, unknown 0.
- ``influence``: weighted PageRank (damping 0.85) over the "listens to" graph among the
  scope's people: INFLUENCES(a→b, s) adds b→a with weight s; REPORTS_TO(a→b) adds a→b with
  its strength (defaults as for routes). When two relationships yield the same directed
  edge their weights add up (as PageRank on a multigraph). Dangling people spread their
  rank evenly (networkx's default). Scaled so that the maximum is 1. Choice: when the
  scope has no listens-to edge at all, influence is 0 for everyone (uniform PageRank would
  be no evidence of influence).
- ``brokerage``: betweenness centrality, normalised, of the undirected, unweighted
  relationship graph (every type) among the scope's people.
- ``hidden_influencer``: formal rank ≤ 2 and influence > 0 and within the top 20 % of the
  scope: influence at least that of the person at position ceil(0.2 × n) when sorted by
  influence (so people tied at the threshold are all in).

Ordered by influence (descending), then formal rank (descending), then name and id.

Example (the Kaito group with subsidiaries, 8 people): 伊藤 翔 (STAFF) is the hidden
influencer: the CIO listens to him (INFLUENCES 0.95) more than to the CEO (REPORTS_TO 0.7).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx

from graphsvc.analytics.centrality import betweenness
from graphsvc.analytics.projection import Projection
from graphsvc.analytics.scope import organization_scope
from graphsvc.domain.enums import RelationshipType, formal_rank

__all__ = ["DAMPING", "HIDDEN_TOP_SHARE", "PowerScore", "listens_to_graph", "power_map"]

DAMPING = 0.85
HIDDEN_TOP_SHARE = 0.2
_MAX_FORMAL_RANK_OF_HIDDEN = 2


@dataclass(frozen=True, slots=True)
class PowerScore:
    """One person's formal and informal power within the scope."""

    person_id: str
    influence: float
    formal_rank: int
    brokerage: float
    hidden_influencer: bool


def power_map(
    projection: Projection, organization_id: str, *, include_subsidiaries: bool = True
) -> list[PowerScore]:
    """One ``PowerScore`` per person of the organization scope, most influential first."""
    scope = organization_scope(
        projection, organization_id, include_subsidiaries=include_subsidiaries
    )
    people = sorted(scope.people)
    if not people:
        return []
    influence = _influence(listens_to_graph(projection, people))
    brokerage = betweenness(_relationship_pairs(projection, people), people)
    threshold = _top_threshold(influence.values())
    scores = []
    for pid in people:
        rank = formal_rank(projection.people[pid].seniority)
        value = influence[pid]
        hidden = rank <= _MAX_FORMAL_RANK_OF_HIDDEN and value > 0 and value >= threshold
        scores.append(PowerScore(pid, value, rank, brokerage[pid], hidden))
    scores.sort(
        key=lambda s: (
            -s.influence,
            -s.formal_rank,
            projection.people[s.person_id].name,
            s.person_id,
        )
    )
    return scores


def listens_to_graph(projection: Projection, people: Iterable[str]) -> nx.DiGraph:
    """The weighted "listens to" digraph among ``people`` (every one of them a node)."""
    members = set(people)
    graph = nx.DiGraph()
    graph.add_nodes_from(sorted(members))
    for a in sorted(members):
        for b in projection.walk.get(a, ()):
            if b not in members:
                continue
            # Each directed relationship is visited from its ``from`` end only.
            influences = projection.link(RelationshipType.INFLUENCES, a, b)
            if influences is not None:
                _add(graph, b, a, influences.strength)
            reports = projection.link(RelationshipType.REPORTS_TO, a, b)
            if reports is not None:
                _add(graph, a, b, reports.strength)
    return graph


def _add(graph: nx.DiGraph, listener: str, speaker: str, weight: float) -> None:
    if graph.has_edge(listener, speaker):
        graph[listener][speaker]["weight"] += weight
    else:
        graph.add_edge(listener, speaker, weight=weight)


def _influence(graph: nx.DiGraph) -> dict[str, float]:
    if graph.number_of_edges() == 0:
        # Nobody listens to anybody: PageRank would be uniform, which is no evidence of
        # influence, so influence is 0 for everyone (and nobody is a hidden influencer).
        return dict.fromkeys(graph, 0.0)
    rank: dict[str, float] = nx.pagerank(
        graph, alpha=DAMPING, weight="weight", tol=1e-12, max_iter=10_000
    )
    top = max(rank.values())
    return {node: value / top for node, value in rank.items()}


def _relationship_pairs(projection: Projection, people: list[str]) -> list[tuple[str, str]]:
    members = set(people)
    return [(a, b) for a in people for b in projection.walk.get(a, ()) if a < b and b in members]


def _top_threshold(values: Iterable[float]) -> float:
    ordered = sorted(values, reverse=True)
    if not ordered:
        return math.inf
    position = math.ceil(HIDDEN_TOP_SHARE * len(ordered))
    return ordered[max(position, 1) - 1]

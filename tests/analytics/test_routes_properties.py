"""Property: contactRoutes equals an exhaustive search of all simple paths on small graphs.

The reference is written from the contract alone, on networkx: collapse parallel
relationships to their strongest effective strength, enumerate every simple path from each
source to each target with ``nx.all_simple_paths`` (cutoff ``max_hops``), drop those passing
through a BLOCKER or an avoided person, rank them by the metric, and take ``k``. Remaining
ties are broken as the implementation documents: by the ids read from the target back.
"""

from __future__ import annotations

import itertools
import math

import networkx as nx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphsvc.analytics.projection import Projection
from graphsvc.analytics.routes import RouteMetric, contact_routes
from graphsvc.domain.enums import OrganizationKind, RelationshipType, Stance
from graphsvc.domain.models import Relationship
from tests.analytics.conftest import project
from tests.factories import document, org, person

PEOPLE = [f"p{i}" for i in range(7)]
STRENGTHS = st.sampled_from([None, 0.25, 0.5, 0.7, 0.8, 0.9, 1.0])


@st.composite
def relationship(draw: st.DrawFn, people: list[str]) -> Relationship:
    a, b = draw(st.lists(st.sampled_from(people), min_size=2, max_size=2, unique=True))
    type_ = draw(st.sampled_from(list(RelationshipType)))
    dotted = type_ is RelationshipType.REPORTS_TO and draw(st.booleans())
    return Relationship(type=type_, from_id=a, to_id=b, strength=draw(STRENGTHS), dotted=dotted)


@st.composite
def scenario(draw: st.DrawFn) -> dict:
    n = draw(st.integers(min_value=2, max_value=len(PEOPLE)))
    people = PEOPLE[:n]
    ours = draw(st.lists(st.sampled_from(people), min_size=1, max_size=3, unique=True))
    blockers = draw(st.lists(st.sampled_from(people), max_size=2, unique=True))
    rels = {r.key: r for r in draw(st.lists(relationship(people), max_size=14))}
    targets = draw(st.lists(st.sampled_from(people), min_size=1, max_size=1))
    return {
        "people": people,
        "ours": ours,
        "blockers": blockers,
        "relationships": list(rels.values()),
        "to": targets[0],
        "avoid": draw(st.lists(st.sampled_from(people), max_size=2, unique=True)),
        "sources": draw(st.none() | st.lists(st.sampled_from(people), min_size=1, max_size=3)),
        "k": draw(st.integers(min_value=1, max_value=6)),
        "max_hops": draw(st.integers(min_value=1, max_value=5)),
        "metric": draw(st.sampled_from(list(RouteMetric))),
    }


def build(case: dict) -> Projection:
    return project(
        document(
            organizations=[org("us", "Us", OrganizationKind.SELF), org("acme", "Acme")],
            people=[
                person(
                    p,
                    "us" if p in case["ours"] else "acme",
                    stance=Stance.BLOCKER if p in case["blockers"] else Stance.NEUTRAL,
                )
                for p in case["people"]
            ],
            relationships=case["relationships"],
        )
    )


def exhaustive(case: dict) -> list[tuple[tuple[str, ...], float]]:
    graph = nx.Graph()
    graph.add_nodes_from(case["people"])
    for r in case["relationships"]:
        a, b = r.from_id, r.to_id
        best = max(graph[a][b]["s"], r.effective_strength) if graph.has_edge(a, b) else None
        graph.add_edge(a, b, s=best if best is not None else r.effective_strength)
    avoid = set(case["avoid"])
    closed = avoid | set(case["blockers"])
    sources = set(case["sources"] if case["sources"] is not None else case["ours"]) - avoid
    found = []
    for s in sorted(sources):
        if s == case["to"]:
            continue
        for path in nx.all_simple_paths(graph, s, case["to"], cutoff=case["max_hops"]):
            if any(p in closed for p in path[1:-1]):
                continue
            backwards = list(reversed(path))
            score = math.prod(graph[a][b]["s"] for a, b in itertools.pairwise(backwards))
            found.append((tuple(path), score))
    if case["metric"] is RouteMetric.HOPS:
        found.sort(key=lambda f: (len(f[0]), -f[1], tuple(reversed(f[0]))))
    else:
        found.sort(key=lambda f: (-f[1], len(f[0]), tuple(reversed(f[0]))))
    return found[: case["k"]]


@settings(
    max_examples=400,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(scenario())
def test_contact_routes_equal_exhaustive_search(case: dict) -> None:
    # Given a random small graph with parallel relationships, missing strengths, dotted
    # lines, blockers, avoided people and several sources
    projection = build(case)

    # When asking for the k best routes
    routes = contact_routes(
        projection,
        to=case["to"],
        sources=case["sources"],
        avoid=case["avoid"],
        k=case["k"],
        max_hops=case["max_hops"],
        metric=case["metric"],
    )

    # Then they are exactly the k best simple paths of the exhaustive search, in order
    expected = exhaustive(case)
    assert [r.people for r in routes] == [p for p, _ in expected]
    assert [r.score for r in routes] == [s for _, s in expected]
    for r in routes:
        assert r.score == math.prod(h.strength for h in r.hops) or math.isclose(
            r.score, math.prod(h.strength for h in r.hops)
        )
        assert r.weakest_link.strength == min(h.strength for h in r.hops)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(scenario(), st.lists(st.sampled_from(PEOPLE), min_size=2, max_size=4, unique=True))
def test_multi_target_routes_equal_the_best_of_each_target(case: dict, targets: list[str]) -> None:
    # Given several targets (a decision area's deciders), searched at once
    from graphsvc.analytics.paths import k_best_paths

    projection = build(case)
    people = set(case["people"])
    targets = [t for t in targets if t in people] or [case["people"][0]]
    avoid = set(case["avoid"])
    sources = set(case["sources"] if case["sources"] is not None else case["ours"]) - avoid
    by_hops = case["metric"] is RouteMetric.HOPS

    # When searching from every target at once
    together = k_best_paths(
        projection.walk,
        targets,
        sources,
        k=case["k"],
        max_hops=case["max_hops"],
        blocked=projection.blockers | avoid,
        by_hops=by_hops,
    )

    # Then it is the best k of the union of each target's own exhaustive search
    union = []
    for t in targets:
        union.extend(exhaustive({**case, "to": t, "k": 100}))
    if by_hops:
        union.sort(key=lambda f: (len(f[0]), -f[1], tuple(reversed(f[0]))))
    else:
        union.sort(key=lambda f: (-f[1], len(f[0]), tuple(reversed(f[0]))))
    assert [tuple(reversed(p)) for p, _ in together] == [p for p, _ in union[: case["k"]]]


def _entry(case: dict, path: tuple[str, ...]) -> str:
    """The first person outside our organization (the target when there is none)."""
    return next((p for p in path if p not in case["ours"]), path[-1])


def _rank(metric: RouteMetric, path: tuple[str, ...], score: float) -> tuple[float, float]:
    hops, rounded = len(path) - 1, round(score, 9)
    return (hops, -rounded) if metric is RouteMetric.HOPS else (-rounded, hops)


@settings(max_examples=500, deadline=None, derandomize=True)
@given(scenario(), st.lists(st.sampled_from(PEOPLE), min_size=2, max_size=5, unique=True))
def test_distinct_entry_routes_are_the_best_route_of_each_entry(
    case: dict, ours: list[str]
) -> None:
    # Given a random small graph (as above) with more of our people, so that many routes
    # share a way in ("colleague knows colleague")
    case = {**case, "ours": [p for p in ours if p in case["people"]] or case["ours"]}
    projection = build(case)

    # When asking for the k best routes with distinct entry points
    routes = contact_routes(
        projection,
        to=case["to"],
        sources=case["sources"],
        avoid=case["avoid"],
        k=case["k"],
        max_hops=case["max_hops"],
        metric=case["metric"],
        distinct_entry=True,
    )

    # Then each is the best route through its entry point (by the exhaustive search), the
    # entry points are distinct, and they are the k best entry points
    metric = case["metric"]
    best: dict[str, tuple[float, float]] = {}
    for path, score in exhaustive({**case, "k": 10_000}):
        rank = _rank(metric, path, score)
        entry = _entry(case, path)
        best[entry] = min(best.get(entry, rank), rank)
    entries = [_entry(case, r.people) for r in routes]
    assert entries == [r.entry or r.people[-1] for r in routes]
    assert len(set(entries)) == len(entries)
    assert [_rank(metric, r.people, r.score) for r in routes] == [best[e] for e in entries]
    assert [best[e] for e in entries] == sorted(best.values())[: case["k"]]

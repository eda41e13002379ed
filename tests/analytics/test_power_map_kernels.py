"""The fast kernels behind powerMap agree with networkx, the definition they replace.

- ``pagerank`` is networkx's weighted PageRank (dangling nodes, repeated edges, isolated
  nodes alike), computed on arrays.
- ``betweenness`` is networkx's normalised betweenness, exactly up to ``EXACT_UP_TO``
  people (computed by biconnected blocks: see ``test_centrality_blocks.py`` for graphs
  built to stress that), and above it networkx's own pivot estimate with the same pivots;
  the estimate finds the brokers that matter on a generated organization.
- ``power_map`` on a generated group equals the contract's definition written out with
  networkx over the projection's relationships.
"""

from __future__ import annotations

import io
import random
from functools import cache

import networkx as nx
import numpy as np
import pytest

from graphsvc.analytics.centrality import (
    EXACT_UP_TO,
    PIVOTS,
    betweenness,
    betweenness_reference,
    is_estimated,
)
from graphsvc.analytics.pagerank import pagerank
from graphsvc.analytics.power_map import DAMPING, power_map
from graphsvc.analytics.projection import Projection
from graphsvc.analytics.scope import organization_scope
from graphsvc.domain.enums import RelationshipType
from graphsvc.domain.models import GraphDocument
from graphsvc.generator import write_generated
from tests.analytics.conftest import project


@cache
def generated_document() -> GraphDocument:
    """A generated group whose holding, with subsidiaries, has 1,481 people."""
    out = io.BytesIO()
    write_generated(out, people=1500, seed=3)
    return GraphDocument.model_validate_json(out.getvalue())


@cache
def generated_group() -> Projection:
    """The projection of ``generated_document``."""
    return project(generated_document())


@cache
def generated_exact_brokerage() -> dict[str, float]:
    """networkx's exact betweenness of ``generated_group``'s org1 scope (about 4 s)."""
    people, pairs = scope_graph(generated_group(), "org1")
    return betweenness_reference(pairs, people)


def scope_graph(
    projection: Projection, organization_id: str
) -> tuple[list[str], list[tuple[str, str]]]:
    """The scope's people and every pair of them joined by some relationship, from the records."""
    people = sorted(organization_scope(projection, organization_id).people)
    members = set(people)
    pairs = {
        (min(a, b), max(a, b))
        for _, a, b in projection.relationships
        if a in members and b in members and a != b
    }
    return people, sorted(pairs)


# --- PageRank ----------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(12))
def test_pagerank_equals_networkx_on_random_weighted_digraphs(seed: int) -> None:
    # Given a random digraph with dangling and isolated nodes and repeated edges
    rng = random.Random(seed)
    n = rng.randint(1, 60)
    edges = [
        (rng.randrange(n), rng.randrange(n), rng.uniform(0.05, 1.0))
        for _ in range(rng.randint(1, 3 * n))
    ]
    reference = nx.DiGraph()
    reference.add_nodes_from(range(n))
    for a, b, w in edges:
        if reference.has_edge(a, b):
            reference[a][b]["weight"] += w
        else:
            reference.add_edge(a, b, weight=w)
    sources, targets, weights = (np.array(column) for column in zip(*edges, strict=True))

    # When both rank it with the same damping and tolerance
    fast = pagerank(n, sources, targets, weights, alpha=DAMPING, tol=1e-12, max_iter=10_000)
    expected = nx.pagerank(reference, alpha=DAMPING, weight="weight", tol=1e-12, max_iter=10_000)

    # Then the ranks are the same numbers
    assert fast.tolist() == pytest.approx([expected[i] for i in range(n)], rel=1e-9, abs=1e-15)


def test_pagerank_gives_up_like_networkx_when_it_does_not_converge() -> None:
    ring = np.array([0, 1, 2])
    with pytest.raises(nx.PowerIterationFailedConvergence):
        pagerank(3, ring, np.array([1, 2, 2]), np.ones(3), max_iter=1)


# --- betweenness -------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(10))
def test_exact_betweenness_equals_networkx_on_random_graphs(seed: int) -> None:
    # Given a random graph, possibly disconnected, with repeated pairs and self-loops
    rng = random.Random(seed)
    n = rng.randint(3, 120)
    nodes = [f"p{i:03d}" for i in range(n)]
    edges = [(rng.choice(nodes), rng.choice(nodes)) for _ in range(rng.randint(0, 3 * n))]

    # Then betweenness is networkx's, exactly up to float rounding
    assert not is_estimated(n)
    assert betweenness(edges, nodes) == pytest.approx(
        betweenness_reference(edges, nodes), abs=1e-12
    )


def test_betweenness_of_fewer_than_three_people_is_zero() -> None:
    assert betweenness([("a", "b")], ["a", "b"]) == {"a": 0.0, "b": 0.0}


def test_above_the_threshold_the_estimate_is_networkx_estimate_with_the_same_pivots() -> None:
    # Given a graph above a (lowered) exact threshold
    graph = nx.gnm_random_graph(150, 300, seed=11)
    nodes = [f"n{i:03d}" for i in graph]
    edges = [(f"n{a:03d}", f"n{b:03d}") for a, b in graph.edges]

    # When it is estimated from 40 pivots
    estimate = betweenness(edges, nodes, exact_up_to=100, pivots=40)

    # Then it is exactly networkx's estimate from the same seeded pivots, and not the exact value
    assert estimate == pytest.approx(betweenness_reference(edges, nodes, pivots=40), abs=1e-12)
    assert estimate != pytest.approx(betweenness_reference(edges, nodes), abs=1e-6)


def test_the_default_threshold_switches_to_the_estimate_just_above_it() -> None:
    assert not is_estimated(EXACT_UP_TO)
    assert is_estimated(EXACT_UP_TO + 1)
    # A sparse graph of EXACT_UP_TO + 1 people gets the PIVOTS-pivot estimate (the estimate
    # itself is compared with networkx's on a smaller graph above; networkx's own estimate at
    # this size took 16 s of the suite).
    graph = nx.gnm_random_graph(EXACT_UP_TO + 1, 2 * EXACT_UP_TO, seed=5)
    nodes = [f"n{i:05d}" for i in graph]
    edges = [(f"n{a:05d}", f"n{b:05d}") for a, b in graph.edges]

    assert betweenness(edges, nodes) == betweenness(edges, nodes, exact_up_to=0, pivots=PIVOTS)


def test_the_estimate_finds_the_brokers_of_a_generated_organization() -> None:
    # Given the 1,481 people of a generated holding with its subsidiaries, above a lowered
    # exact line (the estimate path is the one above EXACT_UP_TO)
    people, pairs = scope_graph(generated_group(), "org1")
    assert is_estimated(len(people), exact_up_to=1_000)

    # When brokerage is estimated, and computed exactly (equal to networkx, above)
    estimate = np.array(list(betweenness(pairs, people, exact_up_to=1_000).values()))
    exact = np.array(list(betweenness(pairs, people).values()))

    # Then the top brokers are the same people, and the top ones' values are close
    def top(values: np.ndarray, count: int) -> set[int]:
        return set(np.argsort(-values, kind="stable")[:count].tolist())

    five_percent = len(people) // 20
    assert len(top(exact, 10) & top(estimate, 10)) >= 9
    assert len(top(exact, five_percent) & top(estimate, five_percent)) >= 0.8 * five_percent
    leaders = np.argsort(-exact)[:10]
    relative_error = np.abs(estimate[leaders] - exact[leaders]) / exact[leaders]
    assert float(np.median(relative_error)) < 0.15


# --- powerMap end to end -----------------------------------------------------------------


def test_power_map_of_a_generated_group_follows_the_contract_definition() -> None:
    # Given a generated group and the contract's definition written out with networkx:
    # INFLUENCES(a→b, s) adds b→a with weight s, REPORTS_TO(a→b) adds a→b with its strength
    projection = generated_group()
    people, _ = scope_graph(projection, "org1")
    members = set(people)
    listens = nx.DiGraph()
    listens.add_nodes_from(people)
    for (type_, a, b), link in projection.relationships.items():
        if a not in members or b not in members or type_ is RelationshipType.KNOWS:
            continue
        listener, speaker = (b, a) if type_ is RelationshipType.INFLUENCES else (a, b)
        weight = listens.get_edge_data(listener, speaker, {"weight": 0.0})["weight"]
        listens.add_edge(listener, speaker, weight=weight + link.strength)
    rank = nx.pagerank(listens, alpha=DAMPING, weight="weight", tol=1e-12, max_iter=10_000)
    top_rank = max(rank.values())
    brokerage = generated_exact_brokerage()

    # When the power map is computed
    scores = power_map(projection, "org1")

    # Then every person has the defined influence and exact brokerage, most influential first
    assert not is_estimated(len(people))
    assert sorted(s.person_id for s in scores) == people
    for s in scores:
        assert s.influence == pytest.approx(rank[s.person_id] / top_rank, rel=1e-9, abs=1e-15)
        assert s.brokerage == pytest.approx(brokerage[s.person_id], abs=1e-12)
    assert [s.influence for s in scores] == sorted((s.influence for s in scores), reverse=True)
    assert scores[0].influence == 1.0
    assert any(s.hidden_influencer for s in scores)

"""Exact betweenness by biconnected blocks equals networkx's on the graphs that stress it.

The block decomposition (``centrality_blocks``) is exact only if every block's weights and
every cut vertex's split pairs are right, so the graphs here are built from the pieces
where that could go wrong: leaves and hanging trees (bridges), chains, cliques and cycles
joined at cut vertices, a cut vertex in many blocks, several components and isolated
people, repeated pairs and self-loops; and the scopes of generated organizations.
"""

from __future__ import annotations

import io
import random
from functools import cache

import networkx as nx
import pytest

from graphsvc.analytics.centrality import betweenness, betweenness_reference, is_estimated
from graphsvc.analytics.projection import Projection
from graphsvc.domain.models import GraphDocument
from graphsvc.generator import write_generated
from tests.analytics.conftest import project
from tests.analytics.test_power_map_kernels import scope_graph


def blocky_graph(rng: random.Random) -> nx.Graph:
    """A random graph of 1–4 components, each a core of glued cycles and cliques with
    trees and chains hanging off it, plus isolated people."""
    graph = nx.Graph()
    for _ in range(rng.randint(1, 4)):
        offset = graph.number_of_nodes()
        part = nx.Graph()
        part.add_node(0)
        for _ in range(rng.randint(0, 6)):  # cycles and cliques glued at one existing node
            at = rng.randrange(part.number_of_nodes())
            size = rng.randint(3, 7)
            start = part.number_of_nodes()
            ring = [at, *range(start, start + size - 1)]
            if rng.random() < 0.3:
                part.add_edges_from((a, b) for i, a in enumerate(ring) for b in ring[i + 1 :])
            else:
                part.add_edges_from(zip(ring, ring[1:] + ring[:1], strict=True))
        for _ in range(rng.randint(0, 25)):  # leaves and chains hanging anywhere
            at = rng.randrange(part.number_of_nodes())
            for _ in range(rng.choice([1, 1, 1, 2, 4])):
                new = part.number_of_nodes()
                part.add_edge(at, new)
                at = new
        for _ in range(rng.randint(0, 3)):  # a few chords across the part
            a, b = rng.randrange(part.number_of_nodes()), rng.randrange(part.number_of_nodes())
            if a != b:
                part.add_edge(a, b)
        graph.add_edges_from((a + offset, b + offset) for a, b in part.edges)
        graph.add_nodes_from(n + offset for n in part.nodes)
    graph.add_nodes_from(
        range(graph.number_of_nodes(), graph.number_of_nodes() + rng.randint(0, 3))
    )
    return graph


def named(graph: nx.Graph, rng: random.Random) -> tuple[list[str], list[tuple[str, str]]]:
    """People named so their sorted order is not the build order; edges shuffled, some
    repeated or reversed, and a few self-loops (all ignored, as networkx does)."""
    order = list(graph.nodes)
    rng.shuffle(order)
    name = {node: f"p{i:04d}" for i, node in enumerate(order)}
    edges = [(name[a], name[b]) for a, b in graph.edges]
    edges += [(b, a) for a, b in rng.sample(edges, min(len(edges), 5))]
    edges += [(name[n], name[n]) for n in rng.sample(order, min(len(order), 2))]
    rng.shuffle(edges)
    return sorted(name.values()), edges


@pytest.mark.parametrize("seed", range(60))
def test_exact_betweenness_equals_networkx_on_graphs_of_many_blocks(seed: int) -> None:
    # Given a graph of hanging trees, chains, glued cycles and cliques, in several parts
    rng = random.Random(seed)
    people, edges = named(blocky_graph(rng), rng)
    assert not is_estimated(len(people))

    # Then betweenness is networkx's, up to float rounding
    assert betweenness(edges, people) == pytest.approx(
        betweenness_reference(edges, people), abs=1e-12
    )


@pytest.mark.parametrize(
    "graph",
    [
        nx.path_graph(40),  # a chain: every inner person a cut vertex of two bridges
        nx.star_graph(30),  # one cut vertex in 30 blocks
        nx.balanced_tree(3, 4),  # a reporting tree, no cycle at all
        nx.barbell_graph(6, 5),  # two cliques joined by a chain
        nx.windmill_graph(5, 4),  # cliques sharing one cut vertex
        nx.cycle_graph(25),  # one block, no cut vertex
        nx.disjoint_union(nx.path_graph(5), nx.complete_graph(5)),
        nx.empty_graph(6),  # nobody related
    ],
    ids=["path", "star", "tree", "barbell", "windmill", "cycle", "two-parts", "empty"],
)
def test_exact_betweenness_equals_networkx_on_shapes(graph: nx.Graph) -> None:
    people = [f"n{node:03d}" for node in graph.nodes]
    edges = [(f"n{a:03d}", f"n{b:03d}") for a, b in graph.edges]
    assert betweenness(edges, people) == pytest.approx(
        betweenness_reference(edges, people), abs=1e-12
    )


@cache
def generated(seed: int) -> Projection:
    """A generated document of 700 people."""
    out = io.BytesIO()
    write_generated(out, people=700, seed=seed)
    return project(GraphDocument.model_validate_json(out.getvalue()))


@pytest.mark.parametrize("seed", [1, 2])
def test_exact_betweenness_equals_networkx_on_generated_organization_scopes(seed: int) -> None:
    # Given every organization scope of a generated document (with subsidiaries)
    projection = generated(seed)
    for organization in sorted(projection.organizations):
        people, pairs = scope_graph(projection, organization)

        # Then its brokerage is networkx's exact betweenness
        assert betweenness(pairs, people) == pytest.approx(
            betweenness_reference(pairs, people), abs=1e-12
        ), organization

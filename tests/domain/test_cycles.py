"""``chains_acyclic`` (the cheap proof) never clears a graph ``find_cycles`` finds a cycle in,
and on chains (at most one edge out of every node) it decides exactly as ``find_cycles``."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from graphsvc.domain.cycles import Edge, chains_acyclic, find_cycles

nodes = st.sampled_from("abcdefgh")
graphs = st.dictionaries(nodes, st.lists(nodes, max_size=2))
"""Up to eight nodes, each with up to two edges out (a node may point at itself)."""


def _edges(graph: dict[str, list[str]]) -> dict[str, list[Edge]]:
    return {node: [Edge(t) for t in targets] for node, targets in graph.items()}


@given(graph=graphs, starts=st.lists(nodes, max_size=8))
def test_a_graph_cleared_by_chains_acyclic_has_no_cycle(
    graph: dict[str, list[str]], starts: list[str]
) -> None:
    edges = _edges(graph)
    cycles = find_cycles(starts, lambda n: edges.get(n, []))
    if chains_acyclic(starts, lambda n: graph.get(n, [])):
        assert cycles == []


@given(graph=st.dictionaries(nodes, nodes), starts=st.lists(nodes, max_size=8))
def test_on_chains_it_decides_as_find_cycles(graph: dict[str, str], starts: list[str]) -> None:
    # given a graph where each node has one edge out at most (everyone has one manager)
    edges = {node: [Edge(target)] for node, target in graph.items()}

    # then it is cleared exactly when find_cycles finds no cycle
    cleared = chains_acyclic(starts, lambda n: [graph[n]] if n in graph else [])
    assert cleared == (find_cycles(starts, lambda n: edges.get(n, [])) == [])


def test_a_node_with_two_edges_out_is_left_to_find_cycles() -> None:
    # given an acyclic graph where a person has two solid managers
    graph = {"a": ["b", "c"], "b": [], "c": []}
    # then the cheap proof does not clear it (find_cycles decides)
    assert not chains_acyclic(["a"], graph.__getitem__)
    assert find_cycles(["a"], lambda n: [Edge(t) for t in graph[n]]) == []

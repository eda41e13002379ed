"""Betweenness centrality of an undirected, unweighted graph, normalised as networkx does.

networkx's ``betweenness_centrality`` is the reference (and what tests compare with); it
is pure Python and O(n·m), far too slow for the 10,000-person organizations of the power
map. When ``rustworkx`` is installed (it is a dependency of graphsvc) the same Brandes
algorithm runs compiled and in parallel; the result is the same number.

Example:
    >>> betweenness([("a", "b"), ("b", "c")], ["a", "b", "c"])
    {'a': 0.0, 'b': 1.0, 'c': 0.0}
"""

from __future__ import annotations

from collections.abc import Sequence

import networkx as nx

__all__ = ["betweenness", "betweenness_reference"]

_COMPILED_FROM = 64
"""Below this many nodes networkx is as fast as crossing into compiled code."""


def betweenness(edges: Sequence[tuple[str, str]], nodes: Sequence[str]) -> dict[str, float]:
    """Normalised betweenness of every node in ``nodes`` (edges among them, undirected)."""
    if len(nodes) >= _COMPILED_FROM:
        compiled = _rustworkx_betweenness(edges, nodes)
        if compiled is not None:
            return compiled
    return betweenness_reference(edges, nodes)


def betweenness_reference(
    edges: Sequence[tuple[str, str]], nodes: Sequence[str]
) -> dict[str, float]:
    """The networkx computation, the definition the compiled one must agree with."""
    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from(edges)
    result: dict[str, float] = nx.betweenness_centrality(graph, normalized=True)
    return result


def _rustworkx_betweenness(
    edges: Sequence[tuple[str, str]], nodes: Sequence[str]
) -> dict[str, float] | None:
    try:
        import rustworkx as rx
    except ImportError:  # pragma: no cover - rustworkx is a declared dependency
        return None
    index = {node: i for i, node in enumerate(nodes)}
    graph = rx.PyGraph(multigraph=False)
    graph.add_nodes_from(range(len(nodes)))
    graph.add_edges_from_no_data([(index[a], index[b]) for a, b in edges])
    scores = rx.graph_betweenness_centrality(graph, normalized=True)
    return {node: float(scores[i]) for i, node in enumerate(nodes)}

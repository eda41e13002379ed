"""Betweenness centrality of an undirected, unweighted graph, normalised as networkx does.

Brandes' algorithm costs one breadth-first search per source over the whole graph: O(n·m).
On a 9,431-person generated scope (17,862 relationships, 2 shared cores) that is 15 s in
numpy and 7–8 s in rustworkx's parallel betweenness. Org graphs split into many small
biconnected blocks around one large one, and betweenness can be computed exactly block by
block (``centrality_blocks``), which takes that scope to about 1 s. So the exact value is
computed for scopes of at most ``EXACT_UP_TO`` people, and above that the Brandes–Pich
estimate is used: ``PIVOTS`` source people drawn without replacement by a seeded
``random.Random(PIVOT_SEED)`` from the sorted people, their dependencies scaled up to the
whole scope. It is the estimate networkx computes for ``betweenness_centrality(G,
k=PIVOTS, seed=PIVOT_SEED)`` (same pivots, same scaling), deterministic for a given scope,
and it ranks the brokers that matter (the high values) reliably: see
``tests/analytics/test_power_map_kernels.py``.

Both paths run one kernel, ``brandes.dependencies``: Brandes' forward search and backward
accumulation for a batch of sources at once, level by level, as numpy operations over the
compressed adjacency. The estimate runs it on the whole scope from the pivots, the exact
path on each block from every member, weighted by the people behind each cut vertex.

networkx's ``betweenness_centrality`` stays the reference the tests compare with.

numpy, rustworkx and networkx are imported by the functions that use them, not with the
module: the service imports this module for its limits, and a server whose first request
is a contact route need not pay their import at start-up (issue 14, item 4).

Example:
    >>> betweenness([("a", "b"), ("b", "c")], ["a", "b", "c"])
    {'a': 0.0, 'b': 1.0, 'c': 0.0}
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from graphsvc.analytics.brandes import IntArray

__all__ = [
    "EXACT_UP_TO",
    "PIVOTS",
    "PIVOT_SEED",
    "betweenness",
    "betweenness_reference",
    "is_estimated",
]

PIVOTS = 256
"""Sources sampled for the estimate above ``EXACT_UP_TO`` people: about 0.3 s of CPU on a
10,000-person scope; there it finds all of the 10 highest brokers and 81 of the top 100,
the top 20 within a median 6 % of their exact value (96 pivots fewer: 5 points fewer)."""
EXACT_UP_TO = 10_000
"""Scopes of at most this many people get exact betweenness: about 1 s of CPU at 9,431
generated people on the shared 2-core machine (figures in bench/README.md). A scope whose
largest block is most of its people costs more: a search per person over every
relationship, 7–11 s at that size."""
PIVOT_SEED = 0
"""Seed of the pivot sample, so that a scope's estimate is the same on every call."""


def is_estimated(n: int, *, exact_up_to: int = EXACT_UP_TO) -> bool:
    """True when ``betweenness`` of ``n`` people is the pivot estimate, not exact."""
    return n > exact_up_to


def betweenness(
    edges: Sequence[tuple[str, str]],
    nodes: Sequence[str],
    *,
    exact_up_to: int = EXACT_UP_TO,
    pivots: int = PIVOTS,
) -> dict[str, float]:
    """Normalised betweenness of every node in ``nodes`` (edges among them, undirected).

    Exact up to ``exact_up_to`` nodes; above, the estimate from ``pivots`` sources (see the
    module). Edges may repeat and name a node twice; both are ignored as networkx does.
    """
    n = len(nodes)
    if n < 3:  # no pair of other people for anybody to stand between
        return dict.fromkeys(nodes, 0.0)
    import numpy as np

    from graphsvc.analytics.brandes import summed_dependencies
    from graphsvc.analytics.centrality_blocks import ordered_pair_sums

    indptr, indices = _adjacency(edges, nodes)
    if is_estimated(n, exact_up_to=exact_up_to) and pivots < n:
        drawn = random.Random(PIVOT_SEED).sample(range(n), pivots)  # noqa: S311 - a statistical sample, not a secret
        sources = np.asarray(sorted(drawn), dtype=np.int32)
        total = summed_dependencies(indptr, indices, sources)
    else:
        sources = np.arange(n, dtype=np.int32)
        total = ordered_pair_sums(indptr, indices)
    # networkx's normalisation: over the (n-1)(n-2) ordered pairs of other people; with
    # pivots, a pivot's own value rests on one source fewer (it is never its own pair).
    k = len(sources)
    if k == n:
        scale = np.full(n, 1.0 / ((n - 1) * (n - 2)))
    else:
        scale = np.full(n, 1.0 / (k * (n - 2)))
        scale[sources] = 1.0 / ((k - 1) * (n - 2)) if k > 1 else 0.0
    values = (total * scale).tolist()
    return dict(zip(nodes, values, strict=True))


def betweenness_reference(
    edges: Sequence[tuple[str, str]], nodes: Sequence[str], *, pivots: int | None = None
) -> dict[str, float]:
    """The networkx computation, the definition ``betweenness`` must agree with.

    With ``pivots``, networkx's sampled estimate drawn with ``PIVOT_SEED``: the same pivots
    as ``betweenness`` draws for the same ``nodes``.
    """
    import networkx as nx

    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from(edges)
    seed = None if pivots is None else random.Random(PIVOT_SEED)  # noqa: S311 - not a secret
    result: dict[str, float] = nx.betweenness_centrality(
        graph, k=pivots, normalized=True, seed=seed
    )
    return result


def _adjacency(edges: Sequence[tuple[str, str]], nodes: Sequence[str]) -> tuple[IntArray, IntArray]:
    """Compressed sparse rows of the undirected graph (each edge in both directions)."""
    import numpy as np

    index = {node: i for i, node in enumerate(nodes)}
    pairs = np.array([(index[a], index[b]) for a, b in edges], dtype=np.int64).reshape(-1, 2)
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]  # a self-loop is on no shortest path
    heads = np.concatenate([pairs[:, 0], pairs[:, 1]])
    tails = np.concatenate([pairs[:, 1], pairs[:, 0]])
    # Parallel edges would count a shortest path twice; the graph is simple.
    codes = np.unique(heads * len(nodes) + tails)
    heads, tails = np.divmod(codes, len(nodes))
    indptr = np.zeros(len(nodes) + 1, dtype=np.int64)
    np.cumsum(np.bincount(heads, minlength=len(nodes)), out=indptr[1:])
    return indptr.astype(np.int32), tails.astype(np.int32)

"""The best path to every node at once, from many origins, under a hop limit.

``coverage`` needs, for each decision-maker of a scope, only the score of their best route
(``contact_routes`` with k=1). Asking ``contact_routes`` once per decision-maker repeats
nearly the same search hundreds of times; this module answers all of them with one search
from the origins (our people), over the same adjacency, strengths and rules:

- a layered search over hop counts (Bellman–Ford with at most ``max_hops`` rounds): round
  ``h`` holds the best walks of exactly ``h`` hops that are worth extending;
- a walk reaching a node with no higher score than a walk with fewer hops already did is
  dropped (the earlier one has fewer hops and no lower score: every completion of the new
  one is matched by the old), so each round touches little more than a Dijkstra would;
- walks are not checked for simplicity: strengths are at most 1, so removing a cycle from a
  walk never lowers its score and always removes hops, and the best walk is a simple path
  (as in ``paths``);
- ``blocked`` nodes are reached but never passed through; origins start whatever they are.

A node's answer is its best path of 1 to ``max_hops`` hops from any origin other than
itself, found first in round order; an origin's own answer is not computed (the round-0
walk of score 1 dominates every walk back to it), so callers ask ``contact_routes`` for the
rare destination that is also an origin. The score is the product of the path's strengths
multiplied from the destination end, the order ``contact_routes`` multiplies in, so the two
agree to the last bit on the same path. Where two paths tie on score, the one kept may
differ from ``contact_routes``' choice; their score does not.

Example:
    >>> adj = {"a": {"b": 0.9, "c": 0.5}, "b": {"a": 0.9, "c": 0.9}, "c": {"a": 0.5, "b": 0.9}}
    >>> found = best_paths(adj, ["a"], max_hops=3)
    >>> found["c"], round(path_score(adj, found["c"]), 2)
    (('a', 'b', 'c'), 0.81)
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from graphsvc.analytics.cancel import checkpoint
from graphsvc.analytics.paths import Adjacency, Path

__all__ = ["best_paths", "path_score"]


def best_paths(
    adjacency: Adjacency,
    origins: Iterable[str],
    *,
    max_hops: int,
    blocked: Collection[str] = frozenset(),
) -> dict[str, Path]:
    """Every node's best path (origin first) of 1 to ``max_hops`` hops; origins excluded."""
    starts = set(origins)
    # the best score any walk of fewer hops reached each node with (round 0: the origins)
    reached: dict[str, float] = dict.fromkeys(starts, 1.0)
    found: dict[str, tuple[float, Path]] = {}
    frontier: dict[str, tuple[float, Path]] = {o: (1.0, (o,)) for o in sorted(starts)}
    for hops in range(1, max_hops + 1):
        checkpoint()  # the analytic time limit (analytics.cancel)
        following: dict[str, tuple[float, Path]] = {}
        for node, (score, path) in frontier.items():
            if hops > 1 and node in blocked:
                continue  # reached, never passed through
            for neighbour, strength in adjacency.get(node, {}).items():
                walked = score * strength
                if walked <= reached.get(neighbour, -1.0):
                    continue
                best = following.get(neighbour)
                if best is None or walked > best[0]:
                    following[neighbour] = (walked, (*path, neighbour))
        for node, label in following.items():
            reached[node] = label[0]
            if node not in starts:
                found[node] = label
        frontier = following
        if not frontier:
            break
    return {node: path for node, (_, path) in found.items()}


def path_score(adjacency: Adjacency, path: Path) -> float:
    """The product of ``path``'s strengths, multiplied from its last node back to its first."""
    score = 1.0
    for index in range(len(path) - 1, 0, -1):
        score *= adjacency[path[index]][path[index - 1]]
    return score

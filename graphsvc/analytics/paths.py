"""k best simple paths under a hop limit, from many origins to many destinations.

The graph algorithm behind contact routes, free of any domain notion: an undirected graph
given as an adjacency mapping ``{node: {neighbour: strength}}`` with strengths in (0, 1], a
path's *score* is the product of its edge strengths (multiplied from the origin end), and
paths are ranked by one of two total orders:

- by strength (``by_hops=False``): higher score first, then fewer hops, then the node
  sequence (lexicographically);
- by hops (``by_hops=True``): fewer hops first, then higher score, then the node sequence.

The node sequence makes the order total, so results never depend on dict order.

The algorithm is Yen's k-shortest-simple-paths with Lawler's refinement (spur only from
the node where a path deviated from its parent) over a super-origin and a super-destination,
where the single-path subroutine is a label-setting search over (node, hops) states:

- a label is a walk from an origin; it is extended in the ranking order, so the first
  label popped at a destination is the best completion;
- a label is dropped when a settled label from the same start at the same node has no
  more hops and no lower score (it dominates every completion), which keeps the search
  near a Dijkstra; completions are checked before dominance, since a start label cannot
  complete at its own node;
- walks are not checked for simplicity: because strengths are at most 1, removing a
  cycle from a walk never lowers its score and always removes hops, so the best walk is a
  simple path. The only cycle that removal could make invalid is one through the search's
  own start (its first edge may be banned by Yen's algorithm), so re-entering it is refused.

``blocked`` nodes may be origins and destinations but are never passed through.
Yen's search is pruned by the candidates already found: a label that cannot beat the
candidates needed to complete ``k`` is not extended.

Example:
    >>> adj = {"a": {"b": 0.9, "c": 0.5}, "b": {"a": 0.9, "c": 0.9}, "c": {"a": 0.5, "b": 0.9}}
    >>> [(p, round(s, 2)) for p, s in k_best_paths(adj, ["a"], {"c"}, k=2, max_hops=3)]
    [(('a', 'b', 'c'), 0.81), (('a', 'c'), 0.5)]
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Collection, Iterable, Mapping

__all__ = ["Adjacency", "Path", "k_best_paths"]

Adjacency = Mapping[str, Mapping[str, float]]
Path = tuple[str, ...]
_Key = tuple[float, float, Path]
"""(primary, secondary, path): (−score, hops, path) by strength, (hops, −score, path) by hops."""


def k_best_paths(
    adjacency: Adjacency,
    origins: Iterable[str],
    destinations: Collection[str],
    *,
    k: int,
    max_hops: int,
    blocked: Collection[str] = frozenset(),
    by_hops: bool = False,
) -> list[tuple[Path, float]]:
    """The ``k`` best simple paths of 1 to ``max_hops`` edges from any origin to any
    destination, with their scores, best first (see the module docstring for the order)."""
    starts = sorted(set(origins))
    targets = frozenset(destinations)
    if k < 1 or max_hops < 1 or not starts or not targets:
        return []
    search = _Search(adjacency, targets, blocked, max_hops, by_hops)
    found: list[tuple[Path, float]] = []
    found_paths: set[Path] = set()
    candidates: list[tuple[_Key, int]] = []
    seen: set[Path] = set()

    first = search.run((), 1.0, starts, frozenset(), None)
    if first is None:
        return []
    heapq.heappush(candidates, (first, -1))
    seen.add(first[2])
    while candidates and len(found) < k:
        key, deviation = heapq.heappop(candidates)
        path = key[2]
        found.append((path, _score(key, by_hops)))
        found_paths.add(path)
        if len(found) == k:
            break
        for i in range(deviation, len(path)):
            root = path[: i + 1]
            banned = frozenset(
                p[i + 1] for p in found_paths if len(p) > i + 1 and p[: i + 1] == root
            )
            need = k - len(found)
            cutoff = heapq.nsmallest(need, candidates)[-1][0] if len(candidates) >= need else None
            result = search.run(root, _root_score(adjacency, root), starts, banned, cutoff)
            if result is not None and result[2] not in seen:
                seen.add(result[2])
                heapq.heappush(candidates, (result, i))
    return found


class _Search:
    """The best single path from a root (or from the origins), under Yen's restrictions."""

    def __init__(
        self,
        adjacency: Adjacency,
        destinations: frozenset[str],
        blocked: Collection[str],
        max_hops: int,
        by_hops: bool,
    ) -> None:
        self.adjacency = adjacency
        self.destinations = destinations
        self.blocked = blocked
        self.max_hops = max_hops
        self.by_hops = by_hops

    def run(
        self,
        root: Path,
        root_score: float,
        origins: list[str],
        banned: frozenset[str],
        cutoff: _Key | None,
    ) -> _Key | None:
        """The best path extending ``root`` (empty: starting at any origin not ``banned``)
        whose first edge after the root avoids ``banned``, or None."""
        by_hops = self.by_hops
        spur = max(len(root) - 1, 0)
        excluded = frozenset(root[:-1])
        if root:
            heap = [_key(root, root_score, by_hops)]
            banned_first = banned
        else:
            heap = [_key((o,), 1.0, by_hops) for o in origins if o not in banned]
            heapq.heapify(heap)
            banned_first = frozenset()
        adjacency, destinations, blocked = self.adjacency, self.destinations, self.blocked
        max_hops = self.max_hops
        # Dominance is judged among labels of the same start only: labels from different
        # origins differ in which node they may not re-enter.
        settled: dict[tuple[str, str], list[tuple[int, float]]] = {}
        while heap:
            entry = heapq.heappop(heap)
            if cutoff is not None and entry >= cutoff:
                return None
            path = entry[2]
            hops = len(path) - 1
            score = _score(entry, by_hops)
            node = path[-1]
            # A completion is checked before dominance: the label dominating this one may be
            # a start label, which cannot complete at its own node.
            if hops > spur and node in destinations:
                return entry
            start = path[spur]
            marks = settled.get((start, node))
            if marks is None:
                settled[start, node] = [(hops, score)]
            elif any(h <= hops and s >= score for h, s in marks):
                continue
            else:
                marks.append((hops, score))
            if hops >= max_hops or (hops > 0 and node in blocked):
                continue
            at_start = hops == spur
            next_hops = hops + 1
            for neighbour, strength in adjacency.get(node, {}).items():
                if neighbour == start or neighbour in excluded:
                    continue
                if at_start and neighbour in banned_first:
                    continue
                new_score = score * strength
                other = settled.get((start, neighbour))
                if (
                    other is not None
                    and neighbour not in destinations
                    and any(h <= next_hops and s >= new_score for h, s in other)
                ):
                    continue
                if by_hops:
                    heapq.heappush(heap, (next_hops, -new_score, (*path, neighbour)))
                else:
                    heapq.heappush(heap, (-new_score, next_hops, (*path, neighbour)))
        return None


def _key(path: Path, score: float, by_hops: bool) -> _Key:
    hops = len(path) - 1
    return (hops, -score, path) if by_hops else (-score, hops, path)


def _score(key: _Key, by_hops: bool) -> float:
    return -key[1] if by_hops else -key[0]


def _root_score(adjacency: Adjacency, root: Path) -> float:
    # Multiplied from the origin end, hop by hop, exactly as the search does, so that the
    # same path always carries the same floating-point score.
    score = 1.0
    for a, b in itertools.pairwise(root):
        score *= adjacency[a][b]
    return score

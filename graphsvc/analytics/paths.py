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

By strength, labels are also pruned by an admissible bound (``_Bounds``): a reverse
Dijkstra from the destinations (no hop limit, no Yen restrictions, so never below the real
best completion) gives each node an upper bound of the score still reachable from it, and
the best reverse-tree path that is itself a valid route gives a lower bound of the answer.
A label whose score times its node's bound is below that lower bound (or below the cutoff)
cannot produce the answer, nor tie it; the labels it would have dominated are below the
bound too. The search order is unchanged, so the results are identical to the unpruned
search (``prune=False``, kept as the reference the property tests compare with). The bound
is computed only when there are no more destinations than origins (see ``k_best_paths``).

With ``group``, the answer is the ``k`` best paths of *distinct groups* (the best path of
each group, best groups first). ``group(path)`` is a complete path's group; ``state(prefix)``
is what of a prefix can still decide the group: two prefixes at the same node with equal
states give every completion the same group. Yen's enumeration is unchanged; each search
refuses completions whose group already has its path (the label goes on: a completion is a
destination it may pass through), and a label dominates only labels of its own state. Such a
search returns the best *walk* of a free group, which may not be simple (removing a cycle can
change the group): then that deviation is searched again without groups (its best path is
simple). A popped path whose group is taken is passed over, its deviations still explored,
and the cutoff counts only candidates of distinct free groups: the answer stays exact.

Example:
    >>> adj = {"a": {"b": 0.9, "c": 0.5}, "b": {"a": 0.9, "c": 0.9}, "c": {"a": 0.5, "b": 0.9}}
    >>> [(p, round(s, 2)) for p, s in k_best_paths(adj, ["a"], {"c"}, k=2, max_hops=3)]
    [(('a', 'b', 'c'), 0.81), (('a', 'c'), 0.5)]
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping

from graphsvc.analytics.cancel import checkpoint

__all__ = ["Adjacency", "Group", "Path", "k_best_paths"]

Adjacency = Mapping[str, Mapping[str, float]]
Path = tuple[str, ...]
_Key = tuple[float, float, Path]
"""(primary, secondary, path): (−score, hops, path) by strength, (hops, −score, path) by hops."""
Group = Callable[[Path], Hashable]
"""A complete path's group, or a prefix's state (see the module docstring)."""


def k_best_paths(
    adjacency: Adjacency,
    origins: Iterable[str],
    destinations: Collection[str],
    *,
    k: int,
    max_hops: int,
    blocked: Collection[str] = frozenset(),
    by_hops: bool = False,
    prune: bool = True,
    group: Group | None = None,
    state: Group | None = None,
) -> list[tuple[Path, float]]:
    """The ``k`` best simple paths of 1 to ``max_hops`` edges from any origin to any
    destination, with their scores, best first (see the module docstring for the order);
    with ``group`` (and its ``state``), the best path of each of the ``k`` best groups.

    ``prune=False`` turns the admissible bound off (same results, more work): the reference
    for tests and benchmarks."""
    starts = sorted(set(origins))
    targets = frozenset(destinations)
    if k < 1 or max_hops < 1 or not starts or not targets:
        return []
    search = _Search(adjacency, targets, blocked, max_hops, by_hops)
    taken: set[Hashable] = set()
    if group is not None:
        search.group, search.state, search.taken = group, state or (lambda _path: None), taken
    # The reverse search pays only from the narrow side: from 158 destinations (every SELF
    # person, the default contactRoutes) it cost more than the search it pruned (k=1 at
    # 100k people: median 1.0 ms unpruned, 14 ms with it); from one destination it saved
    # 94-99 % (1 origin: 10.2 -> 0.6 ms; 158 origins: 141 -> 1.0 ms).
    if prune and not by_hops and len(targets) <= len(starts):
        search.bounds = _Bounds.of(adjacency, targets, blocked, starts, max_hops)
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
        checkpoint()  # the analytic time limit (analytics.cancel)
        key, deviation = heapq.heappop(candidates)
        path = key[2]
        found_paths.add(path)
        if group is None or group(path) not in taken:
            if group is not None:
                taken.add(group(path))
            found.append((path, _score(key, by_hops)))
        if len(found) == k:
            break
        for i in range(deviation, len(path)):
            root = path[: i + 1]
            banned = frozenset(
                p[i + 1] for p in found_paths if len(p) > i + 1 and p[: i + 1] == root
            )
            cutoff = _cutoff(candidates, k - len(found), group, taken)
            score = _root_score(adjacency, root)
            result = search.run(root, score, starts, banned, cutoff)
            if result is not None and group is not None and len(set(result[2])) < len(result[2]):
                # The best walk of a free group is not simple: search without groups, whose
                # best is a simple path (Yen's enumeration is exact either way).
                result = search.run(root, score, starts, banned, cutoff, grouped=False)
            if result is not None and result[2] not in seen:
                seen.add(result[2])
                heapq.heappush(candidates, (result, i))
    return found


def _cutoff(
    candidates: list[tuple[_Key, int]], need: int, group: Group | None, taken: set[Hashable]
) -> _Key | None:
    """The candidate that the ``need``-th result will be at least as good as, or None.

    With groups, only the best candidate of each group not yet taken counts: each such group
    will get a result at least as good as its candidate."""
    if group is None:
        return heapq.nsmallest(need, candidates)[-1][0] if len(candidates) >= need else None
    groups: set[Hashable] = set()
    for key, _ in sorted(candidates):
        decided = group(key[2])
        if decided in taken or decided in groups:
            continue
        groups.add(decided)
        if len(groups) == need:
            return key
    return None


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
        self.bounds: _Bounds | None = None
        """Admissible completion bounds (by strength only; None: no pruning)."""
        self.group: Group | None = None
        self.state: Group = lambda _path: None
        self.taken: set[Hashable] = set()
        """With ``group``: completions of these groups are refused (see ``k_best_paths``)."""

    def run(
        self,
        root: Path,
        root_score: float,
        origins: list[str],
        banned: frozenset[str],
        cutoff: _Key | None,
        grouped: bool = True,
    ) -> _Key | None:
        """The best path extending ``root`` (empty: starting at any origin not ``banned``)
        whose first edge after the root avoids ``banned``, or None; with groups (and
        ``grouped``), the best walk of a group not taken (see ``k_best_paths``)."""
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
        bounds = self.bounds
        # A label whose bound is below ``floor`` cannot give the answer (see ``_Bounds``).
        floor = 0.0
        if bounds is not None:
            # ``lower`` is a route of the unrestricted search only (no root, no banned origin).
            floor = bounds.lower if not root and not banned else 0.0
            if cutoff is not None:
                floor = max(floor, -cutoff[0])
        reach = bounds.reach if bounds is not None else {}
        beyond = bounds.beyond if bounds is not None else 1.0
        pruning = bounds is not None
        # Dominance is judged among labels of the same start only: labels from different
        # origins differ in which node they may not re-enter.
        group = self.group if grouped else None
        state, taken = self.state, self.taken
        settled: dict[tuple[str, str, Hashable], list[tuple[int, float]]] = {}
        while heap:
            checkpoint()
            entry = heapq.heappop(heap)
            if cutoff is not None and entry >= cutoff:
                return None
            path = entry[2]
            hops = len(path) - 1
            score = _score(entry, by_hops)
            node = path[-1]
            # A completion is checked before dominance: the label dominating this one may be
            # a start label, which cannot complete at its own node.
            if hops > spur and node in destinations and (group is None or group(path) not in taken):
                return entry
            start = path[spur]
            label_state = state(path) if group is not None else None
            marks = settled.get((start, node, label_state))
            if marks is None:
                settled[start, node, label_state] = [(hops, score)]
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
                if pruning:
                    bound = new_score * reach.get(neighbour, beyond)
                    if bound < floor or bound == 0.0:  # 0: no destination reachable
                        continue
                next_state = state((*path, neighbour)) if group is not None else None
                other = settled.get((start, neighbour, next_state))
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


_SLACK = 1.0 + 1e-9
"""Bounds are raised by this factor: a path's score multiplied in another order differs in
the last bits, and a bound must never fall below a score the search computes."""


class _Bounds:
    """Upper bounds of the score reachable from a node to a destination, and a lower bound
    of the best route, from one reverse Dijkstra (max-product) from the destinations.

    ``reach[n]`` is the exact best score from ``n`` to a destination over paths whose inner
    nodes are not blocked, ignoring the hop limit and Yen's restrictions (so never below
    what the search can reach from ``n``), raised by ``_SLACK``. The reverse search stops
    early, "meeting in the middle": once it has settled an origin it goes on only while the
    bounds stay above the square root of that origin's bound; every node not settled then
    has at most ``beyond`` (0 when the search ran out: no destination is reachable).
    ``lower`` is the score of the best reverse-tree path from an origin that is itself a
    valid route (hop limit, no blocked inner node), or 0: the answer scores at least that.
    """

    __slots__ = ("beyond", "lower", "reach")

    def __init__(self, reach: dict[str, float], beyond: float, lower: float) -> None:
        self.reach = reach
        self.beyond = beyond
        self.lower = lower

    @classmethod
    def of(
        cls,
        adjacency: Adjacency,
        destinations: frozenset[str],
        blocked: Collection[str],
        origins: list[str],
        max_hops: int,
    ) -> _Bounds:
        """The bounds for a search from ``origins`` to ``destinations``."""
        origin_set = frozenset(origins)
        best: dict[str, float] = {}
        towards: dict[str, str] = {}
        heap: list[tuple[float, str, str]] = [(-1.0, d, d) for d in sorted(destinations)]
        heapq.heapify(heap)
        stop_below = 0.0
        settled_origins: list[str] = []
        beyond = 0.0
        while heap:
            checkpoint()
            negative, node, via = heap[0]
            score = -negative
            if score < stop_below:
                beyond = score
                break
            heapq.heappop(heap)
            if node in best:
                continue
            best[node] = score
            towards[node] = via
            if node in origin_set:
                if not settled_origins:
                    stop_below = math.sqrt(score)
                settled_origins.append(node)
            if node in blocked and node not in destinations:
                continue  # a blocked node may start a route but not be passed through
            for neighbour, strength in adjacency.get(node, {}).items():
                if neighbour not in best:
                    heapq.heappush(heap, (-(score * strength), neighbour, node))
        reach = {node: score * _SLACK for node, score in best.items()}
        lower = 0.0
        for origin in settled_origins:
            path = _tree_path(origin, towards, destinations)
            hops = len(path) - 1
            if 1 <= hops <= max_hops and not any(n in blocked for n in path[1:-1]):
                lower = max(lower, _root_score(adjacency, path))
        return cls(reach, beyond * _SLACK, lower)


def _tree_path(origin: str, towards: dict[str, str], destinations: frozenset[str]) -> Path:
    """The reverse-tree path from ``origin`` to the destination it was reached from."""
    path = [origin]
    node = origin
    while node not in destinations or (len(path) == 1 and towards[node] != node):
        node = towards[node]
        path.append(node)
        if len(path) > len(towards) + 1:  # a tree has no cycle; never loop on a bug
            raise AssertionError(f"reverse search tree has a cycle at {node!r}")
    return tuple(path)

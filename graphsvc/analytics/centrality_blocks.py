"""Exact betweenness, one biconnected block at a time.

Org graphs are a reporting tree with cross links: a 9,431-person generated scope splits into
1,958 biconnected blocks (maximal pieces without a cut vertex), the largest of 3,383 people,
most of the rest bridges to single people. Brandes' algorithm over the whole scope costs a
search per person over every relationship; per block it costs a search per block member
over that block's relationships only, which is the largest block's share squared (a tenth
of the work here). The decomposition (Puzis et al., "Heuristics for speeding up
betweenness centrality computation", 2012; Sariyüce et al., "Shattering and compressing
networks for betweenness centrality", 2013) rests on three facts, for a connected component
of N people and a person v:

1. Every shortest path between two members of a block stays inside the block (leaving it
   through a cut vertex means coming back through the same one, and a shortest path is
   simple).
2. For a block B and any person x of the component, there is one member π_B(x) of B through
   which x reaches B (x itself when it is a member; else the cut vertex of B on x's side).
   Every shortest x–y path through an inner point of B runs π_B(x) → π_B(y) inside B, with
   B's own shortest paths. So if the *weight* w_B(a) of a member a is the number of people
   x with π_B(x) = a (1 for a member that is no cut vertex), the pairs whose paths v shares
   within B count Σ w_B(a)·w_B(b)·σ_ab(v)/σ_ab over members a ≠ b of B other than v: the
   weighted Brandes dependency of ``brandes.dependencies`` run on B alone.
3. The components of the graph without a cut vertex v are one per block containing v,
   the one of block B holding N − w_B(v) people; every path between two of them passes
   through v. So v also gets (N − 1)² − Σ_B (N − w_B(v))² ordered pairs, the pairs split by
   v. For a person in a single block w_B(v) = 1 and this is 0.

The sum over v's blocks of (2) plus (3) counts every ordered pair of other people once:
pairs in different components of the graph without v by (3), pairs in the same one by (2)
of that component's block. Weights come from the block–cut tree (blocks and cut vertices,
joined by membership), rooted per component: a block's weight of its parent cut vertex is
N minus the people below the block, of a child cut vertex the people below that vertex.

Blocks of two people (bridges) hold no inner point; the others are packed into groups of
about ``PACK_PEOPLE`` members and each group is searched as one disjoint graph (a cut
vertex is a separate member of each of its blocks), so a thousand triangles cost a few
numpy calls, not a thousand.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import rustworkx as rx

from graphsvc.analytics.brandes import FloatArray, IntArray, summed_dependencies

__all__ = ["BLOCK_BATCH_SLOTS", "PACK_PEOPLE", "ordered_pair_sums"]

BLOCK_BATCH_SLOTS = 400_000
"""Kernel slots per batch in a block: about 10 % less CPU than the estimate's 1,000,000 on
the 3,383-person block of a generated 9,431-person scope (250k–500k measured alike)."""

PACK_PEOPLE = 512
"""Block members searched together: small enough that a group's all-pairs slots stay
cheap, large enough that small blocks cost few numpy calls."""


def ordered_pair_sums(indptr: IntArray, indices: IntArray) -> FloatArray:
    """Σ over ordered pairs (s, t) of other people of σ_st(v)/σ_st, for every node v.

    ``indptr``/``indices``: the simple undirected graph as compressed rows (each edge both
    ways). This is Brandes' unnormalised total over every source, computed by blocks.
    """
    n = len(indptr) - 1
    total = np.zeros(n)
    heads = np.repeat(np.arange(n, dtype=np.int64), np.diff(indptr))
    keep = heads < indices
    u, v = heads[keep], indices[keep].astype(np.int64)
    if not len(u):
        return total
    labels = _block_labels(n, u, v)
    # Members as (block, person) codes, sorted: block by block, people ascending.
    codes = np.unique(np.concatenate([labels * n + u, labels * n + v]))
    members = _Members(codes // n, codes % n)
    weights = _member_weights(members, n, total)
    ends = (np.searchsorted(codes, labels * n + u), np.searchsorted(codes, labels * n + v))
    _add_block_dependencies(total, members, weights, labels, ends)
    return total


class _Members:
    """The (block, person) membership rows, sorted by block then person."""

    def __init__(self, block: npt.NDArray[np.int64], person: npt.NDArray[np.int64]) -> None:
        self.block = block
        self.person = person
        self.blocks = int(block[-1]) + 1
        self.starts = np.searchsorted(block, np.arange(self.blocks + 1))
        """Rows of block b: ``starts[b]:starts[b + 1]``."""


def _block_labels(
    n: int, u: npt.NDArray[np.int64], v: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    """The biconnected block of every edge (u[i], v[i]), numbered from 0 (rustworkx)."""
    graph = rx.PyGraph(multigraph=False)
    graph.add_nodes_from(range(n))
    pairs = list(zip(u.tolist(), v.tolist(), strict=True))
    graph.add_edges_from_no_data(pairs)
    # Its answer names an edge by its ends in either order: look them up as (min, max).
    found = rx.biconnected_components(graph)
    rows = np.array([(a, b, label) for (a, b), label in found.items()], dtype=np.int64)
    keys = np.minimum(rows[:, 0], rows[:, 1]) * n + np.maximum(rows[:, 0], rows[:, 1])
    order = np.argsort(keys)
    labels = rows[:, 2]
    return labels[order][np.searchsorted(keys[order], u * n + v)]


def _member_weights(members: _Members, n: int, total: FloatArray) -> FloatArray:
    """w_B(a) of every membership row (fact 2); adds the pairs split by cut vertices
    (fact 3) to ``total``.

    Walks the block–cut tree of each component from a root block: ``below`` counts the
    people of a block's or cut vertex's subtree (a block owns its members that are no cut
    vertex, a cut vertex owns itself).
    """
    block, person = members.block.tolist(), members.person.tolist()
    is_cut = np.bincount(members.person, minlength=n)[members.person] > 1
    cut_rows = np.flatnonzero(is_cut).tolist()
    below_block = np.bincount(members.block[~is_cut], minlength=members.blocks).tolist()
    cuts_of_block: list[list[int]] = [[] for _ in range(members.blocks)]
    blocks_of_cut: dict[int, list[int]] = {}
    for row in cut_rows:
        cuts_of_block[block[row]].append(person[row])
        blocks_of_cut.setdefault(person[row], []).append(block[row])
    below_cut = dict.fromkeys(blocks_of_cut, 1)
    parent_cut = [-1] * members.blocks
    parent_block: dict[int, int] = {}
    root_of = [-1] * members.blocks
    for root in range(members.blocks):
        if root_of[root] >= 0:
            continue
        root_of[root] = root
        order: list[tuple[bool, int]] = []  # (is a block, id), parents before children
        stack = [(True, root)]
        while stack:
            is_block, x = stack.pop()
            order.append((is_block, x))
            if is_block:
                for c in cuts_of_block[x]:
                    if c != parent_cut[x]:
                        parent_block[c] = x
                        stack.append((False, c))
            else:
                for b in blocks_of_cut[x]:
                    if b != parent_block[x]:
                        parent_cut[b], root_of[b] = x, root
                        stack.append((True, b))
        for is_block, x in reversed(order):
            if is_block and parent_cut[x] >= 0:
                below_cut[parent_cut[x]] += below_block[x]
            elif not is_block:
                below_block[parent_block[x]] += below_cut[x]
    weights = np.ones(len(block))
    split: dict[int, float] = {}
    for row in cut_rows:
        b, c = block[row], person[row]
        people = below_block[root_of[b]]  # N, the component's size
        weight = people - below_block[b] if parent_cut[b] == c else below_cut[c]
        weights[row] = weight
        split[c] = split.get(c, float((people - 1) ** 2)) - (people - weight) ** 2
    if split:
        total[list(split)] += list(split.values())
    return weights


def _add_block_dependencies(
    total: FloatArray,
    members: _Members,
    weights: FloatArray,
    labels: npt.NDArray[np.int64],
    ends: tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]],
) -> None:
    """Adds every block's weighted Brandes dependencies (fact 2) to ``total``.

    ``labels[i]`` is edge i's block, ``ends`` its two ends as membership rows.
    """
    sizes = np.diff(members.starts)
    by_block = np.argsort(labels, kind="stable")
    edge_starts = np.searchsorted(labels[by_block], np.arange(members.blocks + 1))
    local = np.zeros(len(members.block), dtype=np.int32)
    group: list[int] = []
    people = 0
    inner = sorted(np.flatnonzero(sizes >= 3).tolist(), key=lambda b: -sizes[b])
    for position, b in enumerate(inner):
        group.append(b)
        people += int(sizes[b])
        if people < PACK_PEOPLE and position + 1 < len(inner):
            continue
        rows = np.concatenate([np.arange(members.starts[g], members.starts[g + 1]) for g in group])
        edges = np.concatenate([by_block[edge_starts[g] : edge_starts[g + 1]] for g in group])
        local[rows] = np.arange(len(rows), dtype=np.int32)
        indptr, indices = _rows(local[ends[0][edges]], local[ends[1][edges]], len(rows))
        sources = np.arange(len(rows), dtype=np.int32)
        found = summed_dependencies(
            indptr, indices, sources, weights[rows], batch_slots=BLOCK_BATCH_SLOTS
        )
        np.add.at(total, members.person[rows], found)
        group, people = [], 0


def _rows(a: IntArray, b: IntArray, n: int) -> tuple[IntArray, IntArray]:
    """Compressed rows of the simple undirected graph with edges (a[i], b[i])."""
    heads = np.concatenate([a, b])
    tails = np.concatenate([b, a])
    order = np.argsort(heads, kind="stable")
    indptr = np.zeros(n + 1, dtype=np.int32)
    np.cumsum(np.bincount(heads, minlength=n), out=indptr[1:])
    return indptr, tails[order].astype(np.int32)

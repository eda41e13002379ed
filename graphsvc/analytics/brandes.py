"""Brandes' dependency accumulation for a batch of sources, as numpy operations.

The one kernel behind ``centrality.betweenness``: the pivot estimate runs it unweighted on
the whole scope, the exact computation (``centrality_blocks``) runs it weighted on each
biconnected block, where a cut vertex stands for the people hanging off it.

Slot ``b * n + v`` holds source ``sources[b]``'s view of node ``v`` (every (source, node)
pair is one slot of a flat array), so a whole batch advances level by level in a few numpy
calls: the work is that of Brandes' algorithm, the number of numpy calls grows with the
graph's depth, not with the number of sources.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from graphsvc.analytics.cancel import checkpoint

__all__ = ["BATCH_SLOTS", "FloatArray", "IntArray", "dependencies", "summed_dependencies"]

BATCH_SLOTS = 1_000_000
"""(source, node or edge end) slots per batch: measured fastest (cache-sized level arrays),
and it keeps the kernel's memory to tens of MB."""

IntArray = npt.NDArray[np.int32]
FloatArray = npt.NDArray[np.float64]


def summed_dependencies(
    indptr: IntArray,
    indices: IntArray,
    sources: IntArray,
    weights: FloatArray | None = None,
    *,
    batch_slots: int = BATCH_SLOTS,
) -> FloatArray:
    """``dependencies`` over all of ``sources``, in batches of about ``batch_slots`` slots."""
    n = len(indptr) - 1
    total = np.zeros(n)
    step = max(1, batch_slots // (len(indices) + n))
    for start in range(0, len(sources), step):
        checkpoint()  # the analytic time limit (analytics.cancel)
        total += dependencies(indptr, indices, sources[start : start + step], weights)
    return total


def dependencies(
    indptr: IntArray, indices: IntArray, sources: IntArray, weights: FloatArray | None = None
) -> FloatArray:
    """Σ over ``sources`` s of w(s)·δ_s(v), for every node v (w = 1 without ``weights``).

    δ_s(v) = Σ_t w(t)·σ_st(v)/σ_st over targets t ≠ s, v: the share of shortest s–t paths
    through v, each target counted w(t) times. With unit weights it is Brandes' dependency.

    The forward pass finds, level by level, the shortest-path DAG edges (u at distance d,
    w first reached at d + 1) and counts shortest paths σ; the backward pass walks the
    levels in reverse, δ(u) += σ(u)/σ(w)·(w(w) + δ(w)) along each DAG edge — Brandes'
    recurrence, whose proof carries over unchanged when every target w stands for w(w)
    targets reached by the same paths. Slots are int32 (a batch holds far fewer than 2³¹),
    which halves the memory traffic that bounds this kernel.
    """
    n = len(indptr) - 1
    degree = np.diff(indptr)
    slots = len(sources) * n
    reached = np.zeros(slots, dtype=bool)
    fresh = np.zeros(slots, dtype=bool)
    sigma = np.zeros(slots)
    origins = np.arange(len(sources), dtype=np.int32) * n + sources.astype(np.int32)
    reached[origins] = True
    sigma[origins] = 1.0
    frontier = origins
    levels: list[tuple[npt.NDArray[np.int32], npt.NDArray[np.int32]]] = []
    while frontier.size:
        node = frontier % n
        counts = degree[node]
        ends = np.cumsum(counts, dtype=np.int32)
        # Every neighbour of every frontier slot, as one flat gather over the CSR rows.
        at = np.repeat(indptr[node] - ends + counts, counts)
        at += np.arange(ends[-1], dtype=np.int32)
        tails = np.repeat(frontier - node, counts)
        tails += indices[at]
        heads = np.repeat(frontier, counts)
        new = ~reached[tails]
        heads, tails = heads[new], tails[new]
        if not tails.size:
            break
        np.add.at(sigma, tails, sigma[heads])
        fresh[tails] = True
        frontier = np.flatnonzero(fresh).astype(np.int32)
        reached[frontier] = True
        fresh[frontier] = False
        levels.append((heads, tails))
    delta = np.zeros(slots)
    for heads, tails in reversed(levels):
        targets = 1.0 if weights is None else weights[tails % n]
        np.add.at(delta, heads, sigma[heads] / sigma[tails] * (targets + delta[tails]))
    delta[origins] = 0.0  # a source is not a broker of its own paths
    per_source = delta.reshape(len(sources), n)
    if weights is not None:
        per_source = per_source * weights[sources][:, None]
    result: FloatArray = per_source.sum(axis=0)
    return result

"""The admissible bound of ``k_best_paths`` prunes work, never results.

The pruned search (the default) must return exactly what the unpruned reference returns:
the same paths, in the same order, with the same scores, ties included. Strengths come
from a small set so that equal scores (and so the tie-breaks by hops and node sequence)
are common, and hop limits, blocked nodes, several origins and destinations are drawn too.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from graphsvc.analytics.paths import Adjacency, k_best_paths

_NODES = [f"n{i}" for i in range(8)]


@st.composite
def graphs(draw: st.DrawFn) -> dict[str, dict[str, float]]:
    """An undirected graph as a symmetric adjacency with strengths in (0, 1]."""
    edges = draw(
        st.lists(
            st.tuples(
                st.sampled_from(_NODES),
                st.sampled_from(_NODES),
                st.sampled_from([0.25, 0.5, 0.7, 0.8, 0.9, 1.0]),
            ),
            max_size=20,
        )
    )
    adjacency: dict[str, dict[str, float]] = {}
    for a, b, strength in edges:
        if a != b:
            adjacency.setdefault(a, {})[b] = strength
            adjacency.setdefault(b, {})[a] = strength
    return adjacency


_ORIGINS = st.lists(st.sampled_from(_NODES), min_size=1, max_size=4, unique=True)
_DESTINATIONS = st.lists(st.sampled_from(_NODES), min_size=1, max_size=2, unique=True)
"""Mostly no more destinations than origins: the cases in which the bound is used."""


@settings(max_examples=400, deadline=None, derandomize=True)
@given(
    graphs(),
    _ORIGINS,
    _DESTINATIONS,
    st.lists(st.sampled_from(_NODES), max_size=3),
    st.integers(1, 6),
    st.integers(1, 5),
)
def test_the_pruned_search_returns_exactly_the_unpruned_results(
    adjacency: Adjacency,
    origins: list[str],
    destinations: list[str],
    blocked: list[str],
    k: int,
    max_hops: int,
) -> None:
    # Given any graph, origins, destinations, blocked nodes, k and hop limit
    def search(prune: bool) -> list[tuple[tuple[str, ...], float]]:
        return k_best_paths(
            adjacency,
            origins,
            set(destinations),
            k=k,
            max_hops=max_hops,
            blocked=frozenset(blocked),
            prune=prune,
        )

    # When the k best paths by strength are searched with and without the bound
    pruned, reference = search(True), search(False)
    # Then both give the same paths, scores and order
    assert pruned == reference


def test_an_unreachable_destination_gives_no_path_and_a_near_one_still_wins() -> None:
    # Given two components: the origin's own, and a far one with the other destination
    adjacency = {
        "o": {"a": 0.9},
        "a": {"o": 0.9, "t": 0.5},
        "t": {"a": 0.5},
        "x": {"y": 1.0},
        "y": {"x": 1.0},
    }
    # When routes go to an unreachable destination, then there is none
    assert k_best_paths(adjacency, ["o"], {"y"}, k=2, max_hops=4) == []
    # and with a reachable one too, only that one is found
    found = k_best_paths(adjacency, ["o"], {"t", "y"}, k=2, max_hops=4)
    assert [path for path, _ in found] == [("o", "a", "t")]
    assert found == k_best_paths(adjacency, ["o"], {"t", "y"}, k=2, max_hops=4, prune=False)

"""powerMap and whitespace, cold and warm, against networkx baselines (not run by the tests).

    .venv/bin/graphsvc generate --people 10000 --seed 7 > /tmp/g10k.json
    .venv/bin/python -m bench.power_map /tmp/g10k.json
    .venv/bin/graphsvc generate --people 20000 --seed 7 > /tmp/g20k.json
    .venv/bin/python -m bench.power_map /tmp/g20k.json --whitespace-only

The document is imported into a real SQLite store (temporary file) through ``GraphService``;
the projection comes from ``AnalyticsService``'s cache, as in the server. Figures:

- powerMap on the organization scope closest to 10,000 people: cold is the pure function on
  the built projection (no cached result), median of 3; first and warm are through
  ``AnalyticsService`` (its per-version memo), warm the median of 20. Split into scope and
  edges, PageRank and betweenness. Baselines in the same run: ``networkx.pagerank`` on the
  same listens-to graph (with and without building the networkx graph), networkx's
  betweenness estimate from the same pivots, and building a bare ``networkx.Graph``.
  ``--exact`` adds rustworkx's exact betweenness of the scope (about a minute at 10k).
- whitespace on the scope with the most departments: cold (pure function) and warm.

Times are wall clock and, in brackets, the process CPU time (the machine may be shared).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Any

import networkx as nx

from graphsvc.analytics import power_map, whitespace
from graphsvc.analytics.centrality import PIVOT_SEED, PIVOTS, betweenness, is_estimated
from graphsvc.analytics.power_map import DAMPING, _influence, _scope_edges, listens_to_graph
from graphsvc.analytics.projection import Projection
from graphsvc.analytics.scope import organization_scope
from graphsvc.domain.models import GraphDocument
from graphsvc.services.container import Services
from graphsvc.store.sqlite import SqliteStore

AS_OF = date(2026, 1, 1)


def timed(fn: Callable[[], Any], repeat: int = 1) -> tuple[float, float, Any]:
    """Median wall and CPU seconds of ``repeat`` calls, and the last result."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = fn()
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
    return statistics.median(walls), statistics.median(cpus), result


async def atimed(fn: Callable[[], Awaitable[Any]], repeat: int = 1) -> tuple[float, float, Any]:
    """``timed`` for a coroutine function, awaited in the running loop."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = await fn()
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
    return statistics.median(walls), statistics.median(cpus), result


def show(figure: str, wall: float, cpu: float) -> str:
    """One figure in ms, wall and (CPU)."""
    return f"{figure} {wall * 1e3:.1f} ms ({cpu * 1e3:.1f} ms CPU)"


def closest_scope(projection: Projection, people: int) -> tuple[str, bool, int]:
    """The (organization, include_subsidiaries) whose scope size is closest to ``people``."""
    candidates = [
        (o, sub, len(organization_scope(projection, o, include_subsidiaries=sub).people))
        for o in projection.organizations
        for sub in (True, False)
    ]
    return min(candidates, key=lambda c: (abs(c[2] - people), c[0], c[1]))


async def bench_power_map(projection: Projection, services: Services, exact: bool) -> None:
    """powerMap cold, first and warm, its parts and its networkx baselines."""
    org, sub, size = closest_scope(projection, 10_000)
    print(f"powerMap on {org} (include_subsidiaries={sub}): {size} people")
    people = sorted(organization_scope(projection, org, include_subsidiaries=sub).people)
    cold = timed(lambda: power_map(projection, org, include_subsidiaries=sub), repeat=3)
    print("  " + show("cold (pure function, median of 3)", *cold[:2]))
    analytics = services.analytics
    first = await atimed(lambda: analytics.power_map("bench", org, include_subsidiaries=sub))
    warm = await atimed(lambda: analytics.power_map("bench", org, include_subsidiaries=sub), 20)
    print("  " + show("first through AnalyticsService", *first[:2]))
    print("  " + show("warm through AnalyticsService (median of 20)", *warm[:2]))

    t_edges = timed(lambda: _scope_edges(projection, people), repeat=3)
    edges = t_edges[2]
    t_rank = timed(lambda: _influence(len(people), edges.listens), repeat=3)
    t_between = timed(lambda: betweenness(edges.pairs, people), repeat=3)
    kind = f"{PIVOTS}-pivot estimate" if is_estimated(len(people)) else "exact"
    print(f"  parts: {len(edges.pairs)} relationship pairs, {len(edges.listens)} listens-to edges")
    print("    " + show("scope edges", *t_edges[:2]))
    print("    " + show("PageRank (scipy)", *t_rank[:2]))
    print("    " + show(f"betweenness ({kind})", *t_between[:2]))

    graph = listens_to_graph(projection, people)
    nx_rank = timed(lambda: nx.pagerank(graph, alpha=DAMPING, weight="weight", tol=1e-12))
    nx_rank_built = timed(
        lambda: nx.pagerank(
            listens_to_graph(projection, people), alpha=DAMPING, weight="weight", tol=1e-12
        )
    )
    print("  baselines:")
    print("    " + show("networkx.pagerank, graph given", *nx_rank[:2]))
    print("    " + show("networkx.pagerank incl. building its DiGraph", *nx_rank_built[:2]))

    def bare() -> nx.Graph:
        g = nx.Graph()
        g.add_nodes_from(people)
        g.add_edges_from(edges.pairs)
        return g

    t_bare = timed(bare, repeat=3)
    print("    " + show("bare networkx.Graph of the scope", *t_bare[:2]))
    undirected = t_bare[2]
    nx_between = timed(
        lambda: nx.betweenness_centrality(undirected, k=PIVOTS, seed=random.Random(PIVOT_SEED))
    )
    print("    " + show(f"networkx betweenness, same {PIVOTS} pivots", *nx_between[:2]))
    print(
        f"  ratios: cold / bare graph {cold[0] / t_bare[0]:.1f}; betweenness / networkx "
        f"{t_between[0] / nx_between[0]:.3f}; PageRank / networkx {t_rank[0] / nx_rank[0]:.3f}"
    )
    if exact:
        import rustworkx as rx

        index = {p: i for i, p in enumerate(people)}
        rgraph = rx.PyGraph(multigraph=False)
        rgraph.add_nodes_from(range(len(people)))
        rgraph.add_edges_from_no_data([(index[a], index[b]) for a, b in edges.pairs])
        t_rx = timed(lambda: rx.graph_betweenness_centrality(rgraph, normalized=True))
        print("    " + show("rustworkx exact betweenness", *t_rx[:2]))


async def bench_whitespace(projection: Projection, services: Services) -> None:
    """whitespace cold and warm on the scope with the most departments."""
    org = max(
        projection.organizations,
        key=lambda o: (len(organization_scope(projection, o).departments), o),
    )
    n_dep = len(organization_scope(projection, org).departments)
    cold = timed(lambda: whitespace(projection, org, as_of=AS_OF), repeat=5)
    analytics = services.analytics
    first = await atimed(lambda: analytics.whitespace("bench", org, as_of=AS_OF))
    warm = await atimed(lambda: analytics.whitespace("bench", org, as_of=AS_OF), 20)
    print(f"whitespace on {org} with subsidiaries: {n_dep} departments, {len(cold[2])} found")
    print("  " + show("cold (pure function, median of 5)", *cold[:2]))
    print("  " + show("first through AnalyticsService", *first[:2]))
    print("  " + show("warm through AnalyticsService (median of 20)", *warm[:2]))


async def prepare(document: GraphDocument, directory: str) -> tuple[Services, Projection]:
    """Import the document into a fresh SQLite store and build the projection."""
    store = SqliteStore(str(Path(directory) / "bench.db"))
    await store.open()
    services = Services.over(store)
    start = time.perf_counter()
    await services.graph.import_document("bench", document)
    imported = time.perf_counter() - start
    start = time.perf_counter()
    projection = await services.analytics.projections.get("bench")
    built = time.perf_counter() - start
    print(
        f"{len(projection.people)} people, {len(projection.relationships)} relationships; "
        f"import {imported:.1f} s, projection build {built:.1f} s"
    )
    return services, projection


def main() -> None:
    """Run the figures on the document named on the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("document", type=Path)
    parser.add_argument("--exact", action="store_true", help="also time exact betweenness")
    parser.add_argument("--whitespace-only", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        document = GraphDocument.model_validate_json(args.document.read_bytes())
        asyncio.run(run(document, directory, args.exact, args.whitespace_only))


async def run(document: GraphDocument, directory: str, exact: bool, whitespace_only: bool) -> None:
    """Prepare the store, then measure."""
    services, projection = await prepare(document, directory)
    try:
        if not whitespace_only:
            await bench_power_map(projection, services, exact)
        await bench_whitespace(projection, services)
    finally:
        await services.store.close()


if __name__ == "__main__":
    main()

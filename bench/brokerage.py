"""Exact brokerage on a 10,000-person scope against rustworkx's betweenness (not run by tests).

    .venv/bin/graphsvc generate --people 20000 --seed 7 > /tmp/g20k.json
    .venv/bin/python -m bench.brokerage /tmp/g20k.json [--serial] [--whole-graph]

The document's projection is built in process (``Projection.build``, as bench/analytics.py);
the scope is the organization scope closest to 10,000 people. Figures, wall clock and (in
brackets) process CPU time, since the machine may be shared:

- exact brokerage (``centrality.betweenness`` below ``EXACT_UP_TO``): the first call in the
  process (cold: nothing cached, numpy's first use included), then the median of 3;
- ``power_map`` on the same scope, first call (brokerage, PageRank, scope and edges);
- the baseline in the same run: rustworkx's exact betweenness of the same graph, in
  parallel (its default); ``--serial`` adds it on one thread, ``--whole-graph`` adds the
  numpy Brandes kernel over the whole scope (this module's previous exact path, ~15 s);
- the block structure that makes the difference, and the largest difference between our
  values and rustworkx's (both exact: it should be float rounding).
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import rustworkx as rx

from graphsvc.analytics import power_map
from graphsvc.analytics.brandes import summed_dependencies
from graphsvc.analytics.centrality import betweenness, is_estimated
from graphsvc.analytics.power_map import _scope_edges
from graphsvc.analytics.projection import Projection
from graphsvc.analytics.scope import organization_scope
from graphsvc.domain.models import GraphDocument, Person, Relationship


def timed(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    """Wall and CPU seconds of one call, and its result."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def show(figure: str, wall: float, cpu: float) -> str:
    """One figure in seconds, wall and (CPU)."""
    return f"  {figure}: {wall:.2f} s ({cpu:.2f} s CPU)"


def build(path: Path) -> Projection:
    """The projection of the document at ``path``, as the write path would store it."""
    doc = GraphDocument.model_validate_json(path.read_bytes())
    people = [Person(**p.model_dump(exclude={"reports_to_id"})) for p in doc.people]
    reports = [
        Relationship(type="REPORTS_TO", from_id=p.id, to_id=p.reports_to_id)
        for p in doc.people
        if p.reports_to_id
    ]
    return Projection.build(
        organizations=doc.organizations,
        departments=doc.departments,
        people=people,
        systems=doc.systems,
        opportunities=doc.opportunities,
        relationships=[*doc.relationships, *reports],
        decision_rights=doc.decision_rights,
    )


def closest_scope(projection: Projection, people: int) -> tuple[str, bool, list[str]]:
    """The (organization, include_subsidiaries) scope closest to ``people`` people."""
    best = min(
        (
            (abs(len(scope.people) - people), o, sub, sorted(scope.people))
            for o in sorted(projection.organizations)
            for sub in (True, False)
            for scope in [organization_scope(projection, o, include_subsidiaries=sub)]
        ),
        key=lambda c: c[:3],
    )
    return best[1], best[2], best[3]


def main() -> None:
    """Run the figures on the document named on the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("document", type=Path)
    parser.add_argument("--serial", action="store_true", help="also rustworkx on one thread")
    parser.add_argument("--whole-graph", action="store_true", help="also the unsplit kernel")
    args = parser.parse_args()
    projection = build(args.document)
    org, sub, people = closest_scope(projection, 10_000)
    pairs = _scope_edges(projection, people).pairs
    print(
        f"{org} (include_subsidiaries={sub}): {len(people)} people, {len(pairs)} pairs; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    assert not is_estimated(len(people)), "the scope is above EXACT_UP_TO"

    cold = timed(lambda: betweenness(pairs, people))
    print(show("exact brokerage, first call (cold)", *cold[:2]))
    warm = sorted((timed(lambda: betweenness(pairs, people)) for _ in range(3)), key=lambda t: t[0])
    print(show("exact brokerage, median of 3", *warm[1][:2]))
    first_map = timed(lambda: power_map(projection, org, include_subsidiaries=sub))
    print(show("power_map, first call on the scope", *first_map[:2]))

    index = {p: i for i, p in enumerate(people)}
    graph = rx.PyGraph(multigraph=False)
    graph.add_nodes_from(range(len(people)))
    graph.add_edges_from_no_data([(index[a], index[b]) for a, b in pairs])
    members: dict[int, set[int]] = {}
    for (a, b), label in rx.biconnected_components(graph).items():
        members.setdefault(label, set()).update((a, b))
    sizes = sorted((len(m) for m in members.values()), reverse=True)
    print(
        f"  blocks: {len(sizes)}, the largest {sizes[0]} people, then {sizes[1:4]}; "
        f"{sizes.count(2)} bridges"
    )
    print("baseline, same run:")
    parallel = timed(lambda: rx.graph_betweenness_centrality(graph, normalized=True))
    print(show("rustworkx betweenness, parallel", *parallel[:2]))
    ours = np.array(list(cold[2].values()))
    theirs = np.array([parallel[2][i] for i in range(len(people))])
    print(f"  largest difference from rustworkx: {np.abs(ours - theirs).max():.1e}")
    if args.serial:
        serial = timed(
            lambda: rx.graph_betweenness_centrality(
                graph, normalized=True, parallel_threshold=len(people) + 1
            )
        )
        print(show("rustworkx betweenness, one thread", *serial[:2]))
    if args.whole_graph:
        indptr = np.zeros(len(people) + 1, dtype=np.int32)
        ends = np.array([(index[a], index[b]) for a, b in pairs], dtype=np.int32)
        heads = np.concatenate([ends[:, 0], ends[:, 1]])
        tails = np.concatenate([ends[:, 1], ends[:, 0]])
        np.cumsum(np.bincount(heads, minlength=len(people)), out=indptr[1:])
        indices = tails[np.argsort(heads, kind="stable")]
        sources = np.arange(len(people), dtype=np.int32)
        whole = timed(lambda: summed_dependencies(indptr, indices, sources))
        print(show("numpy Brandes kernel over the whole scope (unsplit)", *whole[:2]))
    print(
        f"ratio exact brokerage cold / rustworkx parallel: {cold[0] / parallel[0]:.2f} "
        f"(CPU {cold[1] / parallel[1]:.2f})"
    )


if __name__ == "__main__":
    main()

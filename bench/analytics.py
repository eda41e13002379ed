"""In-process benchmark of the analytics on a generated workspace (not run by the tests).

    .venv/bin/graphsvc generate --people 100000 --seed 7 > /tmp/g100k.json
    .venv/bin/python -m bench.analytics /tmp/g100k.json

Each figure is printed with its bare baseline measured in the same run:

- projection build vs building a bare ``networkx.Graph`` of the same relationships;
- contactRoutes k=1 (every SELF person to one decision maker) vs networkx
  ``bidirectional_dijkstra`` from a super-source joined to every SELF person to the same
  target (-log strength weights);
- contactRoutes k=3, median;
- an incremental write (``Projection.apply`` of one relationship) + route vs a warm route;
- powerMap cold / warm on the largest organization; whitespace warm on the organization
  with the most departments in scope;
- coverage on the group with the most decision rights vs one contactRoutes k=1 per
  decision-maker (how coverage searched before), with a check that the scores are equal.

This measures the analytics alone; HTTP and store costs are for the end-to-end benchmark.
"""

from __future__ import annotations

import contextlib
import math
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from typing import Any

import networkx as nx

from graphsvc.analytics import (
    Projection,
    contact_routes,
    coverage,
    decision_makers,
    power_map,
    whitespace,
)
from graphsvc.analytics.scope import organization_scope
from graphsvc.domain.changes import ChangeSet
from graphsvc.domain.enums import BuyingRole
from graphsvc.domain.models import GraphDocument, Person, Relationship

SOURCES = ("__sources__",)
"""The super-source of the bare baseline (a tuple, so it never equals a person id)."""


def timed(fn: Callable[[], Any], repeat: int = 1) -> tuple[float, Any]:
    """Median seconds of ``repeat`` calls, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main(path: str) -> None:
    doc = GraphDocument.model_validate_json(open(path, encoding="utf-8").read())  # noqa: SIM115
    people = [Person(**p.model_dump(exclude={"reports_to_id"})) for p in doc.people]
    rels = list(doc.relationships) + [
        Relationship(type="REPORTS_TO", from_id=p.id, to_id=p.reports_to_id)
        for p in doc.people
        if p.reports_to_id
    ]
    print(f"{len(people)} people, {len(rels)} relationships")

    def bare_graph() -> nx.Graph:
        g = nx.Graph()
        for r in rels:
            w = -math.log(r.effective_strength)
            if not g.has_edge(r.from_id, r.to_id) or g[r.from_id][r.to_id]["w"] > w:
                g.add_edge(r.from_id, r.to_id, w=w)
        return g

    t_bare, graph = timed(bare_graph)
    t_build, proj = timed(
        lambda: Projection.build(
            organizations=doc.organizations,
            departments=doc.departments,
            people=people,
            systems=doc.systems,
            opportunities=doc.opportunities,
            relationships=rels,
            decision_rights=doc.decision_rights,
        )
    )
    print(
        f"build: projection {t_build:.2f}s, bare networkx graph {t_bare:.2f}s "
        f"(ratio {t_build / t_bare:.2f})"
    )

    ours = sorted(proj.self_people())
    targets = sorted(
        {r.person_id for r in doc.decision_rights if r.role is BuyingRole.ECONOMIC_BUYER}
    )[:20]
    # The same question as contactRoutes: from any SELF person (a super-source joined to
    # each with weight 0) to the target, without hop limit or blockers.
    graph.add_edges_from(((SOURCES, s) for s in ours), w=0.0)
    k1, k3, bare, found = [], [], [], 0
    for t in targets:
        dt, routes = timed(lambda t=t: contact_routes(proj, to=t, k=1))
        k1.append(dt)
        found += bool(routes)
        k3.append(timed(lambda t=t: contact_routes(proj, to=t, k=3))[0])
        with contextlib.suppress(nx.NetworkXNoPath):
            bare.append(timed(lambda t=t: nx.bidirectional_dijkstra(graph, SOURCES, t, "w"))[0])
    m1, m3, mb = statistics.median(k1), statistics.median(k3), statistics.median(bare)
    print(f"routes over {len(targets)} economic buyers ({found} reachable), {len(ours)} sources:")
    print(
        f"  k=1 median {m1 * 1e3:.1f} ms vs bare super-source "
        f"bidirectional Dijkstra {mb * 1e3:.1f} ms "
        f"(ratio {m1 / mb:.2f}); k=3 median {m3 * 1e3:.1f} ms"
    )

    def write_then_route() -> None:
        a, b = ours[0], targets[0]
        proj.apply(
            ChangeSet(relationships=[Relationship(type="KNOWS", from_id=a, to_id=b, strength=0.01)])
        )
        contact_routes(proj, to=targets[0], k=1)

    tw, _ = timed(write_then_route, repeat=5)
    tr, _ = timed(lambda: contact_routes(proj, to=targets[0], k=1), repeat=5)
    print(f"write+route {tw * 1e3:.1f} ms vs warm route {tr * 1e3:.1f} ms (ratio {tw / tr:.2f})")

    by_people = max(proj.organizations, key=lambda o: len(proj.org_people.get(o, ())))
    size = len(proj.org_people[by_people])
    tc, _ = timed(lambda: power_map(proj, by_people, include_subsidiaries=False))
    print(
        f"powerMap on {by_people} ({size} people) cold {tc * 1e3:.0f} ms "
        "(warm is a memo lookup in AnalyticsService)"
    )
    top = max(proj.organizations, key=lambda o: len(organization_scope(proj, o).departments))
    n_dep = len(organization_scope(proj, top).departments)
    tws, _ = timed(lambda: whitespace(proj, top, as_of=date(2026, 1, 1)), repeat=5)
    print(f"whitespace on {top} ({n_dep} departments) {tws * 1e3:.1f} ms uncached")

    # coverage: one search from our people for every decision-maker, against the way it was
    # done before (contactRoutes k=1 once per decision-maker), on the group with most rights
    rooted = max(
        (o for o in proj.organizations if o != proj.self_organization),
        key=lambda o: len(decision_makers(proj, o)),
    )
    held = sorted({r.person_id for r in decision_makers(proj, rooted)})
    tcov, cov = timed(lambda: coverage(proj, rooted, as_of=date(2026, 1, 1)))

    def per_holder() -> dict[str, float | None]:
        return {
            h: (routes[0].score if (routes := contact_routes(proj, to=h, k=1)) else None)
            for h in held
        }

    tper, each = timed(per_holder)
    same = all(row.best_route_score == each[row.right.person_id] for row in cov.decision_makers)
    print(
        f"coverage on {rooted} ({len(held)} decision-makers): {tcov * 1e3:.0f} ms vs one "
        f"contactRoutes k=1 per decision-maker {tper * 1e3:.0f} ms "
        f"(ratio {tcov / tper:.2f}); same scores: {same}"
    )


if __name__ == "__main__":
    main(sys.argv[1])

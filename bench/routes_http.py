"""End-to-end contact-route benchmark over HTTP against a real ``graphsvc serve`` process.

    .venv/bin/graphsvc generate --people 100000 --seed 7 > /tmp/g100k.json
    .venv/bin/python -m bench.routes_http /tmp/g100k.json
    # on Neo4j (make neo4j, or tests/neo4j/run with NEO4J_HEAP=4g for 100k people):
    GRAPHSVC_NEO4J_PASSWORD=graphsvc-test .venv/bin/python -m bench.routes_http \
        /tmp/g100k.json --store bolt://127.0.0.1:7687

Steps, each figure printed with the bare baseline measured in this same run:

1. ``graphsvc import`` of the document into a fresh SQLite file, or with ``--store URL``
   into a fresh workspace of that Neo4j (skipped with ``--db`` of an already imported SQLite
   store, or ``--workspace`` of an already imported Neo4j one): seconds and records/s.
2. The bare graph: ``networkx.Graph`` of every walkable pair (KNOWS, INFLUENCES, REPORTS_TO
   incl. ``reportsToId``, strongest relationship per pair, weight ``-log strength``) built
   from the records parsed out of the same document.
3. Cold start: ``graphsvc serve`` on a free loopback port; time from spawning the process to
   ``/healthz``, then the first ``contactRoutes`` answer (its projection build included),
   compared with building the bare graph (target: first query ≤ 3× the bare build).
4. Warm ``contactRoutes(to: T, k: 1)`` per target (the economic buyers), median over
   repetitions, against ``nx.bidirectional_dijkstra`` answering the same question on the
   bare graph: a super-source joined with weight 0 to every SELF person (the sources
   contactRoutes uses) to T, without hop limit or blockers (target: ≤ 3×).
5. Warm ``k: 3`` median (target: < 25 ms).
6. A ``link`` mutation followed by a route query vs a warm route query (target: ≤ 2×), with
   the server's projection build count (``/metrics``) before and after: no rebuild allowed.
7. The server's resident memory (``VmHWM``/``VmRSS`` of ``/proc/PID/status``).

The server runs with ``GRAPHSVC_AUTH=off`` (allowed on loopback), so tokens stay out of it.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import networkx as nx

ROUTES = (
    "query Routes($to: ID!, $k: Int!) { contactRoutes(to: $to, k: $k) {"
    " score people { id } hops { strength } explanation } }"
)
LINK = (
    "mutation Link($from: ID!, $to: ID!, $s: Float!) { link(input: {type: KNOWS, from: $from,"
    " to: $to, strength: $s}) { __typename } }"
)
DEFAULTS = {"KNOWS": 0.5, "INFLUENCES": 0.5, "REPORTS_TO": 0.7}


def _median_ms(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e3


def _rss(pid: int) -> dict[str, int]:
    """VmHWM and VmRSS of a process, in MiB."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmHWM", "VmRSS"):
            found[name] = int(value.split()[0]) // 1024
    return found


def bare_graph(doc: dict[str, Any]) -> nx.Graph:
    """Every walkable pair with weight -log(strongest strength), from parsed records."""
    graph = nx.Graph()
    edges: list[tuple[str, str, float, bool]] = [
        (r["from"], r["to"], r.get("strength") or 0.0, bool(r.get("dotted")))
        for r in doc["relationships"]
    ]
    edges += [(p["id"], p["reportsToId"], 0.0, False) for p in doc["people"] if "reportsToId" in p]
    types = [r["type"] for r in doc["relationships"]] + ["REPORTS_TO"] * (
        len(edges) - len(doc["relationships"])
    )
    for (a, b, s, dotted), type_ in zip(edges, types, strict=True):
        strength = s or (0.5 if dotted else DEFAULTS[type_])
        w = -math.log(strength)
        if not graph.has_edge(a, b) or graph[a][b]["w"] > w:
            graph.add_edge(a, b, w=w)
    return graph


class Server:
    """``graphsvc serve`` on a free loopback port, with auth off."""

    def __init__(self, store_env: dict[str, str], log: Path) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.base = f"http://127.0.0.1:{port}"
        env = {**os.environ, **store_env, "GRAPHSVC_AUTH": "off"}
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "graphsvc", "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log.open("wb"),
        )
        self.client = httpx.Client(base_url=self.base, timeout=600)

    def wait_ready(self) -> float:
        """Seconds from spawning to a healthy ``/healthz``."""
        while True:
            if self.process.poll() is not None:
                raise SystemExit("the server exited during start-up; see its log")
            try:
                if self.client.get("/healthz").status_code == 200:
                    return time.perf_counter() - self.started
            except httpx.TransportError:
                time.sleep(0.02)

    def graphql(self, query: str, *, retry_limits: bool = False, **variables: Any) -> Any:
        """The data of a query; with ``retry_limits``, asked again while it hits the analytic
        time limit (a projection build outlives the request and the retry waits for it)."""
        while True:
            response = self.client.post("/graphql", json={"query": query, "variables": variables})
            body = response.json()
            codes = [e.get("extensions", {}).get("code") for e in body.get("errors") or ()]
            if not (retry_limits and codes == ["LIMIT_EXCEEDED"]):
                break
            print("  (stopped by the analytic time limit; asking again)")
        if response.status_code != 200 or body.get("errors"):
            raise SystemExit(f"GraphQL failed: {response.status_code} {body}")
        return body["data"]

    def builds(self) -> float:
        for line in self.client.get("/metrics").text.splitlines():
            if line.startswith("graphsvc_projection_builds_total"):
                return float(line.split()[-1])
        return float("nan")

    def stop(self) -> None:
        self.client.close()
        self.process.terminate()
        self.process.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("document", help="a generated graph document (JSON)")
    parser.add_argument("--db", type=Path, help="an SQLite store the document is imported in")
    parser.add_argument("--store", help="a Neo4j Bolt URL to import into and serve from")
    parser.add_argument("--workspace", help="with --store: a workspace already imported")
    parser.add_argument("--targets", type=int, default=20, help="economic buyers to route to")
    parser.add_argument("--repeat", type=int, default=7, help="repetitions per warm figure")
    parser.add_argument("--no-baseline", action="store_true", help="skip the networkx baseline")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="graphsvc-bench-"))

    if args.store:
        workspace = args.workspace or f"bench-{os.getpid()}"
        store_env = {"GRAPHSVC_STORE": args.store, "GRAPHSVC_WORKSPACE": workspace}
        imported = args.workspace is not None
        subprocess.run(
            [sys.executable, "-m", "graphsvc", "migrate"],
            env={**os.environ, **store_env},
            check=True,
            stdout=subprocess.DEVNULL,
        )
    else:
        db = args.db or workdir / "bench.db"
        store_env = {"GRAPHSVC_STORE": f"sqlite:///{db}"}
        imported = args.db is not None
    if not imported:
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "graphsvc", "import", args.document],
            env={**os.environ, **store_env},
            check=True,
            stdout=subprocess.DEVNULL,
        )
        took = time.perf_counter() - started
    doc = json.loads(Path(args.document).read_text(encoding="utf-8"))
    records = sum(len(v) for v in doc.values() if isinstance(v, list))
    if not imported:
        print(f"import: {records} records in {took:.1f} s ({records / took:,.0f} records/s)")

    self_orgs = {o["id"] for o in doc["organizations"] if o["kind"] == "SELF"}
    sources = sorted(p["id"] for p in doc["people"] if p["organizationId"] in self_orgs)
    targets = sorted(
        {r["personId"] for r in doc["decisionRights"] if r["role"] == "ECONOMIC_BUYER"}
    )[: args.targets]
    print(f"{len(doc['people'])} people, {len(sources)} sources, {len(targets)} targets")

    graph, t_bare = None, float("nan")
    if not args.no_baseline:
        started = time.perf_counter()
        graph = bare_graph(doc)
        t_bare = time.perf_counter() - started
        print(f"bare networkx graph: {graph.number_of_edges()} edges in {t_bare:.2f} s")
    del doc

    server = Server(store_env, workdir / "server.log")
    try:
        ready = server.wait_ready()
        started = time.perf_counter()
        server.graphql(ROUTES, retry_limits=True, to=targets[0], k=1)
        first = time.perf_counter() - started
        print(
            f"cold: process ready {ready:.2f} s; first contactRoutes {first:.2f} s "
            f"(ratio to bare build {first / t_bare:.2f}); spawn to answer {ready + first:.2f} s"
        )

        k1, k3, bare = [], [], []
        super_source = ("__sources__",)
        if graph is not None:
            graph.add_edges_from(((super_source, s) for s in sources), w=0.0)
        for t in targets:
            server.graphql(ROUTES, to=t, k=1)  # warm this target's path through the caches
            k1.append(_median_ms(lambda t=t: server.graphql(ROUTES, to=t, k=1), args.repeat))
            k3.append(_median_ms(lambda t=t: server.graphql(ROUTES, to=t, k=3), args.repeat))
            if graph is not None:
                bare.append(
                    _median_ms(
                        lambda t=t: nx.bidirectional_dijkstra(graph, super_source, t, "w"),
                        args.repeat,
                    )
                )
        m1, m3 = statistics.median(k1), statistics.median(k3)
        mb = statistics.median(bare) if bare else float("nan")
        print(
            f"warm k=1 over HTTP: median {m1:.1f} ms; bare super-source bidirectional Dijkstra "
            f"{mb:.1f} ms; ratio {m1 / mb:.2f}"
        )
        print(f"warm k=3 over HTTP: median {m3:.1f} ms (max over targets {max(k3):.1f} ms)")

        builds = server.builds()
        writes: list[float] = []
        warm: list[float] = []
        for i in range(args.repeat * 3):
            start = time.perf_counter()
            server.graphql(LINK, **{"from": sources[i], "to": targets[-1], "s": 0.01 + i / 1e4})
            server.graphql(ROUTES, to=targets[0], k=1)
            writes.append(time.perf_counter() - start)
            start = time.perf_counter()
            server.graphql(ROUTES, to=targets[0], k=1)
            warm.append(time.perf_counter() - start)
        mw, mr = statistics.median(writes) * 1e3, statistics.median(warm) * 1e3
        rebuilt = server.builds() - builds
        print(
            f"write + route: median {mw:.1f} ms; warm route {mr:.1f} ms; ratio {mw / mr:.2f}; "
            f"projection rebuilds during writes: {rebuilt:.0f}"
        )
        memory = _rss(server.process.pid)
        print(f"server memory: VmHWM {memory['VmHWM']} MiB, VmRSS {memory['VmRSS']} MiB")
    finally:
        server.stop()


if __name__ == "__main__":
    main()

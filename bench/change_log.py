"""What the change log costs on writes, and what catching up from it saves (issue 11).

    .venv/bin/graphsvc generate --people 100000 --seed 7 > /tmp/g100k.json
    .venv/bin/python -m bench.change_log /tmp/g100k.json
    .venv/bin/python -m bench.change_log /tmp/g1m.json --parts catch-up --rounds 2  # 1M
    # on Neo4j (a store with the change log; each part uses fresh workspaces):
    GRAPHSVC_NEO4J_PASSWORD=graphsvc-test .venv/bin/python -m bench.change_log \\
        /tmp/g100k.json --store bolt://127.0.0.1:7687

In process, through the services (no HTTP), on fresh SQLite files (or fresh workspaces of
the ``--store`` Neo4j). Parts (``--parts``, default all):

``import``
    The same parsed document imported through ``GraphService.import_document`` into two
    empty workspaces, once with the change log and once without (``GraphService(
    log_changes=False)``, the knob that exists for this benchmark: the same write path,
    validation, diff and store transaction, minus building the ``Change`` entries and
    storing them). The order alternates per repetition. Target: with ≤ 1.3× without.
``mutation``
    ``GraphService.update`` of one person's stance on the imported workspace, through a
    service with the log and one without, interleaved; medians. Target ≤ 1.3×.
``catch-up``
    "Ours" (``Services`` whose analytics hold a built projection) and "theirs" (another
    process: this module run with ``--theirs``, its own services on the same store): warm
    ``contactRoutes(k: 1)`` medians over a few targets; then per round, theirs makes 100
    writes (stance changes and new KNOWS links, one write each) and ours answers the next
    route, which first catches its projection up from the log. ``--existing FILE`` runs
    this part on an already imported SQLite file (its one workspace), as for 1M people;
    ``--http`` repeats it against a real ``graphsvc serve`` process over HTTP.
    Target: that route ≤ 3× a warm route, with no rebuild (``ProjectionCache.builds``
    unchanged). Reported beside it: a full build of the same workspace (a fresh
    ``Services``' first route), what a process behind did before the log.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from graphsvc.config import Settings
from graphsvc.domain.enums import EntityKind, OrganizationKind
from graphsvc.services.container import Services, build_services
from graphsvc.services.graph import GraphService
from graphsvc.services.parsing import ParsedDocument, read_document
from graphsvc.store.base import GraphStore
from graphsvc.store.sqlite import SqliteStore

STANCES = ("SUPPORTER", "SKEPTIC", "NEUTRAL", "CHAMPION")
WRITES_BEHIND = 100


class Stores:
    """Fresh stores (SQLite files in ``directory``) or fresh workspaces of one Neo4j."""

    def __init__(self, directory: Path, url: str | None, password: str) -> None:
        self.directory, self.url, self.password = directory, url, password
        self.opened: list[GraphStore] = []
        self.count = 0

    async def fresh(self) -> tuple[GraphStore, str]:
        """A new store and workspace nobody wrote to."""
        self.count += 1
        if self.url is None:
            store: GraphStore = SqliteStore(str(self.directory / f"bench-{self.count}.db"))
        else:
            from graphsvc.store.neo4j import Neo4jStore

            store = Neo4jStore(self.url, user="neo4j", password=self.password, database="neo4j")
            await store.migrate()
        await store.open()
        self.opened.append(store)
        return store, f"bench-log-{time.time_ns()}-{self.count}"

    async def again(self, store: GraphStore) -> GraphStore:
        """A second handle on the same data (what another process opens)."""
        if isinstance(store, SqliteStore):
            other: GraphStore = SqliteStore(store.path)
        else:
            from graphsvc.store.neo4j import Neo4jStore

            other = Neo4jStore(self.url or "", user="neo4j", password=self.password)
        await other.open()
        self.opened.append(other)
        return other

    async def close(self) -> None:
        for store in self.opened:
            await store.close()


async def timed(work: Awaitable[Any]) -> tuple[float, Any]:
    """How long awaiting ``work`` (a coroutine not started yet) took, and its result."""
    started = time.perf_counter()
    result = await work
    return time.perf_counter() - started, result


def ratio_line(name: str, measured: float, baseline: float, unit: str, target: float) -> None:
    ratio = measured / baseline if baseline else float("inf")
    met = "yes" if ratio <= target else "NO"
    print(
        f"{name}: {measured:,.3f} {unit} vs {baseline:,.3f} {unit} -> {ratio:.2f}x "
        f"(target <= {target}x: {met})"
    )


async def import_part(stores: Stores, doc: ParsedDocument, repeat: int) -> tuple[GraphStore, str]:
    """(a) the import with and without the log; returns the unlogged workspace for (a').

    Each repetition imports once each way back to back (alternating which goes first), and
    its ratio is taken within the pair; wall and process CPU time (the SQLite writer thread
    included) are both shown, the CPU ratio being the steadier on a shared machine.
    """
    walls: list[float] = []
    cpus: list[float] = []
    last: tuple[GraphStore, str] | None = None
    for round_ in range(repeat):
        pair: dict[bool, tuple[float, float]] = {}
        for with_log in (True, False) if round_ % 2 == 0 else (False, True):
            store, workspace = await stores.fresh()
            graph = GraphService(store, log_changes=with_log)
            cpu = time.process_time()
            seconds, summary = await timed(graph.import_document(workspace, doc))
            pair[with_log] = (seconds, time.process_time() - cpu)
            print(
                f"  import {'with' if with_log else 'without'} the log: {seconds:.2f} s wall, "
                f"{pair[with_log][1]:.2f} s CPU (version {summary.version}, "
                f"{sum(summary.counts.values()):,} records)"
            )
            if not with_log:
                last = (store, workspace)
        walls.append(pair[True][0] / pair[False][0])
        cpus.append(pair[True][1] / pair[False][1])
    print(
        "import, with / without the log, per pair: wall "
        + " / ".join(f"{r:.2f}x" for r in walls)
        + "; CPU "
        + " / ".join(f"{r:.2f}x" for r in cpus)
        + f" (median wall {statistics.median(walls):.2f}x, CPU {statistics.median(cpus):.2f}x;"
        f" target <= 1.3x: {'yes' if statistics.median(walls) <= 1.3 else 'NO'})"
    )
    assert last is not None
    return last


async def mutation_part(store: GraphStore, workspace: str, people: list[str], repeat: int) -> None:
    """(a') one ``update`` through a service with the log and one without, interleaved."""
    services = {True: GraphService(store), False: GraphService(store, log_changes=False)}
    times: dict[bool, list[float]] = {True: [], False: []}
    rng = random.Random(3)
    for i in range(repeat):
        for with_log in (True, False) if i % 2 == 0 else (False, True):
            person = rng.choice(people)
            stance = STANCES[i % len(STANCES)]
            graph = services[with_log]
            seconds, _ = await timed(
                graph.update(workspace, EntityKind.PERSON, person, {"stance": stance})
            )
            times[with_log].append(seconds * 1e3)
    ratio_line(
        "single mutation (update a stance), median, with / without the log",
        statistics.median(times[True]),
        statistics.median(times[False]),
        "ms",
        1.3,
    )


async def route_ms(services: Services, workspace: str, target: str) -> float:
    seconds, _ = await timed(services.analytics.contact_routes(workspace, to=target, k=1))
    return seconds * 1e3


async def catch_up_part(stores: Stores, args: argparse.Namespace) -> None:
    """(b)/(c) our next route after another process's 100 writes, vs a warm route."""
    if args.existing is not None:
        store = SqliteStore(args.existing)
        await store.open()
        stores.opened.append(store)
        [workspace] = await store.workspaces()
    else:
        store, workspace = await stores.fresh()
        doc = read_document(args.document.read_bytes())
        seconds, summary = await timed(GraphService(store).import_document(workspace, doc))
        print(f"  import with the log: {seconds:.1f} s (version {summary.version})")
        del doc  # a server holds its projection, not the document it was imported from
    ours = Services.over(store)
    seconds, projection = await timed(ours.analytics.projections.get(workspace))
    print(f"  our projection built in {seconds:.1f} s ({len(projection.people):,} people)")
    built = ours.analytics.projections.builds
    organizations = projection.organizations
    kinds = {p.id: organizations[p.organization_id].kind for p in projection.people.values()}
    self_people = sorted(i for i, kind in kinds.items() if kind is OrganizationKind.SELF)
    customers = sorted(i for i, kind in kinds.items() if kind is not OrganizationKind.SELF)
    del kinds
    rng = random.Random(7)
    targets: list[str] = []
    for candidate in rng.sample(customers, 200):  # people a route reaches: real searches
        if len(targets) < 5 and await ours.analytics.contact_routes(workspace, to=candidate, k=1):
            targets.append(candidate)
    gc.collect()  # as a server long up would have: the build's garbage is not the catch-up's
    warm = statistics.median(
        [await route_ms(ours, workspace, t) for _ in range(5) for t in targets]
    )
    print(f"  warm contactRoutes(k: 1), median over {len(targets)} targets x 5: {warm:.1f} ms")

    ids = Path(tempfile.mkdtemp(prefix="graphsvc-bench-ids-")) / "ids.json"
    ids.write_text(json.dumps({"self": self_people, "customers": customers}))
    behind: list[float] = []
    for round_ in range(args.rounds):
        # A seed of its own per run: writes repeating an earlier run's would change nothing.
        seed = time.time_ns() + round_
        wrote = _their_writes(store, workspace, ids, seed, args.password)
        started = time.perf_counter()
        await ours.analytics.projections.get(workspace)  # the catch-up alone, then the route
        caught_up = (time.perf_counter() - started) * 1e3
        ms = caught_up + await route_ms(ours, workspace, targets[round_ % len(targets)])
        behind.append(ms)
        print(
            f"  round {round_ + 1}: another process wrote {WRITES_BEHIND} writes "
            f"({wrote}); our next route {ms:.1f} ms, of which catching up {caught_up:.1f} ms "
            f"(builds "
            f"{ours.analytics.projections.builds - built}, catch-ups "
            f"{ours.analytics.projections.catch_ups})"
        )
    rebuilds = ours.analytics.projections.builds - built
    ratio_line(
        f"route after {WRITES_BEHIND} writes of another process (catch-up), median of "
        f"{args.rounds}, vs warm route",
        statistics.median(behind),
        warm,
        "ms",
        3.0,
    )
    print(f"  rebuilds during the catch-up rounds: {rebuilds} (target 0)")

    if args.http:
        await _over_http(store, workspace, targets, ids, args)
    del projection
    ours.analytics.projections.drop(workspace)  # one projection in memory at a time
    gc.collect()
    fresh = Services.over(store)
    seconds, _ = await timed(fresh.analytics.contact_routes(workspace, to=targets[0], k=1))
    print(
        f"full build + route (a process that cannot catch up): {seconds:.2f} s = "
        f"{seconds * 1e3 / statistics.median(behind):,.0f}x the catch-up route"
    )


async def _over_http(
    store: GraphStore, workspace: str, targets: list[str], ids: Path, args: argparse.Namespace
) -> None:
    """The catch-up part again against a real ``graphsvc serve`` (``bench.routes_http``)."""
    from bench.routes_http import ROUTES, Server

    url = f"sqlite:///{store.path}" if isinstance(store, SqliteStore) else store.url
    env = {"GRAPHSVC_STORE": url, "GRAPHSVC_WORKSPACE": workspace}
    if not isinstance(store, SqliteStore):
        env["GRAPHSVC_NEO4J_PASSWORD"] = args.password
    server = Server(env, Path(tempfile.mkdtemp(prefix="graphsvc-bench-")) / "server.log")
    try:
        server.wait_ready()
        for target in targets:  # the build, and first answers
            server.graphql(ROUTES, retry_limits=True, to=target, k=1)

        def route_ms(target: str) -> float:
            started = time.perf_counter()
            server.graphql(ROUTES, to=target, k=1)
            return (time.perf_counter() - started) * 1e3

        warm = statistics.median([route_ms(t) for _ in range(5) for t in targets])
        builds = server.builds()
        behind = []
        for round_ in range(args.rounds):
            _their_writes(store, workspace, ids, time.time_ns() + round_, args.password)
            behind.append(route_ms(targets[round_ % len(targets)]))
        print(
            "  over HTTP, the next route after 100 writes of another process: "
            + ", ".join(f"{ms:.1f}" for ms in behind)
            + f" ms; warm route {warm:.1f} ms; rebuilds {server.builds() - builds:.0f}"
        )
        ratio_line(
            f"over HTTP: route after {WRITES_BEHIND} writes of another process, median of "
            f"{args.rounds}, vs warm route",
            statistics.median(behind),
            warm,
            "ms",
            3.0,
        )
    finally:
        server.stop()


def _their_writes(store: GraphStore, workspace: str, ids: Path, round_: int, password: str) -> str:
    """Run ``WRITES_BEHIND`` writes in another process (``--theirs``); what it printed."""
    url = f"sqlite:///{store.path}" if isinstance(store, SqliteStore) else store.url
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.change_log",
            str(ids),
            "--theirs",
            url,
            workspace,
            str(round_),
            "--password",
            password,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


async def theirs(
    known: dict[str, list[str]], url: str, workspace: str, round_: int, password: str
) -> None:
    """The other process: ``WRITES_BEHIND`` writes, one each (stances and KNOWS links)."""
    self_people, customers = known["self"], known["customers"]
    settings = Settings(store=url, neo4j_password=SecretStr(password))
    rng = random.Random(round_)
    async with build_services(settings) as services:
        started = time.perf_counter()
        for i in range(WRITES_BEHIND):
            if i % 2:
                stance = STANCES[(round_ + i) % len(STANCES)]
                await services.graph.update(
                    workspace, EntityKind.PERSON, rng.choice(customers), {"stance": stance}
                )
            else:
                await services.graph.link(
                    workspace,
                    {
                        "type": "KNOWS",
                        "from": rng.choice(self_people),
                        "to": rng.choice(customers),
                        "strength": round(rng.uniform(0.1, 0.9), 2),
                    },
                )
        version = await services.store.version(workspace)
        print(f"in {time.perf_counter() - started:.1f} s, up to version {version}")


async def run(args: argparse.Namespace, directory: Path) -> None:
    stores = Stores(directory, args.store, args.password)
    parts = set(args.parts.split(","))
    try:
        if "import" in parts:
            started = time.perf_counter()
            doc = read_document(args.document.read_bytes())
            print(
                f"document: {doc.document.record_count():,} records, read in "
                f"{time.perf_counter() - started:.1f} s"
            )
            unlogged = await import_part(stores, doc, args.repeat)
            if "mutation" in parts:
                people = [p.id for p in doc.document.people]
                await mutation_part(*unlogged, people, args.mutations)
            del doc
        if "catch-up" in parts:
            await catch_up_part(stores, args)
    finally:
        await stores.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("document", type=Path, help="a graph document (graphsvc generate)")
    parser.add_argument("--store", default=None, help="a Neo4j URL (default: SQLite files)")
    parser.add_argument("--password", default="graphsvc-test", help="the Neo4j password")
    parser.add_argument("--parts", default="import,mutation,catch-up")
    parser.add_argument("--repeat", type=int, default=1, help="imports of each kind")
    parser.add_argument("--mutations", type=int, default=41, help="mutations of each kind")
    parser.add_argument("--rounds", type=int, default=5, help="catch-up rounds")
    parser.add_argument("--dir", type=Path, default=None, help="where the SQLite files go")
    parser.add_argument(
        "--existing", default=None, help="catch-up on this SQLite file's one workspace"
    )
    parser.add_argument(
        "--http", action="store_true", help="catch-up part also against graphsvc serve"
    )
    parser.add_argument("--theirs", nargs=3, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.theirs is not None:  # the other process of the catch-up part
        url, workspace, round_ = args.theirs
        known = json.loads(args.document.read_text())
        asyncio.run(theirs(known, url, workspace, int(round_), args.password))
        return
    if args.dir is not None:
        asyncio.run(run(args, args.dir))
        return
    with tempfile.TemporaryDirectory(prefix="graphsvc-bench-") as directory:
        asyncio.run(run(args, Path(directory)))


if __name__ == "__main__":
    main()

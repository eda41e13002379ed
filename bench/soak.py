"""Soak (issue 16): long mixed load with writes against the demo, per-minute figures.

Usage::

    python -m bench.soak --store sqlite --minutes 30
    python -m bench.soak --store neo4j --minutes 30 --clients 8   # starts its own Neo4j

Serves the demo group (``graphsvc demo``, ~2,000 people) on a fresh SQLite file, or on a
fresh in-process Neo4j (``tests/neo4j/run``, migrated first), and runs ``--clients`` client
loops over GraphQL until the time is up. Each picks an operation by weight: point reads and
lists (60 %), analytic queries (25 %: the analytic worker's queue), writes (15 %: a person's
stance or title, KNOWS links re-wired, people created and deleted again). Writes keep the
data the same size and the same shape on average, so memory growth means a leak, not more
data, and a slower minute means the service got slower, not its work bigger: a client
deletes only people it created, and keeps ``LINKS_PER_CLIENT`` KNOWS links of its own from
its slice of the people to anyone, all made before the clock starts; during the run it
removes one and makes another in turn. (The first version let each client's links grow to
20 over the first ~15 minutes: each random link across org charts joins them into bigger
biconnected blocks, so powerMap's betweenness and the route searches got slower minute by
minute, the p95 "drift" of its first two 30-minute runs; ``kind_p50_ms`` showed powerMap's
median rising while the store files stayed flat.) Every write must succeed.

Every client has a token of its own, and the server runs with the contract's default
budget (``--token-budget``, default 50000 points a minute per token). Beside the normal
clients, one **greedy** client asks for the most expensive analytic (``powerMap`` of the
holding, subsidiaries included) back to back: it spends its budget and gets 429 +
``RATE_LIMITED``, the deliberate 429s. Every client waits the ``Retry-After`` it is given,
as a client should; 429s are counted apart, the greedy client's and the normal clients'
(each normal client runs at machine speed, a few requests a second, far more than a person
clicking: the budget holds each to its points a minute); any other failure of any client is
an error.

Per minute: requests, errors by HTTP status and code, p50/p95/p99 latency (all normal
clients' requests; and ``person(id)`` apart), the median of each kind of request
(``kind_p50_ms``, in the JSON), the server's RSS (``VmRSS`` of the demo process), the Neo4j
JVM's RSS and, on SQLite, the sizes of the store's file, WAL and shared memory
(``store_files_mib``: a WAL that checkpoints cannot shrink would show here). The verdict:
0 errors other than 429s; RSS growth after warm-up (minute 5 to the end) < 10 %; p95
steady: the last 10 minutes' p95 within ``P95_STEADY`` of minutes 5–15's. A table is
printed and everything written as JSON (``--json``, default ``soak-STORE.json``). Exit
status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import AsyncExitStack as ExitStack_async
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bench.load import ANALYTICS, READS, _discover
from bench.servers import Demo, demo_server

WARM_UP_MINUTES = 5
"""Minutes left out of the RSS and p95 comparisons (the projection, caches, allocator)."""
RSS_GROWTH = 0.10
P95_STEADY = 1.5
"""The last 10 minutes' p95 may be at most this many times minutes 5–15's."""
LINKS_PER_CLIENT = 20
"""Random KNOWS links each client keeps, made before the clock and re-wired during the run
(see the module docstring: a number of links that grew during the run was a drift)."""
THINK_SECONDS = 0.05
"""Each normal client pauses this long between requests: a busy team, not a saturating
benchmark (the box is shared; with no pause, latency only measures the queue)."""

LISTS = {
    "org_people": "query Page($org: ID!) { people(first: 100, filter: {organizationId: $org})"
    " { totalCount edges { node { id name title stance } } } }",
    "relationships": "query Rels { relationships(first: 200, filter: {type: KNOWS})"
    " { edges { node { fromId toId strength } } } }",
}
GREEDY = (
    'query Greedy { powerMap(organizationId: "org1") { person { id } influence hiddenInfluencer } }'
)
ERROR_FIELDS = "__typename ... on Error { code message }"
WRITES = {
    "set_stance": "mutation S($id: ID!, $stance: Stance!) { updatePerson(id: $id, input: "
    f"{{stance: $stance}}) {{ {ERROR_FIELDS} }} }}",
    "set_title": "mutation T($id: ID!, $title: String!) { updatePerson(id: $id, input: "
    f"{{title: $title}}) {{ {ERROR_FIELDS} }} }}",
    "link": "mutation L($from: ID!, $to: ID!, $s: Float!) { link(input: {type: KNOWS, "
    f"from: $from, to: $to, strength: $s}}) {{ {ERROR_FIELDS} }} }}",
    "unlink": f"mutation U($from: ID!, $to: ID!) {{ unlink(type: KNOWS, from: $from, to: $to) "
    f"{{ {ERROR_FIELDS} }} }}",
    "create_person": "mutation C($id: ID!, $org: ID!) { createPerson(input: {id: $id, "
    f'name: "Soak Person", organizationId: $org, title: "Analyst"}}) {{ {ERROR_FIELDS} }} }}',
    "delete_person": f"mutation D($id: ID!) {{ deletePerson(id: $id) {{ {ERROR_FIELDS} }} }}",
}
STANCES = ["CHAMPION", "SUPPORTER", "NEUTRAL", "SKEPTIC", "UNKNOWN"]


@dataclass
class Minute:
    """What one minute saw."""

    latencies: list[float] = field(default_factory=list)
    person: list[float] = field(default_factory=list)
    by_kind: dict[str, list[float]] = field(default_factory=dict)
    errors: Counter[str] = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)
    greedy: int = 0
    greedy_429: int = 0
    normal_429: int = 0


@dataclass
class Soak:
    """The shared state of one run: where to send, what was seen, minute by minute."""

    url: str
    organizations: list[str]
    people: list[str]
    started: float
    minutes: list[Minute] = field(default_factory=list)

    def now(self) -> Minute:
        index = int((time.monotonic() - self.started) // 60)
        while len(self.minutes) <= index:
            self.minutes.append(Minute())
        return self.minutes[index]


def _failure(response: httpx.Response) -> str | None:
    """Why a response failed (``HTTP status CODE`` or the payload's error), or None."""
    try:
        body = response.json()
    except ValueError:
        return f"HTTP {response.status_code} (not JSON)"
    errors = body.get("errors") or []
    code = errors[0].get("extensions", {}).get("code", "?") if errors else None
    if response.status_code != 200 or code:
        return f"HTTP {response.status_code} {code or ''}".strip()
    for payload in (body.get("data") or {}).values():
        if isinstance(payload, dict) and payload.get("__typename", "").endswith("Error"):
            return f"payload {payload.get('code')}"
    return None


class Client:
    """One normal client: its own random stream, people slice, links and created people."""

    def __init__(self, soak: Soak, number: int, clients: int) -> None:
        self.soak, self.number = soak, number
        self.rng = random.Random(1000 + number)
        self.own = soak.people[number::clients]
        self.linked: set[tuple[str, str]] = set()
        self.created: list[str] = []
        self.count = 0

    def operation(self) -> tuple[str, str, dict[str, Any]]:
        rng, soak = self.rng, self.soak
        roll = rng.random()
        org = rng.choice(soak.organizations)
        if roll < 0.45:
            kind = rng.choice(list(READS))
            variables: dict[str, Any] = (
                {"id": rng.choice(soak.people)} if kind == "person" else {"org": org}
            )
            return kind, READS[kind], variables
        if roll < 0.60:
            kind = rng.choice(list(LISTS))
            return kind, LISTS[kind], ({"org": org} if kind == "org_people" else {})
        if roll < 0.85:
            kind = rng.choice(list(ANALYTICS))
            variables = {"to": rng.choice(soak.people)} if kind == "routes" else {"org": org}
            return kind, ANALYTICS[kind], variables
        return self.write(org)

    def write(self, org: str) -> tuple[str, str, dict[str, Any]]:
        rng = self.rng
        self.count += 1
        pick = rng.random()
        if pick < 0.25:
            variables: dict[str, Any] = {"id": rng.choice(self.own), "stance": rng.choice(STANCES)}
            return "set_stance", WRITES["set_stance"], variables
        if pick < 0.40:
            title = f"Title {rng.randrange(100)}"
            return "set_title", WRITES["set_title"], {"id": rng.choice(self.own), "title": title}
        if pick < 0.70:
            # Re-wiring: one of the client's links removed, then a new one made, so the
            # graph keeps LINKS_PER_CLIENT random links per client all along.
            if len(self.linked) >= LINKS_PER_CLIENT:
                pair = rng.choice(sorted(self.linked))
                self.linked.discard(pair)
                return "unlink", WRITES["unlink"], {"from": pair[0], "to": pair[1]}
            return self.new_link()
        if self.created and (len(self.created) >= 5 or rng.random() < 0.4):
            return "delete_person", WRITES["delete_person"], {"id": self.created.pop(0)}
        person = f"soak-{self.number}-{self.count}"
        self.created.append(person)
        return "create_person", WRITES["create_person"], {"id": person, "org": org}

    def new_link(self) -> tuple[str, str, dict[str, Any]]:
        """A KNOWS link from one of the client's people to anyone not linked by it yet."""
        rng = self.rng
        pair = (rng.choice(self.own), rng.choice(self.soak.people))
        while pair[0] == pair[1] or pair in self.linked:
            pair = (pair[0], rng.choice(self.soak.people))
        self.linked.add(pair)
        strength = round(rng.uniform(0.1, 0.9), 2)
        return "link", WRITES["link"], {"from": pair[0], "to": pair[1], "s": strength}

    async def prepare(self, http: httpx.AsyncClient) -> None:
        """Make the client's LINKS_PER_CLIENT links before the clock starts (not counted)."""
        while len(self.linked) < LINKS_PER_CLIENT:
            _, query, variables = self.new_link()
            response = await http.post(self.soak.url, json={"query": query, "variables": variables})
            failure = _failure(response)
            if failure == "HTTP 429 RATE_LIMITED":
                await asyncio.sleep(float(response.headers.get("retry-after", "1")))
                self.linked.discard((variables["from"], variables["to"]))
            elif failure:
                raise SystemExit(f"soak: preparing client {self.number}'s links: {failure}")

    async def loop(self, http: httpx.AsyncClient, until: float) -> None:
        while time.monotonic() < until:
            kind, query, variables = self.operation()
            wait = await _send(self.soak, http, kind, query, variables)
            await asyncio.sleep(min(max(wait, THINK_SECONDS), max(0.0, until - time.monotonic())))


async def _send(
    soak: Soak, http: httpx.AsyncClient, kind: str, query: str, variables: dict[str, Any]
) -> float:
    """Send one operation and count what came back; the seconds a 429 asks to wait (0)."""
    started = time.perf_counter()
    try:
        response = await http.post(soak.url, json={"query": query, "variables": variables})
        failure = _failure(response)
    except httpx.HTTPError as error:
        failure = f"transport {type(error).__name__}"
    took = time.perf_counter() - started
    minute = soak.now()
    if failure == "HTTP 429 RATE_LIMITED":
        minute.normal_429 += 1
        return float(response.headers.get("retry-after", "1"))
    minute.latencies.append(took)
    if kind == "person":
        minute.person.append(took)
    minute.by_kind.setdefault(kind, []).append(took)
    if failure:
        minute.errors[failure] += 1
        if len(minute.examples) < 5:
            minute.examples.append(f"{kind}: {failure}")
    return 0.0


async def _greedy(soak: Soak, http: httpx.AsyncClient, until: float) -> None:
    """Back-to-back powerMaps; after a 429, waits its ``Retry-After``."""
    while time.monotonic() < until:
        try:
            response = await http.post(soak.url, json={"query": GREEDY})
        except httpx.HTTPError as error:
            soak.now().errors[f"greedy transport {type(error).__name__}"] += 1
            continue
        minute = soak.now()
        minute.greedy += 1
        failure = _failure(response)
        if response.status_code == 429 and failure == "HTTP 429 RATE_LIMITED":
            minute.greedy_429 += 1
            wait = float(response.headers.get("retry-after", "1"))
            await asyncio.sleep(min(wait, max(0.0, until - time.monotonic())))
        elif failure:
            minute.errors[f"greedy {failure}"] += 1


def _rss_kib(pid: int | None) -> int | None:
    if pid is None:
        return None
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def _quantiles(values: list[float]) -> tuple[float, float, float]:
    if len(values) < 2:
        only = values[0] * 1000 if values else 0.0
        return only, only, only
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[49] * 1000, cuts[94] * 1000, cuts[98] * 1000


def _files_mib(paths: list[Path]) -> dict[str, float]:
    """The size of each of ``paths`` now (a SQLite store's file, WAL and shared memory)."""
    sizes = {}
    for path in paths:
        try:
            sizes[path.name] = round(path.stat().st_size / 2**20, 2)
        except OSError:
            sizes[path.name] = 0.0
    return sizes


async def _sample_rss(
    soak: Soak,
    pids: tuple[int, int | None],
    until: float,
    rows: list[dict[str, Any]],
    store_files: list[Path],
) -> None:
    """At the end of every minute: that minute's row (figures and RSS now)."""
    index = 0
    while True:
        boundary = soak.started + 60 * (index + 1)
        await asyncio.sleep(max(0.0, boundary - time.monotonic()))
        minute = soak.now() if index >= len(soak.minutes) else soak.minutes[index]
        p50, p95, p99 = _quantiles(minute.latencies)
        rows.append(
            {
                "minute": index + 1,
                "requests": len(minute.latencies),
                "errors": dict(minute.errors),
                "error_examples": minute.examples,
                "greedy_requests": minute.greedy,
                "greedy_429": minute.greedy_429,
                "normal_429": minute.normal_429,
                "p50_ms": round(p50, 1),
                "p95_ms": round(p95, 1),
                "p99_ms": round(p99, 1),
                "person_p95_ms": round(_quantiles(minute.person)[1], 1),
                "server_rss_mib": round((_rss_kib(pids[0]) or 0) / 1024, 1),
                "neo4j_rss_mib": round((_rss_kib(pids[1]) or 0) / 1024, 1) if pids[1] else None,
                "load": os.getloadavg()[0],
                "kind_p50_ms": {
                    kind: round(_quantiles(values)[0], 1)
                    for kind, values in sorted(minute.by_kind.items())
                },
                "store_files_mib": _files_mib(store_files),
            }
        )
        print(_row_text(rows[-1]), flush=True)
        index += 1
        if boundary >= until - 1:
            return


def _row_text(row: dict[str, Any]) -> str:
    errors = sum(row["errors"].values())
    jvm = f"{row['neo4j_rss_mib']:8.1f}" if row["neo4j_rss_mib"] is not None else "       -"
    return (
        f"{row['minute']:>4} {row['requests']:>7} {errors:>6} {row['greedy_429']:>5} "
        f"{row['normal_429']:>5} "
        f"{row['p50_ms']:>8.1f} {row['p95_ms']:>8.1f} {row['p99_ms']:>8.1f} "
        f"{row['person_p95_ms']:>8.1f} {row['server_rss_mib']:>8.1f} {jvm} {row['load']:>5.2f}"
    )


HEADER = (
    " min    reqs errors g.429 n.429  p50(ms)  p95(ms)  p99(ms) person95 rss(MiB) jvm(MiB)  load"
)


async def soak_run(
    demo: Demo,
    greedy_token: str,
    minutes: float,
    tokens: list[str],
    jvm: int | None,
    store_files: list[Path],
) -> tuple[list[dict[str, Any]], Soak]:
    """Run the normal clients (one per token of ``tokens``) and the greedy one; sample the
    sizes of ``store_files`` every minute too."""
    clients = len(tokens)
    async with ExitStack_async() as stack:
        https = [
            await stack.enter_async_context(
                httpx.AsyncClient(headers={"Authorization": f"Bearer {token}"}, timeout=60)
            )
            for token in tokens
        ]
        greedy_http = await stack.enter_async_context(
            httpx.AsyncClient(headers={"Authorization": f"Bearer {greedy_token}"}, timeout=60)
        )
        organizations, people = await _discover(https[0], demo.graphql)
        soak = Soak(demo.graphql, organizations, people, started=time.monotonic())
        normal = [Client(soak, n, clients) for n in range(clients)]
        await asyncio.gather(*(client.prepare(https[n]) for n, client in enumerate(normal)))
        soak.started = time.monotonic()
        until = soak.started + minutes * 60
        rows: list[dict[str, Any]] = []
        print(HEADER, flush=True)
        await asyncio.gather(
            *(client.loop(https[n], until) for n, client in enumerate(normal)),
            _greedy(soak, greedy_http, until),
            _sample_rss(soak, (demo.pid, jvm), until, rows, store_files),
        )
        return rows, soak


def verdict(rows: list[dict[str, Any]], soak: Soak, minutes: int) -> dict[str, Any]:
    """The three targets over the whole run's rows and latencies."""
    warm = WARM_UP_MINUTES if minutes >= 20 else minutes // 4
    early = range(warm, min(minutes, warm + 10)) if minutes >= 20 else range(warm, warm + 1)
    late = range(max(warm, minutes - 10), minutes)
    pooled_early = [v for i in early if i < len(soak.minutes) for v in soak.minutes[i].latencies]
    pooled_late = [v for i in late if i < len(soak.minutes) for v in soak.minutes[i].latencies]
    p95_early, p95_late = _quantiles(pooled_early)[1], _quantiles(pooled_late)[1]
    errors: Counter[str] = Counter()
    for row in rows:
        errors.update(row["errors"])
    rss_from = rows[max(0, warm - 1)]["server_rss_mib"] if rows else 0.0
    rss_to = rows[-1]["server_rss_mib"] if rows else 0.0
    growth = (rss_to - rss_from) / rss_from if rss_from else 0.0
    jvm_from = rows[max(0, warm - 1)]["neo4j_rss_mib"] if rows else None
    jvm_to = rows[-1]["neo4j_rss_mib"] if rows else None
    return {
        "requests": sum(row["requests"] for row in rows),
        "errors": dict(errors),
        "greedy_requests": sum(row["greedy_requests"] for row in rows),
        "greedy_429": sum(row["greedy_429"] for row in rows),
        "normal_429": sum(row["normal_429"] for row in rows),
        "rss_mib": [rss_from, rss_to],
        "rss_growth": round(growth, 4),
        "neo4j_rss_mib": [jvm_from, jvm_to],
        "p95_windows_minutes": [[early.start + 1, early.stop], [late.start + 1, late.stop]],
        "p95_ms": [round(p95_early, 1), round(p95_late, 1)],
        "p95_ratio": round(p95_late / p95_early, 3) if p95_early else None,
        "met": {
            "no_errors": not errors,
            "rss_growth": growth < RSS_GROWTH,
            "p95_steady": bool(p95_early) and p95_late <= P95_STEADY * p95_early,
        },
    }


@contextmanager
def _neo4j(workdir: Path) -> Iterator[tuple[dict[str, str], int]]:
    """A fresh in-process Neo4j (its data in ``workdir``), migrated: the ``GRAPHSVC_*``
    variables pointing at it and the JVM's process id."""
    from tests.neo4j.server import PASSWORD, launch

    with (workdir / "neo4j.log").open("w+b") as log:
        launched = launch(log, data=workdir / "neo4j-data")
        try:
            env = {
                "GRAPHSVC_STORE": launched.address,
                "GRAPHSVC_NEO4J_USER": "neo4j",
                "GRAPHSVC_NEO4J_PASSWORD": PASSWORD,
                "GRAPHSVC_NEO4J_DATABASE": "neo4j",
            }
            _graphsvc(env, "migrate")
            yield env, launched.process.pid  # tests/neo4j/run execs java: the JVM's pid
        finally:
            launched.stop()


def _graphsvc(env: Mapping[str, str], *args: str) -> str:
    """``python -m graphsvc ARGS`` with these variables; its stdout (fails loudly)."""
    done = subprocess.run(
        [sys.executable, "-m", "graphsvc", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"graphsvc {' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    return done.stdout


def _token(env: Mapping[str, str], role: str, label: str) -> str:
    """A new token of ``role`` for the default workspace."""
    created = _graphsvc(
        env, "token", "create", "--role", role, "--workspace", "default", "--label", label
    )
    return created.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", choices=["sqlite", "neo4j"], default="sqlite")
    parser.add_argument("--minutes", type=int, default=30)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument(
        "--token-budget",
        default="50000",
        help="GRAPHSVC_TOKEN_BUDGET for the server (default: the contract's 50000)",
    )
    parser.add_argument("--json", type=Path, help="where to write the figures")
    args = parser.parse_args()
    env = {"GRAPHSVC_LOG_LEVEL": "WARNING"}
    if args.token_budget:
        env["GRAPHSVC_TOKEN_BUDGET"] = args.token_budget
    with ExitStack() as stack:
        jvm: int | None = None
        if args.store == "neo4j":
            workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="soak-")))
            store_env, jvm = stack.enter_context(_neo4j(workdir))
            env.update(store_env)
        demo = stack.enter_context(demo_server(env))
        store_env = {"GRAPHSVC_STORE": env.get("GRAPHSVC_STORE", ""), **env}
        if args.store == "sqlite":
            store_env["GRAPHSVC_STORE"] = f"sqlite:///{demo.workdir / 'demo.db'}"
        greedy_token = _token(store_env, "viewer", "soak greedy client")
        tokens = [_token(store_env, "editor", f"soak client {n}") for n in range(args.clients)]
        print(
            f"soak: {args.store}, {args.minutes} min, {args.clients} clients + 1 greedy; "
            f"server pid {demo.pid}" + (f", Neo4j JVM pid {jvm}" if jvm else ""),
            flush=True,
        )
        store_files = (
            [demo.workdir / f"demo.db{suffix}" for suffix in ("", "-wal", "-shm")]
            if args.store == "sqlite"
            else []
        )
        rows, soak = asyncio.run(
            soak_run(demo, greedy_token, args.minutes, tokens, jvm, store_files)
        )
        path = args.json or Path(f"soak-{args.store}.json")
        shutil.copyfile(demo.workdir / "server.log", path.with_suffix(".log"))
    result = verdict(rows, soak, args.minutes)
    print(json.dumps(result, indent=1))
    path.write_text(
        json.dumps({"store": args.store, "clients": args.clients, "rows": rows, **result}, indent=1)
    )
    print(f"written to {path} (the server's log: {path.with_suffix('.log')})")
    sys.exit(0 if all(result["met"].values()) else 1)


if __name__ == "__main__":
    main()

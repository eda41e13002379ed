"""Load test: many concurrent clients doing mixed reads, analytics and writes against the demo.

Usage::

    python -m bench.load                      # start `graphsvc demo` on a free loopback port
    python -m bench.load --url URL --token T  # or load an already running server

Each client loops until the time is up, picking an operation by weight: entity reads and
pages (70 %), analytic queries (15 %), writes (15 %: creating organizations and changing a
person's stance). Every response must be HTTP 200 without GraphQL errors and, for writes,
a success payload; anything else counts as an error and makes the exit status 1. The report
gives throughput and latency percentiles overall and per kind of operation, and the CPU time
spent per request by the server (every process of it, from ``/proc``) and by this generator:
on a shared box how much of a core each gets varies from run to run, CPU per request does not.

``--code DIR`` serves the graphsvc of another tree (a baseline exported with ``git archive``)
with this same generator, so that before and after can be alternated in one session;
``--workers N`` serves N worker processes (``GRAPHSVC_WORKERS``). The clients speak HTTP/1.1
through ``bench.http1`` (same requests and headers as httpx, gzip included, at a twentieth of
its CPU: the generator shares the box's cores with the server); ``--client httpx`` drives
them with httpx as every run before issue 14's round three did.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import orjson

from bench.http1 import Http1Error, JsonPoster
from bench.servers import demo_server

READS = {
    "person": "query Person($id: ID!) { person(id: $id) { id name title seniority stance "
    "manager { id name } reports { id name } organization { id name } } }",
    "people_page": "query PeoplePage($org: ID!) { people(first: 50, filter: {organizationId: $org})"
    " { totalCount edges { node { id name title } } } }",
    "organization": "query Org($org: ID!) { organization(id: $org) { id name"
    " departments { id name } subsidiaries { id name } } }",
}
ANALYTICS = {
    "power_map": "query Power($org: ID!) { powerMap(organizationId: $org) { person { id } influence"
    " hiddenInfluencer } }",
    "whitespace": "query Whitespace($org: ID!) { whitespace(organizationId: $org) {"
    " department { id } priority reasons } }",
    "decision_makers": "query Deciders($org: ID!) { decisionMakers(organizationId: $org) { person"
    " { id } role area } }",
    "displacement": "query Windows($org: ID!) { displacementWindows(organizationId: $org,"
    " withinDays: 730) { id vendor contractEndsOn } }",
    "routes": "query Routes($to: ID!) { contactRoutes(to: $to, k: 3, maxHops: 4) { score"
    " explanation } }",
}
CREATE_ORG = (
    "mutation Create($id: ID!, $name: String!) {"
    " createOrganization(input: {id: $id, name: $name, kind: PROSPECT})"
    " { __typename ... on Error { code message } } }"
)
SET_STANCE = (
    "mutation Stance($id: ID!, $stance: Stance!) { updatePerson(id: $id, input: {stance: $stance})"
    " { __typename ... on Error { code message } } }"
)
STANCES = ["CHAMPION", "SUPPORTER", "NEUTRAL", "SKEPTIC", "UNKNOWN"]


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    generator_cpu: float = 0.0
    """CPU seconds this process spent while the clients ran."""
    server_cpu: float | None = None
    """CPU seconds the server's processes spent meanwhile (None when not known)."""


def _process_tree(pid: int) -> list[int]:
    """``pid`` and its descendants (Linux ``/proc``; worker processes of ``--workers``)."""
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            pending.extend(int(child) for child in task.read_text().split())
    return found


def server_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds used so far by ``pid`` and its descendants (Linux)."""
    total = 0.0
    for each in _process_tree(pid):
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # it exited meanwhile
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


@dataclass
class Target:
    url: str
    token: str
    organizations: list[str]
    people: list[str]


async def _discover(client: httpx.AsyncClient, url: str) -> tuple[list[str], list[str]]:
    query = (
        "{ organizations(first: 100) { edges { node { id kind } } }"
        " people(first: 500) { edges { node { id } } } }"
    )
    body = (await client.post(url, json={"query": query})).json()
    orgs = [
        e["node"]["id"]
        for e in body["data"]["organizations"]["edges"]
        if e["node"]["kind"] != "SELF"
    ]
    people = [e["node"]["id"] for e in body["data"]["people"]["edges"]]
    if not orgs or not people:
        raise SystemExit("the server holds no organizations or people: load the demo first")
    return orgs, people


def _operation(
    rng: random.Random, target: Target, client_id: int, n: int
) -> tuple[str, str, dict[str, Any]]:
    roll = rng.random()
    org = rng.choice(target.organizations)
    if roll < 0.70:
        kind = rng.choice(list(READS))
        variables: dict[str, Any] = (
            {"id": rng.choice(target.people)} if kind == "person" else {"org": org}
        )
        return kind, READS[kind], variables
    if roll < 0.85:
        kind = rng.choice(list(ANALYTICS))
        variables = {"to": rng.choice(target.people)} if kind == "routes" else {"org": org}
        return kind, ANALYTICS[kind], variables
    if rng.random() < 0.5:
        org_id = f"load-{client_id}-{n}-{rng.getrandbits(32):08x}"
        return "create_org", CREATE_ORG, {"id": org_id, "name": f"Prospect {org_id}"}
    return (
        "set_stance",
        SET_STANCE,
        {"id": rng.choice(target.people), "stance": rng.choice(STANCES)},
    )


Post = Callable[[dict[str, Any]], Awaitable[tuple[int, bytes]]]
"""One client's way to send a GraphQL request: the answer's status and body."""


def _httpx_post(http: httpx.AsyncClient, url: str) -> Post:
    async def post(payload: dict[str, Any]) -> tuple[int, bytes]:
        response = await http.post(url, json=payload)
        return response.status_code, response.content

    return post


async def _client(
    client_id: int,
    post: Post,
    target: Target,
    until: float,
    results: Results,
    seed: int,
) -> None:
    rng = random.Random(seed * 1000 + client_id)
    n = 0
    while time.monotonic() < until:
        kind, query, variables = _operation(rng, target, client_id, n)
        n += 1
        started = time.perf_counter()
        try:
            status, content = await post({"query": query, "variables": variables})
        except (httpx.HTTPError, Http1Error) as error:
            results.errors.append(f"{kind}: {type(error).__name__}")
            continue
        results.latencies[kind].append(time.perf_counter() - started)
        if status != 200:
            results.errors.append(f"{kind}: HTTP {status} {content[:200]!r}")
            continue
        body = orjson.loads(content)
        if body.get("errors"):
            results.errors.append(f"{kind}: {body['errors'][0].get('message')}")
        elif kind in ("create_org", "set_stance"):
            payload = next(iter(body["data"].values()))
            if payload["__typename"].endswith("Error"):
                results.errors.append(f"{kind}: {payload.get('code')} {payload.get('message')}")


def _percentiles(values: list[float]) -> str:
    if len(values) < 2:
        return "n/a"
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    p50, p95, p99 = (cuts[i] * 1000 for i in (49, 94, 98))
    return f"p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  p99 {p99:7.1f} ms"


async def run(
    url: str,
    token: str,
    clients: int,
    seconds: float,
    seed: int,
    server_pid: int | None = None,
    client: str = "http1",
) -> Results:
    """``clients`` closed-loop clients for ``seconds``: each sends its next request when its
    last one is answered. ``client``: ``http1`` (``bench.http1``, one lean connection per
    client) or ``httpx`` (one pooled ``AsyncClient``)."""
    headers = {"Authorization": f"Bearer {token}"}
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(headers=headers, timeout=60, limits=limits) as http:
        orgs, people = await _discover(http, url)
        target = Target(url=url, token=token, organizations=orgs, people=people)
        if client == "http1":
            posters = [JsonPoster(url, headers) for _ in range(clients)]
            posts: list[Post] = [poster.post for poster in posters]
        else:
            posters, posts = [], [_httpx_post(http, url)] * clients
        results = Results()
        until = time.monotonic() + seconds
        cpu = time.process_time()
        server = server_cpu_seconds(server_pid) if server_pid else None
        await asyncio.gather(
            *(_client(i, posts[i], target, until, results, seed) for i in range(clients))
        )
        results.generator_cpu = time.process_time() - cpu
        if server_pid and server is not None:
            results.server_cpu = server_cpu_seconds(server_pid) - server
        for poster in posters:
            await poster.close()
        return results


def report(results: Results, seconds: float, clients: int) -> None:
    every = [v for values in results.latencies.values() for v in values]
    print(
        f"{clients} clients for {seconds:g} s: {len(every)} requests, "
        f"{len(every) / seconds:.1f} req/s, {len(results.errors)} errors"
    )
    if every:
        server = (
            f"server {results.server_cpu / len(every) * 1000:.2f} ms"
            if results.server_cpu is not None
            else "server unknown"
        )
        print(
            f"  CPU per request: {server}, "
            f"generator {results.generator_cpu / len(every) * 1000:.2f} ms; "
            f"1-minute load at the end {os.getloadavg()[0]:.2f}"
        )
    print(f"  {'all':<16} {_percentiles(every)}")
    for kind in sorted(results.latencies):
        values = results.latencies[kind]
        print(f"  {kind:<16} {_percentiles(values)}  ({len(values)} requests)")
    for error in results.errors[:10]:
        print(f"  error: {error}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="GraphQL URL of a running server (default: start the demo)")
    parser.add_argument(
        "--token", default=os.environ.get("GRAPHSVC_TOKEN"), help="Bearer token (or GRAPHSVC_TOKEN)"
    )
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--code",
        type=Path,
        help="serve the graphsvc of this folder (e.g. a baseline from git archive), not this one's",
    )
    parser.add_argument("--workers", type=int, help="worker processes (GRAPHSVC_WORKERS)")
    parser.add_argument(
        "--client",
        choices=("http1", "httpx"),
        default="http1",
        help="the clients' HTTP library: the lean http1 (bench.http1, the default since issue "
        "14's round three: ~0.2 ms of CPU per request) or httpx (every earlier run: ~4 ms)",
    )
    args = parser.parse_args()
    if args.url:
        if not args.token:
            parser.error("--token (or GRAPHSVC_TOKEN) is needed with --url")
        results = asyncio.run(
            run(args.url, args.token, args.clients, args.seconds, args.seed, client=args.client)
        )
    else:
        env = {"GRAPHSVC_LOG_LEVEL": "WARNING"}
        if args.workers:
            env["GRAPHSVC_WORKERS"] = str(args.workers)
        print(f"1-minute load at the start {os.getloadavg()[0]:.2f}")
        with demo_server(env, code=args.code) as demo:
            results = asyncio.run(
                run(
                    demo.graphql,
                    demo.token,
                    args.clients,
                    args.seconds,
                    args.seed,
                    demo.pid,
                    args.client,
                )
            )
    report(results, args.seconds, args.clients)
    sys.exit(1 if results.errors else 0)


if __name__ == "__main__":
    main()

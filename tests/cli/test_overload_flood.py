"""A flood of analytic requests against a real ``graphsvc serve`` (CONTRACT §11, issue 16):
requests beyond the analytic queue are refused at once (503, ``Retry-After``,
``OVERLOADED``), never a 500, while cheap reads (``person(id)``) keep answering quickly;
after the flood everything answers again.

The data is the demo group (~2,000 people), written into the SQLite file before the server
starts. The flood: ``FLOODERS`` concurrent clients, each asking for another contact route or
coverage back to back (distinct arguments, so no answer comes from the memo and each is real
work for the worker), ignoring ``Retry-After``: the impolite case. Beside it one client asks
for ``person(id)`` every ``PROBE_EVERY`` seconds.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import random
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from graphsvc.demo import demo_document
from graphsvc.domain.auth import Role
from graphsvc.services.graph import GraphService
from graphsvc.services.parsing import parse_document
from graphsvc.store.sqlite import SqliteStore
from tests.processes import Server, issue_token, serving

pytestmark = [pytest.mark.slow, pytest.mark.reliability]

QUEUE_LIMIT = 4
FLOODERS = 12
FLOOD_SECONDS = 6.0
PROBE_EVERY = 0.05
P95_BOUND = 1.5
MAX_BOUND = 3.0
"""Seconds person(id) may take during the flood: its p95, and its slowest. Idle it takes
3-150 ms on the shared 2-core box at a load average of 10-13 (two soaks and other suites
beside it); there, with 24 flooders, the flood's p95 was 0.2-1.1 s and single probes
reached 1.9 s, of which the server's own measured duration was about a third (the rest is
the box: processes waiting for a core). Generous on purpose, so the test does not flake on
a loaded box; an analytic request queued behind the flood waits far longer."""

PERSON = "query P($id: ID!) { person(id: $id) { id name title } }"
ROUTES = "query R($to: ID!) { contactRoutes(to: $to, k: 3, maxHops: 4) { score } }"
COVERAGE = (
    "query C($org: ID!, $asOf: Date!) { coverage(organizationId: $org, asOf: $asOf) "
    "{ staleRelationships } }"
)


async def _seed(db: Path) -> None:
    store = SqliteStore(str(db))
    await store.open()
    try:
        await GraphService(store).import_document("default", parse_document(demo_document()))
    finally:
        await store.close()


@dataclass
class Seen:
    probes: list[float] = field(default_factory=list)


async def _probe(
    http: httpx.AsyncClient, url: str, people: list[str], until: float, seen: Seen
) -> None:
    for person in itertools.cycle(people):
        if time.monotonic() >= until:
            return
        started = time.perf_counter()
        response = await http.post(
            url,
            json={"query": PERSON, "variables": {"id": person}},
            headers={"X-Request-ID": f"probe-{len(seen.probes)}"},
        )
        seen.probes.append(time.perf_counter() - started)
        assert response.status_code == 200, response.text
        assert response.json()["data"]["person"]["id"] == person
        await asyncio.sleep(PROBE_EVERY)


async def _people(server: Server, headers: dict[str, str]) -> list[dict[str, Any]]:
    query = "{ people(first: 400) { edges { node { id organization { id } } } } }"
    async with httpx.AsyncClient(headers=headers, timeout=60) as http:
        listed = await http.post(server.graphql_url, json={"query": query})
    return [edge["node"] for edge in listed.json()["data"]["people"]["edges"]]


async def _probes(
    server: Server, headers: dict[str, str], people: list[str], seconds: float
) -> list[float]:
    seen = Seen()
    async with httpx.AsyncClient(headers=headers, timeout=60) as http:
        await _probe(http, server.graphql_url, people, time.monotonic() + seconds, seen)
    return seen.probes


def test_a_flood_of_analytic_requests_is_refused_while_person_reads_keep_flowing(
    tmp_path: Path,
) -> None:
    db = tmp_path / "graph.db"
    asyncio.run(_seed(db))
    token = asyncio.run(issue_token(db, Role.VIEWER))
    headers = {"Authorization": f"Bearer {token}"}
    # One token floods: a budget it cannot spend, so that the queue, not the token's budget
    # (tests/api/test_token_budget.py), is what refuses.
    env = {"GRAPHSVC_ANALYTIC_QUEUE_LIMIT": str(QUEUE_LIMIT), "GRAPHSVC_TOKEN_BUDGET": "1000000000"}
    with serving(db, tmp_path, env=env) as server:
        deadline = time.monotonic() + 60
        while httpx.get(server.url + "/readyz").status_code != 200:  # the projection is built
            assert time.monotonic() < deadline, "the projection was never built"
            time.sleep(0.1)
        nodes = asyncio.run(_people(server, headers))
        people = [node["id"] for node in nodes]
        organizations = sorted({node["organization"]["id"] for node in nodes})
        work = [{"query": ROUTES, "variables": {"to": p}} for p in people[20:]] + [
            {"query": COVERAGE, "variables": {"org": o, "asOf": f"2026-{m:02}-01"}}
            for o in organizations
            for m in range(1, 13)
        ]
        random.Random(7).shuffle(work)
        idle = asyncio.run(_probes(server, headers, people[:20], 1.0))

        flooding = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.cli.flood",
                server.graphql_url,
                token,
                str(FLOOD_SECONDS),
                str(FLOODERS),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        assert flooding.stdin is not None
        assert flooding.stdout is not None
        flooding.stdin.write(json.dumps(work).encode())
        flooding.stdin.close()
        assert flooding.stdout.readline() == b"flooding\n"
        probes = asyncio.run(_probes(server, headers, people, FLOOD_SECONDS - 0.5))
        seen = json.loads(flooding.stdout.readline())
        assert flooding.wait(timeout=60) == 0

        p95 = statistics.quantiles(probes, n=20, method="inclusive")[-1]
        print(
            f"idle person(id): max {max(idle) * 1000:.1f} ms; during the flood: "
            f"{len(probes)} probes, p95 {p95 * 1000:.1f} ms, max {max(probes) * 1000:.1f} ms; "
            f"analytic answered {seen['answered']}, refused {len(seen['refused'])}"
        )
        assert not seen["other"], seen["other"][:3]  # no 500: only answers and refusals
        assert seen["answered"] > 0
        assert len(seen["refused"]) > FLOODERS  # the queue bound was reached, many times
        for refusal in seen["refused"]:
            assert int(refusal["retry_after"]) >= 1
            assert refusal["code"] == "OVERLOADED"
            assert "try again in" in refusal["message"]
        assert p95 <= P95_BOUND
        assert max(probes) <= MAX_BOUND
        # After the flood, an analytic query answers (new work: no memo) and so does /readyz.
        after = httpx.post(
            server.graphql_url,
            json={"query": COVERAGE, "variables": {"org": "org1", "asOf": "2027-01-01"}},
            headers=headers,
            timeout=30,
        )
        assert after.status_code == 200, after.text
        assert "errors" not in after.json(), after.text
        assert httpx.get(server.url + "/readyz").status_code == 200
    assert "Traceback" not in server.log()

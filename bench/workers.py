"""Throughput of ``graphsvc serve --workers N``: 1 against 2 worker processes, same run.

Usage::

    python -m bench.workers [--seconds 20] [--rounds 3] [--connections 16] [--analytic-every 10]

Loads the demo group (1,978 people) into a temporary SQLite file and issues an editor token
(authentication on, as served). Each round serves the file with ``--workers 1`` and with
``--workers 2`` (the order alternates between rounds, so the box's load weighs on both), each
on a fresh loopback port, with default settings (INFO logs, to /dev/null). Every worker first
answers a contactRoutes (so each has built its projection) and then 3 s of the load, untimed.

The load is a **separate process** (``python -m bench.workers generate``): ``--connections``
keep-alive HTTP/1.1 connections on raw asyncio streams, each sending its next request as soon
as the previous answer is read (closed loop). The mix: ``person(id)`` with manager and
organization over the people of the demo, and every ``--analytic-every``-th request a
``contactRoutes`` to one of them (k 3, at most 4 hops). Every answer must be HTTP 200 without
GraphQL errors; the generator counts answers per worker (``X-Graphsvc-Worker``). It shares
the 2 cores with the servers: it costs CPU that the servers then lack, the same in both
configurations.

Prints one line per run (requests/s, errors, p50/p95, per-worker split, ``uptime`` load before
the run, the CPU seconds the server's processes used during it and requests per CPU second)
and the ratio of 2 workers to 1 per round. On a box shared with other work the CPU figures
tell how much of the 2 cores each configuration actually got.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

from bench.servers import BENCH_BUDGET
from tests.processes import free_port

PERSON = (
    "query Person($id: ID!) { person(id: $id) { id name title seniority stance "
    "manager { id name } organization { id name } } }"
)
ROUTES = (
    "query Routes($to: ID!) { contactRoutes(to: $to, k: 3, maxHops: 4) { score people { id } } }"
)
WARM_SECONDS = 3.0
REPO = Path(__file__).resolve().parents[1]


# --- the load generator (its own process) ------------------------------------------------


async def _connection(
    host: str,
    port: int,
    requests: list[bytes],
    start: int,
    until: float,
    latencies: list[float],
    workers: Counter[str],
    errors: list[str],
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    index = start
    try:
        while time.perf_counter() < until:
            request = requests[index % len(requests)]
            index += 1
            began = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            headers = {
                k.strip().lower(): v.strip()
                for k, _, v in (line.partition(":") for line in lines[1:] if line)
            }
            body = await reader.readexactly(int(headers["content-length"]))
            latencies.append(time.perf_counter() - began)
            workers[headers.get("x-graphsvc-worker", "?")] += 1
            if " 200 " not in lines[0] + " " or b'"errors"' in body:
                errors.append(f"{lines[0]} {body[:200]!r}")
    finally:
        writer.close()


def _request(host: str, port: int, token: str, query: str, variables: dict[str, Any]) -> bytes:
    body = json.dumps({"query": query, "variables": variables}).encode()
    head = (
        f"POST /graphql HTTP/1.1\r\nHost: {host}:{port}\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Type: application/json\r\nAccept: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def generate(
    url: str, token: str, people: list[str], seconds: float, connections: int, every: int
) -> dict[str, Any]:
    """Run the closed-loop load for ``seconds``; what it measured."""
    host, port = url.removeprefix("http://").split(":")
    requests = [
        _request(host, int(port), token, ROUTES, {"to": person})
        if every and n % every == every - 1
        else _request(host, int(port), token, PERSON, {"id": person})
        for n, person in enumerate(people)
    ]
    latencies: list[float] = []
    workers: Counter[str] = Counter()
    errors: list[str] = []
    began = time.perf_counter()
    until = began + seconds
    await asyncio.gather(
        *(
            _connection(host, int(port), requests, c * 97, until, latencies, workers, errors)
            for c in range(connections)
        )
    )
    elapsed = time.perf_counter() - began
    ordered = sorted(latencies)
    return {
        "requests": len(latencies),
        "per_second": len(latencies) / elapsed,
        "errors": len(errors),
        "first_error": errors[0] if errors else None,
        "p50_ms": 1000 * statistics.median(ordered) if ordered else None,
        "p95_ms": 1000 * ordered[int(0.95 * (len(ordered) - 1))] if ordered else None,
        "workers": dict(workers),
    }


# --- the runs ------------------------------------------------------------------------------


def _prepare(folder: Path) -> tuple[Path, str, list[str]]:
    """The demo in a SQLite file, an editor token, and the demo's people ids."""
    from graphsvc.demo import demo_document
    from graphsvc.domain.auth import Role
    from graphsvc.services.container import Services
    from graphsvc.services.parsing import parse_document
    from graphsvc.store.sqlite import SqliteStore

    db = folder / "bench.db"
    raw = demo_document()
    people = [p["id"] for p in json.loads(raw)["people"]]

    async def load() -> str:
        async with Services.over(SqliteStore(str(db))) as services:
            await services.graph.import_document("default", parse_document(raw))
            return (await services.tokens.create("default", Role.EDITOR)).secret

    return db, asyncio.run(load()), people


def _server_cpu_seconds(parent: int) -> float:
    """CPU seconds (user + system) used so far by ``parent`` and its child processes."""
    ticks = os.sysconf("SC_CLK_TCK")
    pids = [parent]
    for task in Path(f"/proc/{parent}/task").iterdir():
        pids += [int(pid) for pid in (task / "children").read_text().split()]
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def _load_average() -> str:
    return Path("/proc/loadavg").read_text().split()[0]


def _serve(db: Path, workers: int, port: int) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRAPHSVC_")}
    env.update({"GRAPHSVC_STORE": f"sqlite:///{db}", "PYTHONPATH": str(REPO), **BENCH_BUDGET})
    return subprocess.Popen(
        [sys.executable, "-m", "graphsvc", "serve", "--port", str(port), "--workers", f"{workers}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _warm(url: str, token: str, people: list[str], workers: int) -> None:
    """Wait for /healthz, then have every worker answer a route (its projection built)."""
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.1)
    warmed: set[str] = set()
    for n in range(400):
        answer = httpx.post(
            url + "/graphql",
            json={"query": ROUTES, "variables": {"to": people[n % len(people)]}},
            headers={"Authorization": f"Bearer {token}"},
            timeout=60,
        )
        warmed.add(answer.headers.get("x-graphsvc-worker", "the one process"))
        if len(warmed) == workers:
            return
    raise RuntimeError(f"only {len(warmed)} of {workers} workers answered")


def _generate_process(url: str, token: str, seconds: float, args: argparse.Namespace) -> Any:
    command = [sys.executable, "-m", "bench.workers", "generate", url, token]
    command += ["--seconds", str(seconds), "--connections", str(args.connections)]
    command += ["--analytic-every", str(args.analytic_every), "--people", args.people_file]
    done = subprocess.run(command, capture_output=True, check=True, cwd=REPO)
    return json.loads(done.stdout)


def run(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db, token, people = _prepare(Path(tmp))
        args.people_file = str(Path(tmp) / "people.json")
        Path(args.people_file).write_text(json.dumps(people))
        print(
            f"demo: {len(people)} people; {args.connections} connections, "
            f"{args.seconds:g} s per run, 1 contactRoutes per {args.analytic_every} requests"
        )
        for round_number in range(args.rounds):
            order = (1, 2) if round_number % 2 == 0 else (2, 1)
            rates: dict[int, float] = {}
            for workers in order:
                port = free_port()
                url = f"http://127.0.0.1:{port}"
                server = _serve(db, workers, port)
                try:
                    _warm(url, token, people, workers)
                    _generate_process(url, token, WARM_SECONDS, args)
                    load = _load_average()
                    cpu_before = _server_cpu_seconds(server.pid)
                    measured = _generate_process(url, token, args.seconds, args)
                    cpu = _server_cpu_seconds(server.pid) - cpu_before
                finally:
                    server.send_signal(signal.SIGTERM)
                    server.wait(timeout=30)
                rates[workers] = measured["per_second"]
                split = "/".join(str(n) for n in sorted(measured["workers"].values()))
                print(
                    f"round {round_number + 1}, {workers} worker(s): "
                    f"{measured['per_second']:.0f} req/s, {measured['requests']} requests, "
                    f"{measured['errors']} errors, p50 {measured['p50_ms']:.1f} ms, "
                    f"p95 {measured['p95_ms']:.1f} ms, split {split}, load before {load}, "
                    f"server CPU {cpu:.1f} s ({measured['requests'] / cpu:.0f} requests per "
                    "CPU second)"
                    + (f"; first error {measured['first_error']}" if measured["errors"] else "")
                )
            print(f"round {round_number + 1}: 2 workers / 1 worker = {rates[2] / rates[1]:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--analytic-every", type=int, default=10)
    sub = parser.add_subparsers(dest="command")
    gen = sub.add_parser("generate", help="the load generator (run by the benchmark)")
    gen.add_argument("url")
    gen.add_argument("token")
    gen.add_argument("--people", required=True)
    gen.add_argument("--seconds", type=float, default=20.0)
    gen.add_argument("--connections", type=int, default=16)
    gen.add_argument("--analytic-every", type=int, default=10)
    args = parser.parse_args()
    if args.command == "generate":
        people = json.loads(Path(args.people).read_text())
        result = asyncio.run(
            generate(
                args.url, args.token, people, args.seconds, args.connections, args.analytic_every
            )
        )
        print(json.dumps(result))
        return
    run(args)


if __name__ == "__main__":
    main()

"""Per-request overhead over real HTTP: ``person(id)`` on the demo against a bare Strawberry app.

Usage::

    python -m bench.request_overhead [--rounds 6] [--seconds 5] [--connections 8]
                                     [--generators 2]

1. ``graphsvc demo`` on a free loopback port with a fresh SQLite file (uvicorn, one worker,
   the demo group of 1,978 people, auth on); its editor token is read from its stdout.
2. The bare baseline in a second process: a Strawberry schema with ParserCache and
   ValidationCache only, on FastAPI under the same uvicorn (one process), resolving
   ``person(id)`` from a dict holding the demo's answer (no store, no auth, no limits, no
   logging).
3. The load generator runs in separate processes (``--generators``, the connections split
   between them): raw asyncio streams, HTTP/1.1 keep-alive, one request in flight per
   connection (no pipelining), the request bytes built once. Each round drives one server for
   ``--seconds`` and the servers alternate round by round, so the box's load weighs on both
   alike. Every answer's status is checked and its body compared with the expected one.

Besides requests per second, each round reads the server process's CPU time (``/proc``) and
reports CPU microseconds per answered request: on a box loaded by other work, how much of a
core each server gets varies, while its CPU per request does not; the ratio of the two
servers' CPU per request is the throughput ratio they would have on a core of their own.

The generator's own ceiling is shown first (a round against the bare app with twice the
generator processes): if it is not well above the bare app's rate in the rounds, the figures
measure the generator, not the servers.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import strawberry

from bench.servers import bare_server, demo_server, run_bare

QUERY = '{ person(id: "org1-cio") { id name title } }'


@strawberry.type
class Person:
    """The bare app's person: the three fields the query asks for."""

    id: strawberry.ID
    name: str
    title: str | None


def serve_bare(port: int, answer_file: Path) -> None:
    """The bare app: ``person(id)`` from a dict, Strawberry + FastAPI + uvicorn."""
    answer = json.loads(answer_file.read_text())
    people = {answer["id"]: Person(id=answer["id"], name=answer["name"], title=answer["title"])}

    @strawberry.type
    class Query:
        @strawberry.field
        def person(self, id: strawberry.ID) -> Person | None:
            return people.get(id)

    run_bare(Query, port)


def _request_bytes(port: int, token: str | None) -> bytes:
    body = json.dumps({"query": QUERY}).encode()
    lines = [
        "POST /graphql HTTP/1.1",
        f"Host: 127.0.0.1:{port}",
        "Content-Type: application/json",
        "Accept: application/json",
        f"Content-Length: {len(body)}",
    ]
    if token:
        lines.append(f"Authorization: Bearer {token}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def _connection(
    port: int, request: bytes, expected: bytes, deadline: float, counts: list[int]
) -> None:
    """One keep-alive connection sending ``request`` until ``deadline``; counts ok/bad."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while time.perf_counter() < deadline:
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            status = head[9:12]
            length = 0
            for line in head.split(b"\r\n"):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
                    break
            body = await reader.readexactly(length)
            if status == b"200" and body == expected:
                counts[0] += 1
            else:
                counts[1] += 1
                if counts[1] == 1:
                    print(f"unexpected answer {status!r}: {body[:300]!r}", file=sys.stderr)
    finally:
        writer.close()


def _generate(
    port: int, token: str | None, expected: bytes, connections: int, seconds: float, start: float
) -> tuple[int, int]:
    """One generator process: ``connections`` connections from ``start`` for ``seconds``."""
    request = _request_bytes(port, token)
    counts = [0, 0]

    async def run() -> None:
        await asyncio.sleep(max(0.0, start - time.time()))
        deadline = time.perf_counter() + seconds
        await asyncio.gather(
            *(_connection(port, request, expected, deadline, counts) for _ in range(connections))
        )

    asyncio.run(run())
    return counts[0], counts[1]


def drive(
    pool: Any,
    port: int,
    token: str | None,
    expected: bytes,
    *,
    connections: int,
    generators: int,
    seconds: float,
) -> tuple[float, int]:
    """Requests per second answered correctly over ``seconds``, and the number of bad ones."""
    start = time.time() + 0.3  # every generator process starts at the same moment
    shares = [connections // generators + (i < connections % generators) for i in range(generators)]
    results = pool.starmap(
        _generate, [(port, token, expected, share, seconds, start) for share in shares if share]
    )
    ok = sum(r[0] for r in results)
    bad = sum(r[1] for r in results)
    return ok / seconds, bad


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds used so far by process ``pid`` (Linux ``/proc``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _load() -> str:
    return "/".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=6, help="rounds per server")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--generators", type=int, default=2)
    parser.add_argument("--serve-bare", nargs=2, metavar=("PORT", "ANSWER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_bare:
        serve_bare(int(args.serve_bare[0]), Path(args.serve_bare[1]))
        return
    with demo_server() as demo, tempfile.TemporaryDirectory() as tmp:
        response = httpx.post(
            demo.graphql,
            json={"query": QUERY},
            headers=demo.headers,
        )
        if response.status_code != 200 or "errors" in response.json():
            raise SystemExit(f"demo: {response.status_code} {response.text[:500]}")
        expected = response.content
        answer_file = Path(tmp) / "answer.json"
        answer_file.write_text(json.dumps(response.json()["data"]["person"]))
        with bare_server("bench.request_overhead", answer_file) as bare:
            bare_answer = httpx.post(bare.graphql, json={"query": QUERY}).content
            # The same data; graphsvc's answer also reports its cost (extensions.cost), a
            # constant here under the bench's budget (bench.servers.BENCH_BUDGET).
            if json.loads(bare_answer)["data"] != json.loads(expected)["data"]:
                raise SystemExit(f"answers differ: {bare_answer!r} vs {expected!r}")
            sides = {
                "graphsvc": (demo.port, demo.token, expected),
                "bare": (bare.port, None, bare_answer),
            }
            pids = {"graphsvc": demo.pid, "bare": bare.pid}
            common = {"connections": args.connections, "seconds": args.seconds}
            context = multiprocessing.get_context("spawn")
            with context.Pool(args.generators * 2) as pool:
                print(f"load {_load()}")
                # warm-up of both, then the generator's ceiling against the bare app
                for side in sides.values():
                    drive(pool, *side, connections=args.connections, generators=1, seconds=1)
                ceiling, _ = drive(pool, *sides["bare"], generators=args.generators * 2, **common)
                print(
                    f"generator check: bare app with {args.generators * 2} generator processes: "
                    f"{ceiling:,.0f} req/s"
                )
                rates: dict[str, list[float]] = {name: [] for name in sides}
                cpu: dict[str, list[float]] = {name: [] for name in sides}
                for round_ in range(args.rounds):
                    order = list(sides) if round_ % 2 == 0 else list(reversed(sides))
                    for name in order:
                        used = _cpu_seconds(pids[name])
                        rate, bad = drive(pool, *sides[name], generators=args.generators, **common)
                        used = _cpu_seconds(pids[name]) - used
                        rates[name].append(rate)
                        cpu[name].append(used / max(rate * args.seconds, 1) * 1e6)
                        flag = f" ({bad} BAD ANSWERS)" if bad else ""
                        print(
                            f"round {round_ + 1} {name}: {rate:,.0f} req/s, server CPU "
                            f"{cpu[name][-1]:,.0f} us/request{flag}  load {_load()}"
                        )
            ours, base = statistics.median(rates["graphsvc"]), statistics.median(rates["bare"])
            pairs = [o / b for o, b in zip(rates["graphsvc"], rates["bare"], strict=True)]
            print(
                f"median graphsvc {ours:,.0f} req/s, bare {base:,.0f} req/s: {ours / base:.2f}x "
                f"(per-round ratios {min(pairs):.2f}-{max(pairs):.2f}); load {_load()}"
            )
            # CPU per request does not depend on how much of a core the box's load leaves the
            # server: its ratio is the throughput ratio on a core of their own.
            ours_cpu, base_cpu = statistics.median(cpu["graphsvc"]), statistics.median(cpu["bare"])
            print(
                f"median server CPU per request: graphsvc {ours_cpu:,.0f} us, bare "
                f"{base_cpu:,.0f} us: bare/graphsvc {base_cpu / ours_cpu:.2f}x"
            )


if __name__ == "__main__":
    main()

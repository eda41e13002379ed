"""Per-request cost of the GraphQL layer: sequential requests through the real ASGI app.

Usage::

    python -m bench.graphql_overhead [--requests 200]

Imports the Kaito group of ``tests.factories`` into a temporary SQLite file, starts the app
through its lifespan (auth off on loopback) and sends the same small ``person`` query, with a
different id each time, one request at a time over httpx's ASGI transport: no network, no
concurrency, so the time is what one request costs the event loop (routing, parsing,
validation, the cost limit, execution, serialisation). Prints the mean and percentiles.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

import httpx
from asgi_lifespan import LifespanManager

from graphsvc.api.app import create_app
from graphsvc.config import Settings
from graphsvc.services.graph import GraphService
from tests.factories import kaito_document

QUERY = (
    "query Person($id: ID!) { person(id: $id) { id name title seniority stance "
    "manager { id name } organization { id name } } }"
)
PEOPLE = ("p-ceo", "p-cio", "p-cfo", "p-itdir", "p-eng")
WARMUP = 20


async def measure(requests: int) -> list[float]:
    """Milliseconds of each of ``requests`` sequential requests, after a warm-up."""
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            store=f"sqlite:///{Path(tmp) / 'bench.db'}",
            workspace="bench",
            host="127.0.0.1",
            auth="off",
        )
        app = create_app(settings)
        async with (
            LifespanManager(app) as manager,
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=manager.app), base_url="http://127.0.0.1"
            ) as client,
        ):
            service: GraphService = app.state.services.graph
            await service.import_document("bench", kaito_document())
            times: list[float] = []
            for i in range(WARMUP + requests):
                variables = {"id": PEOPLE[i % len(PEOPLE)]}
                started = time.perf_counter()
                response = await client.post(
                    "/graphql", json={"query": QUERY, "variables": variables}
                )
                elapsed = (time.perf_counter() - started) * 1000
                body = response.json()
                if response.status_code != 200 or "errors" in body:
                    raise SystemExit(f"request failed: {response.status_code} {body}")
                if i >= WARMUP:
                    times.append(elapsed)
            return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    times = sorted(asyncio.run(measure(args.requests)))
    q = statistics.quantiles(times, n=100)
    print(
        f"{len(times)} sequential requests: mean {statistics.fmean(times):.2f} ms, "
        f"p50 {q[49]:.2f} ms, p95 {q[94]:.2f} ms, p99 {q[98]:.2f} ms"
    )


if __name__ == "__main__":
    main()

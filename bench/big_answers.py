"""Big answers over HTTP: the demo's whole power map and a 500-person page, against a bare app.

Usage::

    python -m bench.big_answers [--repeat 15]

1. ``graphsvc demo`` on a free loopback port with a fresh SQLite file (the demo group,
   1,978 people); its editor token is read from its stdout.
2. The answers of ``POWER_MAP`` (every person of org1's power map with name and title) and
   ``PEOPLE`` (500 people with their organization and department) are read once from it.
3. The bare baseline: a Strawberry app (ParserCache + ValidationCache, nothing else) on
   FastAPI under uvicorn in a second process, whose resolvers return the same rows from
   memory as Strawberry objects of the same shape (no store, no auth, no limits).
4. Both are asked the same queries, one request at a time, over HTTP (httpx, keep-alive),
   alternating between the two servers; medians of warm requests, the demo's answer checked
   equal to the bare app's.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import strawberry

from bench.servers import bare_server, demo_server, run_bare


@strawberry.type
class Named:
    id: strawberry.ID
    name: str


@strawberry.type
class Person:
    id: strawberry.ID | None
    name: str
    title: str | None
    organization: Named | None
    department: Named | None


@strawberry.type
class PowerScore:
    person: Person
    influence: float
    brokerage: float
    hiddenInfluencer: bool  # noqa: N815 - the GraphQL name
    formalRank: int  # noqa: N815


@strawberry.type
class PersonEdge:
    node: Person


@strawberry.type
class PersonConnection:
    edges: list[PersonEdge]


POWER_MAP = (
    '{ powerMap(organizationId: "org1") { person { name title } influence brokerage '
    "hiddenInfluencer formalRank } }"
)
POWER_MAP_BARE = (
    '{ powerMap(organizationId: "org1") { influence brokerage hiddenInfluencer formalRank } }'
)
PEOPLE = (
    "{ people(first: 500) { edges { node { id name title organization { id name } "
    "department { id name } } } } }"
)
QUERIES = {
    "powerMap with person": POWER_MAP,
    "powerMap without person": POWER_MAP_BARE,
    "people(first: 500) with organization, department": PEOPLE,
}


def _post(client: httpx.Client, url: str, query: str) -> tuple[float, Any]:
    """Milliseconds of one request of ``query`` and its data."""
    started = time.perf_counter()
    response = client.post(url, json={"query": query})
    elapsed = (time.perf_counter() - started) * 1e3
    body = response.json()
    if response.status_code != 200 or "errors" in body:
        raise SystemExit(f"{url}: {response.status_code} {str(body)[:500]}")
    return elapsed, body["data"]


def _medians_ms(
    ours: tuple[httpx.Client, str], bare: tuple[httpx.Client, str], query: str, repeat: int
) -> tuple[float, float, Any, Any]:
    """Median milliseconds of ``repeat`` warm requests of ``query`` to each server (after 3
    warm-ups), alternating between them so that the box's load weighs on both alike."""
    times: tuple[list[float], list[float]] = ([], [])
    data: list[Any] = [None, None]
    for i in range(repeat + 3):
        for side, (client, url) in enumerate((ours, bare)):
            elapsed, data[side] = _post(client, url, query)
            if i >= 3:
                times[side].append(elapsed)
    return statistics.median(times[0]), statistics.median(times[1]), data[0], data[1]


def serve_bare(port: int, data_file: Path) -> None:
    """The bare app: the same answers' rows from memory, Strawberry + FastAPI + uvicorn."""
    data = json.loads(data_file.read_text())

    def _person(row: dict[str, Any]) -> Person:
        org, dept = row.get("organization"), row.get("department")
        return Person(
            id=row.get("id"),
            name=row["name"],
            title=row.get("title"),
            organization=Named(**org) if org else None,
            department=Named(**dept) if dept else None,
        )

    power = [
        PowerScore(
            person=_person(row["person"]),
            influence=row["influence"],
            brokerage=row["brokerage"],
            hiddenInfluencer=row["hiddenInfluencer"],
            formalRank=row["formalRank"],
        )
        for row in data["powerMap"]
    ]
    people = [_person(edge["node"]) for edge in data["people"]["edges"]]

    @strawberry.type
    class Query:
        @strawberry.field
        def powerMap(self, organizationId: strawberry.ID) -> list[PowerScore]:  # noqa: N802,N803
            return power

        @strawberry.field
        def people(self, first: int = 50) -> PersonConnection:
            return PersonConnection(edges=[PersonEdge(node=p) for p in people[:first]])

    run_bare(Query, port)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--serve-bare", nargs=2, metavar=("PORT", "DATA"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_bare:
        serve_bare(int(args.serve_bare[0]), Path(args.serve_bare[1]))
        return
    with demo_server() as demo, tempfile.TemporaryDirectory() as tmp:
        with httpx.Client(headers=demo.headers, timeout=120) as client:
            answers: dict[str, Any] = {}
            for query in (POWER_MAP, PEOPLE):
                response = client.post(demo.graphql, json={"query": query}).json()
                if "errors" in response:
                    raise SystemExit(str(response["errors"])[:500])
                answers.update(response["data"])
        data_file = Path(tmp) / "answers.json"
        data_file.write_text(json.dumps(answers))
        with bare_server("bench.big_answers", data_file) as bare:
            print(f"load: {os.getloadavg()[0]:.2f} (1 min)")
            # Both asked for identity: the bare app has no gzip, and on loopback compressing
            # (which graphsvc does for clients that accept it, issue 15) is pure cost. The
            # bytes it saves are measured by bench/front_end.py.
            plain = {"Accept-Encoding": "identity"}
            with (
                httpx.Client(headers={**demo.headers, **plain}, timeout=120) as client,
                httpx.Client(headers=plain, timeout=120) as bare_client,
            ):
                for label, query in QUERIES.items():
                    mine, base, ours_data, base_data = _medians_ms(
                        (client, demo.graphql), (bare_client, bare.graphql), query, args.repeat
                    )
                    same = "same answer" if ours_data == base_data else "ANSWERS DIFFER"
                    print(
                        f"{label}: graphsvc {mine:.1f} ms, bare {base:.1f} ms, "
                        f"{mine / base:.2f}x ({same}; {len(json.dumps(ours_data)):,} bytes)"
                    )
            print(f"load: {os.getloadavg()[0]:.2f} (1 min)")


if __name__ == "__main__":
    main()

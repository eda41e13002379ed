"""Request bytes saved by Automatic Persisted Queries for the console's typical queries.

Usage::

    python -m bench.persisted_queries

For each query the console sends (the power map's people and lines, from
``console/src/pages/powermap.ts``), the size of the HTTP/1.1 request as Apollo Client sends
it (request line, its headers with a token of graphsvc's length, body), written as the
console writes it and as Apollo Client prints it: the full query by
POST, the hash alone by GET (``useGETForHashedQueries``) and by POST. Each hash-only request is
also sent to the real app (in process, auth off, an empty SQLite workspace) after the
registering one, and its answer checked equal to the full query's. Sizes are exact (no
timing), so one run is the figure.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import tempfile
from pathlib import Path
from typing import Any

import httpx
from asgi_lifespan import LifespanManager
from graphql import parse, print_ast

from graphsvc.api.app import create_app
from graphsvc.config import Settings

QUERIES = {
    "powerMap people": (
        "query Map($id: ID!, $subs: Boolean!) { powerMap(organizationId: $id, "
        "includeSubsidiaries: $subs) {\n  influence hiddenInfluencer person "
        "{ id name seniority stance departmentId } } }"
    ),
    "powerMap lines": (
        "query Lines($id: ID!, $subs: Boolean!) { powerMapLines(organizationId: $id, "
        "includeSubsidiaries: $subs) {\n  type fromId toId effectiveStrength dotted } }"
    ),
}
# As Apollo Client sends them: its `print` lays a document out on indented lines, as
# graphql-core's `print_ast` does (Apollo's cache also adds `__typename`, not counted here).
QUERIES.update({f"{name}, printed": print_ast(parse(text)) for name, text in list(QUERIES.items())})
VARIABLES = {"id": "org1", "subs": True}
HEADERS = {
    "Accept": "application/graphql-response+json,application/json;q=0.9",
    "Authorization": "Bearer " + "t" * 43,  # a token's length (secrets.token_urlsafe(32))
}
URL = "http://127.0.0.1:8000/graphql"


def wire_bytes(request: httpx.Request) -> int:
    """Bytes of ``request`` as HTTP/1.1 sends it: request line, headers, body."""
    target = request.url.raw_path.decode()
    head = f"{request.method} {target} HTTP/1.1\r\n" + "".join(
        f"{name.decode()}: {value.decode()}\r\n" for name, value in request.headers.raw
    )
    return len((head + "\r\n").encode()) + len(request.content)


def requests(query: str) -> dict[str, httpx.Request]:
    """The full POST, the hash-only GET and the hash-only POST of ``query``."""
    extensions = {
        "persistedQuery": {"version": 1, "sha256Hash": hashlib.sha256(query.encode()).hexdigest()}
    }
    compact = json.dumps(extensions, separators=(",", ":"))
    variables = json.dumps(VARIABLES, separators=(",", ":"))
    return {
        "full POST": httpx.Request(
            "POST", URL, headers=HEADERS, json={"query": query, "variables": VARIABLES}
        ),
        "hash GET": httpx.Request(
            "GET", URL, headers=HEADERS, params={"variables": variables, "extensions": compact}
        ),
        "hash POST": httpx.Request(
            "POST", URL, headers=HEADERS, json={"variables": VARIABLES, "extensions": extensions}
        ),
    }


async def same_answers(query: str) -> bool:
    """Whether the hash-only requests get the full query's answer from the real app."""
    with tempfile.TemporaryDirectory() as home:
        settings = Settings(
            store=f"sqlite:///{Path(home) / 'bench.db'}", host="127.0.0.1", auth="off"
        )
        app = create_app(settings)
        async with (
            LifespanManager(app) as manager,
            httpx.AsyncClient(transport=httpx.ASGITransport(app=manager.app)) as client,
        ):
            sent = requests(query)
            full = (await client.send(sent["full POST"])).json()
            registered = sent["full POST"].read()
            body: dict[str, Any] = json.loads(registered)
            body["extensions"] = json.loads(sent["hash POST"].content)["extensions"]
            await client.post(URL, json=body, headers=HEADERS)
            answers = [(await client.send(sent[k])).json() for k in ("hash GET", "hash POST")]
            return all(answer == full for answer in answers)


def main() -> None:
    print("| query | full POST | hash-only GET | hash-only POST | same answer |")
    print("| --- | --- | --- | --- | --- |")
    for name, query in QUERIES.items():
        sizes = {kind: wire_bytes(request) for kind, request in requests(query).items()}
        full = sizes["full POST"]
        cells = [
            f"{sizes[k]} B ({100 * (full - sizes[k]) / full:.0f} % less)"
            for k in ("hash GET", "hash POST")
        ]
        same = asyncio.run(same_answers(query))
        print(f"| {name} | {full} B | {cells[0]} | {cells[1]} | {'yes' if same else 'NO'} |")


if __name__ == "__main__":
    main()

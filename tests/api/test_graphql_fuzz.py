"""Fuzzing the live schema: generated queries and mutations never break the server.

hypothesis-graphql builds operations from the served schema (valid ones, and ones with one
schema violation each) and sends them over real HTTP into the app, on a SQLite file holding
the Kaito group, with an editor token so that mutations really run. Whatever comes back:
no 5xx, no masked INTERNAL error (that would be a bug in a resolver), and nothing that
looks like Python leaking out (a traceback, a file path, an exception class name).
Bounded and derandomized, so the suite stays fast and every run is the same.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Iterator
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import graphql
import httpx
import pytest
from anyio.from_thread import start_blocking_portal
from asgi_lifespan import LifespanManager
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode, mutations, queries

from graphsvc.api.app import create_app
from graphsvc.api.graphql.schema import schema as served_schema
from graphsvc.config import Settings
from graphsvc.domain.auth import Role
from graphsvc.services.graph import GraphService
from graphsvc.services.tokens import TokenService
from graphsvc.store.sqlite import SqliteStore
from tests.factories import kaito_document

pytestmark = pytest.mark.fuzz

FUZZ = settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
LEAKS = re.compile(
    r"Traceback|File \"|\.py\b|(?:Type|Key|Value|Attribute|Index|Lookup|Runtime|Assertion)Error"
    r"|sqlite3|Exception\b"
)
SCALARS = {
    "Date": st.dates(date(1990, 1, 1), date(2040, 12, 31)).map(
        lambda d: graphql.StringValueNode(value=d.isoformat())
    ),
    "JSON": st.just(graphql.ObjectValueNode(fields=())),
}


async def _prepare(db: Path) -> str:
    store = SqliteStore(str(db))
    await store.open()
    try:
        await GraphService(store).import_document("default", kaito_document())
        return (await TokenService(store).create("default", Role.EDITOR)).secret
    finally:
        await store.close()


Post = Callable[[str], httpx.Response]


async def _lifespan(app: Any) -> LifespanManager:
    manager = LifespanManager(app)
    await manager.__aenter__()
    return manager


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Post]:
    """POST an operation, with an editor token, to the app serving the Kaito group.

    Hypothesis drives synchronous tests, so the app runs in an event loop of its own
    thread (an anyio portal) for the whole module.
    """
    db = tmp_path_factory.mktemp("fuzz") / "graph.db"
    token = asyncio.run(_prepare(db))
    app = create_app(Settings(store=f"sqlite:///{db}", workspace="default"))
    headers = {"Authorization": f"Bearer {token}"}
    with start_blocking_portal() as portal:
        # LifespanManager detects the running event loop, so it is created inside it.
        manager: LifespanManager = portal.call(_lifespan, app)
        http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=manager.app), base_url="http://testserver"
        )

        def post(operation: str) -> httpx.Response:
            send = partial(http.post, "/graphql", json={"query": operation}, headers=headers)
            return portal.call(send)

        try:
            yield post
        finally:
            portal.call(http.aclose)
            portal.call(manager.__aexit__, None, None, None)


def _check(post: Post, operation: str) -> None:
    response = post(operation)
    assert response.status_code < 500, f"{response.status_code} for:\n{operation}\n{response.text}"
    body: dict[str, Any] = response.json()
    internal = [
        e for e in body.get("errors") or () if e.get("extensions", {}).get("code") == "INTERNAL"
    ]
    assert not internal, f"a resolver failed unexpectedly on:\n{operation}\n{internal}"
    event("data" if body.get("data") and not body.get("errors") else "refused or partial")
    leak = LEAKS.search(response.text)
    assert leak is None, f"response leaks {leak.group(0)!r} for:\n{operation}\n{response.text}"


SCHEMA = served_schema._schema


@FUZZ
@given(operation=queries(SCHEMA, custom_scalars=SCALARS, allow_x00=False))
def test_generated_queries_never_break_the_server(client: Post, operation: str) -> None:
    _check(client, operation)


@FUZZ
@given(operation=mutations(SCHEMA, custom_scalars=SCALARS, allow_x00=False))
def test_generated_mutations_never_break_the_server(client: Post, operation: str) -> None:
    _check(client, operation)


@settings(FUZZ, max_examples=80)
@given(
    operation=queries(SCHEMA, custom_scalars=SCALARS, mode=Mode.NEGATIVE)
    | mutations(SCHEMA, custom_scalars=SCALARS, mode=Mode.NEGATIVE)
)
def test_operations_breaking_the_schema_are_refused_cleanly(client: Post, operation: str) -> None:
    _check(client, operation)

"""``graphsvc serve`` builds projections before it imports the API (``services.early_builds``,
issue 14, item 4); the app's warm start takes them over with the same checks as its own
builds. Through the real app over HTTP, on a real SQLite file.

The cache's own streaming is counted by wrapping ``stream_projection`` where the cache's
``read_projection`` calls it; the early thread calls it through its own module's name, so
it is not counted.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager

from graphsvc.analytics.projection import Projection
from graphsvc.api.app import create_app
from graphsvc.config import Settings
from graphsvc.services import projection_build
from graphsvc.services.early_builds import EarlyBuilds
from graphsvc.store.base import GraphStore
from graphsvc.store.sqlite import SqliteStore
from tests.api.answers import without_cost
from tests.api.conftest import api_settings
from tests.factories import change_set, document, kaito_document, person

ROUTE = '{ contactRoutes(to: "p-cio", k: 2) { score people { id } } }'
POWER = '{ powerMap(organizationId: "kaito") { person { id } influence } }'


class CountedStreams:
    """How many projections the cache streamed itself."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        real = projection_build.stream_projection

        async def counted(store: GraphStore, workspace: str) -> Projection:
            self.count += 1
            return await real(store, workspace)

        monkeypatch.setattr(projection_build, "stream_projection", counted)


async def _seed(settings: Settings) -> SqliteStore:
    store = SqliteStore(settings.store.removeprefix("sqlite:///"))
    await store.open()
    await store.apply("default", change_set(kaito_document()))
    return store


@asynccontextmanager
async def _served(settings: Settings, early: EarlyBuilds | None) -> AsyncIterator[Any]:
    app = create_app(settings, early=early)
    async with (
        LifespanManager(app) as manager,
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=manager.app), base_url="http://127.0.0.1"
        ) as client,
    ):
        yield app, client


async def _post(client: httpx.AsyncClient, query: str) -> dict[str, Any]:
    response = await client.post("/graphql", json={"query": query})
    body: dict[str, Any] = without_cost(response.json())
    return body


async def _until_ready(client: httpx.AsyncClient) -> None:
    for _ in range(600):
        if (await client.get("/readyz")).status_code == 200:
            return
        await _pause()
    pytest.fail("/readyz never turned 200")


async def _pause() -> None:
    await asyncio.sleep(0.05)


async def test_the_warm_start_takes_over_the_early_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a store holding the Kaito group, and the answers of a server without early builds
    settings = api_settings(tmp_path, "default")
    store = await _seed(settings)
    await store.close()
    async with _served(settings, None) as (_, client):
        expected_route = await _post(client, ROUTE)
        expected_power = await _post(client, POWER)
    assert "errors" not in expected_route
    assert expected_route["data"]["contactRoutes"]
    streams = CountedStreams(monkeypatch)
    # when the early build runs before the app starts, and the app is given it
    early = EarlyBuilds(settings).start()
    try:
        async with _served(settings, early) as (app, client):
            route = await _post(client, ROUTE)
            await _until_ready(client)
            power = await _post(client, POWER)
            projections = app.state.services.analytics.projections
            # then the answers are the same, from the one early build, not streamed again
            assert route == expected_route
            assert power == expected_power
            assert streams.count == 0
            assert projections.builds == 1
            assert projections.early is None  # handed over and let go
    finally:
        early.stop()


async def test_a_write_from_elsewhere_after_the_early_build_read_makes_the_server_stream_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given an early build that has read the Kaito group
    settings = api_settings(tmp_path, "default")
    store = await _seed(settings)
    early = EarlyBuilds(settings).start()
    try:
        assert await asyncio.to_thread(early.wait, 60)
        # and a write by another process since (this store is not the app's: no announcement)
        await store.apply(
            "default", change_set(document(people=[person("p-late", organization_id="kaito")]))
        )
        streams = CountedStreams(monkeypatch)
        # when the app starts with that early build
        async with _served(settings, early) as (app, client):
            await _until_ready(client)
            power = await _post(client, POWER)
            # then it did not serve the early build as it was: it streamed the store again
            # (as after any build that a write from elsewhere overtook) and sees the write
            assert streams.count == 1
            assert app.state.services.analytics.projections.builds == 2
            assert "p-late" in {row["person"]["id"] for row in power["data"]["powerMap"]}
    finally:
        early.stop()
        await store.close()


async def test_readyz_says_starting_from_the_first_request_while_the_workspaces_are_listed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a store whose list of workspaces takes a moment, and a build that takes longer
    settings = api_settings(tmp_path, "default")
    store = await _seed(settings)
    await store.close()
    listing = SqliteStore.workspaces

    async def slow_listing(self: SqliteStore) -> list[str]:
        await asyncio.sleep(0.3)
        return await listing(self)

    inserting = Projection.add_relationship_rows

    def slow_insert(self: Projection, rows: Any) -> None:
        time.sleep(1.0)  # in the build thread
        inserting(self, rows)

    monkeypatch.setattr(SqliteStore, "workspaces", slow_listing)
    monkeypatch.setattr(Projection, "add_relationship_rows", slow_insert)
    # when the server has started, then its very first /readyz already says it is starting
    # (before, the server listened before the workspaces were listed, and said "ready")
    async with _served(settings, None) as (_, client):
        first = await client.get("/readyz")
        assert first.status_code == 503, first.json()
        assert first.json()["status"] == "starting"
        await _until_ready(client)

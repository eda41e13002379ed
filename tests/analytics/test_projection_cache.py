"""ProjectionCache: a build outlives the request that started it (the analytic time limit)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from graphsvc.domain.enums import EntityKind
from graphsvc.domain.models import Entity
from graphsvc.services.graph import GraphService
from graphsvc.services.projection_cache import ProjectionCache
from graphsvc.store.sqlite import SqliteStore
from tests.factories import kaito_document


class GatedStore(SqliteStore):
    """The real SQLite store whose streams wait at a gate the test opens.

    It holds a projection build mid-way deterministically, however loaded the machine is.
    """

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.gate = asyncio.Event()
        self.streaming = asyncio.Event()

    async def stream(self, workspace: str, kind: EntityKind) -> AsyncIterator[list[Entity]]:
        self.streaming.set()
        await self.gate.wait()
        async for batch in super().stream(workspace, kind):
            yield batch


@pytest.fixture
async def gated(tmp_path: Path) -> AsyncIterator[GatedStore]:
    store = GatedStore(str(tmp_path / "graph.db"))
    await store.open()
    await GraphService(store).import_document("w", kaito_document())
    yield store
    await store.close()


async def test_a_cancelled_first_request_leaves_its_build_to_the_next_one(
    gated: GatedStore,
) -> None:
    cache = ProjectionCache(gated)
    # Given a first request cancelled while the projection is being built (as the analytic
    # time limit cancels a request on a workspace too large to build within it)
    first = asyncio.ensure_future(cache.get("w"))
    await asyncio.wait_for(gated.streaming.wait(), timeout=30)
    first.cancel()
    with pytest.raises(asyncio.CancelledError):
        await first

    # When the next request comes, and the build can go on
    second = asyncio.ensure_future(cache.get("w"))
    gated.gate.set()
    projection = await second

    # Then it receives the build the first one started: one build in all, none wasted
    assert cache.builds == 1
    assert "p-cio" in projection.people
    assert await cache.get("w") is projection

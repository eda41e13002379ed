"""ProjectionCache: a build outlives the request that started it (the analytic time limit)."""

from __future__ import annotations

import asyncio

import pytest

from graphsvc.services.graph import GraphService
from graphsvc.services.projection_cache import ProjectionCache
from graphsvc.store.base import GraphStore
from tests.factories import kaito_document


@pytest.fixture
async def cache(sqlite_store: GraphStore, workspace: str) -> ProjectionCache:
    await GraphService(sqlite_store).import_document(workspace, kaito_document())
    return ProjectionCache(sqlite_store)


async def test_a_cancelled_first_request_leaves_its_build_to_the_next_one(
    cache: ProjectionCache, workspace: str
) -> None:
    # Given a first request cancelled while the projection is being built (as the analytic
    # time limit cancels a request on a workspace too large to build within it)
    first = asyncio.ensure_future(cache.get(workspace))
    for _ in range(1000):  # until the build task has started
        if cache._builds:
            break
        await asyncio.sleep(0)
    assert cache._builds, "the first request never started a build"
    first.cancel()
    with pytest.raises(asyncio.CancelledError):
        await first

    # When the next request comes
    projection = await cache.get(workspace)

    # Then it receives the build the first one started: one build in all, none wasted
    assert cache.builds == 1
    assert "p-cio" in projection.people
    assert await cache.get(workspace) is projection

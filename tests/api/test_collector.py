"""A serving app sets what lives as long as its process aside from garbage collection once
its start-up projection builds are done (``api.collector``); an app of the test suite, which
starts and drops many apps in one process, leaves the collector alone."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from asgi_lifespan import LifespanManager

from graphsvc.api.app import create_app
from graphsvc.domain.models import GraphDocument
from graphsvc.services.container import Services
from graphsvc.store.sqlite import SqliteStore
from tests.api.conftest import api_settings
from tests.factories import kaito_document

WAIT = 10.0


@pytest.fixture(autouse=True)
def unfrozen() -> Iterator[None]:
    """Whatever a test set aside is handed back to the collector after it."""
    assert gc.get_freeze_count() == 0, "something else froze objects in the test process"
    yield
    gc.unfreeze()


async def _seeded(path: Path, workspace: str, doc: GraphDocument) -> None:
    store = SqliteStore(str(path))
    await store.open()
    try:
        await Services.over(store).graph.import_document(workspace, doc)
    finally:
        await store.close()


def _collected(target: object) -> bool:
    """Whether the collector's generations hold ``target`` (frozen objects are in none)."""
    return any(candidate is target for candidate in gc.get_objects())


async def test_a_serving_app_sets_the_app_and_its_projection_aside_once_built(
    tmp_path: Path, workspace: str
) -> None:
    # given a store with a workspace to build at start-up
    await _seeded(tmp_path / "api.db", workspace, kaito_document())
    app = create_app(api_settings(tmp_path, workspace), serving=True)
    async with LifespanManager(app):
        # when its start-up build is done
        async with asyncio.timeout(WAIT):
            while not gc.get_freeze_count():  # noqa: ASYNC110 - the collector has no event
                await asyncio.sleep(0.01)
        services = app.state.services
        assert services.analytics.warming == []
        projection = await services.analytics.projections.get(workspace)
        # then the app, its services and the built projection are no longer walked by the
        # collector, and objects made from now on are
        assert not _collected(app)
        assert not _collected(services)
        assert not _collected(projection)
        assert _collected(object.__new__(type("Fresh", (), {})))
        # and the app still answers from that projection
        assert [s.person_id for s in await services.analytics.power_map(workspace, "kaito")]


async def test_an_app_not_serving_leaves_the_collector_alone(
    tmp_path: Path, workspace: str
) -> None:
    await _seeded(tmp_path / "api.db", workspace, kaito_document())
    app = create_app(api_settings(tmp_path, workspace))
    async with LifespanManager(app):
        services = app.state.services
        await services.analytics.projections.get(workspace)  # built (start-up or here)
        await asyncio.sleep(0.1)
        assert services.analytics.warming == []
        assert gc.get_freeze_count() == 0
        assert _collected(services)

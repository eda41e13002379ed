"""Projection builds pause the cyclic garbage collector, and always resume it."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator
from pathlib import Path

from graphsvc.domain.enums import EntityKind
from graphsvc.domain.models import Entity
from graphsvc.services.graph import GraphService
from graphsvc.services.projection_cache import ProjectionCache
from graphsvc.store.sqlite import SqliteStore
from tests.factories import kaito_document


class ObservedStore(SqliteStore):
    """The real SQLite store noting whether the collector runs while it streams records;
    ``fail`` makes the stream raise mid-build, ``gate`` holds it until the test opens it."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.collector_while_streaming: list[bool] = []
        self.fail = False
        self.gate: asyncio.Event | None = None
        self.streaming = asyncio.Event()

    async def stream(self, workspace: str, kind: EntityKind) -> AsyncIterator[list[Entity]]:
        self.collector_while_streaming.append(gc.isenabled())
        self.streaming.set()
        if self.gate is not None:
            await self.gate.wait()
        if self.fail:
            raise OSError("disk went away")
        async for batch in super().stream(workspace, kind):
            yield batch


async def _store(tmp_path: Path, name: str) -> ObservedStore:
    store = ObservedStore(str(tmp_path / f"{name}.db"))
    await store.open()
    await GraphService(store).import_document("w", kaito_document())
    return store


async def test_a_build_runs_without_the_collector_and_resumes_it(tmp_path: Path) -> None:
    # given the collector is on
    store = await _store(tmp_path, "a")
    assert gc.isenabled()
    # when a projection is built
    projection = await ProjectionCache(store).get("w")
    # then it streamed with the collector paused, and the collector is on again
    assert projection.people
    assert store.collector_while_streaming
    assert not any(store.collector_while_streaming)
    assert gc.isenabled()
    await store.close()


async def test_a_failing_build_resumes_the_collector(tmp_path: Path) -> None:
    store = await _store(tmp_path, "b")
    store.fail = True
    cache = ProjectionCache(store)
    try:
        await cache.get("w")
    except OSError:
        pass
    else:
        raise AssertionError("the failing stream should fail the build")
    assert gc.isenabled()
    await store.close()


async def test_overlapping_builds_resume_the_collector_when_the_last_ends(tmp_path: Path) -> None:
    # given two workspaces' builds held mid-way at the same time
    first, second = await _store(tmp_path, "c"), await _store(tmp_path, "d")
    first.gate, second.gate = asyncio.Event(), asyncio.Event()
    one = asyncio.ensure_future(ProjectionCache(first).get("w"))
    two = asyncio.ensure_future(ProjectionCache(second).get("w"))
    await first.streaming.wait()
    await second.streaming.wait()
    # when the first ends, then the collector stays paused for the second
    first.gate.set()
    await one
    assert not gc.isenabled()
    # and when the second ends, it is on again
    second.gate.set()
    await two
    assert gc.isenabled()
    await first.close()
    await second.close()


async def test_a_collector_turned_off_elsewhere_stays_off(tmp_path: Path) -> None:
    store = await _store(tmp_path, "e")
    gc.disable()
    try:
        await ProjectionCache(store).get("w")
        assert not gc.isenabled()
    finally:
        gc.enable()
    await store.close()

"""The write turn: a write prepared again after another process wrote is never refused when
every writer of the SQLite file is a graphsvc service (two workers of ``serve --workers 2``).

"Our" service reads the workspace version through ``Interrupted``, a real SQLite store that
starts a write of the other service right after each version read, as a busy second worker
would, and gives it up to ``LET_IN`` seconds to land. Without the turn that write lands every
time, our every preparation is stale, and ours is refused after ``MAX_ATTEMPTS``; with it,
the other write waits while we hold the turn for our second preparation and its apply.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from graphsvc.domain.enums import EntityKind
from graphsvc.services.graph import GraphService
from graphsvc.store.sqlite import SqliteStore
from tests.factories import kaito_document

LET_IN = 0.3
"""Seconds the other write is given to land after each of our version reads."""


class Interrupted(SqliteStore):
    """A real SQLite store after whose every version read another service writes."""

    def __init__(self, path: str, other: GraphService) -> None:
        super().__init__(path)
        self.other = other
        self.writes: list[asyncio.Task[object]] = []

    async def version(self, workspace: str) -> int:
        version = await super().version(workspace)
        title = f"CFO {len(self.writes)}"
        write = asyncio.ensure_future(
            self.other.update(workspace, EntityKind.PERSON, "p-cfo", {"title": title})
        )
        self.writes.append(write)
        await asyncio.wait([write], timeout=LET_IN)
        return version


@pytest.fixture
async def theirs(tmp_path: Path) -> AsyncIterator[GraphService]:
    """The other worker's service: its own store object and connections on the same file."""
    store = SqliteStore(str(tmp_path / "shared.db"))
    await store.open()
    try:
        await GraphService(store).import_document("default", kaito_document())
        yield GraphService(store)
    finally:
        await store.close()


async def test_a_write_another_worker_keeps_overtaking_lands_on_its_second_preparation(
    tmp_path: Path, theirs: GraphService
) -> None:
    # given our service, whose every version read is followed by the other's write
    store = Interrupted(str(tmp_path / "shared.db"), theirs)
    await store.open()
    try:
        # when we retitle the CIO
        updated = await GraphService(store).update(
            "default", EntityKind.PERSON, "p-cio", {"title": "CIO & CDO"}
        )

        # then it landed, and so did every write of the other service
        assert updated.title == "CIO & CDO"
        await asyncio.gather(*store.writes)
        stored = await store.get("default", EntityKind.PERSON, ["p-cio", "p-cfo"])
        assert stored["p-cio"].title == "CIO & CDO"
        assert stored["p-cfo"].title.startswith("CFO ")
    finally:
        await store.close()


async def test_the_write_turn_of_a_sqlite_store_excludes_another_handle_on_the_file(
    tmp_path: Path,
) -> None:
    # given two handles on one store file, as two processes would have
    path = str(tmp_path / "graph.db")
    first, second = SqliteStore(path), SqliteStore(path)
    await first.open()
    await second.open()
    try:
        # when one holds the write turn, the other's turn waits until it is given back
        waiting: asyncio.Future[None]
        async with first.write_turn():

            async def take() -> None:
                async with second.write_turn():
                    pass

            waiting = asyncio.ensure_future(take())
            await asyncio.sleep(0.05)
            assert not waiting.done()
        await asyncio.wait_for(waiting, 5)

        # and it is a lock file beside the store
        assert os.path.exists(f"{path}-writer")  # noqa: ASYNC240 -- one stat, in a test
    finally:
        await first.close()
        await second.close()

"""Service fixtures: a ``GraphService`` over each real store (a SQLite file, the test Neo4j)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from graphsvc.services.graph import GraphService
from graphsvc.store.base import GraphStore
from tests.services.held_store import HeldAtApply


@pytest.fixture
def service(store: GraphStore) -> GraphService:
    """The service under test, writing to each real store in turn (see ``store``)."""
    return GraphService(store)


@pytest.fixture
def shared_db(tmp_path: Path) -> str:
    """An SQLite file that several store handles (processes, in effect) of a test open."""
    return str(tmp_path / "shared.db")


@pytest.fixture
async def held(shared_db: str) -> AsyncIterator[HeldAtApply]:
    """``HeldAtApply`` over ``shared_db``: its first apply waits until the test releases it
    (released at the end in any case, so that closing never waits for a held write)."""
    store = HeldAtApply(shared_db)
    await store.open()
    try:
        yield store
    finally:
        store.release.set()
        await store.close()

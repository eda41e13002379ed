"""Shared fixtures: real stores on real files (or a real Neo4j server) and unique workspaces.

``store`` runs a test once per store implementation (``[sqlite]``, ``[neo4j]``). The Neo4j
server is the in-process one ``tests.neo4j.server`` starts for the run (or the one
``GRAPHSVC_TEST_NEO4J_URI`` names); without Java and Maven its cases skip, except in CI. Tests
take their workspace names from ``workspace`` / ``new_workspace`` so that the ``store``
fixture can drop exactly those afterwards: tests share a Neo4j server and must clean up.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from graphsvc.store.base import GraphStore
from tests.api.conftest import Api, api_settings, running_api
from tests.factories import kaito_document
from tests.neo4j.server import (  # noqa: F401  (pytest finds hooks by name)
    pytest_collection_modifyitems,
    pytest_configure,
    pytest_runtest_logreport,
    pytest_sessionfinish,
    pytest_terminal_summary,
    pytest_unconfigure,
)

NEO4J_SKIP_REASON = (
    "no Neo4j server: install Java 17+ and Maven (make test starts one), "
    "or set GRAPHSVC_TEST_NEO4J_URI, GRAPHSVC_TEST_NEO4J_USER, GRAPHSVC_TEST_NEO4J_PASSWORD"
)


STORES = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("neo4j", id="neo4j", marks=pytest.mark.neo4j),
]
"""The parameters of every fixture that runs a test once per store."""


async def drop_workspaces(store: GraphStore, workspaces: list[str]) -> None:
    """Drop the workspaces a test used: tests share the Neo4j server."""
    for name in workspaces:
        await store.drop_workspace(name)


async def drop_and_close(store: GraphStore, workspaces: list[str]) -> None:
    """``drop_workspaces``, then close the store."""
    try:
        await drop_workspaces(store, workspaces)
    finally:
        await store.close()


@pytest.fixture
def _used_workspaces() -> list[str]:
    """The workspace names handed out in this test, for the store fixture to drop."""
    return []


@pytest.fixture
def new_workspace(_used_workspaces: list[str]) -> Callable[[], str]:
    """Call it for a fresh, unique workspace name (tests of isolation need several)."""

    def make() -> str:
        name = f"test-{uuid.uuid4().hex[:16]}"
        _used_workspaces.append(name)
        return name

    return make


@pytest.fixture
def workspace(new_workspace: Callable[[], str]) -> str:
    """A workspace name no other test uses."""
    return new_workspace()


@pytest.fixture
async def sqlite_store(tmp_path: Path) -> AsyncIterator[GraphStore]:
    """An opened ``SqliteStore`` on a fresh file in ``tmp_path``, closed afterwards."""
    from graphsvc.store.sqlite import SqliteStore

    store = SqliteStore(str(tmp_path / "graph.db"))
    await store.open()
    try:
        yield store
    finally:
        await store.close()


def neo4j_settings() -> dict[str, str]:
    """``Settings`` fields naming the test Neo4j server (skips the test when there is none)."""
    uri = os.environ.get("GRAPHSVC_TEST_NEO4J_URI")
    if not uri:
        pytest.skip(NEO4J_SKIP_REASON)
    return {
        "store": uri,
        "neo4j_user": os.environ.get("GRAPHSVC_TEST_NEO4J_USER", "neo4j"),
        "neo4j_password": os.environ.get("GRAPHSVC_TEST_NEO4J_PASSWORD", ""),
        "neo4j_database": os.environ.get("GRAPHSVC_TEST_NEO4J_DATABASE", "neo4j"),
    }


async def _neo4j_store() -> GraphStore:
    from graphsvc.store.neo4j import Neo4jStore

    settings = neo4j_settings()
    store: GraphStore = Neo4jStore(
        settings["store"],
        user=settings["neo4j_user"],
        password=settings["neo4j_password"],
        database=settings["neo4j_database"],
    )
    await store.migrate()
    await store.open()
    return store


async def second_handle(store: GraphStore) -> GraphStore:
    """Another opened store on the same data as ``store``: what a second process sees."""
    from graphsvc.store.sqlite import SqliteStore

    if isinstance(store, SqliteStore):
        other: GraphStore = SqliteStore(store.path)
        await other.open()
        return other
    return await _neo4j_store()


@pytest.fixture(params=STORES)
async def store(
    request: pytest.FixtureRequest, tmp_path: Path, _used_workspaces: list[str]
) -> AsyncIterator[GraphStore]:
    """Each store implementation in turn, opened; the test's workspaces are dropped after."""
    opened: GraphStore
    if request.param == "sqlite":
        from graphsvc.store.sqlite import SqliteStore

        opened = SqliteStore(str(tmp_path / "graph.db"))
        await opened.open()
    else:
        opened = await _neo4j_store()
    try:
        yield opened
    finally:
        await drop_and_close(opened, _used_workspaces)


@pytest.fixture(params=STORES)
async def store_settings(
    request: pytest.FixtureRequest, tmp_path: Path, _used_workspaces: list[str]
) -> AsyncIterator[dict[str, str]]:
    """``Settings`` fields for an app on each store in turn: a fresh SQLite file, or the test
    Neo4j server (migrated; the test's workspaces are dropped after, as ``store`` does)."""
    if request.param == "sqlite":
        yield {"store": f"sqlite:///{tmp_path / 'app.db'}"}
        return
    admin = await _neo4j_store()
    try:
        yield neo4j_settings()
    finally:
        await drop_and_close(admin, _used_workspaces)


@pytest.fixture
async def kaito_api(
    tmp_path: Path, workspace: str, store_settings: dict[str, str]
) -> AsyncIterator[Api]:
    """The API over each store (SQLite, then Neo4j) with the Kaito group imported."""
    settings = api_settings(tmp_path, workspace, store_settings)
    async with running_api(settings, kaito_document()) as api:
        yield api

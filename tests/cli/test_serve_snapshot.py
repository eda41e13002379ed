"""A real ``graphsvc serve`` restarted from its projection snapshot (issue 14, item 4).

The first start builds the projection and saves it into the store; writes then reach the
store from another process while no server runs; the restarted server loads the snapshot
(no build), catches up from the change log, and its routes and power maps are those of an
app that builds its projection from the store now. Its shutdown saves the caught-up one.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from graphsvc.domain.auth import Role
from graphsvc.domain.enums import EntityKind
from graphsvc.services.graph import GraphService
from graphsvc.store.sqlite import SqliteStore
from tests.api.answers import without_cost
from tests.api.conftest import api_settings, running_api
from tests.factories import knows
from tests.processes import load_kaito, serving

pytestmark = [pytest.mark.slow, pytest.mark.reliability]

QUERIES = {
    "routes": '{ contactRoutes(to: "p-cio", k: 3) { score people { id } hops { type strength } } }',
    "routes to the new one": '{ contactRoutes(to: "p-late", k: 2) { score people { id } } }',
    "power map": '{ powerMap(organizationId: "kaito") { person { id } influence brokerage '
    "formalRank hiddenInfluencer } }",
}
ENV = {"GRAPHSVC_TOKEN_BUDGET": "100000000"}


def ask(url: str, token: str) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"}
    return {
        name: without_cost(httpx.post(url, json={"query": q}, headers=headers, timeout=60).json())
        for name, q in QUERIES.items()
    }


async def built_fresh(tmp_path: Path, db: Path) -> dict[str, Any]:
    """The same queries answered by an app that builds its projection from the store now."""
    settings = api_settings(tmp_path, "default").model_copy(
        update={"store": f"sqlite:///{db}", "projection_snapshots": False}
    )
    async with running_api(settings) as api:
        return {name: without_cost(await api.post(q)) for name, q in QUERIES.items()}


async def write_elsewhere(db: Path) -> int:
    """Writes through another store handle while no server runs; the version reached."""
    store = SqliteStore(str(db))
    await store.open()
    try:
        graph = GraphService(store)
        await graph.create(
            "default",
            EntityKind.PERSON,
            {"id": "p-late", "name": "遅 一", "organizationId": "kaito", "title": "CTO"},
        )
        await graph.link("default", knows("ae-1", "p-late", 0.9))
        await graph.link("default", {"type": "INFLUENCES", "from": "p-late", "to": "p-cio"})
        await graph.update("default", EntityKind.PERSON, "p-cfo", {"stance": "BLOCKER"})
        return await store.version("default")
    finally:
        await store.close()


def snapshot_version(db: Path) -> int | None:
    with sqlite3.connect(db) as connection:
        row = connection.execute(
            "SELECT version FROM projection_snapshots WHERE workspace = 'default'"
        ).fetchone()
    return None if row is None else int(row[0])


def builds(url: str) -> str:
    metrics = httpx.get(url + "/metrics", timeout=10).text.splitlines()
    return next(line for line in metrics if line.startswith("graphsvc_projection_builds_total"))


def served(db: Path, tmp_path: Path, token: str, env: dict[str, str]) -> tuple[Any, str, str]:
    """A server started on ``db``: its answers to ``QUERIES``, its build count and its log."""
    with serving(db, tmp_path, env=env) as server:
        return ask(server.graphql_url, token), builds(server.url), server.log()


def assert_started_from_snapshot(answered: Any, built: str, log: str, fresh: Any) -> None:
    """The server loaded the snapshot, caught it up, and answered as a fresh build does."""
    assert built == "graphsvc_projection_builds_total 0.0"
    assert "projection loaded from its snapshot" in log
    assert "caught up from version" in log
    assert answered == fresh
    assert "Traceback" not in log


def test_a_restarted_server_starts_from_its_snapshot_and_answers_as_a_fresh_build(
    tmp_path: Path,
) -> None:
    # given a server's first start over the Kaito group: it builds and saves its projection
    db = tmp_path / "graph.db"
    token = asyncio.run(load_kaito(db, Role.VIEWER))
    with serving(db, tmp_path, env=ENV) as first:
        ask(first.graphql_url, token)
        deadline = time.monotonic() + 60
        while snapshot_version(db) is None:
            assert time.monotonic() < deadline, first.log()
            time.sleep(0.1)
        assert builds(first.url) == "graphsvc_projection_builds_total 1.0"
    saved = snapshot_version(db)
    # and writes made by another process after it stopped
    version = asyncio.run(write_elsewhere(db))
    assert saved is not None
    assert version > saved

    # when the server starts again
    answered, built, log = served(db, tmp_path, token, ENV)

    # then it loaded the snapshot instead of building, and answers as a fresh build does
    assert_started_from_snapshot(answered, built, log, asyncio.run(built_fresh(tmp_path, db)))
    assert answered["routes to the new one"]["data"]["contactRoutes"]  # the writes count
    # and its shutdown saved the caught-up projection for the next start
    assert snapshot_version(db) == version


def test_a_damaged_snapshot_is_not_used(tmp_path: Path) -> None:
    # given a store whose snapshot was damaged after a first start saved it
    db = tmp_path / "graph.db"
    token = asyncio.run(load_kaito(db, Role.VIEWER))
    with serving(db, tmp_path, env=ENV) as first:
        ask(first.graphql_url, token)
    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE projection_snapshots SET data = substr(data, 1, 100)")

    # when the server starts again, then it builds, and answers as a fresh build
    answered, built, log = served(db, tmp_path, token, ENV)
    assert built == "graphsvc_projection_builds_total 1.0"
    assert "projection snapshot not used" in log
    assert answered == asyncio.run(built_fresh(tmp_path, db))
    assert "Traceback" not in log


def test_a_server_without_warm_start_saves_its_snapshot_at_shutdown(tmp_path: Path) -> None:
    # given a server with GRAPHSVC_WARM_START=false: its first route builds the projection
    db = tmp_path / "graph.db"
    token = asyncio.run(load_kaito(db, Role.VIEWER))
    cold = {**ENV, "GRAPHSVC_WARM_START": "false"}
    with serving(db, tmp_path, env=cold) as first:
        ask(first.graphql_url, token)
        first_log = first.log()
    # when it stops, then it saved the projection it served
    assert snapshot_version(db) is not None
    assert "Traceback" not in first_log

    # and the next start without warm start, after writes made elsewhere, loads it and
    # catches up instead of building
    asyncio.run(write_elsewhere(db))
    answered, built, log = served(db, tmp_path, token, cold)
    assert_started_from_snapshot(answered, built, log, asyncio.run(built_fresh(tmp_path, db)))

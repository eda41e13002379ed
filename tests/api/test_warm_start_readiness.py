"""The warm start's readiness: ``/readyz`` says "starting" from the server's first request on
(issue 14, item 4). Through the real app over HTTP, on a real SQLite file."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pytest

from graphsvc.analytics.projection import Projection
from graphsvc.store.sqlite import SqliteStore
from tests.api.conftest import api_settings, running_api
from tests.factories import change_set, kaito_document


async def test_readyz_says_starting_from_the_first_request_while_the_workspaces_are_listed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a store whose list of workspaces takes a moment, and a build that takes longer
    settings = api_settings(tmp_path, "default")
    store = SqliteStore(str(tmp_path / "api.db"))
    await store.open()
    await store.apply("default", change_set(kaito_document()))
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
    async with running_api(settings) as api:
        client = api.client
        first = await client.get("/readyz")
        assert first.status_code == 503, first.json()
        assert first.json()["status"] == "starting"
        # and turns ready once the build is done
        for _ in range(600):
            if (await client.get("/readyz")).status_code == 200:
                break
            await asyncio.sleep(0.05)
        else:
            pytest.fail("/readyz never turned 200")

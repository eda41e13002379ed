"""A real ``graphsvc serve`` from a cold start (issue 14, item 4): the first contact route asked
as soon as the port accepts is the right one, ``/readyz`` turns 200, and the server built its
projection once; without the warm start, it builds on the first request instead."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import httpx
import pytest

from graphsvc.domain.auth import Role
from tests.api.answers import without_cost
from tests.api.conftest import api_settings, running_api
from tests.processes import load_kaito, serving

pytestmark = [pytest.mark.slow, pytest.mark.reliability]

ROUTE = '{ contactRoutes(to: "p-cio", k: 3) { score people { id } hops { type strength } } }'


async def _expected(tmp_path: Path, db: Path) -> dict[str, object]:
    """The same query answered in process by an app building its own projection (no
    snapshot: it neither loads one nor leaves one behind for the server under test)."""
    settings = api_settings(tmp_path, "default").model_copy(
        update={"store": f"sqlite:///{db}", "projection_snapshots": False}
    )
    async with running_api(settings) as api:
        body: dict[str, object] = without_cost(await api.post(ROUTE))
        return body


def test_serve_answers_the_first_route_at_once_from_its_one_start_up_build(
    tmp_path: Path,
) -> None:
    # given a store holding the Kaito group, a token, and the answer the route must have
    db = tmp_path / "graph.db"
    token = asyncio.run(load_kaito(db, Role.VIEWER))
    expected = asyncio.run(_expected(tmp_path, db))
    assert expected["data"], expected
    headers = {"Authorization": f"Bearer {token}"}
    env = {"GRAPHSVC_TOKEN_BUDGET": "100000000"}
    with serving(db, tmp_path, env=env) as server:
        # when the route is asked at once, then readiness
        first = httpx.post(server.graphql_url, json={"query": ROUTE}, headers=headers, timeout=60)
        deadline = time.monotonic() + 60
        while (ready := httpx.get(server.url + "/readyz", timeout=10)).status_code != 200:
            assert time.monotonic() < deadline, ready.json()
            time.sleep(0.05)
        metrics = httpx.get(server.url + "/metrics", timeout=10).text
    # then the answer is the one an app building its own projection gives
    assert first.status_code == 200
    assert without_cost(first.json()) == expected
    assert ready.json()["status"] == "ready"
    # and the route waited for the start-up build rather than starting one: one build in all
    assert "graphsvc_projection_builds_total 1.0" in metrics.splitlines()
    assert "Traceback" not in server.log()


def test_serve_without_warm_start_builds_on_the_first_request(tmp_path: Path) -> None:
    # given the same store, served with GRAPHSVC_WARM_START=false
    db = tmp_path / "graph.db"
    token = asyncio.run(load_kaito(db, Role.VIEWER))
    expected = asyncio.run(_expected(tmp_path, db))
    env = {"GRAPHSVC_TOKEN_BUDGET": "100000000", "GRAPHSVC_WARM_START": "false"}
    with serving(db, tmp_path, env=env) as server:
        # when nothing has asked yet, then no build ran; the first route builds and answers
        before = httpx.get(server.url + "/metrics", timeout=10).text
        assert "graphsvc_projection_builds_total 0.0" in before.splitlines()
        ready = httpx.get(server.url + "/readyz", timeout=10)
        assert ready.status_code == 200
        first = httpx.post(
            server.graphql_url,
            json={"query": ROUTE},
            headers={"Authorization": f"Bearer {token}"},
            timeout=60,
        )
        after = httpx.get(server.url + "/metrics", timeout=10).text
    assert without_cost(first.json()) == expected
    assert "graphsvc_projection_builds_total 1.0" in after.splitlines()

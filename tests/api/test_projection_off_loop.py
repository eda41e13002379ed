"""Projection builds, catch-ups and writes no longer hold up other requests (issue 14,
items 4 and 5), and the analytic queue is bounded; through the real app over HTTP.

Slow steps are made deterministic by wrapping the real ``Projection`` methods (or
``analytics.power_map``) in pure-Python busy loops: the GIL-holding kind of work that used
to stall the event loop when it ran there.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from graphsvc import analytics
from graphsvc.analytics.projection import Projection
from graphsvc.api.observability.metrics import metrics_response
from graphsvc.domain.auth import Role
from graphsvc.services.container import Services
from graphsvc.store.sqlite import SqliteStore
from tests.api.answers import without_cost
from tests.api.conftest import Served, ServeFactory, api_settings, running_api, until_queued
from tests.api.test_analytics_off_loop import SlowPowerMap
from tests.factories import change_set, document, kaito_document, person

POWER = '{ powerMap(organizationId: "kaito") { person { id } influence } }'
POWER_ALONE = '{ powerMap(organizationId: "kaito", includeSubsidiaries: false) { influence } }'
AREAS = '{ decisionAreas(organizationId: "kaito") { area } }'
PERSON = '{ person(id: "p-ceo") { id name title } }'
CREATE = """mutation { createPerson(input: {id: "p-new", name: "New Person",
  organizationId: "kaito"}) { __typename } }"""
SOON = 1.0
"""Seconds a request may take while slow work runs beside it (the work takes 2.5–3 s)."""


class Slowed:
    """A ``Projection`` method made ``seconds`` slower by busy pure-Python work first."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, name: str, seconds: float) -> None:
        self.seconds = seconds
        self.started = threading.Event()
        self.finished = threading.Event()
        real: Callable[..., Any] = getattr(Projection, name)

        def slowed(projection: Projection, *args: Any, **kwargs: Any) -> Any:
            if not self.started.is_set():  # only the first call is slow
                self.started.set()
                deadline = time.monotonic() + self.seconds
                spins = 0
                while time.monotonic() < deadline:
                    spins = (spins * 31 + 7) % 1_000_003
                result = real(projection, *args, **kwargs)
                self.finished.set()
                return result
            return real(projection, *args, **kwargs)

        monkeypatch.setattr(Projection, name, slowed)


async def _timed_person(served: Served, token: str) -> float:
    started = time.monotonic()
    body = without_cost((await served.graphql(PERSON, token=token)).json())
    took = time.monotonic() - started
    assert body == {"data": {"person": {"id": "p-ceo", "name": "山田 太郎", "title": "CEO"}}}
    return took


async def test_person_answers_while_a_projection_builds(
    serve: ServeFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    served = await serve()
    await served.seed("default", kaito_document())
    token = await served.token("default")
    slow = Slowed(monkeypatch, "add_relationship_rows", seconds=2.5)

    power = asyncio.create_task(served.graphql(POWER, token=token))
    assert await asyncio.to_thread(slow.started.wait, 10)
    took = await _timed_person(served, token)

    assert not slow.finished.is_set(), "person(id) waited for the projection build"
    assert took < SOON, f"person(id) took {took:.2f} s while a projection was built"
    body = (await power).json()
    assert "errors" not in body, body
    assert {row["person"]["id"] for row in body["data"]["powerMap"]} >= {"p-ceo"}


async def test_person_answers_while_a_projection_catches_up(
    serve: ServeFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    served = await serve()
    await served.seed("default", kaito_document())
    token = await served.token("default")
    assert "errors" not in (await served.graphql(POWER, token=token)).json()
    # A write from elsewhere (another process's services over the store): the next
    # analytic request catches the projection up from the change log.
    theirs = Services.over(served.store)
    await theirs.graph.import_document("default", document(people=[person("p-x", "kaito", "X")]))
    slow = Slowed(monkeypatch, "apply", seconds=2.5)

    areas = asyncio.create_task(served.graphql(AREAS, token=token))
    assert await asyncio.to_thread(slow.started.wait, 10)
    started = time.monotonic()
    body = without_cost(
        (await served.graphql('{ person(id: "p-cfo") { id } }', token=token)).json()
    )
    took = time.monotonic() - started

    assert body == {"data": {"person": {"id": "p-cfo"}}}
    assert not slow.finished.is_set(), "person(id) waited for the catch-up"
    assert took < SOON, f"person(id) took {took:.2f} s while a projection caught up"
    assert "errors" not in (await areas).json()
    assert served.services.analytics.projections.catch_ups == 1


async def test_a_write_answers_while_an_analytic_computes(
    serve: ServeFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    served = await serve()
    await served.seed("default", kaito_document())
    reader = await served.token("default")
    editor = await served.token("default", Role.EDITOR)
    assert "errors" not in (await served.graphql(POWER, token=reader)).json()  # built
    slow = SlowPowerMap(seconds=3.0)
    monkeypatch.setattr(analytics, "power_map", slow)

    # Not the query above (its answer is memoised for this version): computed anew.
    power = asyncio.create_task(served.graphql(POWER_ALONE, token=reader))
    assert await asyncio.to_thread(slow.started.wait, 10)
    started = time.monotonic()
    created = without_cost((await served.graphql(CREATE, token=editor)).json())
    took = time.monotonic() - started

    assert created == {"data": {"createPerson": {"__typename": "PersonPayload"}}}
    assert not slow.finished.is_set(), "the write waited for the power map"
    assert took < SOON, f"the write took {took:.2f} s while a power map computed"
    assert "errors" not in (await power).json()
    # The next analytic request sees the write (applied by the worker before computing).
    monkeypatch.setattr(analytics, "power_map", slow.real)
    body = (await served.graphql(POWER, token=reader)).json()
    assert "p-new" in {row["person"]["id"] for row in body["data"]["powerMap"]}
    assert served.services.analytics.projections.builds == 1


async def test_analytic_requests_beyond_the_queue_bound_are_refused(
    serve: ServeFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    served = await serve(analytic_queue_limit=1)
    await served.seed("default", kaito_document())
    token = await served.token("default")
    assert "errors" not in (await served.graphql(AREAS, token=token)).json()  # built
    slow = SlowPowerMap(seconds=3.0)
    monkeypatch.setattr(analytics, "power_map", slow)
    worker = served.services.analytics.worker

    running = asyncio.create_task(served.graphql(POWER, token=token))
    assert await asyncio.to_thread(slow.started.wait, 10)
    waiting = asyncio.create_task(served.graphql(AREAS, token=token))
    await until_queued(worker)
    started = time.monotonic()
    answer = await served.graphql(AREAS, token=token)
    took = time.monotonic() - started
    refused = answer.json()

    assert took < SOON, "the refusal waited for the worker"
    assert answer.status_code == 503  # CONTRACT §11: not an unbounded wait
    assert int(answer.headers["retry-after"]) >= 1
    assert refused["data"] is None or refused["data"].get("decisionAreas") is None
    [error] = refused["errors"]
    assert error["extensions"]["code"] == "OVERLOADED"
    assert "1 analytic computations are already waiting" in error["message"]
    assert "GRAPHSVC_ANALYTIC_QUEUE_LIMIT = 1" in error["message"]
    assert "errors" not in (await running).json()
    assert "errors" not in (await waiting).json()
    assert worker.waiting == 0
    # Once the queue has room again, the same request is answered.
    assert "errors" not in (await served.graphql(AREAS, token=token)).json()


async def test_the_projection_is_built_at_start_up_and_readyz_says_when(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = api_settings(tmp_path, "default")
    seeded = SqliteStore(str(tmp_path / "api.db"))
    await seeded.open()
    await seeded.apply("default", change_set(kaito_document()))
    await seeded.close()
    slow = Slowed(monkeypatch, "add_relationship_rows", seconds=2.0)
    builds_before = _builds(bytes(metrics_response().body).decode())

    async with running_api(settings) as api:
        # Started by the server itself, before any request asked for it.
        assert await asyncio.to_thread(slow.started.wait, 10)
        starting = await api.client.get("/readyz")
        assert starting.status_code == 503
        assert starting.json()["status"] == "starting"
        assert (
            "building the analytic projection of workspace 'default'" in (starting.json()["reason"])
        )
        # A request meanwhile waits for that build and gets the right answer.
        body = await api.post(POWER)
        assert "errors" not in body, body
        assert {row["person"]["id"] for row in body["data"]["powerMap"]} >= {"p-ceo"}
        ready = await api.client.get("/readyz")
        assert ready.status_code == 200, ready.json()
        assert ready.json()["status"] == "ready"
        # That one build: the request did not start another.
        assert _builds((await api.client.get("/metrics")).text) == builds_before + 1


def _builds(exposition: str) -> float:
    for line in exposition.splitlines():
        if line.startswith("graphsvc_projection_builds_total "):
            return float(line.split()[1])
    return 0.0

"""Identical analytic questions asked at once are computed once (``services.memo``), on
every store; never across a write: a request asked after a write gets an answer that
includes it.

The power map is held in the worker (a gate around the real ``analytics.power_map``) so
that the second request surely arrives while the first is being computed.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from graphsvc import analytics
from graphsvc.analytics.cancel import AnalyticCancelled, checkpoint
from graphsvc.services.container import Services
from graphsvc.store.base import GraphStore
from tests.factories import document, kaito_document, knows, person

WAIT = 10.0
"""Seconds a test waits for something that should happen (far more than it takes)."""


class GatedPowerMap:
    """``analytics.power_map`` that, once started, waits for ``release`` (checking for
    cancellation meanwhile, as real work does) before it computes the real answer."""

    def __init__(self) -> None:
        self.calls = 0
        self.started = threading.Event()
        self.release = threading.Event()
        self.cancelled = threading.Event()
        self.real: Callable[..., Any] = analytics.power_map

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        self.started.set()
        try:
            while not self.release.wait(0.01):
                checkpoint()
        except AnalyticCancelled:
            self.cancelled.set()
            raise
        return self.real(*args, **kwargs)


@pytest.fixture
async def services(store: GraphStore, workspace: str) -> AsyncIterator[Services]:
    services = Services.over(store)
    await services.graph.import_document(workspace, kaito_document())
    yield services
    services.analytics.worker.close()


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> GatedPowerMap:
    gated = GatedPowerMap()
    monkeypatch.setattr(analytics, "power_map", gated)
    return gated


async def _until(condition: Callable[[], bool]) -> None:
    async with asyncio.timeout(WAIT):
        while not condition():  # noqa: ASYNC110 - a counter of the service, not an event
            await asyncio.sleep(0.01)


async def _expected(services: Services, workspace: str, gate: GatedPowerMap) -> list[Any]:
    """The power map of kaito computed directly from the served projection, as it is now."""
    projection = await services.analytics.projections.get(workspace)
    return await services.analytics.worker.run(lambda: gate.real(projection, "kaito"))


async def _two_waiting_for_one(
    services: Services, workspace: str, gate: GatedPowerMap
) -> tuple[asyncio.Task[Any], asyncio.Task[Any]]:
    """Two requests for kaito's power map, the second joined to the first's computation,
    which the gate holds."""
    first = asyncio.create_task(services.analytics.power_map(workspace, "kaito"))
    assert await asyncio.to_thread(gate.started.wait, WAIT)
    second = asyncio.create_task(services.analytics.power_map(workspace, "kaito"))
    await _until(lambda: services.analytics.answers.shared == 1)
    return first, second


async def test_two_identical_power_maps_at_one_version_are_computed_once(
    services: Services, workspace: str, gate: GatedPowerMap
) -> None:
    # given a power map being computed
    first = asyncio.create_task(services.analytics.power_map(workspace, "kaito"))
    assert await asyncio.to_thread(gate.started.wait, WAIT)
    # when the same question is asked again before it is answered
    second = asyncio.create_task(services.analytics.power_map(workspace, "kaito"))
    await _until(lambda: services.analytics.answers.shared == 1)
    gate.release.set()
    # then both get the one computation's answer, the right one
    one, two = await asyncio.gather(first, second)
    assert gate.calls == 1
    assert one == two == await _expected(services, workspace, gate)
    assert {s.person_id for s in one} >= {"p-ceo", "p-cio"}


async def test_a_power_map_asked_after_a_write_is_computed_again_and_includes_it(
    services: Services, workspace: str, gate: GatedPowerMap
) -> None:
    # given a power map being computed
    before = asyncio.create_task(services.analytics.power_map(workspace, "kaito"))
    assert await asyncio.to_thread(gate.started.wait, WAIT)
    # when a person joins kaito, and then the same power map is asked for
    await services.graph.import_document(
        workspace, document(people=[person("p-new", "kaito", "New Person")])
    )
    after = asyncio.create_task(services.analytics.power_map(workspace, "kaito"))
    answers = services.analytics.answers
    await _until(lambda: answers.computed + answers.shared == 2)  # it started or joined one
    gate.release.set()
    # then the later request was not given the earlier computation's answer
    old, new = await asyncio.gather(before, after)
    assert services.analytics.answers.shared == 0
    assert gate.calls == 2
    assert "p-new" not in {s.person_id for s in old}
    assert "p-new" in {s.person_id for s in new}
    assert new == await _expected(services, workspace, gate)


async def test_one_caller_giving_up_leaves_the_shared_computation_to_the_other(
    services: Services, workspace: str, gate: GatedPowerMap
) -> None:
    # given two requests waiting for one power map
    first, second = await _two_waiting_for_one(services, workspace, gate)
    # when the first gives up (its time limit)
    first.cancel()
    with pytest.raises(asyncio.CancelledError):
        await first
    gate.release.set()
    # then the computation went on, and the second request has its answer
    assert {s.person_id for s in await second} >= {"p-ceo", "p-cio"}
    assert not gate.cancelled.is_set()
    assert gate.calls == 1


async def test_when_every_caller_gives_up_the_work_stops_and_the_next_request_starts_afresh(
    services: Services, workspace: str, gate: GatedPowerMap
) -> None:
    # given two requests waiting for one power map
    first, second = await _two_waiting_for_one(services, workspace, gate)
    # when both give up
    for waiting in (first, second):
        waiting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiting
    # then the computation stops at its next checkpoint
    assert await asyncio.to_thread(gate.cancelled.wait, WAIT)
    # and the same question asked again is computed anew, not joined to the stopped one
    gate.release.set()
    again = await services.analytics.power_map(workspace, "kaito")
    assert {s.person_id for s in again} >= {"p-ceo", "p-cio"}
    assert gate.calls == 2


async def test_an_analytic_asked_while_a_write_waits_for_the_worker_includes_the_write(
    services: Services, workspace: str, gate: GatedPowerMap
) -> None:
    # given the worker busy with a power map, and a write queued behind it: a new person
    # whom our BDR knows
    busy = asyncio.create_task(services.analytics.power_map(workspace, "kaito"))
    assert await asyncio.to_thread(gate.started.wait, WAIT)
    await services.graph.import_document(
        workspace,
        document(
            people=[person("p-new", "kaito", "New Person")],
            relationships=[knows("ae-1", "p-new", 0.9)],
        ),
    )
    # when routes to that person are asked for (the request no longer waits for the queued
    # write to be applied before it queues its own computation)
    routes = asyncio.create_task(services.analytics.contact_routes(workspace, to="p-new"))
    await _until(lambda: services.analytics.worker.waiting == 1)  # queued behind the map
    gate.release.set()
    await busy
    found = await routes
    # then its computation saw the write (before it, "p-new" was an unknown person)
    assert found[0].people == ("ae-1", "p-new")

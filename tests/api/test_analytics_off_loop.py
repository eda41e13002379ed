"""Analytic work runs off the event loop (issue 14, item 5), through the real app over HTTP.

A slow power map is made deterministic by wrapping the real ``analytics.power_map`` in a
pure-Python busy loop (the GIL-holding kind of work that used to stall the loop) that calls
``checkpoint`` like the real long loops do. While it runs, ``person(id)`` must answer; when
the analytic time limit passes, the request must answer LIMIT_EXCEEDED and the work itself
must stop soon after (the worker is free again).
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

from graphsvc import analytics
from graphsvc.analytics.cancel import AnalyticCancelled, checkpoint
from tests.api.answers import without_cost
from tests.api.conftest import ServeFactory
from tests.factories import kaito_document

POWER = '{ powerMap(organizationId: "kaito") { person { id } influence } }'
PERSON = '{ person(id: "p-ceo") { id name title } }'


class SlowPowerMap:
    """``analytics.power_map`` after ``seconds`` of busy pure-Python work with checkpoints."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.started = threading.Event()
        self.finished = threading.Event()
        self.cancelled = threading.Event()
        self.stopped_at = 0.0
        self.real: Callable[..., Any] = analytics.power_map

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.started.set()
        deadline = time.monotonic() + self.seconds
        try:
            spins = 0
            while time.monotonic() < deadline:
                spins = (spins * 31 + 7) % 1_000_003  # pure Python: holds the GIL
                checkpoint()
            return self.real(*args, **kwargs)
        except AnalyticCancelled:
            self.cancelled.set()
            raise
        finally:
            self.stopped_at = time.monotonic()
            self.finished.set()


async def test_person_answers_while_a_power_map_computes(
    serve: ServeFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    served = await serve()
    await served.seed("default", kaito_document())
    token = await served.token("default")
    slow = SlowPowerMap(seconds=3.0)
    monkeypatch.setattr(analytics, "power_map", slow)

    power = asyncio.create_task(served.graphql(POWER, token=token))
    assert await asyncio.to_thread(slow.started.wait, 10)
    started = time.monotonic()
    person = await served.graphql(PERSON, token=token)
    took = time.monotonic() - started

    assert without_cost(person.json()) == {
        "data": {"person": {"id": "p-ceo", "name": "山田 太郎", "title": "CEO"}}
    }
    assert not slow.finished.is_set(), "person(id) waited for the power map to finish"
    assert took < 1.0, f"person(id) took {took:.2f} s while a power map computed"
    body = (await power).json()
    assert "errors" not in body, body
    assert {row["person"]["id"] for row in body["data"]["powerMap"]} >= {"p-ceo"}


async def test_the_time_limit_stops_the_work(
    serve: ServeFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    served = await serve(analytic_timeout_seconds=0.5)
    await served.seed("default", kaito_document())
    token = await served.token("default")
    slow = SlowPowerMap(seconds=8.0)
    monkeypatch.setattr(analytics, "power_map", slow)

    started = time.monotonic()
    body = (await served.graphql(POWER, token=token)).json()
    answered = time.monotonic()

    assert [e["extensions"]["code"] for e in body["errors"]] == ["LIMIT_EXCEEDED"]
    assert "powerMap took longer than 0.5 s" in body["errors"][0]["message"]
    assert answered - started < 3.0, f"the limit answered after {answered - started:.2f} s"
    assert await asyncio.to_thread(slow.finished.wait, 2.0), "the work went on after the limit"
    assert slow.cancelled.is_set()
    assert slow.stopped_at - answered < 1.0

    # The worker is free again: the next analytic request is answered (by the real analytics).
    monkeypatch.setattr(analytics, "power_map", slow.real)
    again = (await served.graphql(POWER, token=token)).json()
    assert "errors" not in again, again

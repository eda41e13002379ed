"""Overload (CONTRACT §11, issue 16): a refusal's Retry-After says how long the analytic
worker needs for what it holds, from the recent duration of analytic computations."""

from __future__ import annotations

import asyncio
import math

import pytest

from graphsvc import analytics
from tests.api.conftest import ServeFactory, until_queued
from tests.api.test_analytics_off_loop import SlowPowerMap
from tests.factories import kaito_document

POWER = '{ powerMap(organizationId: "kaito") { person { id } influence } }'
POWER_ALONE = '{ powerMap(organizationId: "kaito", includeSubsidiaries: false) { influence } }'
AREAS = '{ decisionAreas(organizationId: "kaito") { area } }'


async def test_retry_after_is_the_time_the_worker_needs_for_what_it_holds(
    serve: ServeFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    served = await serve(analytic_queue_limit=1)
    await served.seed("default", kaito_document())
    token = await served.token("default")
    slow = SlowPowerMap(seconds=1.0)
    monkeypatch.setattr(analytics, "power_map", slow)
    worker = served.services.analytics.worker
    # One computation of ~1 s finished: the recent mean is that.
    assert "errors" not in (await served.graphql(POWER, token=token)).json()
    mean = worker.mean_seconds
    assert mean is not None
    assert mean >= 1.0

    slow.started.clear()
    running = asyncio.create_task(served.graphql(POWER_ALONE, token=token))
    assert await asyncio.to_thread(slow.started.wait, 10)
    waiting = asyncio.create_task(served.graphql(AREAS, token=token))
    await until_queued(worker)
    answer = await served.graphql(AREAS, token=token)

    # One waiting and one running at the mean each (~2 s), rounded up to whole seconds; no
    # computation finished in between, so the mean is still the one read above.
    assert answer.status_code == 503
    retry_after = int(answer.headers["retry-after"])
    assert retry_after == math.ceil(2 * mean)
    assert retry_after >= 2
    [error] = answer.json()["errors"]
    assert error["extensions"]["code"] == "OVERLOADED"
    assert f"recently about {mean * 1000:,.0f} ms each" in error["message"]
    assert f"try again in {retry_after} s (Retry-After)" in error["message"]
    assert "errors" not in (await running).json()
    assert "errors" not in (await waiting).json()

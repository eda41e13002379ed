"""An analytic answer joined with people who are deleted while it is computed (found by the
soak, bench/soak.py: ``powerMap`` failed with INTERNAL when a person of its scope was deleted
between the computation and the read of the scored people)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any

import pytest

from graphsvc import analytics
from tests.api.conftest import ServeFactory
from tests.factories import kaito_document

POWER = '{ powerMap(organizationId: "kaito") { person { id } influence } }'
CREATE = """mutation { createPerson(input: {id: "p-new", name: "New Person",
  organizationId: "kaito"}) { __typename } }"""
DELETE = 'mutation { deletePerson(id: "p-new") { __typename ... on Error { code message } } }'


class HeldPowerMap:
    """``analytics.power_map``, whose first answer is held back until ``release`` is set."""

    def __init__(self) -> None:
        self.computed = threading.Event()
        self.release = threading.Event()
        self.calls = 0
        self.real: Callable[..., Any] = analytics.power_map

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        result = self.real(*args, **kwargs)
        if self.calls == 1:
            self.computed.set()
            self.release.wait(10)
        return result


async def test_a_person_deleted_while_the_power_map_computes_is_not_an_internal_error(
    serve: ServeFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    served = await serve()
    await served.seed("default", kaito_document())
    token = await served.token("default", "editor")
    assert (await served.graphql(CREATE, token=token)).json()["data"]["createPerson"] == {
        "__typename": "PersonPayload"
    }
    held = HeldPowerMap()
    monkeypatch.setattr(analytics, "power_map", held)

    power = asyncio.create_task(served.graphql(POWER, token=token))
    assert await asyncio.to_thread(held.computed.wait, 10)
    deleted = (await served.graphql(DELETE, token=token)).json()
    assert deleted["data"]["deletePerson"]["__typename"] == "Deleted", deleted
    held.release.set()
    answer = await power

    assert answer.status_code == 200
    body = answer.json()
    assert "errors" not in body, body
    people = {row["person"]["id"] for row in body["data"]["powerMap"]}
    assert "p-new" not in people  # the answer is computed again without the deleted person
    assert {"p-ceo", "p-cio", "p-eng", "p-log"} <= people
    assert held.calls == 2

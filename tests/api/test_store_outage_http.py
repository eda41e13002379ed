"""The HTTP answers of a store outage, in process (the same against a real Neo4j that is
killed or frozen is ``test_neo4j_outage.py``): the authentication middleware answers 503
``STORE_UNAVAILABLE`` with ``Retry-After`` in the JSON error envelope for a token it cannot
check, a verified token keeps working, analytic answers come from the projection marked in
``extensions.projection``, and record reads report the outage.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager

from graphsvc.api.app import create_app
from graphsvc.config import Settings
from graphsvc.domain.auth import Role
from graphsvc.services.container import Services
from graphsvc.services.tokens import TokenService
from tests.factories import kaito_document
from tests.unreachable_store import Unreachable

pytestmark = pytest.mark.reliability


async def _post(client: httpx.AsyncClient, token: str, query: str) -> httpx.Response:
    return await client.post(
        "/graphql", json={"query": query}, headers={"Authorization": f"Bearer {token}"}
    )


@pytest.fixture
async def app_over(tmp_path: Path) -> AsyncIterator[tuple[httpx.AsyncClient, Unreachable]]:
    store = Unreachable(str(tmp_path / "graph.db"))
    await store.open()
    services = Services.over(store)
    await services.graph.import_document("default", kaito_document())
    app = create_app(Settings(store=f"sqlite:///{tmp_path / 'graph.db'}"), services=services)
    async with (
        LifespanManager(app) as manager,
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=manager.app), base_url="http://testserver"
        ) as client,
    ):
        yield client, store
    store.down = False
    await store.close()


async def test_a_store_outage_over_http(app_over: tuple[httpx.AsyncClient, Unreachable]) -> None:
    client, store = app_over
    tokens = TokenService(store)
    seen = (await tokens.create("default", Role.VIEWER)).secret
    unseen = (await tokens.create("default", Role.VIEWER)).secret
    before = await _post(client, seen, "{ categories }")
    assert before.status_code == 200, before.text
    assert "extensions" not in before.json() or "projection" not in before.json()["extensions"]

    # when the store becomes unreachable
    store.down = True

    # then a token the server never checked gets 503 from the middleware, with Retry-After
    refused = await _post(client, unseen, "{ categories }")
    assert refused.status_code == 503
    assert refused.headers["retry-after"] == "1"
    assert refused.json() == {
        "errors": [
            {
                "message": f"store {store.url} is unreachable (test)",
                "extensions": {"code": "STORE_UNAVAILABLE"},
            }
        ]
    }
    # and the verified one gets the analytic answer from the projection, marked
    stale = await _post(client, seen, "{ categories }")
    assert stale.status_code == 200, stale.text
    assert stale.json()["data"] == before.json()["data"]
    assert stale.json()["extensions"]["projection"] == {"version": 1, "storeReachable": False}
    # and a record read reports the outage
    record = await _post(client, seen, '{ person(id: "p-ceo") { id } }')
    assert record.status_code == 503, record.text
    assert [e["extensions"]["code"] for e in record.json()["errors"]] == ["STORE_UNAVAILABLE"]

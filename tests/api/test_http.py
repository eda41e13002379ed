"""The HTTP surface: health, GraphiQL, the store's lifecycle and the error policy."""

from __future__ import annotations

import logging
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager

from graphsvc.api.app import create_app
from graphsvc.domain.changes import ChangeSet
from graphsvc.domain.enums import EntityKind
from graphsvc.services.graph import GraphService
from tests.api.conftest import Api, api_settings
from tests.factories import dept, org


async def test_healthz_answers_ok(api: Api) -> None:
    response = await api.client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_a_browser_opening_graphql_gets_graphiql(api: Api) -> None:
    response = await api.client.get("/graphql", headers={"Accept": "text/html"})

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "graphiql" in response.text.lower()


async def test_the_lifespan_opens_the_configured_store_and_closes_it(
    tmp_path: Path, workspace: str
) -> None:
    # given an app on a SQLite file that does not exist yet
    app = create_app(api_settings(tmp_path, workspace))

    # when it starts and serves a write
    async with (
        LifespanManager(app) as manager,
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=manager.app), base_url="http://127.0.0.1"
        ) as client,
    ):
        mutation = 'mutation { createOrganization(input: {id: "us", name: "Us", kind: SELF}) {'
        response = await client.post("/graphql", json={"query": mutation + " __typename } }"})
        assert response.json()["data"]["createOrganization"]["__typename"] == (
            "OrganizationPayload"
        )
        service: GraphService = app.state.services.graph

    # then the file holds the write, and the store was closed (it can be opened afresh)
    assert (tmp_path / "api.db").exists()
    await service.store.open()
    try:
        found = await service.get(workspace, EntityKind.ORGANIZATION, ["us"])
        assert found["us"].name == "Us"
    finally:
        await service.store.close()


async def test_an_unexpected_failure_is_masked_for_the_client_and_logged(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    # given a department whose organization is missing, written past the service's checks
    await api.service.store.apply(
        api.workspace,
        ChangeSet(
            upserts={
                EntityKind.ORGANIZATION: [org("kaito")],
                EntityKind.DEPARTMENT: [dept("d-orphan", "ghost-org")],
            }
        ),
    )

    # when a client navigates to it
    with caplog.at_level(logging.ERROR, logger="graphsvc.api"):
        errors = await api.errors('{ department(id: "d-orphan") { name organization { id } } }')

    # then the client learns nothing internal, and the server log has the details
    assert errors == [
        {
            "message": "Unexpected error.",
            "locations": [{"line": 1, "column": 37}],
            "path": ["department", "organization"],
            "extensions": {"code": "INTERNAL"},
        }
    ]
    logged = [r for r in caplog.records if r.name == "graphsvc.api"]
    assert any("ghost-org" in r.getMessage() and r.exc_info for r in logged)


async def test_a_client_mistake_keeps_its_message_and_code(api: Api) -> None:
    errors = await api.errors('{ people(first: 10, after: "not-a-cursor") { totalCount } }')

    assert errors[0]["message"] == "after: 'not-a-cursor' is not a cursor returned by this API"
    assert errors[0]["extensions"] == {"code": "INVALID"}
    assert errors[0]["path"] == ["people"]


async def test_a_malformed_query_is_reported_not_masked(api: Api) -> None:
    errors = await api.errors("{ person(id: 1) { nickname } }")

    assert "nickname" in errors[0]["message"]

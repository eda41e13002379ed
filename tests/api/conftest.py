"""The API under test: the real app on a real SQLite file, driven through real HTTP requests.

``api`` starts ``create_app`` with its own lifespan (which opens the store named by the
settings) and talks to it with ``httpx`` over the ASGI transport. ``kaito`` is the same API
with the Kaito group of ``tests.factories`` imported into the test's workspace.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager

from graphsvc.api.app import create_app
from graphsvc.config import Settings
from graphsvc.services.graph import GraphService
from tests.factories import kaito_document


@dataclass
class Api:
    """A client of one running app, in one workspace."""

    client: httpx.AsyncClient
    service: GraphService
    workspace: str

    async def post(self, query: str, **variables: Any) -> dict[str, Any]:
        """The JSON body of a GraphQL POST (asserting the HTTP exchange itself succeeded)."""
        response = await self.client.post("/graphql", json={"query": query, "variables": variables})
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def data(self, query: str, **variables: Any) -> dict[str, Any]:
        """The ``data`` of a GraphQL request that must not report any error."""
        body = await self.post(query, **variables)
        assert "errors" not in body, body["errors"]
        result: dict[str, Any] = body["data"]
        return result

    async def errors(self, query: str, **variables: Any) -> list[dict[str, Any]]:
        """The ``errors`` of a GraphQL request that must report some."""
        body = await self.post(query, **variables)
        assert body.get("errors"), body
        errors: list[dict[str, Any]] = body["errors"]
        return errors


def api_settings(tmp_path: Path, workspace: str, store: dict[str, str] | None = None) -> Settings:
    """Settings of a test app: its own SQLite file (or ``store``'s fields, from the
    ``store_settings`` fixture), the test's workspace, loopback without auth."""
    return Settings(
        **(store or {"store": f"sqlite:///{tmp_path / 'api.db'}"}),
        workspace=workspace,
        host="127.0.0.1",
        auth="off",
    )


@pytest.fixture
async def api(tmp_path: Path, workspace: str) -> AsyncIterator[Api]:
    """The app, started through its lifespan on a fresh SQLite file, with an HTTP client."""
    app = create_app(api_settings(tmp_path, workspace))
    async with (
        LifespanManager(app) as manager,
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=manager.app), base_url="http://127.0.0.1"
        ) as client,
    ):
        yield Api(client=client, service=app.state.services.graph, workspace=workspace)


@pytest.fixture
async def kaito(api: Api) -> Api:
    """The API with the Kaito group imported."""
    await api.service.import_document(api.workspace, kaito_document())
    return api

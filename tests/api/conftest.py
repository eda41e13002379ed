"""The API under test: the real app on a real SQLite file, driven through real HTTP requests.

``api`` starts ``create_app`` with its own lifespan (which opens the store named by the
settings) and talks to it with ``httpx`` over the ASGI transport. ``kaito`` is the same API
with the Kaito group of ``tests.factories`` imported into the test's workspace.

``served`` (``serve`` for other settings) is the app with authentication on. It hands the test
an HTTP client, the app's store wrapped in a call recorder (``CountingStore``), and a second
handle on the same SQLite file, the way a local administrator's ``graphsvc token create``
reaches the store: tokens are issued there, records seeded there, and the effect of a request
is checked there, independently of the API.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager

from graphsvc.api.app import create_app
from graphsvc.config import Settings
from graphsvc.domain.auth import Role
from graphsvc.domain.models import GraphDocument
from graphsvc.services.container import Services
from graphsvc.services.graph import GraphService
from graphsvc.services.tokens import TokenService
from graphsvc.services.worker import AnalyticWorker
from graphsvc.store.base import GraphStore
from graphsvc.store.sqlite import SqliteStore
from tests.factories import change_set, kaito_document


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


@asynccontextmanager
async def running_api(settings: Settings, doc: GraphDocument | None = None) -> AsyncIterator[Api]:
    """The app on ``settings``, started through its lifespan, with an HTTP client; ``doc``
    imported into the settings' workspace first when given."""
    app = create_app(settings)
    async with (
        LifespanManager(app) as manager,
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=manager.app), base_url="http://127.0.0.1"
        ) as client,
    ):
        api = Api(client=client, service=app.state.services.graph, workspace=settings.workspace)
        if doc is not None:
            await api.service.import_document(settings.workspace, doc)
        yield api


@pytest.fixture
async def api(tmp_path: Path, workspace: str) -> AsyncIterator[Api]:
    """The app, started through its lifespan on a fresh SQLite file, with an HTTP client."""
    async with running_api(api_settings(tmp_path, workspace)) as started:
        yield started


@pytest.fixture
async def kaito(api: Api) -> Api:
    """The API with the Kaito group imported."""
    await api.service.import_document(api.workspace, kaito_document())
    return api


async def until_queued(worker: AnalyticWorker, count: int = 1, seconds: float = 5) -> None:
    """Wait until ``count`` analytic computations wait for ``worker`` (at most ``seconds``)."""
    deadline = time.monotonic() + seconds
    while worker.waiting < count:
        assert time.monotonic() < deadline, "the request never queued for the analytic worker"
        await asyncio.sleep(0.01)


def metric_value(exposition: str, series: str) -> float:
    """The value of ``series`` (a name with its labels, as printed) in a ``/metrics`` text;
    0 when absent (a counter not incremented yet)."""
    for line in exposition.splitlines():
        if line.startswith(series + " "):
            return float(line.split()[1])
    return 0.0


@dataclass
class Served:
    """The running app, its settings, and an admin's direct handle on its store."""

    client: httpx.AsyncClient
    store: GraphStore
    settings: Settings
    counting: CountingStore
    services: Services

    async def token(self, workspace: str, role: Role | str = Role.VIEWER) -> str:
        """A fresh secret for ``workspace`` with ``role``."""
        return (await TokenService(self.store).create(workspace, role)).secret

    async def seed(self, workspace: str, doc: GraphDocument) -> None:
        """Write ``doc`` into ``workspace`` directly in the store."""
        await self.store.apply(workspace, change_set(doc))

    async def graphql(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        token: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        """POST a GraphQL operation, with ``Authorization: Bearer token`` when given."""
        sent = dict(headers or {})
        if token is not None:
            sent["Authorization"] = f"Bearer {token}"
        return await self.client.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=sent
        )


class CountingStore:
    """The real store, recording the name of every method called on it.

    Not a mock: every call goes to the real SQLite store. Limit tests use it to show that a
    refused request was refused *before* any data was read.
    """

    def __init__(self, inner: GraphStore) -> None:
        self.inner = inner
        self.calls: list[str] = []

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self.inner, name)
        if not callable(attribute) or name in {"open", "close", "ping", "migrate"}:
            return attribute
        # Token lookups are authentication, which happens before GraphQL by design.
        if name == "token_by_hash":
            return attribute

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls.append(name)
            return attribute(*args, **kwargs)

        return counted


ServeFactory = Callable[..., Any]


@pytest.fixture
async def serve(tmp_path: Path) -> AsyncIterator[ServeFactory]:
    """Call ``await serve(**settings)`` to start an app (auth on) with those settings."""
    started: list[tuple[LifespanManager, httpx.AsyncClient, GraphStore]] = []
    opened: list[GraphStore] = []

    async def start(**overrides: Any) -> Served:
        db = tmp_path / f"graph{len(started)}.db"
        settings = Settings(store=f"sqlite:///{db}", workspace="default", **overrides)
        admin = SqliteStore(str(db))
        await admin.open()
        inner = SqliteStore(str(db))
        await inner.open()  # an app given services leaves the store's lifecycle to us
        counting = CountingStore(inner)
        services = Services.over(
            counting,  # type: ignore[arg-type]
            analytic_queue_limit=settings.analytic_queue_limit,
        )
        app = create_app(settings, services=services)
        manager = LifespanManager(app)
        await manager.__aenter__()
        client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=manager.app), base_url="http://testserver"
        )
        started.append((manager, client, admin))
        opened.append(inner)
        return Served(
            client=client, store=admin, settings=settings, counting=counting, services=services
        )

    yield start
    for manager, client, admin in reversed(started):
        await client.aclose()
        await manager.__aexit__(None, None, None)
        await admin.close()
    for store in opened:
        await store.close()


@pytest.fixture
async def served(serve: ServeFactory) -> Served:
    """The app with default (safe) settings."""
    result: Served = await serve()
    return result

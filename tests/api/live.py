"""The app under uvicorn on a real loopback socket, and a hand-written graphql-transport-ws
client (https://github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md).

The server runs in the test's event loop, so a test can look at the app's services (how many
subscriptions are open, which tasks are left) while it talks to it through real sockets.
``Live.store`` is a second handle on the same SQLite file: writes through it are another
process's writes, which the server learns of only from the log.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from websockets.asyncio.client import ClientConnection, connect

from graphsvc.api.app import create_app
from graphsvc.config import Settings
from graphsvc.domain.auth import Role
from graphsvc.services.container import Services
from graphsvc.services.tokens import IssuedToken, TokenService
from graphsvc.store.sqlite import SqliteStore
from tests.processes import free_port

__all__ = ["Live", "TransportWS", "live_server"]

PROTOCOL = "graphql-transport-ws"
WAIT = 10.0
"""Seconds to wait for a message that should come (far more than it takes)."""


@dataclass
class Live:
    """A running server: its URLs, its services, and an admin's second handle on its store."""

    http_url: str
    ws_url: str
    services: Services
    store: SqliteStore
    http: httpx.AsyncClient

    async def token(self, workspace: str = "default", role: Role = Role.VIEWER) -> IssuedToken:
        return await TokenService(self.store).create(workspace, role)

    async def graphql(self, query: str, token: str, **variables: Any) -> dict[str, Any]:
        response = await self.http.post(
            self.http_url,
            json={"query": query, "variables": variables},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        assert "errors" not in body, body
        return body

    @asynccontextmanager
    async def socket(
        self, headers: dict[str, str] | None = None, protocol: str = PROTOCOL
    ) -> AsyncIterator[TransportWS]:
        async with connect(
            self.ws_url,
            subprotocols=[protocol],  # type: ignore[list-item]
            additional_headers=headers,
            proxy=None,
            open_timeout=WAIT,
        ) as connection:
            yield TransportWS(connection)


class TransportWS:
    """One graphql-transport-ws connection, spoken message by message."""

    def __init__(self, connection: ClientConnection) -> None:
        self.connection = connection

    async def send(self, message: dict[str, Any]) -> None:
        await self.connection.send(json.dumps(message))

    async def receive(self) -> dict[str, Any]:
        text = await asyncio.wait_for(self.connection.recv(), WAIT)
        message: dict[str, Any] = json.loads(text)
        return message

    async def init(self, payload: dict[str, Any] | None = None) -> dict[str, Any]:
        """Send ``connection_init`` (with ``payload`` when given) and return the answer."""
        message: dict[str, Any] = {"type": "connection_init"}
        if payload is not None:
            message["payload"] = payload
        await self.send(message)
        return await self.receive()

    async def subscribe(self, id: str, query: str, **variables: Any) -> None:
        await self.send(
            {"id": id, "type": "subscribe", "payload": {"query": query, "variables": variables}}
        )

    async def closed(self) -> tuple[int | None, str | None]:
        """Wait until the server closes the connection: its close code and reason."""
        await asyncio.wait_for(self.connection.wait_closed(), WAIT)
        received = self.connection.protocol.close_rcvd
        return (received.code, received.reason) if received else (None, None)


@asynccontextmanager
async def live_server(tmp_path: Path, **overrides: Any) -> AsyncIterator[Live]:
    """Serve ``create_app`` (auth on unless ``overrides`` say otherwise) on a free port."""
    db = tmp_path / "graph.db"
    settings = Settings(store=f"sqlite:///{db}", workspace="default", **overrides)
    admin = SqliteStore(str(db))
    await admin.open()
    inner = SqliteStore(str(db))
    await inner.open()
    services = Services.over(inner)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(settings, services=services),
            host="127.0.0.1",
            port=port,
            ws="auto",  # as graphsvc serve
            log_config=None,
            access_log=False,
        )
    )
    serving = asyncio.create_task(server.serve())
    try:
        while not server.started:
            if serving.done():
                serving.result()
            await asyncio.sleep(0.01)
        async with httpx.AsyncClient(timeout=WAIT) as http:
            yield Live(
                http_url=f"http://127.0.0.1:{port}/graphql",
                ws_url=f"ws://127.0.0.1:{port}/graphql",
                services=services,
                store=admin,
                http=http,
            )
    finally:
        server.should_exit = True
        await serving
        await inner.close()
        await admin.close()

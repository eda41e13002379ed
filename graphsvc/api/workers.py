"""The app of one worker process of ``graphsvc serve --workers N``.

uvicorn's multi-process mode starts N fresh interpreters, each importing the app by name and
calling ``worker_app`` (``factory=True``); the parent hands them its settings through the
environment (``config.SERVED_SETTINGS_ENV``). Each worker then builds its own services: its
own store connections (SQLite threads, or a Neo4j driver), its own projection cache, change
feed and metrics, over the one store. What keeps them correct across each other is the
store's workspace version and change log (README "Worker processes").

One worker saves the projection snapshots (``SNAPSHOT_SAVER_ENV``, set by the supervisor for
its first worker and that worker's replacements): each worker loads them at its start, but N
workers saving the same projections would each encode it (about a second at 100k people)
for the same result.

Each response names the worker that answered in ``X-Graphsvc-Worker`` (its process id), and
each log line carries ``worker``, so that a client or an operator can tell which process
answered, whose per-process ``/metrics`` were read, and which log lines belong together.
"""

from __future__ import annotations

import logging
import os

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graphsvc.api.app import create_app
from graphsvc.config import (
    SERVED_SETTINGS_ENV,
    SNAPSHOT_SAVER_ENV,
    Settings,
    get_settings,
    settings_from_json,
)

__all__ = ["WORKER_HEADER", "WorkerHeader", "served_settings", "worker_app"]

WORKER_HEADER = "x-graphsvc-worker"


def served_settings() -> Settings:
    """The settings the ``serve`` command handed over, or the environment's without them."""
    handed = os.environ.get(SERVED_SETTINGS_ENV)
    return settings_from_json(handed) if handed else get_settings()


def worker_app() -> FastAPI:
    """The API of one worker process: logging set up, the worker header on every response."""
    from graphsvc.api.observability.log import configure_logging

    settings = served_settings()
    configure_logging(settings)
    _name_worker_in_logs()
    saves = os.environ.get(SNAPSHOT_SAVER_ENV) != "0"
    app = create_app(settings, serving=True, saves_snapshots=saves)
    app.add_middleware(WorkerHeader)  # outermost: also on errors the inner layers answer
    return app


class WorkerHeader:
    """ASGI middleware: ``X-Graphsvc-Worker: <pid>`` on every HTTP response of this process,
    and on the handshake of every WebSocket it accepts (a subscription's worker).

    Plain ASGI (no per-request task or body buffering): it only appends a header to the
    response start, so it adds next to nothing to a request.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.value = str(os.getpid()).encode("ascii")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return

        async def send_with_worker(message: Message) -> None:
            if message["type"] in ("http.response.start", "websocket.accept"):
                headers = list(message.get("headers", ()))
                headers.append((WORKER_HEADER.encode("ascii"), self.value))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_worker)


def _name_worker_in_logs() -> None:
    """Every log record of this process carries ``worker`` (its pid) as an extra field."""
    worker = os.getpid()

    def with_worker(record: logging.LogRecord) -> bool:
        record.worker = worker
        return True

    for handler in logging.getLogger().handlers:
        handler.addFilter(with_worker)

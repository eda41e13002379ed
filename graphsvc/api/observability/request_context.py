"""The request id and the access log: one id per request, one log line per request.

Every request gets an id (the caller's ``X-Request-ID`` when it is sane, else a new one),
echoed in the response and attached to every log line written while serving it, so one
request can be followed through the logs.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from contextvars import ContextVar

from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graphsvc.api.observability.metrics import count_http_request

__all__ = ["RequestContextMiddleware", "request_id"]

logger = logging.getLogger("graphsvc.http")

_REQUEST_ID: ContextVar[str | None] = ContextVar("graphsvc_request_id", default=None)
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")


def request_id() -> str | None:
    """The id of the request being served in this task, if any."""
    return _REQUEST_ID.get()


class RequestContextMiddleware:
    """Assigns the request id, logs one line per request and counts requests per route."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        presented = HTTPConnection(scope).headers.get("x-request-id", "")
        rid = presented if _SANE_REQUEST_ID.fullmatch(presented) else uuid.uuid4().hex
        token = _REQUEST_ID.set(rid)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                headers = [h for h in message.get("headers", []) if h[0].lower() != b"x-request-id"]
                message = {**message, "headers": [*headers, (b"x-request-id", rid.encode())]}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            path = str(scope.get("path", ""))
            count_http_request(path, status)
            logger.info(
                "%s %s %s",
                scope.get("method"),
                path,
                status,
                extra={
                    "method": scope.get("method"),
                    "path": path,  # never the query string: it may carry GraphiQL headers
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                },
            )
            _REQUEST_ID.reset(token)

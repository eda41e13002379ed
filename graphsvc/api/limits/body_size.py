"""The body-size limit: answer 413 to a request body above the configured bytes.

Plain ASGI in front of the GraphQL router, so an oversized body is refused before anything
parses it, and never buffered past the limit.
"""

from __future__ import annotations

from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graphsvc.api.responses import send_json_error
from graphsvc.errors import ErrorCode

__all__ = ["BodySizeLimit"]


class BodySizeLimit:
    """ASGI middleware answering 413 to request bodies above ``max_bytes``.

    A declared ``Content-Length`` above the limit is refused without reading anything; a
    chunked body is read only up to the limit. The body is then handed to the app whole, so
    the GraphQL layer never sees a truncated request.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = HTTPConnection(scope).headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._refuse(send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": b"".join(chunks), "more_body": False}

        await self.app(scope, replay, send)

    async def _refuse(self, send: Send) -> None:
        message = (
            f"request body is larger than {self.max_bytes} bytes: import big documents with "
            "'graphsvc import FILE', or raise GRAPHSVC_MAX_BODY_BYTES"
        )
        await send_json_error(
            send, 413, ErrorCode.LIMIT_EXCEEDED, message, [(b"connection", b"close")]
        )

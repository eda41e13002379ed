"""The JSON error answer of the ASGI middlewares, shaped like a GraphQL error response.

Middlewares refuse a request before GraphQL runs (no token, a body too large); their answer
has the same ``{"errors": [{"message", "extensions": {"code"}}]}`` shape as a GraphQL
error, so a client reads every refusal one way.
"""

from __future__ import annotations

from collections.abc import Iterable

import orjson
from starlette.types import Send

from graphsvc.errors import ErrorCode

__all__ = ["send_json_error"]


async def send_json_error(
    send: Send,
    status: int,
    code: ErrorCode,
    message: str,
    headers: Iterable[tuple[bytes, bytes]] = (),
    *,
    websocket: bool = False,
) -> None:
    """Answer ``status`` with one error of ``code`` and ``message``; ``headers`` are added.

    With ``websocket``, the answer refuses a WebSocket handshake (the ASGI
    ``websocket.http.response`` extension) instead of answering an HTTP request.
    """
    kind = "websocket.http.response" if websocket else "http.response"
    body = orjson.dumps({"errors": [{"message": message, "extensions": {"code": code.value}}]})
    await send(
        {
            "type": f"{kind}.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": f"{kind}.body", "body": body})

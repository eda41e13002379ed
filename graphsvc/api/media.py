"""``application/graphql-response+json``: the media type of the GraphQL-over-HTTP spec.

Strawberry answers every GraphQL result as ``application/json`` with status 200. Clients that
accept ``application/graphql-response+json`` get what the spec recommends for it: that
content type, and for a *request error* (the document does not parse or validate, or the
variables do not coerce) status 400 and no ``data`` entry, so a gateway or a client can tell
"your request is wrong" from "the query ran and some fields failed" by the status alone.

A request error is recognised by its shape: ``data`` is null and no error has a ``path``
(field errors always do). ``application/json`` clients keep the legacy behaviour (200), as
the spec requires for compatibility. The answers of Automatic Persisted Queries that ask the
client for the query text (``PERSISTED_QUERY_NOT_FOUND`` / ``_NOT_SUPPORTED``) stay 200, as
Apollo Server sends them: they are a step of the protocol, not a wrong request.
"""

from __future__ import annotations

import orjson
from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graphsvc.api.persisted_queries import PersistedQueryCode

__all__ = ["GRAPHQL_RESPONSE_JSON", "GraphQLResponseMedia", "accepts_graphql_response_json"]

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"


def accepts_graphql_response_json(accept: str) -> bool:
    """True when the Accept header lists the GraphQL response media type (not with q=0)."""
    for part in accept.split(","):
        media, *params = (p.strip() for p in part.split(";"))
        if media.lower() == GRAPHQL_RESPONSE_JSON and not any(
            p.replace(" ", "") in ("q=0", "q=0.0", "q=0.00", "q=0.000") for p in params
        ):
            return True
    return False


_PROTOCOL_STEPS = frozenset({PersistedQueryCode.NOT_FOUND, PersistedQueryCode.NOT_SUPPORTED})


def _is_request_error(body: object) -> bool:
    if not isinstance(body, dict) or body.get("data") is not None or not body.get("errors"):
        return False
    errors = body["errors"]
    if not isinstance(errors, list):
        return False
    if any(_code(e) in _PROTOCOL_STEPS for e in errors):
        return False
    return all(isinstance(e, dict) and "path" not in e for e in errors)


def _code(error: object) -> object:
    extensions = error.get("extensions") if isinstance(error, dict) else None
    return extensions.get("code") if isinstance(extensions, dict) else None


class GraphQLResponseMedia:
    """Rewrites ``/graphql`` JSON responses for clients accepting graphql-response+json."""

    def __init__(self, app: ASGIApp, path: str = "/graphql") -> None:
        self.app = app
        self.path = path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or str(scope.get("path", "")).rstrip("/") != self.path
            or not accepts_graphql_response_json(HTTPConnection(scope).headers.get("accept", ""))
        ):
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        chunks: list[bytes] = []

        async def buffered(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] != "http.response.body" or start is None:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            await self._send_rewritten(send, start, b"".join(chunks))

        await self.app(scope, receive, buffered)

    async def _send_rewritten(self, send: Send, start: Message, body: bytes) -> None:
        headers = MutableHeaders(raw=list(start.get("headers", [])))
        status = int(start["status"])
        if headers.get("content-type", "").startswith("application/json"):
            try:
                decoded = orjson.loads(body)
            except orjson.JSONDecodeError:
                decoded = None
            if status == 200 and _is_request_error(decoded):
                assert isinstance(decoded, dict)
                decoded.pop("data", None)
                body = orjson.dumps(decoded)
                status = 400
            headers["content-type"] = f"{GRAPHQL_RESPONSE_JSON}; charset=utf-8"
            headers["content-length"] = str(len(body))
        await send({**start, "status": status, "headers": headers.raw})
        await send({"type": "http.response.body", "body": body, "more_body": False})

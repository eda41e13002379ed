"""The GraphQL router: Strawberry's, answering unreadable requests with a JSON error envelope.

Strawberry refuses a request it cannot read (an empty or non-JSON body, a batch, no query, an
unsupported content type) with a ``text/plain`` line. Clients read every other refusal (401,
413, a GraphQL error) as ``{"errors": [{"message", "extensions": {"code"}}]}``, so these get
that shape too, with the same status (400 as the GraphQL-over-HTTP spec asks, 404/405 where
Strawberry uses them; 405 with ``Allow: POST`` for a mutation sent with GET, as the spec
asks where Strawberry says 400) and a message that says what to send instead.
``GraphQLResponseMedia`` then gives the envelope the graphql-response+json type for clients
that accept it.

Subscriptions are served over WebSocket with the ``graphql-transport-ws`` protocol only (the
legacy ``graphql-ws`` protocol is refused with 4406), through ``api.websocket``'s handler,
which authenticates the connection's token at ``connection_init``.

Automatic Persisted Queries (``api.persisted_queries``) are resolved here, before Strawberry
parses anything: a hash-only request gets its text from the server's cache (or the answer that
asks the client for it), and then runs through the same ``execute`` as any other request.
"""

from __future__ import annotations

from typing import Any

import orjson
from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse
from strawberry import UNSET
from strawberry.fastapi import GraphQLRouter
from strawberry.http import GraphQLRequestData
from strawberry.http.base import BaseRequestProtocol
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types import ExecutionResult

from graphsvc.api.graphiql import graphiql_response
from graphsvc.api.persisted_queries import PersistedQueries, PersistedQueryRefused
from graphsvc.api.websocket import AuthenticatingTransportWS
from graphsvc.errors import ErrorCode

__all__ = ["SUBSCRIPTION_PROTOCOLS", "GraphsvcRouter", "unreadable_request_message"]

_MUTATION_OVER_GET = "mutations are not allowed when using GET"
"""Strawberry's reason for refusing a mutation sent with GET (with 400)."""

_SEND = 'POST a JSON object like {"query": "{ organizations { totalCount } }", "variables": {}}'


def unreadable_request_message(reason: str, body: bytes, content_type: str) -> str:
    """What to tell a client whose request Strawberry refused with ``reason``."""
    if reason == "Unable to parse request body as JSON":
        if not body.strip():
            return f"the request body is empty: {_SEND}"
        return f"the request body is not JSON: {_SEND}"
    if reason == "Batching is not enabled":
        return (
            "a batch (a JSON array of operations) is not accepted: send one operation per request"
        )
    if reason == "No GraphQL query found in the request":
        return f"the request has no query: {_SEND}"
    if reason == "Unsupported content type":
        shown = content_type or "(none)"
        return (
            f"content type {shown} is not supported: send application/json (or a GET with ?query=…)"
        )
    return reason


SUBSCRIPTION_PROTOCOLS = (GRAPHQL_TRANSPORT_WS_PROTOCOL,)
"""The WebSocket subprotocols served: ``graphql-transport-ws`` (graphql-ws clients)."""


class GraphsvcRouter(GraphQLRouter[object, None]):
    """``GraphQLRouter`` whose refusals of unreadable requests are JSON GraphQL errors, and
    whose WebSocket connections are authenticated at ``connection_init``, and whose GraphiQL
    page loads nothing from outside the server, and which serves persisted queries."""

    graphql_transport_ws_handler_class = AuthenticatingTransportWS  # type: ignore[assignment]

    def __init__(
        self, *args: Any, persisted_queries: PersistedQueries | None = None, **kwargs: Any
    ) -> None:
        kwargs.setdefault("subscription_protocols", SUBSCRIPTION_PROTOCOLS)
        super().__init__(*args, **kwargs)
        self.persisted_queries = (
            PersistedQueries() if persisted_queries is None else persisted_queries
        )

    def encode_json(self, data: object) -> str:
        """The answer's JSON, by orjson: the same compact JSON as Strawberry's ``json.dumps``
        (non-ASCII text as UTF-8 rather than ``\\u`` escapes) in a fraction of its time
        (3 % of the event loop's time under ``bench/load.py``). Text, not bytes: WebSocket
        messages (subscriptions) are sent as text frames from it too. A value orjson refuses
        (an integer beyond 64 bits in a ``JSON`` scalar) is left to ``json.dumps`` as before."""
        try:
            return orjson.dumps(data).decode()
        except TypeError:  # orjson.JSONEncodeError is a TypeError
            return str(super().encode_json(data))

    def should_render_graphql_ide(self, request: BaseRequestProtocol) -> bool:
        """GraphiQL for a browser's GET without a query, unless it names a persisted one."""
        if request.query_params.get("extensions") is not None:
            return False
        return super().should_render_graphql_ide(request)

    async def execute_single(
        self,
        request: Any,
        request_adapter: Any,
        sub_response: Any,
        context: Any,
        root_value: Any,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        """Strawberry's execution of one operation, its persisted query resolved first."""
        resolved = self.persisted_queries.resolve(request_data)
        if isinstance(resolved, ExecutionResult):
            return resolved
        result = await super().execute_single(
            request, request_adapter, sub_response, context, root_value, resolved.request
        )
        self.persisted_queries.remember(resolved, result)
        return result

    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        """graphsvc's GraphiQL page, whose assets the server serves itself (``api.graphiql``)."""
        return graphiql_response(str(request.scope.get("root_path", "")))

    async def run(self, request: Any, context: Any = UNSET, root_value: Any = UNSET) -> Any:
        """Strawberry's ``run``, turning its ``HTTPException`` (and a refused persisted query)
        into the error envelope."""
        try:
            return await super().run(request, context=context, root_value=root_value)
        except PersistedQueryRefused as refused:
            return JSONResponse(
                {"errors": [{"message": refused.message, "extensions": {"code": refused.code}}]},
                status_code=400,
            )
        except HTTPException as refused:
            if not isinstance(request, Request):
                raise
            body = await request.body()
            message = unreadable_request_message(
                refused.reason, body, request.headers.get("content-type", "")
            )
            code = ErrorCode.NOT_FOUND if refused.status_code == 404 else ErrorCode.INVALID
            status, headers = refused.status_code, {}
            if refused.reason == _MUTATION_OVER_GET:  # the GraphQL-over-HTTP spec: 405
                status, headers = 405, {"Allow": "POST"}
                message = "mutations are not allowed over GET: send them with POST"
            return JSONResponse(
                {"errors": [{"message": message, "extensions": {"code": code.value}}]},
                status_code=status,
                headers=headers,
            )

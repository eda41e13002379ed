"""Who is calling: Bearer tokens to (workspace, role), enforced before GraphQL sees a request.

``AuthMiddleware`` is plain ASGI in front of ``/graphql``: a request without a valid token
is answered ``401`` with a ``WWW-Authenticate`` challenge and never reaches a resolver, so
no query (not even a malformed one) can learn anything without credentials. A valid token
puts a ``Principal`` into the request state, and the GraphQL context takes the workspace
and role from there only: the token alone decides the tenant.

``GRAPHSVC_AUTH=off`` serves every request as admin of the configured workspace. It exists
for local development and is refused unless the server binds a loopback address
(``check_auth_setting``), so that a forgotten setting cannot expose data on a network.
"""

from __future__ import annotations

import ipaddress
import math
from collections.abc import Callable
from dataclasses import dataclass

from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Receive, Scope, Send

from graphsvc.api.responses import send_json_error
from graphsvc.config import Settings
from graphsvc.domain.auth import Role
from graphsvc.errors import ErrorCode, GraphsvcError, Unauthenticated
from graphsvc.services.tokens import TokenService

__all__ = [
    "ANONYMOUS",
    "AuthMiddleware",
    "InsecureConfiguration",
    "Principal",
    "authenticate",
    "check_auth_setting",
    "has_principal",
    "is_loopback",
    "parse_bearer",
    "principal_of",
]

PRINCIPAL_KEY = "graphsvc.principal"
"""Key of the ``Principal`` in the ASGI scope's ``state`` (``request.state``)."""


class InsecureConfiguration(GraphsvcError):
    """The settings would expose the API without authentication on a network address."""

    code = ErrorCode.INVALID


@dataclass(frozen=True)
class Principal:
    """The caller of one request: the workspace it may see and what it may do there."""

    workspace: str
    role: Role
    token_id: str | None = None
    """``None`` when authentication is off (local development)."""

    def may(self, needed: Role) -> bool:
        """True when the caller's role includes ``needed``."""
        return self.role.allows(needed)


ANONYMOUS = Principal(workspace="", role=Role.VIEWER)
"""The caller of a GraphiQL page request: no workspace, read-only; it executes nothing."""


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback IP addresses (127.0.0.0/8, ::1)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_loopback
    except ValueError:
        return False


def check_auth_setting(settings: Settings) -> None:
    """Refuse to serve without authentication on anything but a loopback address."""
    if settings.auth == "off" and not is_loopback(settings.host):
        raise InsecureConfiguration(
            f"GRAPHSVC_AUTH=off is only allowed when binding a loopback address, "
            f"not {settings.host!r}: bind 127.0.0.1, or keep auth on and create a token "
            f"with 'graphsvc token create --workspace W --role viewer'"
        )


def parse_bearer(header: str | None) -> str:
    """The token of an ``Authorization: Bearer <token>`` header; ``Unauthenticated`` if none."""
    if header is None or not header.strip():
        raise Unauthenticated("missing Authorization header: send 'Authorization: Bearer <token>'")
    scheme, _, credentials = header.strip().partition(" ")
    credentials = credentials.strip()
    if scheme.lower() != "bearer" or not credentials or " " in credentials:
        raise Unauthenticated("malformed Authorization header: expected 'Bearer <token>'")
    return credentials


def principal_of(connection: HTTPConnection) -> Principal:
    """The authenticated caller of a request; fails closed when the middleware is missing."""
    principal = connection.scope.get("state", {}).get(PRINCIPAL_KEY)
    if not isinstance(principal, Principal):
        raise Unauthenticated("request was not authenticated")
    return principal


def has_principal(connection: HTTPConnection) -> bool:
    """True when the middleware authenticated the request (or authentication is off)."""
    return isinstance(connection.scope.get("state", {}).get(PRINCIPAL_KEY), Principal)


def _renders_ide(scope: Scope, settings: Settings) -> bool:
    """True for a browser opening GraphiQL: the page holds no data, its queries need a token.

    Mirrors the router's ``should_render_graphql_ide`` so that exactly the page requests pass:
    a GET naming a persisted query (``extensions``, no ``query``) is a request like any other.
    """
    if not settings.graphiql or scope.get("method") != "GET":
        return False
    connection = HTTPConnection(scope)
    accept = connection.headers.get("accept", "")
    params = connection.query_params
    return (
        params.get("query") is None
        and params.get("extensions") is None
        and ("text/html" in accept or "*/*" in accept)
    )


async def authenticate(tokens: TokenService, header: str | None) -> Principal:
    """The caller named by an ``Authorization: Bearer`` value; ``Unauthenticated`` if none,
    malformed, unknown or revoked."""
    token = await tokens.authenticate(parse_bearer(header))
    return Principal(workspace=token.workspace, role=token.role, token_id=token.id)


async def _send_unauthorized(send: Send, message: str, *, websocket: bool = False) -> None:
    # RFC 6750 §3: the challenge; error_description must not echo the presented token.
    challenge = f'Bearer realm="graphsvc", error="invalid_token", error_description="{message}"'
    await send_json_error(
        send,
        401,
        ErrorCode.UNAUTHENTICATED,
        message,
        [(b"www-authenticate", challenge.encode("latin-1", "replace"))],
        websocket=websocket,
    )


async def _send_refusal(send: Send, scope: Scope, error: GraphsvcError) -> None:
    """Answer a request whose token could not be checked (the store is down): the error's
    status (503 for ``STORE_UNAVAILABLE``) and ``Retry-After``, in the JSON error envelope,
    so a client backs off and retries instead of reading a 500 or dropping its token."""
    status = error.http_status or 500
    headers = []
    if error.retry_after is not None:
        headers.append((b"retry-after", str(max(1, math.ceil(error.retry_after))).encode()))
    if scope["type"] != "websocket":
        await send_json_error(send, status, error.code, error.message, headers)
    elif "websocket.http.response" in scope.get("extensions", {}):
        await send_json_error(send, status, error.code, error.message, headers, websocket=True)
    else:  # 1013: "try again later"
        await send({"type": "websocket.close", "code": 1013})


class AuthMiddleware:
    """Authenticates every HTTP request to the protected paths (``/graphql``).

    A WebSocket handshake with an ``Authorization`` header is authenticated the same way
    (refused with the same 401 before the upgrade); one without is passed on, to be
    authenticated by its ``connection_init`` message (``api.websocket``).

    ``tokens`` is called per request: the app's store is opened in its lifespan, after the
    middleware stack is built.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        settings: Settings,
        tokens: Callable[[], TokenService],
        protected_prefixes: tuple[str, ...] = ("/graphql",),
    ) -> None:
        check_auth_setting(settings)
        self.app = app
        self.settings = settings
        self.tokens = tokens
        self.protected_prefixes = protected_prefixes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or not str(scope.get("path", "")).startswith(
            self.protected_prefixes
        ):
            await self.app(scope, receive, send)
            return
        if self.settings.auth == "off":
            principal = Principal(workspace=self.settings.workspace, role=Role.ADMIN)
        elif _renders_ide(scope, self.settings):
            # Strawberry builds a context even to render the page; give it one that can see
            # nothing (no token can be issued for the empty workspace) and write nothing.
            principal = ANONYMOUS
        else:
            header = HTTPConnection(scope).headers.get("authorization")
            if scope["type"] == "websocket" and header is None:
                # The token may come in the connection_init message instead (browsers cannot
                # set headers on an upgrade): api.websocket authenticates it there, and
                # nothing runs before that.
                await self.app(scope, receive, send)
                return
            try:
                principal = await authenticate(self.tokens(), header)
            except Unauthenticated as error:
                if scope["type"] != "websocket":
                    await _send_unauthorized(send, error.message)
                elif "websocket.http.response" in scope.get("extensions", {}):
                    await _send_unauthorized(send, error.message, websocket=True)
                else:  # a server that cannot answer a handshake with a body: a bare 403
                    await send({"type": "websocket.close", "code": 4401})
                return
            except GraphsvcError as error:  # the store could not say (STORE_UNAVAILABLE)
                await _send_refusal(send, scope, error)
                return
        scope["state"] = {**scope.get("state", {}), PRINCIPAL_KEY: principal}
        await self.app(scope, receive, send)

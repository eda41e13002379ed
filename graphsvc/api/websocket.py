"""GraphQL over WebSocket (``graphql-transport-ws``): the ``changed`` subscription's transport.

A connection is authenticated like an HTTP request, by a Bearer token, and works in the
token's workspace with the token's role. The token comes either as the ``Authorization``
header of the upgrade request (checked by ``api.auth.AuthMiddleware``, which refuses a bad
one with the same 401 before the upgrade) or, since browsers cannot set headers on a
WebSocket, in the ``connection_init`` message's payload, ``{"Authorization": "Bearer …"}``
(the convention of graphql-ws and Apollo clients). A ``connection_init`` without a valid
token is refused as the protocol says, by closing with ``4403: Forbidden``, the reason
naming what was wrong; nothing is executed before the ``connection_ack``. With
``GRAPHSVC_AUTH=off`` (loopback only) every connection is admin of the configured workspace.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.websockets import WebSocket
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import ConnectionInitMessage

from graphsvc.api.auth import authenticate, has_principal
from graphsvc.api.graphql.context import GraphContext, sign_in
from graphsvc.errors import GraphsvcError, Unauthenticated

__all__ = ["FORBIDDEN", "MAX_REASON_BYTES", "TRY_AGAIN_LATER", "AuthenticatingTransportWS"]

FORBIDDEN = 4403
"""The close code graphql-transport-ws gives a refused ``connection_init``."""

TRY_AGAIN_LATER = 1013
"""The close code (RFC 6455) of a ``connection_init`` whose token the store could not check
(``STORE_UNAVAILABLE``, the reason says so): the client may connect again later."""

MAX_REASON_BYTES = 123
"""The longest close reason a WebSocket close frame can carry (RFC 6455 §5.5)."""

_MISSING = (
    'missing token: send {"Authorization": "Bearer <token>"} as the connection_init payload, '
    "or the header on the upgrade"
)


def _authorization(payload: Mapping[str, Any]) -> str | None:
    """The ``Authorization`` value of a ``connection_init`` payload (the key in any case)."""
    for key, value in payload.items():
        if key.lower() == "authorization":
            return value if isinstance(value, str) else ""
    return None


def _reason(message: str) -> str:
    """``message`` cut to fit a close frame."""
    encoded = message.encode()
    if len(encoded) <= MAX_REASON_BYTES:
        return message
    return encoded[: MAX_REASON_BYTES - 3].decode(errors="ignore") + "..."


class AuthenticatingTransportWS(BaseGraphQLTransportWSHandler[GraphContext, None]):
    """Strawberry's graphql-transport-ws handler, authenticating at ``connection_init``."""

    async def handle_connection_init(self, message: ConnectionInitMessage) -> None:
        """Sign the connection in with the token of the upgrade or of the payload, or close
        it with 4403 and the reason; Strawberry's protocol checks (a second init, a payload
        that is not an object, the init timeout) run as before."""
        payload: Any = message.get("payload", {})
        request = self.context.request
        pending = isinstance(request, WebSocket) and not has_principal(request)
        if pending and not (
            self.connection_init_received
            or self.connection_timed_out
            or not isinstance(payload, dict)
        ):
            header = _authorization(payload)
            try:
                if header is None:
                    raise Unauthenticated(_MISSING)
                principal = await authenticate(self.context.services.tokens, header)
            except Unauthenticated as refused:
                await self.websocket.close(code=FORBIDDEN, reason=_reason(refused.message))
                return
            except GraphsvcError as unavailable:  # the store could not check the token
                await self.websocket.close(
                    code=TRY_AGAIN_LATER, reason=_reason(unavailable.message)
                )
                return
            sign_in(self.context, principal)
        await super().handle_connection_init(message)

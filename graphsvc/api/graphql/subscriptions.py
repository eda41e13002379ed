"""The ``changed`` subscription (CONTRACT §6): new changes as they are committed.

Served over WebSocket with the ``graphql-transport-ws`` protocol (``api.websocket``), in the
workspace of the connection's token. The changes come from the store's log
(``services.history.ChangeFeed``), so writes by other processes arrive too.
"""

# strawberry.subscription(description=...) is typed as returning Any; the resolver stays typed.
# mypy: disable-error-code="untyped-decorator"

from __future__ import annotations

import logging
import time
from collections.abc import AsyncGenerator

import strawberry
from strawberry import UNSET

from graphsvc.api.graphql.context import Info
from graphsvc.api.graphql.types.history import Change
from graphsvc.errors import GraphsvcError
from graphsvc.services.history import POLL_SECONDS

__all__ = ["Subscription"]

logger = logging.getLogger("graphsvc.api")

TOKEN_RECHECK_SECONDS = POLL_SECONDS
"""How often, while changes flow, a subscription checks that its token was not revoked: a
revoked token stops receiving changes within this time, as its next HTTP request fails."""


async def _check_token(info: Info) -> None:
    """``Unauthenticated`` if the connection's token was revoked since it connected."""
    ctx = info.context
    if ctx.token_id is not None:
        await ctx.services.tokens.check_live(ctx.token_id, ctx.workspace)


@strawberry.type(description="Streams over WebSocket (graphql-transport-ws).")
class Subscription:
    @strawberry.subscription(
        description="Each change committed to the workspace after the subscription started, "
        "oldest first, one message per change, whoever wrote it (another API client, "
        "`graphsvc import`, another server over the same store). This server's own writes "
        "arrive at once, other processes' within about "
        f"{POLL_SECONDS:g} s. With organizationId, only changes whose record lies in the "
        "organization scope before or after the change, as in `changes` (a subsidiary added "
        "later is followed); an unknown organization is NOT_FOUND. Connect to /graphql with "
        "the graphql-transport-ws protocol and the token as connection_init payload "
        '{"Authorization": "Bearer <token>"} (or the upgrade\'s Authorization header). '
        "The stream ends with a "
        "CONFLICT error if the log is compacted past changes it has not sent yet, and with "
        "UNAUTHENTICATED once its token is revoked (checked again at least every "
        f"{TOKEN_RECHECK_SECONDS:g} s while changes flow)."
    )
    async def changed(
        self,
        info: Info,
        organization_id: strawberry.ID | None = UNSET,
        include_subsidiaries: bool | None = True,
    ) -> AsyncGenerator[Change, None]:
        ctx = info.context
        await _check_token(info)
        checked = time.monotonic()
        stream = await ctx.services.feed.subscribe(
            ctx.workspace,
            None if not organization_id else str(organization_id),
            include_subsidiaries=include_subsidiaries is not False,
        )
        try:
            async for change in stream:
                if time.monotonic() - checked >= TOKEN_RECHECK_SECONDS:
                    await _check_token(info)
                    checked = time.monotonic()
                yield Change.of(change)
        except GraphsvcError:
            raise
        except Exception as failure:
            # An error ending a stream reaches the client unmasked (it has no path, like a
            # client's own mistake): log a failure here and send only that there was one.
            logger.exception("the changed subscription failed")
            raise GraphsvcError("Unexpected error.") from failure
        finally:
            await stream.aclose()

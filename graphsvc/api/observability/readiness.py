"""Readiness: whether the store answers, for a load balancer or an orchestrator's probe.

The probe needs only ``ping`` and the store's address, so it is typed against that
(``Pingable``) and the API does not depend on the store's interface.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import Protocol

from starlette.responses import JSONResponse, Response

from graphsvc.errors import GraphsvcError

__all__ = ["Pingable", "readiness_response"]

logger = logging.getLogger("graphsvc.http")


class Pingable(Protocol):
    """What the readiness probe asks of a store: its address, and a trivial round trip."""

    @property
    def url(self) -> str:
        """Where the store is, without credentials (shown in the answer)."""

    async def ping(self) -> None:
        """Raise unless the store answers a trivial query now."""


async def readiness_response(
    store: Pingable, timeout_seconds: float = 2.0, warming: Sequence[str] = ()
) -> Response:
    """200 when the store answers a trivial query within the timeout and no start-up
    projection build is left (``warming``: their workspaces), else 503 with why.

    While the start-up builds run the server already answers every request right (an
    analytic one waits for its workspace's build); the 503 tells a load balancer that
    analytic answers are still slow, and when they no longer are.
    """
    try:
        async with asyncio.timeout(timeout_seconds):
            await store.ping()
    except TimeoutError:
        reason = f"store {store.url} did not answer within {timeout_seconds:g} s"
    except GraphsvcError as error:
        reason = error.message
    except Exception as error:  # any driver failure means "not ready", never a 500
        logger.warning("readiness check failed: %s", type(error).__name__)
        reason = f"store {store.url} is unreachable"
    else:
        if not warming:
            return JSONResponse({"status": "ready", "store": store.url})
        names = ", ".join(repr(name) for name in warming)
        return JSONResponse(
            {
                "status": "starting",
                "reason": f"building the analytic projection of workspace {names}",
                "store": store.url,
            },
            status_code=503,
        )
    return JSONResponse({"status": "unavailable", "reason": reason}, status_code=503)

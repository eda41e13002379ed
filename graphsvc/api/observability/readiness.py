"""Readiness: whether the store answers, for a load balancer or an orchestrator's probe.

The probe needs only ``ping`` and the store's address, so it is typed against that
(``Pingable``) and the API does not depend on the store's interface.
"""

from __future__ import annotations

import asyncio
import logging
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


async def readiness_response(store: Pingable, timeout_seconds: float = 2.0) -> Response:
    """200 when the store answers a trivial query within the timeout, else 503 with why."""
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
        return JSONResponse({"status": "ready", "store": store.url})
    return JSONResponse({"status": "unavailable", "reason": reason}, status_code=503)

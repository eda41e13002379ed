"""Running async service code from a synchronous command, with the store opened and closed."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from graphsvc.config import Settings
from graphsvc.services.container import Services, build_services

__all__ = ["with_services"]

T = TypeVar("T")


def with_services(settings: Settings | Services, work: Callable[[Services], Awaitable[T]]) -> T:
    """Open the services (``build_services`` of ``settings``, or those given), run ``work``
    with them, close them, and return the result.

    A command that reads a large input builds its services first and passes them here, so
    that an unsupported store URL is refused before any input is read.
    """
    services = settings if isinstance(settings, Services) else build_services(settings)

    async def main() -> T:
        async with services:
            return await work(services)

    return asyncio.run(main())

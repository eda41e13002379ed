"""Running async service code from a synchronous command, with the store opened and closed."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from graphsvc.config import Settings
from graphsvc.store import create_store
from graphsvc.store.base import GraphStore

__all__ = ["with_store"]

T = TypeVar("T")


def with_store(settings: Settings, work: Callable[[GraphStore], Awaitable[T]]) -> T:
    """Open the configured store, run ``work`` on it, close it, and return the result.

    The store is created before anything else, so that an unsupported URL is refused
    before any input is read.
    """
    store = create_store(settings)

    async def main() -> T:
        await store.open()
        try:
            return await work(store)
        finally:
            await store.close()

    return asyncio.run(main())

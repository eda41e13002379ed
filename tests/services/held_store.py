"""A real SQLite store that holds its first apply until the test lets it through.

Tests of concurrent writes use it to stop a write between its validation and its apply,
deterministically, and to make other writes happen in that window.
"""

from __future__ import annotations

import asyncio

from graphsvc.domain.changes import ChangeSet
from graphsvc.store.sqlite import SqliteStore

__all__ = ["HeldAtApply"]


class HeldAtApply(SqliteStore):
    """A real SQLite store whose applies wait at ``release`` until the test sets it."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.reached = asyncio.Event()
        self.release = asyncio.Event()

    async def apply(
        self, workspace: str, changes: ChangeSet, expected_version: int | None = None
    ) -> int:
        if not self.release.is_set():
            self.reached.set()
            await self.release.wait()
        return await super().apply(workspace, changes, expected_version)

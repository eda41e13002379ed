"""``EngineReads``: how the SQLite store's methods read rows through its engine.

A base of ``SqliteStore`` and of the mixins that hold its methods by concern (``streams``,
``tokens``): every read of a request starts on the calling thread and moves to a reader
thread when SQLite finds it long or the file locked (``SqliteEngine.read_point``); reads
long by nature go to a reader thread at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from graphsvc.store.sqlite.engine import SqliteEngine

__all__ = ["POINT_READ_IDS", "EngineReads"]

POINT_READ_IDS = 16
"""Up to this many ids (or keys, or people), a read by id list (``get``, ``get_relationships``,
``relationships``, ``decision_rights``) tries the calling thread first, as every other read
of a request does (``SqliteEngine.read_point``); larger batches (a page's people, a power
map's, an import's lookups of 10,000) are long by nature and go straight to a reader thread.
Tried first, each of a 100k-person re-import's 35 lookups ran its first ~100,000 SQLite
steps on the event loop before moving: 0.22 s the loop could not decode the batch before."""


class EngineReads:
    """The row readers shared by ``SqliteStore``'s methods (``_engine`` is the store's)."""

    _engine: SqliteEngine

    async def _all(self, sql: str, params: Sequence[Any]) -> list[Any]:
        """The rows of ``sql``: on the calling thread if the read is short, else in a reader
        thread (``SqliteEngine.read_point``)."""
        return await self._engine.read_point(lambda c: c.execute(sql, params).fetchall())

    async def _all_in_reader(self, sql: str, params: Sequence[Any]) -> list[Any]:
        """The rows of ``sql``, read in a reader thread: for reads long by nature (the
        batches of a whole-workspace walk, many records by id)."""
        return await self._engine.read(lambda c: c.execute(sql, params).fetchall())

    async def _all_of(self, ids: int, sql: str, params: Sequence[Any]) -> list[Any]:
        """The rows of ``sql``, a read by a list of ``ids`` ids (or keys): as ``_all`` reads
        up to ``POINT_READ_IDS``, in a reader thread at once above."""
        if ids <= POINT_READ_IDS:
            return await self._all(sql, params)
        return await self._all_in_reader(sql, params)

    async def _one(self, sql: str, params: Sequence[Any]) -> Any:
        """The first row of ``sql``, read as ``_all`` reads."""
        return await self._engine.read_point(lambda c: c.execute(sql, params).fetchone())

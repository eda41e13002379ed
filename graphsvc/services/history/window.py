"""The changes of an organization scope, read once and then only extended (``ScopedLogs``).

A review meeting asks ``accountChanges`` again and again over the same account, each time
for (nearly) the same window of the log. Reading and decoding 10,000 changes and testing
each against the scope took ~0.4 s on SQLite; the answer over them, once they are at hand,
takes a tenth of that. So the scope's changes are kept after the first read, per
(workspace, organization, includeSubsidiaries), and a later request reads only the changes
logged since, from the store.

The kept changes stay right because a logged change never changes: only the end grows.
They are read again from the store when the scope's organizations differ from when they
were kept (an organization was added, moved or deleted), when a request starts earlier
than what is kept, or when compaction dropped changes they start from. At most
``KEPT_SCOPES`` scopes and ``KEPT_CHANGES`` changes in all are kept (least recently used
first out); a window longer than that is answered from the store alone.
"""

from __future__ import annotations

import asyncio
from bisect import bisect_right
from collections import OrderedDict
from dataclasses import dataclass

from graphsvc.domain.history import Change, ChangeQuery, LogPosition
from graphsvc.services.history.scope import ChangeScope
from graphsvc.store.base import GraphStore

__all__ = ["KEPT_CHANGES", "KEPT_SCOPES", "READ_BATCH", "ScopedLogs"]

KEPT_SCOPES = 16
KEPT_CHANGES = 200_000
"""Changes kept over all scopes (a logged change with its two documents is ~1-2 KB)."""
READ_BATCH = 5000
"""Changes read per store query."""

_Key = tuple[str, str, bool]


@dataclass
class _Kept:
    organizations: frozenset[str]
    start: LogPosition
    """The kept changes are those after this position..."""
    end: LogPosition
    """...up to this one (the last position read, in the scope or not)."""
    changes: list[Change]
    positions: list[LogPosition]


class ScopedLogs:
    """The scope's changes after a position, from memory where possible (module docstring)."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self._kept: OrderedDict[_Key, _Kept] = OrderedDict()
        self._lock = asyncio.Lock()
        """Held while kept changes are extended, so two requests never extend one twice."""

    async def after(
        self,
        workspace: str,
        scope: ChangeScope,
        organization_id: str,
        start: LogPosition,
        log_from: int,
    ) -> list[Change]:
        """The scope's changes after ``start``, in log order; ``log_from`` is the store's
        (``GraphStore.log_from``), which the caller has read already."""
        async with self._lock:
            return await self._after(workspace, scope, organization_id, start, log_from)

    async def _after(
        self,
        workspace: str,
        scope: ChangeScope,
        organization_id: str,
        start: LogPosition,
        log_from: int,
    ) -> list[Change]:
        key = (workspace, organization_id, scope.include_subsidiaries)
        kept = self._kept.get(key)
        if (
            kept is None
            or kept.organizations != scope.organizations
            or start < kept.start
            or log_from > kept.start[0]
        ):
            kept = _Kept(scope.organizations, start, start, [], [])
        read = await self._extend(workspace, scope, kept)
        if read is None:  # too long to keep
            self._kept.pop(key, None)
            return await self._read_all(workspace, scope, start)
        self._kept[key] = kept
        self._kept.move_to_end(key)
        while len(self._kept) > KEPT_SCOPES or (
            len(self._kept) > 1 and sum(len(k.changes) for k in self._kept.values()) > KEPT_CHANGES
        ):
            self._kept.popitem(last=False)
        return kept.changes[bisect_right(kept.positions, start) :]

    async def _extend(self, workspace: str, scope: ChangeScope, kept: _Kept) -> int | None:
        """Read the changes after ``kept.end`` into it; how many, or None past the bound."""
        total = 0
        while True:
            batch = await self.store.changes(
                workspace, ChangeQuery(after=kept.end, limit=READ_BATCH)
            )
            if not batch:
                return total
            selected = await scope.select(batch)
            if len(kept.changes) + len(selected) > KEPT_CHANGES:
                return None
            kept.changes.extend(selected)
            kept.positions.extend(change.position for change in selected)
            kept.end = batch[-1].position
            total += len(batch)
            if len(batch) < READ_BATCH:
                return total

    async def _read_all(
        self, workspace: str, scope: ChangeScope, start: LogPosition
    ) -> list[Change]:
        found: list[Change] = []
        position = start
        while True:
            batch = await self.store.changes(
                workspace, ChangeQuery(after=position, limit=READ_BATCH)
            )
            found.extend(await scope.select(batch))
            if len(batch) < READ_BATCH:
                return found
            position = batch[-1].position

"""One projection per workspace, built on first use and kept current by every write.

- The first request for a workspace builds its projection by streaming the store; concurrent
  first requests wait for that one build (a lock per workspace).
- As a ``GraphService`` listener, the cache applies each write's ``ChangeSet`` to the
  projection (``Projection.apply``: only what the change touches), synchronously, so no
  request ever sees half a change.
- Every request compares the projection's version with ``store.version``: a write made by
  another process (another server, the CLI) makes them differ, and the projection is
  rebuilt. A listener call whose version does not follow the projection's (a write from
  elsewhere slipped in between) drops the projection for the same reason.
- A build that raced with writes (the version moved while streaming) is marked with the
  version read *before* streaming, so the next request rebuilds it rather than trust it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

from graphsvc.analytics.projection import Projection
from graphsvc.domain.enums import EntityKind
from graphsvc.store.base import ChangeSet, GraphStore

__all__ = ["ProjectionCache"]

log = logging.getLogger(__name__)

_BUILD_ORDER = (
    EntityKind.ORGANIZATION,
    EntityKind.DEPARTMENT,
    EntityKind.PERSON,
    EntityKind.SYSTEM,
    EntityKind.OPPORTUNITY,
)
_BUILD_ATTEMPTS = 3

BUILD_LISTENERS: list[Callable[[float], None]] = []
"""Called with the seconds of every full build (``api.observability`` counts them)."""


class ProjectionCache:
    """Projections of the workspaces of one store, current with the store's version."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self._projections: dict[str, Projection] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self._builds: dict[str, asyncio.Future[Projection]] = {}
        self.builds = 0
        """How many full builds ran (tests and benchmarks check that writes cause none)."""

    async def get(self, workspace: str) -> Projection:
        """The workspace's projection, current as of the store's version now."""
        current = await self.store.version(workspace)
        found = self._projections.get(workspace)
        if found is not None and found.version == current:
            return found
        lock = self._locks.setdefault(workspace, asyncio.Lock())
        async with lock:
            # Read again: a write (applied by ``on_change``) or another request's build may
            # have made the projection current while this request waited.
            current = await self.store.version(workspace)
            found = self._projections.get(workspace)
            if found is not None and found.version == current:
                return found
            # The build runs as its own task and stores its result itself: a request that
            # is cancelled while waiting (the analytic time limit) leaves the build running,
            # and the next request waits for the same build instead of starting it again,
            # so a projection that takes longer than one request's time limit still arrives.
            task = self._builds.get(workspace)
            if task is None:
                task = asyncio.ensure_future(self._build_and_keep(workspace))
                self._builds[workspace] = task
            return await asyncio.shield(task)

    async def on_change(self, workspace: str, changes: ChangeSet, version: int) -> None:
        """GraphService listener: apply a write that has just been stored."""
        found = self._projections.get(workspace)
        if found is None:
            return
        if version == found.version + 1:
            found.apply(changes, version)
        elif version > found.version:
            # Another process wrote in between: this change alone would not make it current.
            del self._projections[workspace]

    def drop(self, workspace: str) -> None:
        """Forget a workspace's projection (the next request rebuilds it)."""
        self._projections.pop(workspace, None)

    async def _build_and_keep(self, workspace: str) -> Projection:
        try:
            built = await self._build(workspace)
            self._projections[workspace] = built
            return built
        finally:
            self._builds.pop(workspace, None)

    async def _build(self, workspace: str) -> Projection:
        projection = Projection()
        for _ in range(_BUILD_ATTEMPTS):
            before = await self.store.version(workspace)
            started = time.perf_counter()
            projection = await self._stream(workspace)
            self.builds += 1
            for listener in BUILD_LISTENERS:
                listener(time.perf_counter() - started)
            if await self.store.version(workspace) == before:
                projection.version = before
                return projection
            log.info("workspace %r changed during its projection build; again", workspace)
        # Still racing with writers: serve this one, marked stale so the next request retries.
        projection.version = -1
        return projection

    async def _stream(self, workspace: str) -> Projection:
        projection = Projection()
        for kind in _BUILD_ORDER:
            async for batch in self.store.stream(workspace, kind):
                projection.apply(ChangeSet(upserts={kind: batch}))
        async for relationships in self.store.stream_relationships(workspace):
            projection.apply(ChangeSet(relationships=relationships))
        async for rights in self.store.stream_decision_rights(workspace):
            projection.apply(ChangeSet(decision_rights=rights))
        return projection

"""One projection per workspace, built on first use and kept current by every write.

- The first request for a workspace builds its projection by streaming the store; concurrent
  first requests wait for that one build (a lock per workspace).
- As a ``GraphService`` listener, the cache applies each write's ``ChangeSet`` to the
  projection (``Projection.apply``: only what the change touches), synchronously, so no
  request ever sees half a change.
- Every request compares the projection's version with ``store.version``: a write made by
  another process (another server, the CLI) makes them differ, and the projection catches
  up from the change log (``_catch_up``): the changes after its version are read, turned
  back into each write's ``ChangeSet`` (``services.replay``) and applied in version order,
  as this process's own writes are. It is rebuilt from scratch only when the log no longer
  reaches back to its version (compacted: ``graphsvc compact``), when versions are missing
  from the log, or when more changes are missing than ``CATCH_UP_LIMIT``. A listener call
  whose version does not follow the projection's (a write from elsewhere slipped in
  between) leaves the projection behind, for the next request to catch up.
- A write of this process is stored before it is announced to listeners: for that moment
  ``store.version`` is one ahead of the projection. ``applying(workspace)`` (the service's
  ``GraphService.applying``) says the step is this process's own write, and the projection
  is served as it is (consistent with the version before that write; the announcement
  follows). Without it, every request that landed in that moment rebuilt the projection,
  and under a steady stream of writes analytic requests queued behind rebuilds for 20 s.
- Writes announced while a build streams are kept and replayed onto the built projection
  (applying a change set again is harmless: upserts replace whole records), so a build
  racing with this process's writes still ends current. Only a write from elsewhere during
  the build makes it stream again; after ``_BUILD_ATTEMPTS`` the build is served marked
  stale (version -1), so the next request rebuilds it rather than trust it.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field

from graphsvc.analytics.projection import Projection
from graphsvc.domain.changes import ChangeSet
from graphsvc.domain.enums import EntityKind
from graphsvc.domain.history import ChangeQuery
from graphsvc.services.replay import UnreadableChange, change_sets
from graphsvc.store.base import GraphStore

__all__ = ["CATCH_UP_LIMIT", "ProjectionCache"]

log = logging.getLogger(__name__)

_BUILD_ORDER = (
    EntityKind.ORGANIZATION,
    EntityKind.DEPARTMENT,
    EntityKind.PERSON,
    EntityKind.SYSTEM,
    EntityKind.OPPORTUNITY,
)
_BUILD_ATTEMPTS = 3

CATCH_UP_LIMIT = 500_000
"""Most changes a projection catches up from the log; behind by more, it is rebuilt.

Replaying a change costs about what streaming a record costs in a build (a record parsed
and put), so beyond a workspace's size replaying is no cheaper than rebuilding; this bound
keeps the changes read into memory for one catch-up bounded too."""

_CATCH_UP_PAGE = 10_000
"""Changes read from the log per query while catching up."""


class ProjectionCache:
    """Projections of the workspaces of one store, current with the store's version."""

    def __init__(
        self, store: GraphStore, applying: Callable[[str], bool] = lambda workspace: False
    ) -> None:
        self.store = store
        self.applying = applying
        """Whether a write of this process to the workspace is stored but not yet announced."""
        self._projections: dict[str, Projection] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self._builds: dict[str, asyncio.Future[Projection]] = {}
        self._announced: dict[str, _Announced] = {}
        """Writes announced while the workspace's projection is being built."""
        self.build_observers: list[Callable[[float], None]] = []
        """Called with the seconds of every full build (the API's metrics count them)."""
        self.builds = 0
        """How many full builds ran (tests and benchmarks check that writes cause none)."""
        self.catch_ups = 0
        """How many times a projection caught up from the change log instead of a build."""
        self.mutation = threading.Lock()
        """Held while a published projection is changed (``exclusive``) and while the
        analytic worker reads one (``services.worker``): no reader sees half a change."""
        self._apply_order = asyncio.Lock()

    async def get(self, workspace: str) -> Projection:
        """The workspace's projection, current as of the store's version now."""
        current = await self.store.version(workspace)
        found = self._projections.get(workspace)
        if found is not None and self._is_current(workspace, found, current):
            return found
        lock = self._locks.setdefault(workspace, asyncio.Lock())
        async with lock:
            # Read again: a write (applied by ``on_change``) or another request's build may
            # have made the projection current while this request waited.
            current = await self.store.version(workspace)
            found = self._projections.get(workspace)
            if found is not None and self._is_current(workspace, found, current):
                return found
            if found is not None and await self._catch_up(workspace, found, current):
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
        announced = self._announced.get(workspace)
        if announced is not None:
            announced.changes.append((version, changes))
        # In announcement order (asyncio's lock is fair), each under the mutation lock.
        async with self._apply_order, self.exclusive():
            found = self._projections.get(workspace)
            if found is not None and version == found.version + 1:
                found.apply(changes, version)
        # Otherwise another process wrote in between: this change alone would not make the
        # projection current; the next request catches it up from the log.

    @asynccontextmanager
    async def exclusive(self) -> AsyncIterator[None]:
        """Hold ``mutation`` without blocking the event loop while the worker holds it.

        Free (the usual case), it is taken at once, with no await; otherwise a thread waits
        for it. A caller cancelled meanwhile releases it as soon as that thread gets it.
        """
        if not self.mutation.acquire(blocking=False):
            acquiring = asyncio.ensure_future(asyncio.to_thread(self.mutation.acquire))
            try:
                await asyncio.shield(acquiring)
            except asyncio.CancelledError:
                acquiring.add_done_callback(lambda _: self.mutation.release())
                raise
        try:
            yield
        finally:
            self.mutation.release()

    def drop(self, workspace: str) -> None:
        """Forget a workspace's projection (the next request rebuilds it)."""
        self._projections.pop(workspace, None)

    async def _build_and_keep(self, workspace: str) -> Projection:
        try:
            started = time.perf_counter()
            built = await self._build(workspace)
            self._projections[workspace] = built
            log.info(
                "workspace %r: projection built from the store at version %d (%.3f s)",
                workspace,
                built.version,
                time.perf_counter() - started,
            )
            return built
        finally:
            self._builds.pop(workspace, None)

    async def _catch_up(self, workspace: str, found: Projection, current: int) -> bool:
        """Bring ``found`` from its version to ``current`` with the logged changes between.

        False (``found`` untouched) when the log cannot: it starts after ``found``'s version
        (compacted), a version is missing, a change does not parse, or there are more than
        ``CATCH_UP_LIMIT``. Every change is read and parsed before the first is applied, so
        a request cancelled meanwhile leaves ``found`` as it was, and no request sees it
        half caught up (applying is synchronous).
        """
        behind = found.version
        if behind < 0 or behind >= current:
            return False
        started = time.perf_counter()
        # No ``log_from`` read first: a log that starts after ``behind`` lacks the version
        # after it, which ``_logged_writes`` finds (compaction drops whole versions).
        try:
            writes = await self._logged_writes(workspace, behind, current)
        except UnreadableChange as error:
            log.warning("workspace %r: projection rebuilt: %s", workspace, error)
            return False
        if writes is None:
            return False
        async with self.exclusive():
            for version, changes in writes:
                found.apply(changes, version)
        self.catch_ups += 1
        log.info(
            "workspace %r: projection caught up from version %d to %d from the change log "
            "(%d writes, %.3f s)",
            workspace,
            behind,
            current,
            len(writes),
            time.perf_counter() - started,
        )
        return True

    async def _logged_writes(
        self, workspace: str, behind: int, current: int
    ) -> list[tuple[int, ChangeSet]] | None:
        """The writes after ``behind`` up to ``current`` as change sets, every version
        present; None (logged why) when the log cannot give them all."""
        changes = []
        position = (behind + 1, -1)  # every change of the versions after ``behind``
        while True:
            query = ChangeQuery(after=position, until_version=current, limit=_CATCH_UP_PAGE)
            page = await self.store.changes(workspace, query)
            changes += page
            if len(changes) > CATCH_UP_LIMIT:
                log.info(
                    "workspace %r: projection at version %d rebuilt: more than %d changes "
                    "behind version %d",
                    workspace,
                    behind,
                    CATCH_UP_LIMIT,
                    current,
                )
                return None
            if len(page) < _CATCH_UP_PAGE:
                break
            position = page[-1].position
        writes = list(change_sets(changes))
        if [version for version, _ in writes] != list(range(behind + 1, current + 1)):
            log_from = await self.store.log_from(workspace)
            why = (
                f"the change log starts after version {log_from}"
                if log_from > behind
                else f"the change log lacks some versions up to {current}"
            )
            log.info("workspace %r: projection at version %d rebuilt: %s", workspace, behind, why)
            return None
        return writes

    def _is_current(self, workspace: str, found: Projection, current: int) -> bool:
        """Whether ``found`` may serve now: at ``current``, or one behind by our own write."""
        if found.version == current:
            return True
        return found.version + 1 == current and self.applying(workspace)

    async def _build(self, workspace: str) -> Projection:
        projection = Projection()
        for _ in range(_BUILD_ATTEMPTS):
            announced = self._announced[workspace] = _Announced()
            try:
                before = await self.store.version(workspace)
                started = time.perf_counter()
                projection = await self._stream(workspace)
                self.builds += 1
                for observe in self.build_observers:
                    observe(time.perf_counter() - started)
                after = await self.store.version(workspace)
            finally:
                del self._announced[workspace]
            caught_up = announced.replay_onto(projection, before)
            if caught_up >= after or (caught_up + 1 == after and self.applying(workspace)):
                projection.version = caught_up
                return projection
            log.info("workspace %r changed elsewhere during its projection build; again", workspace)
        # Still racing with writers: serve this one, marked stale so the next request retries.
        projection.version = -1
        return projection

    async def _stream(self, workspace: str) -> Projection:
        with _collector_paused():
            return await self._stream_records(workspace)

    async def _stream_records(self, workspace: str) -> Projection:
        projection = Projection()
        for kind in _BUILD_ORDER:
            if kind is EntityKind.PERSON:
                # Lean rows, not pydantic records: validating a record per person was the
                # largest cost left in a build after the relationships'.
                async for people in self.store.stream_person_rows(workspace):
                    projection.add_person_rows(people)
                continue
            async for batch in self.store.stream(workspace, kind):
                projection.apply(ChangeSet(upserts={kind: batch}))
        # Lean rows, not pydantic records: validating one per relationship was most of a build.
        async for rows in self.store.stream_relationship_rows(workspace):
            projection.add_relationship_rows(rows)
        async for rights in self.store.stream_decision_rights(workspace):
            projection.apply(ChangeSet(decision_rights=rights))
        return projection


_pausing_builds = 0
"""Builds running with the cyclic garbage collector paused (see ``_collector_paused``)."""
_paused_by_builds = False


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a projection is built.

    A build allocates millions of container objects, and every few thousand of them the
    collector traversed the whole growing projection again: 1.5 s of a 3.4 s build of
    100k people (in process, same store). The projection holds no reference cycles, so
    nothing is left for the collector; reference counting frees as usual meanwhile. Builds
    may overlap (several workspaces): the collector resumes when the last one ends, and only
    if a build paused it.
    """
    global _pausing_builds, _paused_by_builds
    if _pausing_builds == 0 and gc.isenabled():
        gc.disable()
        _paused_by_builds = True
    _pausing_builds += 1
    try:
        yield
    finally:
        _pausing_builds -= 1
        if _pausing_builds == 0 and _paused_by_builds:
            _paused_by_builds = False
            gc.enable()


@dataclass
class _Announced:
    """The writes announced to the cache while one build streamed, in announcement order."""

    changes: list[tuple[int, ChangeSet]] = field(default_factory=list)

    def replay_onto(self, projection: Projection, before: int) -> int:
        """Apply every announced write after ``before``, in order; the version reached.

        Stops at a gap (a version nobody announced: another process's write), so the
        result is the last version that ``projection`` now certainly reflects, or
        ``before`` when nothing could be replayed.
        """
        reached = before
        for version, changes in sorted(self._pending(before), key=lambda pair: pair[0]):
            if version != reached + 1:
                break
            projection.apply(changes, version)
            reached = version
        return reached

    def _pending(self, before: int) -> list[tuple[int, ChangeSet]]:
        return [(version, changes) for version, changes in self.changes if version > before]

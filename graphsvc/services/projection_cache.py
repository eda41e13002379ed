"""One projection per workspace, built on first use (or at start-up), kept current by writes.

- The first request for a workspace builds its projection by streaming the store
  (``services.projection_build``: reads overlap inserts, which run in a build thread, off
  the event loop); concurrent first requests wait for that one build (a lock per workspace).
  ``warm_up`` starts the builds of the store's workspaces when the server starts, so the
  first request usually finds its projection built or under way; ``warming`` says which
  are still being built (``/readyz``).
- As a ``GraphService`` listener, the cache applies each write's ``ChangeSet`` to the
  projection (``Projection.apply``: only what the change touches). A write never waits for
  analytic work: when the analytic worker holds the ``mutation`` lock, the change is queued
  (``_pending``) and the worker applies it first thing, under the lock, before its next
  computation (``settle``); ``get`` settles too before it hands a projection out
  (``served`` hands it to work in the worker with the version it reaches), so no request
  ever sees a projection without a write announced before it asked, nor half a change.
- Every request compares the projection's version with ``store.version``: a write made by
  another process (another server, the CLI) makes them differ, and the projection catches
  up from the change log (``replay.catch_up``): the changes after its version are read, turned
  back into each write's ``ChangeSet`` (``services.replay``, in a thread) and applied in
  version order in the worker thread, under the lock, as one step. It is rebuilt from
  scratch only when the log no longer reaches back to its version (compacted: ``graphsvc
  compact``), when versions are missing from the log, or when more changes are missing than
  ``CATCH_UP_LIMIT``. A listener call whose version does not follow the projection's (a
  write from elsewhere slipped in between) leaves the projection behind, for the next
  request to catch up.
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
import logging
import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from graphsvc.analytics.projection import Projection
from graphsvc.domain.changes import ChangeSet
from graphsvc.errors import StoreUnavailable
from graphsvc.services import projection_snapshots
from graphsvc.services.outage import note_unconfirmed
from graphsvc.services.projection_build import Announced, stream_projection
from graphsvc.services.replay import CATCH_UP_LIMIT, catch_up
from graphsvc.services.worker import DEFAULT_QUEUE_LIMIT, AnalyticWorker
from graphsvc.store.base import GraphStore

__all__ = ["CATCH_UP_LIMIT", "ProjectionCache"]

log = logging.getLogger(__name__)

_BUILD_ATTEMPTS = 3


class ProjectionCache:
    """Projections of the workspaces of one store, current with the store's version."""

    def __init__(
        self,
        store: GraphStore,
        applying: Callable[[str], bool] = lambda workspace: False,
        *,
        queue_limit: int = DEFAULT_QUEUE_LIMIT,
        snapshots: bool = False,
    ) -> None:
        self.store = store
        self.snapshots = snapshots
        """Start from the store's saved projection when it can (``projection_snapshots``)."""
        self.snapshot_loads = 0
        """How many projections were served from a snapshot (caught up) instead of a build."""
        self._saved: dict[str, int] = {}
        """The version of each workspace's snapshot as this process last read or wrote it."""
        self.applying = applying
        """Whether a write of this process to the workspace is stored but not yet announced."""
        self._projections: dict[str, Projection] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self._builds: dict[str, asyncio.Future[Projection]] = {}
        self._announced: dict[str, Announced] = {}
        """Writes announced while the workspace's projection is being built."""
        self._due: dict[str, int] = {}
        """The version each served projection reaches once its queued writes are applied."""
        self._pending: list[tuple[Projection, int, ChangeSet]] = []
        """Writes announced while the worker held ``mutation``, for ``settle`` to apply."""
        self._settling: asyncio.Future[None] | None = None
        self._warming: set[str] = set()
        self.listed = asyncio.Event()
        """Set once ``warm_up`` knows which workspaces it builds (``warming``), or failed to."""
        self.build_observers: list[Callable[[float], None]] = []
        """Called with the seconds of every full build (the API's metrics count them)."""
        self.builds = 0
        """How many full builds ran (tests and benchmarks check that writes cause none)."""
        self.catch_ups = 0
        """How many times a projection caught up from the change log instead of a build."""
        self.mutation = threading.Lock()
        """Held while a published projection is changed and while the analytic worker reads
        one (``services.worker``): no reader sees half a change."""
        self.worker = AnalyticWorker(self.mutation, settle=self.settle, queue_limit=queue_limit)
        """Where analytic computations, queued writes and catch-ups run: off the event loop."""

    async def get(self, workspace: str) -> Projection:
        """The workspace's projection, current as of the store's version now (every write
        announced so far applied), for a caller that reads it outside the worker's jobs.

        When the store cannot be reached (``StoreUnavailable``) and a projection was built,
        that one answers as of the last version this process saw, noted as unconfirmed for
        the response (``services.outage``); without one, the error goes to the caller.
        """
        projection, _ = await self.served(workspace)
        await self._settled(workspace)
        return projection

    async def served(self, workspace: str) -> tuple[Projection, int]:
        """``get``'s projection and the version it stands at once its queued writes are
        applied, without waiting for that: for work in the analytic worker, which applies
        them first (``settle``), so an analytic request queues for the worker once, not
        twice (behind every queued computation to see the writes applied, then for its own).
        """
        try:
            return await self._current(workspace)
        except StoreUnavailable:
            found = self._projections.get(workspace)
            if found is None or found.version < 0:
                raise
            due = self._due.get(workspace, found.version)
            note_unconfirmed(workspace, due)
            return found, due

    async def _current(self, workspace: str) -> tuple[Projection, int]:
        current = await self.store.version(workspace)
        found = self._projections.get(workspace)
        if found is not None and self._is_current(workspace, current):
            return found, self._due[workspace]
        lock = self._locks.setdefault(workspace, asyncio.Lock())
        async with lock:
            # Read again: a write (applied by ``on_change``) or another request's build may
            # have made the projection current while this request waited.
            current = await self.store.version(workspace)
            found = self._projections.get(workspace)
            if found is not None:
                if self._is_current(workspace, current):
                    return found, self._due[workspace]
                await self._settled(workspace)  # a catch-up starts from the applied version
                if await self._catch_up(workspace, found, current):
                    return found, self._due[workspace]
            built = await self._built(workspace)
            return built, self._due.get(workspace, built.version)

    async def on_change(self, workspace: str, changes: ChangeSet, version: int) -> None:
        """GraphService listener: apply a write that has just been stored.

        Never waits for analytic work: with the worker holding ``mutation``, the change is
        queued for the worker to apply before its next computation.
        """
        announced = self._announced.get(workspace)
        if announced is not None:
            announced.changes.append((version, changes))
        found = self._projections.get(workspace)
        if found is None or version != self._due.get(workspace, found.version) + 1:
            # Another process wrote in between: this change alone would not make the
            # projection current; the next request catches it up from the log.
            return
        self._due[workspace] = version
        if not self._pending and self.mutation.acquire(blocking=False):
            try:
                found.apply(changes, version)
            finally:
                self.mutation.release()
            return
        self._pending.append((found, version, changes))
        if self._settling is None or self._settling.done():
            # Applied by the next job anyway; this one makes sure it happens even when no
            # analytic request follows, so queued changes never pile up.
            self._settling = asyncio.ensure_future(self.worker.run(lambda: None, bounded=False))

    def settle(self) -> None:
        """Apply the queued writes, in announcement order (in the worker, under ``mutation``)."""
        while self._pending:
            projection, version, changes = self._pending.pop(0)
            if version == projection.version + 1:
                projection.apply(changes, version)

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

    def ready(self, workspace: str) -> bool:
        """Whether the workspace has a usable projection and no build of it is under way: a
        request stopped by its time limit while this is False spent it waiting for a build
        (the API's time limit says so rather than blame the query's size)."""
        found = self._projections.get(workspace)
        return found is not None and found.version >= 0 and workspace not in self._builds

    def drop(self, workspace: str) -> None:
        """Forget a workspace's projection (the next request rebuilds it)."""
        self._projections.pop(workspace, None)
        self._due.pop(workspace, None)

    async def warm_up(self, workspaces: list[str] | None = None) -> None:
        """Build the projections of ``workspaces`` (default: every workspace of the store),
        one after another, unless built already: at server start, so that the first
        analytic request finds its projection built or under way. A failed build is logged
        and left for the first request to try again."""
        try:
            names = await self.store.workspaces() if workspaces is None else workspaces
        except Exception as error:  # the store is down: requests report it, /readyz too
            log.warning("start-up projection builds skipped: %s", error)
            return
        finally:
            self.listed.set()
        self._warming.update(names)
        try:
            for workspace in names:
                try:
                    await self.get(workspace)
                except Exception as error:  # the first request tries again and reports it
                    log.warning(
                        "workspace %r: start-up projection build failed: %s", workspace, error
                    )
                finally:
                    self._warming.discard(workspace)
        finally:
            self._warming.difference_update(names)

    async def stop(self) -> None:
        """Cancel the builds under way (at shutdown, before the store closes under them)."""
        builds = list(self._builds.values())
        for build in builds:
            build.cancel()
        await asyncio.gather(*builds, return_exceptions=True)

    @property
    def warming(self) -> list[str]:
        """The workspaces whose start-up build (``warm_up``) has not finished, sorted."""
        return sorted(self._warming)

    async def _settled(self, workspace: str) -> None:
        """Wait until no queued write of ``workspace`` is left unapplied."""
        if any(
            projection is self._projections.get(workspace) for projection, _, _ in self._pending
        ):
            await self.worker.run(lambda: None, bounded=False)

    async def _built(self, workspace: str) -> Projection:
        # The build runs as its own task and stores its result itself: a request that is
        # cancelled while waiting (the analytic time limit) leaves the build running, and the
        # next request waits for the same build instead of starting it again, so a
        # projection that takes longer than one request's time limit still arrives.
        task = self._builds.get(workspace)
        if task is None:
            task = asyncio.ensure_future(self._build_and_keep(workspace))
            self._builds[workspace] = task
        return await asyncio.shield(task)

    async def _build_and_keep(self, workspace: str) -> Projection:
        try:
            started = time.perf_counter()
            built = await self._from_snapshot(workspace) if self.snapshots else None
            if built is None:
                built = await self._build(workspace)
            self._projections[workspace] = built
            self._due[workspace] = built.version
            log.info(
                "workspace %r: projection ready at version %d (%.3f s)",
                workspace,
                built.version,
                time.perf_counter() - started,
            )
            return built
        finally:
            self._builds.pop(workspace, None)

    async def _from_snapshot(self, workspace: str) -> Projection | None:
        """The saved projection caught up to the store's version now, or None (build it):
        none usable (``projection_snapshots.load``), or the log cannot catch it up."""
        announced = self._announced[workspace] = Announced()
        try:
            found = await projection_snapshots.load(self.store, workspace)
            if found is None:
                return None
            loaded, current = found
            self._saved[workspace] = loaded.version
            if loaded.version < current and not await self._catch_up(workspace, loaded, current):
                return None
            # Our own writes announced meanwhile (as in ``_build``); the next request
            # catches up any other from the log.
            announced.replay_onto(loaded, loaded.version)
        finally:
            del self._announced[workspace]
        self.snapshot_loads += 1
        return loaded

    async def until_idle(self) -> None:
        """Return once no analytic computation has waited for the worker for a moment (or
        after ``projection_snapshots.LONGEST_WAIT_FOR_IDLE_SECONDS`` in any case): for the
        server's start-up chores that hold the GIL or the projection lock, so that the first
        requests, which waited for the start-up builds, are answered before them."""
        pause = projection_snapshots.IDLE_BEFORE_SAVING_SECONDS
        deadline = time.monotonic() + projection_snapshots.LONGEST_WAIT_FOR_IDLE_SECONDS
        await asyncio.sleep(pause)
        # The worker's count is a plain counter shared with its thread: polled, not awaited.
        while self.worker.waiting and time.monotonic() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(pause)

    async def save_snapshots(self) -> None:
        """Save each served projection that moved since its snapshot (a serving process, at
        start-up and at shutdown), encoded in the worker under the projection lock. Failures
        are logged: the next start builds instead. Nothing without ``snapshots``."""
        if not self.snapshots:
            return
        for workspace, found in list(self._projections.items()):
            if found.version < 0 or self._saved.get(workspace) == found.version:
                continue
            try:
                self._saved[workspace] = await projection_snapshots.save(
                    self.store, self.worker, workspace, found
                )
            except Exception as error:  # a snapshot is an optimisation: never fail for it
                log.warning("workspace %r: projection snapshot not saved: %s", workspace, error)

    async def _catch_up(self, workspace: str, found: Projection, current: int) -> bool:
        """Bring ``found`` to ``current`` from the change log (``replay.catch_up``); False,
        ``found`` untouched, when the log cannot."""
        if not await catch_up(self.store, self.worker, workspace, found, current):
            return False
        self._due[workspace] = current
        self.catch_ups += 1
        return True

    def _is_current(self, workspace: str, current: int) -> bool:
        """Whether the served projection may serve now (once its queued writes are applied):
        at ``current``, or one behind by our own write."""
        due = self._due.get(workspace)
        if due is None:
            return False
        if due == current:
            return True
        return due + 1 == current and self.applying(workspace)

    async def _build(self, workspace: str) -> Projection:
        projection = Projection()
        for _ in range(_BUILD_ATTEMPTS):
            announced = self._announced[workspace] = Announced()
            try:
                before = await self.store.version(workspace)
                started = time.perf_counter()
                projection = await stream_projection(self.store, workspace)
                self.builds += 1
                for observe in self.build_observers:
                    observe(time.perf_counter() - started)
                after = await self.store.version(workspace)
                # Before the announcements stop being kept (no await in between): the writes
                # announced during the build are few, so this stays on the loop.
                caught_up = announced.replay_onto(projection, before)
            finally:
                del self._announced[workspace]
            if caught_up >= after or (caught_up + 1 == after and self.applying(workspace)):
                projection.version = caught_up
                return projection
            log.info("workspace %r changed elsewhere during its projection build; again", workspace)
        # Still racing with writers: serve this one, marked stale so the next request retries.
        projection.version = -1
        return projection

"""Saved projections: a server starts from the store's snapshot instead of a full build.

Why (issue 14, item 4, ``bench/README.md`` "Cold start, round three"): a full build of a
100k-person workspace is ~1.5 s of CPU under the GIL before the first analytic answer;
decoding a snapshot (``analytics.snapshot``) is about a quarter of that.

The rules that keep a snapshot from ever changing an answer:

- It lives **in the store** (``GraphStore.save_projection_snapshot``), one per workspace,
  with the workspace version it reflects: a copy or backup of the store carries the
  snapshot of exactly what it holds, and ``drop_workspace`` deletes it.
- It is used only when its ``format`` is this code's ``SNAPSHOT_FORMAT``, it is not newer
  than the store (``load``), and it decodes; then the projection cache catches it up from the
  change log exactly as it catches up a projection behind another process's writes, and
  builds in full when the log no longer reaches back (compacted) or lacks a version.
- It is written by a serving process only (``save``): once its start-up builds are done and
  the analytic worker is idle, and at shutdown when the projection moved since; encoded in
  the analytic worker under the projection lock (a consistent projection, off the event loop).
"""

from __future__ import annotations

import asyncio
import logging
import time

from graphsvc.analytics.projection import Projection
from graphsvc.analytics.snapshot import SNAPSHOT_FORMAT, SnapshotUnreadable, decode, encode
from graphsvc.domain.rows import ProjectionSnapshot
from graphsvc.services.projection_build import collector_paused
from graphsvc.services.worker import AnalyticWorker
from graphsvc.store.base import GraphStore

__all__ = [
    "IDLE_BEFORE_SAVING_SECONDS",
    "LONGEST_WAIT_FOR_IDLE_SECONDS",
    "load",
    "save",
]

log = logging.getLogger(__name__)

IDLE_BEFORE_SAVING_SECONDS = 1.0
"""How long the analytic worker must have had nothing waiting for it before a start-up save
(encoding holds the projection lock for about a second at 100k people)."""

LONGEST_WAIT_FOR_IDLE_SECONDS = 10.0
"""A server that is never idle saves (and sets its objects aside) after this long anyway."""


async def load(store: GraphStore, workspace: str) -> tuple[Projection, int] | None:
    """The workspace's saved projection at the version it reflects, with the store's version
    read after the snapshot (what it catches up to), or None (logged why) when there is none,
    it is of another format, newer than the store, or unreadable.

    A snapshot that cannot be read at all is not a reason to fail: e.g. a file written
    before snapshots existed, opened read-only, has no table for them (the schema is created
    on the first writable open). The caller then builds, as without a snapshot, and a store
    that is really down fails that build with its own error.
    """
    try:
        saved = await store.projection_snapshot(workspace)
    except Exception as error:  # a snapshot is an optimisation: never fail for it
        log.warning("workspace %r: projection snapshot could not be read: %s", workspace, error)
        return None
    if saved is None:
        return None
    if saved.format != SNAPSHOT_FORMAT:
        log.info("workspace %r: projection snapshot of another format, not used", workspace)
        return None
    current = await store.version(workspace)
    if saved.version > current:
        log.warning(
            "workspace %r: projection snapshot at version %d is newer than the store (%d), "
            "not used",
            workspace,
            saved.version,
            current,
        )
        return None
    started = time.perf_counter()
    try:
        # Millions of new containers and no garbage: a collector pass every few thousand
        # of them made a 0.4 s load take 1.4 s (as for builds, ``collector_paused``).
        with collector_paused():
            projection = await asyncio.to_thread(decode, saved.data)
    except SnapshotUnreadable as error:
        log.warning("workspace %r: projection snapshot not used: %s", workspace, error)
        return None
    if projection.version != saved.version:
        log.warning("workspace %r: projection snapshot disagrees on its version", workspace)
        return None
    log.info(
        "workspace %r: projection loaded from its snapshot at version %d (%.3f s)",
        workspace,
        saved.version,
        time.perf_counter() - started,
    )
    return projection, current


async def save(
    store: GraphStore, worker: AnalyticWorker, workspace: str, projection: Projection
) -> int:
    """Encode ``projection`` in the analytic worker (under its lock, writes queued before
    applied first) and keep it as the workspace's snapshot; the version saved."""

    def encoded() -> tuple[int, bytes]:
        return projection.version, encode(projection)

    version, data = await worker.run(encoded, bounded=False)
    await store.save_projection_snapshot(
        workspace, ProjectionSnapshot(version, SNAPSHOT_FORMAT, data)
    )
    log.info("workspace %r: projection snapshot saved at version %d", workspace, version)
    return version

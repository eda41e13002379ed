"""Reading a whole workspace into a new ``Projection``, off the event loop (``stream_projection``).

Why this shape (issue 14, items 4 and 5):

- **Off the loop.** Inserting 100k people and 215k relationships into the projection is
  about a second of pure Python; on the event loop it stalled every other request for that
  long. Every batch is inserted in one build thread instead (one per build: a projection is
  not thread-safe, and nobody else sees it until it is finished), so the loop only hands
  batches over.
- **Reads overlap inserts.** Each kind of record streams in its own task, so while the build
  thread inserts one batch, the store's reader threads fetch the next ones (SQLite releases
  the GIL while it reads). The order of inserts does not matter to a new projection: every
  kind is indexed on its own and a relationship needs no person to exist first.
- **No garbage collector passes.** A build allocates millions of container objects, and
  every few thousand the cyclic collector traversed the whole growing projection again
  (1.5 s of a 3.4 s build of 100k people); the projection holds no cycles, so the
  collector is paused while builds run (``collector_paused``).
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from graphsvc.analytics.projection import Projection
from graphsvc.domain.changes import ChangeSet
from graphsvc.domain.enums import EntityKind
from graphsvc.store.base import GraphStore

__all__ = ["Announced", "collector_paused", "stream_projection"]

_RECORD_KINDS = (
    EntityKind.ORGANIZATION,
    EntityKind.DEPARTMENT,
    EntityKind.SYSTEM,
    EntityKind.OPPORTUNITY,
)
"""Kinds read as pydantic records (few of them); people and relationships come as rows."""


async def stream_projection(store: GraphStore, workspace: str) -> Projection:
    """A new projection of everything ``workspace`` holds now (its version left at 0).

    Batches of a write committed meanwhile may or may not show: callers compare the store's
    version before and after, as ``ProjectionCache`` does.
    """
    projection = Projection()
    loop = asyncio.get_running_loop()
    with ThreadPoolExecutor(1, thread_name_prefix="graphsvc-build") as inserter:

        async def feed(batches: AsyncIterator[Any], insert: Callable[[Any], None]) -> None:
            async for batch in batches:
                await loop.run_in_executor(inserter, insert, batch)

        def upsert(kind: EntityKind) -> Callable[[Any], None]:
            return lambda batch: projection.apply(ChangeSet(upserts={kind: batch}))

        feeds = [feed(store.stream(workspace, kind), upsert(kind)) for kind in _RECORD_KINDS]
        feeds += [
            feed(store.stream_person_rows(workspace), projection.add_person_rows),
            feed(store.stream_relationship_rows(workspace), projection.add_relationship_rows),
            feed(
                store.stream_decision_rights(workspace),
                lambda rights: projection.apply(ChangeSet(decision_rights=rights)),
            ),
        ]
        with collector_paused():
            tasks = [asyncio.ensure_future(f) for f in feeds]
            try:
                await asyncio.gather(*tasks)
            finally:
                # A failed or cancelled build: stop the other readers before the build thread
                # goes away (the executor's exit waits for a running insert to finish).
                for task in tasks:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)
    return projection


_pausing_builds = 0
"""Builds running with the cyclic garbage collector paused (see ``collector_paused``)."""
_paused_by_builds = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a projection is built.

    Builds may overlap (several workspaces): the collector resumes when the last one ends,
    and only if a build paused it. Reference counting frees as usual meanwhile.
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
class Announced:
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

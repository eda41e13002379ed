"""Contract: the saved projection of a workspace (issue 14, item 4), on every store.

The store keeps one opaque snapshot per workspace. A process started with snapshots on
(``Services.over(..., projection_snapshots=True)``, what ``build_services`` gives ``serve``)
loads it and catches it up from the change log instead of building, and answers exactly as
a projection freshly built from the store; it builds instead when the snapshot is damaged,
of another format, newer than the store, or the log since it is compacted.
"""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from typing import Any, cast

import pytest

from graphsvc.analytics.projection import Projection
from graphsvc.analytics.snapshot import SNAPSHOT_FORMAT, encode
from graphsvc.domain.enums import EntityKind
from graphsvc.domain.rows import ProjectionSnapshot
from graphsvc.errors import StoreUnavailable
from graphsvc.services.container import Services
from graphsvc.services.projection_cache import ProjectionCache
from graphsvc.store.base import GraphStore
from tests.conftest import second_handle
from tests.contract.test_catch_up import answers, fresh_answers, write_every_kind
from tests.factories import kaito_document


async def test_the_store_keeps_one_snapshot_per_workspace(
    store: GraphStore, workspace: str
) -> None:
    other = f"{workspace}-other"
    assert await store.projection_snapshot(workspace) is None
    # when one is saved (of a 100k-person workspace's size, ~4 MB), then replaced
    first = ProjectionSnapshot(3, "format-a", random.Random(7).randbytes(4_000_000))
    await store.save_projection_snapshot(workspace, first)
    assert await store.projection_snapshot(workspace) == first
    second = ProjectionSnapshot(5, "format-b", b"\x00\xff" * 3)
    await store.save_projection_snapshot(workspace, second)
    # then the latest is read back byte for byte, and no other workspace sees it
    assert await store.projection_snapshot(workspace) == second
    assert await store.projection_snapshot(other) is None
    # and dropping the workspace drops its snapshot
    await store.drop_workspace(workspace)
    assert await store.projection_snapshot(workspace) is None


@pytest.fixture
async def saved(store: GraphStore, workspace: str) -> int:
    """The Kaito group imported and its projection saved by a serving process; the version."""
    server = Services.over(store, projection_snapshots=True)
    await server.graph.import_document(workspace, kaito_document())
    await answers(server.analytics, workspace)
    await server.analytics.projections.save_snapshots()
    found = await store.projection_snapshot(workspace)
    assert found is not None
    assert found.format == SNAPSHOT_FORMAT
    assert found.version == await store.version(workspace)
    return found.version


@pytest.fixture
async def theirs(store: GraphStore) -> AsyncIterator[Services]:
    """Another process on the same data: its own store handle and services."""
    other = await second_handle(store)
    try:
        yield Services.over(other)
    finally:
        await other.close()


async def restarted(store: GraphStore, workspace: str) -> tuple[ProjectionCache, dict[str, Any]]:
    """A process started after the snapshot was saved, with snapshots on: its projections
    and its answers about the workspace."""
    again = Services.over(store, projection_snapshots=True)
    return again.analytics.projections, await answers(again.analytics, workspace)


async def test_a_restart_starts_from_the_snapshot_without_a_build(
    saved: int, store: GraphStore, workspace: str
) -> None:
    # when a process starts over the store holding the snapshot
    projections, found = await restarted(store, workspace)
    # then it loaded the snapshot, built nothing, and answers as a fresh build
    assert (projections.builds, projections.snapshot_loads) == (0, 1)
    assert found == await fresh_answers(store, workspace)


async def test_writes_after_the_snapshot_are_caught_up_from_the_log(
    saved: int, theirs: Services, store: GraphStore, workspace: str
) -> None:
    # given writes of every kind made by another process after the snapshot
    await write_every_kind(theirs, workspace)
    assert await store.version(workspace) > saved + 20

    # when a process starts over the store
    projections, found = await restarted(store, workspace)

    # then it started from the snapshot, caught up once, and answers as a fresh build does
    assert (projections.builds, projections.snapshot_loads, projections.catch_ups) == (0, 1, 1)
    assert found == await fresh_answers(store, workspace)
    assert found["routes p-new-1"].routes  # the writes changed the answers


async def test_a_log_compacted_since_the_snapshot_makes_it_build(
    saved: int, theirs: Services, store: GraphStore, workspace: str
) -> None:
    await write_every_kind(theirs, workspace)
    await store.compact(workspace, await store.version(workspace))

    projections, found = await restarted(store, workspace)

    assert (projections.builds, projections.snapshot_loads) == (1, 0)
    assert found == await fresh_answers(store, workspace)


@pytest.mark.parametrize("kind", ["damaged", "another format", "newer than the store"])
async def test_an_unusable_snapshot_makes_it_build(
    saved: int, theirs: Services, store: GraphStore, workspace: str, kind: str
) -> None:
    # given a snapshot the process must not use, and a write after it
    kept = await store.projection_snapshot(workspace)
    assert kept is not None
    if kind == "damaged":
        middle = len(kept.data) // 2
        data = kept.data[:middle] + bytes([kept.data[middle] ^ 0x55]) + kept.data[middle + 1 :]
        replacement = kept._replace(data=data)
    elif kind == "another format":
        replacement = kept._replace(format="graphsvc-projection/0")
    else:
        # e.g. a store restored from a backup older than the snapshot: a projection of a
        # future version (here an empty one) must not be served for the past
        ahead = Projection()
        ahead.version = saved + 5
        replacement = ProjectionSnapshot(ahead.version, SNAPSHOT_FORMAT, encode(ahead))
    await store.save_projection_snapshot(workspace, replacement)
    await theirs.graph.update(workspace, EntityKind.PERSON, "p-cfo", {"stance": "BLOCKER"})

    # when a process starts over the store, then it builds and answers as a fresh build
    projections, found = await restarted(store, workspace)
    assert (projections.builds, projections.snapshot_loads) == (1, 0)
    assert found == await fresh_answers(store, workspace)


async def test_a_process_without_snapshots_neither_reads_nor_writes_them(
    saved: int, store: GraphStore, workspace: str
) -> None:
    # given a process with snapshots off (the default of ``Services.over``) that writes
    plain = Services.over(store)
    await plain.graph.update(workspace, EntityKind.PERSON, "p-cfo", {"stance": "BLOCKER"})
    await answers(plain.analytics, workspace)
    # when asked to save, then it built its own projection and left the snapshot alone
    await plain.analytics.projections.save_snapshots()
    projections = plain.analytics.projections
    assert (projections.builds, projections.snapshot_loads) == (1, 0)
    kept = await store.projection_snapshot(workspace)
    assert kept is not None
    assert kept.version == saved


class _SnapshotsUnreadable:
    """The store, except that reading its snapshot fails (e.g. a file written before
    snapshots existed, opened read-only: it has no table for them)."""

    def __init__(self, store: GraphStore) -> None:
        self._store = store

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    async def projection_snapshot(self, workspace: str) -> ProjectionSnapshot | None:
        raise StoreUnavailable(f"no snapshot can be read for {workspace!r}")


async def test_a_snapshot_that_cannot_be_read_makes_it_build(
    saved: int, store: GraphStore, workspace: str
) -> None:
    # when a process starts over a store whose snapshot cannot be read
    unreadable = cast(GraphStore, _SnapshotsUnreadable(store))
    projections, found = await restarted(unreadable, workspace)

    # then it builds and answers as a fresh build, instead of failing
    assert (projections.builds, projections.snapshot_loads) == (1, 0)
    assert found == await fresh_answers(store, workspace)

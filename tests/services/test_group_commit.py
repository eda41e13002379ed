"""Group commit: writes queued together that cannot affect each other share one transaction.

``grouped`` is specified on its own first (which prepared writes may join a group), then the
committer through a real service on a real SQLite file: a group whose transaction fails falls
back to one write at a time, and a caller that goes away before its write was taken leaves
nothing behind.
"""

from __future__ import annotations

import asyncio
import logging

import pytest

from graphsvc.domain.enums import EntityKind
from graphsvc.services.graph import GraphService
from graphsvc.services.writes import GROUP_MAX_RECORDS, Candidate, ReadSet, grouped, merged
from graphsvc.store.sqlite import SqliteStore
from tests.factories import changes, org
from tests.services.held_store import HeldAtApply


def _creating(id_: str, workspace: str = "w", expected: int = 3, *reads: str) -> Candidate:
    """A write creating organization ``id_`` that looked up ``id_`` and ``reads``."""
    read_set = ReadSet()
    read_set.records[EntityKind.ORGANIZATION].update((id_, *reads))
    return Candidate(workspace, expected, read_set, changes(org(id_)))


def test_writes_of_different_records_are_grouped_in_order() -> None:
    assert grouped([_creating("a"), _creating("b"), _creating("c")]) == [0, 1, 2]


def test_a_write_that_read_what_another_writes_is_left_out() -> None:
    # given a write that looked up "a" (say, as a parent) while another creates "a"
    candidates = [_creating("a"), _creating("b", "w", 3, "a"), _creating("c")]

    # then it is committed on its own, after the group
    assert grouped(candidates) == [0, 2]


@pytest.mark.parametrize(
    "other",
    [_creating("b", "other-workspace"), _creating("b", "w", 4)],
    ids=["another-workspace", "another-version"],
)
def test_only_writes_of_one_workspace_at_one_version_are_grouped(other: Candidate) -> None:
    # given two writes that differ in workspace or expected version, then no group forms
    assert grouped([_creating("a"), other]) == []


def test_a_large_write_is_committed_on_its_own() -> None:
    # given an import-sized write among small ones
    many = changes(*(org(f"o{i}") for i in range(GROUP_MAX_RECORDS + 1)))
    big = Candidate("w", 3, ReadSet(), many)

    # then only the small ones are grouped
    assert grouped([_creating("a"), big, _creating("b")]) == [0, 2]


def test_a_merged_change_set_does_everything_its_parts_do() -> None:
    # given two disjoint change sets, one with a delete
    first = changes(org("a"))
    second = changes(org("b"))
    second.deletes[EntityKind.ORGANIZATION] = ["gone"]

    # when they are merged, then the result holds both, and neither part changed
    result = merged([first, second])
    assert [o.id for o in result.upserts[EntityKind.ORGANIZATION]] == ["a", "b"]
    assert result.deletes == {EntityKind.ORGANIZATION: ["gone"]}
    assert [o.id for o in first.upserts[EntityKind.ORGANIZATION]] == ["a"]


async def _queued(service: GraphService, count: int) -> None:
    """Wait until ``count`` prepared writes queue behind the held one (white-box: no event
    says so, and the preparations take a few store round trips each)."""
    async with asyncio.timeout(10):
        while len(service._committer._queue) < count:  # noqa: ASYNC110
            await asyncio.sleep(0.005)


def _prospect(id_: str) -> dict[str, str]:
    return {"id": id_, "name": id_.upper(), "kind": "PROSPECT"}


async def test_a_group_overtaken_by_another_process_is_committed_write_by_write(
    held: HeldAtApply, workspace: str, caplog: pytest.LogCaptureFixture
) -> None:
    # given a first write held at its apply, and three more queued behind it
    caplog.set_level(logging.INFO, logger="graphsvc.services.writes.commit")
    ours = GraphService(held)
    first = asyncio.ensure_future(ours.create(workspace, EntityKind.ORGANIZATION, _prospect("a")))
    await asyncio.wait_for(held.reached.wait(), timeout=10)
    queued = [
        asyncio.ensure_future(ours.create(workspace, EntityKind.ORGANIZATION, _prospect(i)))
        for i in ("b", "c", "d")
    ]
    await _queued(ours, 3)

    # when another process writes before any of them is applied
    other = SqliteStore(held.path)
    await other.open()
    try:
        await other.apply(workspace, changes(org("theirs")))
    finally:
        await other.close()
    held.release.set()
    results = await asyncio.wait_for(asyncio.gather(first, *queued), timeout=10)

    # then the group's transaction was refused, and each write was validated again and applied
    assert [r.id for r in results] == ["a", "b", "c", "d"]
    assert "committed one by one" in caplog.text
    stored = await held.get(workspace, EntityKind.ORGANIZATION, ["a", "b", "c", "d", "theirs"])
    assert len(stored) == 5


async def test_a_write_whose_caller_went_away_before_it_was_taken_is_not_applied(
    held: HeldAtApply, workspace: str
) -> None:
    # given a first write held at its apply, and a second one queued behind it
    ours = GraphService(held)
    first = asyncio.ensure_future(ours.create(workspace, EntityKind.ORGANIZATION, _prospect("a")))
    await asyncio.wait_for(held.reached.wait(), timeout=10)
    second = asyncio.ensure_future(ours.create(workspace, EntityKind.ORGANIZATION, _prospect("b")))
    await _queued(ours, 1)

    # when the second caller goes away, and the first write is let through
    second.cancel()
    held.release.set()
    created = await asyncio.wait_for(first, timeout=10)

    # then the first is applied, the second not, and later writes are not held up
    assert created.id == "a"
    await ours.create(workspace, EntityKind.ORGANIZATION, _prospect("c"))
    stored = await held.get(workspace, EntityKind.ORGANIZATION, ["a", "b", "c"])
    assert sorted(stored) == ["a", "c"]
    assert second.cancelled()

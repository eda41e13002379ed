"""Contract: history retention (``services.history_retention.compact``, issue 11 item 6).

Changes older than the date are dropped, but never those after the latest review of any
organization; older reviews that can no longer be answered are named. The writes here
carry change log entries with chosen times, so the dates are exact.
"""

from __future__ import annotations

from datetime import UTC, datetime

from graphsvc.domain.changes import ChangeSet
from graphsvc.domain.enums import EntityKind
from graphsvc.domain.history import Change, ChangeKind, ChangeQuery, Operation, Review
from graphsvc.services.history.retention import compact
from graphsvc.store.base import GraphStore
from tests.factories import org


def day(n: int) -> datetime:
    """Noon of October ``n``, 2026, UTC."""
    return datetime(2026, 10, n, 12, tzinfo=UTC)


async def write_on(store: GraphStore, workspace: str, n: int) -> int:
    """One logged write (an organization ``o<n>`` created) dated ``day(n)``; its version."""
    record = org(f"o{n}")
    change = Change(
        ChangeKind.ORGANIZATION,
        record.id,
        Operation.CREATED,
        ("id", "kind", "name"),
        None,
        record.to_document(),
        "cli",
        day(n),
    )
    return await store.apply(
        workspace, ChangeSet(upserts={EntityKind.ORGANIZATION: [record]}, log=[change])
    )


async def review_at(store: GraphStore, workspace: str, id_: str, org_id: str) -> Review:
    """A review of ``org_id`` taken at the workspace's current version."""
    version = await store.version(workspace)
    review = Review(id_, org_id, f"review {id_}", None, version, day(20), "cli")
    await store.save_review(workspace, review)
    return review


async def logged_versions(store: GraphStore, workspace: str) -> list[int]:
    return [change.version for change in await store.changes(workspace, ChangeQuery())]


async def test_changes_older_than_the_date_are_dropped(store: GraphStore, workspace: str) -> None:
    # Given writes on October 1, 2, 3, 4 (versions 1-4)
    for n in (1, 2, 3, 4):
        await write_on(store, workspace, n)

    # When compacting before October 3, 00:00
    done = await compact(store, workspace, datetime(2026, 10, 3, tzinfo=UTC))

    # Then the changes of October 1 and 2 are gone, the log starts after version 2
    assert (done.dropped, done.log_from, done.previous_log_from) == (2, 2, 0)
    assert done.held_by is None
    assert done.unanswerable == []
    assert await logged_versions(store, workspace) == [3, 4]
    assert await store.log_from(workspace) == 2
    assert "dropped 2 changes through version 2" in done.summary()

    # And compacting again at the same date drops nothing more
    again = await compact(store, workspace, datetime(2026, 10, 3, tzinfo=UTC))
    assert (again.dropped, again.log_from) == (0, 2)
    assert "nothing to drop" in again.summary()


async def test_the_date_is_exclusive_to_the_microsecond(store: GraphStore, workspace: str) -> None:
    await write_on(store, workspace, 1)
    await write_on(store, workspace, 2)

    done = await compact(store, workspace, day(2))  # exactly the second write's time

    assert (done.dropped, done.log_from) == (1, 1)


async def test_the_latest_review_of_each_organization_keeps_its_changes(
    store: GraphStore, workspace: str
) -> None:
    # Given reviews: kaito at versions 1 and 3 (the latter its latest), log at version 2
    await write_on(store, workspace, 1)
    old_kaito = await review_at(store, workspace, "r-kaito-1", "kaito")
    await write_on(store, workspace, 2)
    log_review = await review_at(store, workspace, "r-log", "kaito-log")
    await write_on(store, workspace, 3)
    await review_at(store, workspace, "r-kaito-2", "kaito")
    await write_on(store, workspace, 4)

    # When compacting before a date after every write
    done = await compact(store, workspace, datetime(2026, 11, 1, tzinfo=UTC))

    # Then it stops at kaito-log's latest review (version 2): changes after it are kept
    assert (done.dropped, done.log_from) == (2, 2)
    assert done.held_by == log_review
    assert await logged_versions(store, workspace) == [3, 4]
    # And kaito's older review can no longer be answered, and says so
    assert done.unanswerable == [old_kaito]
    line = done.summary()
    assert "stopped short of the date at review 'r-log'" in line
    assert "no longer answerable by sinceReview: 'r-kaito-1'" in line


async def test_an_empty_workspace_has_nothing_to_drop(store: GraphStore, workspace: str) -> None:
    done = await compact(store, workspace, datetime(2026, 11, 1, tzinfo=UTC))

    assert (done.dropped, done.log_from, done.previous_log_from) == (0, 0, 0)

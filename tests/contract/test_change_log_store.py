"""Contract: the change log, reviews and stage model every store keeps (CONTRACT §6, §7).

``apply`` appends ``ChangeSet.log`` in the write's own transaction, stamping each change
with the version the write produced and its index in the list; ``changes`` reads the log
back exactly, in log order, filtered by ``ChangeQuery``; ``compact`` drops its start;
reviews and the stage model are stored per workspace; ``drop_workspace`` ends them all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from graphsvc.domain.changes import ChangeSet
from graphsvc.domain.enums import EntityKind
from graphsvc.domain.history import Change, ChangeKind, ChangeQuery, Operation, Review
from graphsvc.domain.models import Person
from graphsvc.domain.pipeline import PipelineStage
from graphsvc.errors import Conflict, GraphsvcError, VersionMoved
from graphsvc.store.base import GraphStore
from tests.factories import change_set, changes, kaito_document, knows, org, person

T0 = datetime(2026, 3, 2, 9, 30, 15, 123456, tzinfo=UTC)
JST = timezone(timedelta(hours=9))


def change(
    kind: ChangeKind,
    key: str,
    operation: Operation = Operation.CREATED,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    at: datetime = T0,
    actor: str = "cli",
) -> Change:
    """A change as services log it (``fields`` derived from before and after)."""
    if before is None and after is None and operation is not Operation.DELETED:
        after = {"id": key, "name": f"Name of {key}"}
    old, new = before or {}, after or {}
    fields = tuple(sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k)))
    return Change(kind, key, operation, fields, before, after, actor, at)


def logged(entries: list[Change], *records: Any) -> ChangeSet:
    """A change set upserting ``records`` (an organization when none) with ``entries`` as log."""
    result = changes(*(records or (org("o"),)))
    result.log = list(entries)
    return result


def stamped(entries: list[Change], version: int) -> list[Change]:
    """``entries`` as the store returns them after a write that produced ``version``."""
    return [replace(c, version=version, index=i) for i, c in enumerate(entries)]


STAGES = [PipelineStage(name="LEAD", probability=0.1), PipelineStage(name="DEAL", probability=0.6)]


# --- round trip ---------------------------------------------------------------------------


async def test_a_logged_apply_stores_each_change_exactly_with_its_version_and_index(
    store: GraphStore, workspace: str
) -> None:
    # given a write logging a creation (Japanese text, a float, a list, a nested record),
    # an update at a time in another zone, and a deletion by another actor
    created = change(
        ChangeKind.PERSON,
        "p-1",
        after={
            "id": "p-1",
            "name": "佐藤 花子",
            "organizationId": "o",
            "influence": 0.1 + 0.2,
            "tags": ["cio", "決裁者"],
            "nested": {"list": [1, 2.5, None, True], "empty": {}},
        },
    )
    updated = change(
        ChangeKind.RELATIONSHIP,
        "KNOWS:p-1:p-2",
        Operation.UPDATED,
        before={"type": "KNOWS", "from": "p-1", "to": "p-2", "strength": 0.4},
        after={"type": "KNOWS", "from": "p-1", "to": "p-2", "strength": 0.7},
        at=datetime(2026, 3, 2, 18, 30, 15, 999999, tzinfo=JST),
    )
    deleted = change(
        ChangeKind.DECISION_RIGHT,
        "p-1:o:IT budget:APPROVER",
        Operation.DELETED,
        before={"personId": "p-1", "scopeId": "o", "area": "IT budget", "role": "APPROVER"},
        actor="tok-123",
    )
    entries = [created, updated, deleted]

    # when it is applied
    version = await store.apply(workspace, logged(entries))

    # then the log holds the three changes, equal to what was written, stamped in order
    read = await store.changes(workspace, ChangeQuery())
    assert read == stamped(entries, version)
    assert [c.position for c in read] == [(version, 0), (version, 1), (version, 2)]
    assert read[0].after == created.after
    assert read[0].after is not None
    assert read[0].after["influence"] == 0.1 + 0.2
    assert read[1].fields == ("strength",)
    assert read[2].after is None
    assert read[2].fields == deleted.fields
    # and times come back as the same instants, aware and in UTC, to the microsecond
    for got, sent in zip(read, entries, strict=True):
        assert got.at == sent.at
        assert got.at.utcoffset() == timedelta(0)
    assert read[1].at.microsecond == 999999
    assert read[2].actor == "tok-123"


async def test_each_write_numbers_its_changes_from_zero_at_its_own_version(
    store: GraphStore, workspace: str
) -> None:
    # given two logged writes
    first = [change(ChangeKind.ORGANIZATION, "a"), change(ChangeKind.PERSON, "p")]
    second = [change(ChangeKind.ORGANIZATION, "b")]
    v1 = await store.apply(workspace, logged(first, org("a")))
    v2 = await store.apply(workspace, logged(second, org("b")))

    # then the log is both, in write order, each write numbered from 0
    assert await store.changes(workspace, ChangeQuery()) == [
        *stamped(first, v1),
        *stamped(second, v2),
    ]


async def test_an_empty_change_set_logs_nothing(store: GraphStore, workspace: str) -> None:
    # given a written workspace
    version = await store.apply(workspace, logged([change(ChangeKind.ORGANIZATION, "o")]))

    # when a change set that changes nothing is applied (even with a log attached)
    empty = ChangeSet(log=[change(ChangeKind.ORGANIZATION, "ghost")])
    assert await store.apply(workspace, empty) == version

    # then the log holds only the first write
    assert [c.key for c in await store.changes(workspace, ChangeQuery())] == ["o"]


async def test_the_log_is_per_workspace(
    store: GraphStore, new_workspace: Callable[[], str]
) -> None:
    a, b = new_workspace(), new_workspace()
    await store.apply(a, logged([change(ChangeKind.ORGANIZATION, "in-a")]))
    assert await store.changes(b, ChangeQuery()) == []
    assert await store.log_from(b) == 0


async def test_a_log_longer_than_any_page_reads_whole_and_in_order(
    store: GraphStore, workspace: str
) -> None:
    # given one write logging more changes than a store reads at once
    entries = [change(ChangeKind.ORGANIZATION, f"o-{i:05d}") for i in range(5_003)]
    version = await store.apply(workspace, logged(entries))

    # then every change is read back, in index order
    read = await store.changes(workspace, ChangeQuery())
    assert [c.position for c in read] == [(version, i) for i in range(5_003)]
    assert read[-1] == replace(entries[-1], version=version, index=5_002)


async def test_filters_and_positions_hold_within_a_long_write(
    store: GraphStore, workspace: str
) -> None:
    # given one write of 250 changes: people and organizations alternating, with a run of
    # 120 systems in the middle, and times a second apart
    kinds = [ChangeKind.PERSON, ChangeKind.ORGANIZATION] * 40 + [ChangeKind.SYSTEM] * 120
    kinds += [ChangeKind.PERSON, ChangeKind.ORGANIZATION] * 25
    entries = [
        change(kind, f"k-{i:03d}", at=T0 + timedelta(seconds=i)) for i, kind in enumerate(kinds)
    ]
    version = await store.apply(workspace, logged(entries))
    log = stamped(entries, version)

    async def read(**query: Any) -> list[Change]:
        return await store.changes(workspace, ChangeQuery(**query))

    # then every filter and bound picks exactly the changes it names, in order
    people = frozenset({ChangeKind.PERSON})
    assert await read(kinds=people) == [c for c in log if c.kind is ChangeKind.PERSON]
    assert await read(after=(version, 150), limit=60) == log[151:211]
    assert (
        await read(after=(version, 99), kinds=people, limit=3)
        == [c for c in log[100:] if c.kind is ChangeKind.PERSON][:3]
    )
    systems = frozenset({ChangeKind.SYSTEM})
    assert await read(kinds=systems, at_after=T0 + timedelta(seconds=189)) == log[190:200]
    assert await read(at_until=T0 + timedelta(seconds=120), limit=200) == log[:121]
    assert await store.compact(workspace, version) == 250


# --- queries ------------------------------------------------------------------------------


async def _history(store: GraphStore, workspace: str) -> tuple[list[Change], list[datetime]]:
    """Three writes a day apart: v1 an org and a person, v2 a relationship and a person
    update, v3 the org's deletion. Returns the stamped log and the three times."""
    times = [T0, T0 + timedelta(days=1), T0 + timedelta(days=2)]
    writes = [
        [
            change(ChangeKind.ORGANIZATION, "o", at=times[0]),
            change(ChangeKind.PERSON, "p", at=times[0]),
        ],
        [
            change(ChangeKind.RELATIONSHIP, "KNOWS:p:q", at=times[1]),
            change(
                ChangeKind.PERSON,
                "p",
                Operation.UPDATED,
                before={"id": "p", "title": "CIO"},
                after={"id": "p", "title": "CEO"},
                at=times[1],
            ),
        ],
        [change(ChangeKind.ORGANIZATION, "o", Operation.DELETED, before={"id": "o"}, at=times[2])],
    ]
    log: list[Change] = []
    for entries in writes:
        log += stamped(entries, await store.apply(workspace, logged(entries)))
    return log, times


async def test_each_query_filter_selects_its_changes_in_log_order(
    store: GraphStore, workspace: str
) -> None:
    # given a history of three writes (positions v1:0 v1:1 v2:0 v2:1 v3:0)
    log, times = await _history(store, workspace)
    v1, v2 = log[0].version, log[2].version

    async def read(**query: Any) -> list[Change]:
        return await store.changes(workspace, ChangeQuery(**query))

    # then each filter keeps exactly its changes, oldest first
    assert await read() == log
    assert await read(after=(v1, 0)) == log[1:]  # exclusive position
    assert await read(after=(v1, 1)) == log[2:]  # the last of a write
    assert await read(after=(v2, 1)) == log[4:]
    assert await read(after=(v1, 2**62)) == log[2:]  # "after all of v1", as services ask
    assert await read(after=(v1, 2)) == log[2:]  # past v1's last index, not into v2
    assert await read(until_version=v2) == log[:4]  # inclusive
    assert await read(kinds=frozenset({ChangeKind.PERSON})) == [log[1], log[3]]
    kinds = frozenset({ChangeKind.ORGANIZATION, ChangeKind.RELATIONSHIP})
    assert await read(kinds=kinds) == [log[0], log[2], log[4]]
    assert await read(kinds=frozenset({ChangeKind.SYSTEM})) == []
    assert await read(at_after=times[0]) == log[2:]  # exclusive
    assert await read(at_until=times[1]) == log[:4]  # inclusive
    assert await read(at_after=times[0], at_until=times[1]) == log[2:4]
    # times in another zone mean the same instants
    assert await read(at_after=times[0].astimezone(JST)) == log[2:]
    assert await read(at_after=times[0] - timedelta(microseconds=1)) == log
    assert await read(limit=2) == log[:2]
    assert await read(limit=0) == []
    assert await read(after=log[4].position) == []  # nothing after the last change


async def test_query_filters_combine(store: GraphStore, workspace: str) -> None:
    # given the history of three writes
    log, times = await _history(store, workspace)
    v1, v2 = log[0].version, log[2].version

    # when every filter is given at once
    query = ChangeQuery(
        after=(v1, 0),
        until_version=v2,
        kinds=frozenset({ChangeKind.PERSON, ChangeKind.RELATIONSHIP}),
        at_after=times[0] - timedelta(seconds=1),
        at_until=times[2],
        limit=2,
    )

    # then only changes meeting all of them are read, at most ``limit``
    assert await store.changes(workspace, query) == [log[1], log[2]]
    assert await store.changes(workspace, replace(query, at_after=times[0])) == log[2:4]


async def test_paging_by_position_reads_the_whole_log_once(
    store: GraphStore, workspace: str
) -> None:
    # given a history of five changes
    log, _ = await _history(store, workspace)

    # when it is read two at a time, each page after the last position read
    pages: list[list[Change]] = []
    after = ChangeQuery().after
    while page := await store.changes(workspace, ChangeQuery(after=after, limit=2)):
        pages.append(page)
        after = page[-1].position

    # then the pages are the log, in order, without gaps or repeats
    assert [len(p) for p in pages] == [2, 2, 1]
    assert [c for p in pages for c in p] == log


# --- atomicity ----------------------------------------------------------------------------


async def test_a_refused_write_logs_nothing_and_keeps_the_stage_model(
    store: GraphStore, workspace: str
) -> None:
    # given a logged workspace with its own stage model
    first = [change(ChangeKind.ORGANIZATION, "o")]
    with_stages = logged(first)
    with_stages.pipeline_stages = STAGES
    version = await store.apply(workspace, with_stages)

    # when a write prepared at another version is refused
    refused = logged([change(ChangeKind.ORGANIZATION, "b")], org("b"))
    refused.pipeline_stages = [PipelineStage(name="OTHER", probability=0.5)]
    with pytest.raises(VersionMoved):
        await store.apply(workspace, refused, expected_version=version - 1)

    # then neither its changes nor its stage model were stored
    assert await store.changes(workspace, ChangeQuery()) == stamped(first, version)
    assert await store.pipeline_stages(workspace) == STAGES


@pytest.mark.filterwarnings("ignore::UserWarning")  # pydantic warns about the bogus value
async def test_a_write_failing_half_way_logs_nothing_and_keeps_the_stage_model(
    store: GraphStore, workspace: str
) -> None:
    # given the Kaito group, logged, with its own stage model
    first = change_set(kaito_document())
    first.log = [change(ChangeKind.ORGANIZATION, "kaito")]
    first.pipeline_stages = STAGES
    version = await store.apply(workspace, first)

    # when a write with a log and a new stage model fails on a record it cannot store
    unstorable: Any = object()
    broken = Person.model_construct(id="p-broken", name=unstorable, organization_id="kaito")
    bad = changes(org("new-org"), person("p-new", "kaito"), broken, knows("p-new", "p-ceo"))
    bad.deletes[EntityKind.PERSON] = ["p-cio"]
    bad.log = [
        change(ChangeKind.PERSON, "p-cio", Operation.DELETED, before={"id": "p-cio"}),
        change(ChangeKind.ORGANIZATION, "new-org"),
        change(ChangeKind.PERSON, "p-new"),
        change(ChangeKind.PERSON, "p-broken"),
    ]
    bad.pipeline_stages = [PipelineStage(name="OTHER", probability=0.5)]
    with pytest.raises((GraphsvcError, ValueError)):
        await store.apply(workspace, bad)

    # then the log and the stage model are as before it, like the records
    assert await store.version(workspace) == version
    assert await store.changes(workspace, ChangeQuery()) == stamped(first.log, version)
    assert await store.pipeline_stages(workspace) == STAGES


# --- where the log starts, compaction -----------------------------------------------------


async def test_a_workspace_is_logged_from_version_zero(store: GraphStore, workspace: str) -> None:
    # an unknown workspace, and one written since it began, are both logged from 0
    assert await store.log_from(workspace) == 0
    await store.apply(workspace, logged([change(ChangeKind.ORGANIZATION, "o")]))
    await store.apply(workspace, logged([change(ChangeKind.ORGANIZATION, "b")], org("b")))
    assert await store.log_from(workspace) == 0


async def test_compact_drops_the_changes_up_to_a_version_and_moves_the_log_start(
    store: GraphStore, workspace: str
) -> None:
    # given a history of three writes (two, two and one changes)
    log, _ = await _history(store, workspace)
    v2, v3 = log[2].version, log[4].version

    # when the log is compacted through the second write
    dropped = await store.compact(workspace, v2)

    # then its four changes are gone, the log starts after v2, and the rest is whole
    assert dropped == 4
    assert await store.log_from(workspace) == v2
    assert await store.changes(workspace, ChangeQuery()) == log[4:]

    # and compacting less than that drops nothing and never moves the start back
    assert await store.compact(workspace, v2 - 1) == 0
    assert await store.log_from(workspace) == v2

    # and later writes are logged as before
    entries = [change(ChangeKind.SYSTEM, "s")]
    v4 = await store.apply(workspace, logged(entries, org("x")))
    assert v4 == v3 + 1
    assert await store.changes(workspace, ChangeQuery(after=(v3, 0))) == stamped(entries, v4)

    # and compacting through the current version empties the log
    assert await store.compact(workspace, v4) == 2
    assert await store.log_from(workspace) == v4
    assert await store.changes(workspace, ChangeQuery()) == []


async def test_compact_is_per_workspace(
    store: GraphStore, new_workspace: Callable[[], str]
) -> None:
    a, b = new_workspace(), new_workspace()
    log_b, _ = await _history(store, b)
    await _history(store, a)
    assert await store.compact(a, 10) == 5
    assert await store.changes(b, ChangeQuery()) == log_b
    assert await store.log_from(b) == 0


# --- reviews ------------------------------------------------------------------------------


def review(id: str, organization_id: str = "o", version: int = 1, **fields: Any) -> Review:
    values: dict[str, Any] = {
        "title": f"Review {id}",
        "notes": None,
        "at": T0,
        "actor": "tok-1",
        **fields,
    }
    return Review(id=id, organization_id=organization_id, version=version, **values)


async def test_reviews_are_stored_exactly_and_listed_oldest_first(
    store: GraphStore, workspace: str
) -> None:
    # given reviews saved out of order: by version, then time, then id
    later = T0 + timedelta(hours=1)
    saved = [
        review("r-c", version=2, at=T0, notes="次回は役員レビュー"),
        review("r-b", version=1, at=later, title="週次 with marketing"),
        review("r-z", version=1, at=T0),
        review("r-a", version=1, at=T0, actor="cli"),
        review("r-x", "other-org", version=1, at=datetime(2026, 3, 2, 18, 0, tzinfo=JST)),
    ]
    for r in saved:
        await store.save_review(workspace, r)

    # then each reads back equal, times aware in UTC
    got = await store.review(workspace, "r-c")
    assert got == saved[0]
    assert got is not None
    assert got.at.utcoffset() == timedelta(0)
    assert await store.review(workspace, "r-x") == saved[4]

    # and the lists are oldest first, of one organization when asked
    # (r-x's 18:00 in Tokyo is 09:00 UTC, before the others' 09:30)
    assert [r.id for r in await store.reviews(workspace)] == ["r-x", "r-a", "r-z", "r-b", "r-c"]
    assert [r.id for r in await store.reviews(workspace, "o")] == ["r-a", "r-z", "r-b", "r-c"]
    assert await store.reviews(workspace, "other-org") == [saved[4]]
    assert await store.reviews(workspace, "nobody") == []


async def test_an_unknown_review_is_none(
    store: GraphStore, new_workspace: Callable[[], str]
) -> None:
    a, b = new_workspace(), new_workspace()
    await store.save_review(a, review("r-1"))
    assert await store.review(a, "r-2") is None
    assert await store.review(b, "r-1") is None  # reviews are per workspace
    assert await store.reviews(b) == []


async def test_a_reused_review_id_is_a_conflict_and_keeps_the_first(
    store: GraphStore, new_workspace: Callable[[], str]
) -> None:
    # given a saved review
    workspace, other = new_workspace(), new_workspace()
    first = review("r-1", title="First")
    await store.save_review(workspace, first)

    # when another review with its id is saved, then it is a Conflict naming the id
    with pytest.raises(Conflict, match="r-1"):
        await store.save_review(workspace, review("r-1", title="Second"))

    # and the first is unchanged, while another workspace may use the id
    assert await store.reviews(workspace) == [first]
    await store.save_review(other, review("r-1", title="Second"))
    assert await store.review(other, "r-1") == review("r-1", title="Second")


# --- stage model --------------------------------------------------------------------------


async def test_the_stage_model_is_none_until_set_then_replaced_whole(
    store: GraphStore, new_workspace: Callable[[], str]
) -> None:
    workspace, other = new_workspace(), new_workspace()
    # given a workspace without a stage model of its own, then with a written record
    assert await store.pipeline_stages(workspace) is None
    await store.apply(workspace, changes(org("o")))
    assert await store.pipeline_stages(workspace) is None

    # when a write sets one, then it reads back equal, in order
    await store.apply(workspace, ChangeSet(pipeline_stages=STAGES))
    assert await store.pipeline_stages(workspace) == STAGES

    # and a write without one keeps it; another workspace has none
    await store.apply(workspace, changes(org("b")))
    assert await store.pipeline_stages(workspace) == STAGES
    assert await store.pipeline_stages(other) is None

    # and a new one replaces it whole (an exact float, Japanese names)
    replacement = [
        PipelineStage(name="見込み", probability=0.1 + 0.2),
        PipelineStage(name="提案", probability=0.5),
        PipelineStage(name="交渉", probability=1.0),
    ]
    version = await store.version(workspace)
    assert await store.apply(workspace, ChangeSet(pipeline_stages=replacement)) == version + 1
    assert await store.pipeline_stages(workspace) == replacement


# --- dropping -----------------------------------------------------------------------------


async def test_drop_workspace_ends_its_log_reviews_and_stage_model_only(
    store: GraphStore, new_workspace: Callable[[], str]
) -> None:
    # given two workspaces, each with a log, a review and a stage model
    dropped, kept = new_workspace(), new_workspace()
    for ws in (dropped, kept):
        await _history(store, ws)
        await store.apply(ws, ChangeSet(pipeline_stages=STAGES))
        await store.save_review(ws, review("r-1"))
    kept_log = await store.changes(kept, ChangeQuery())

    # when one is dropped
    await store.drop_workspace(dropped)

    # then it has no change, review or stage model left, and its log starts at its new
    # version (a reader behind the drop cannot replay it); the other is whole
    assert await store.changes(dropped, ChangeQuery()) == []
    assert await store.reviews(dropped) == []
    assert await store.review(dropped, "r-1") is None
    assert await store.pipeline_stages(dropped) is None
    assert await store.log_from(dropped) == await store.version(dropped)
    assert await store.changes(kept, ChangeQuery()) == kept_log
    assert [r.id for r in await store.reviews(kept)] == ["r-1"]
    assert await store.pipeline_stages(kept) == STAGES

    # and the review id is free again, and new writes are logged
    await store.save_review(dropped, review("r-1"))
    entries = [change(ChangeKind.ORGANIZATION, "o")]
    version = await store.apply(dropped, logged(entries))
    assert await store.changes(dropped, ChangeQuery()) == stamped(entries, version)

"""Contract: streams return every record once, in id/key order, across batch boundaries."""

from __future__ import annotations

from functools import cache
from itertools import pairwise

from graphsvc.domain.changes import ChangeSet
from graphsvc.domain.enums import EntityKind
from graphsvc.store.base import GraphStore
from tests.factories import knows, org, person, right

MANY = 12_345
"""More than two batches of any sensible batch size (the SQLite store uses 5,000)."""


@cache  # built once: the store never changes a change set it applies
def _many() -> ChangeSet:
    """MANY people in a chain of KNOWS, each with a decision right, written in reverse order."""
    ids = [f"p-{i:05d}" for i in range(MANY)]
    return ChangeSet(
        upserts={
            EntityKind.ORGANIZATION: [org("o")],
            EntityKind.PERSON: [person(i, "o") for i in reversed(ids)],
        },
        relationships=[knows(b, a) for a, b in pairwise(ids)][::-1],
        decision_rights=[right(i, "o") for i in reversed(ids)],
    )


async def test_stream_yields_every_record_once_in_id_order(
    store: GraphStore, workspace: str
) -> None:
    # given many people written in reverse id order
    await store.apply(workspace, _many())

    # when they are streamed
    batches = [batch async for batch in store.stream(workspace, EntityKind.PERSON)]

    # then they come in several non-empty batches, together each id once, in order
    ids = [p.id for batch in batches for p in batch]
    assert len(batches) > 1
    assert all(batches)
    assert ids == [f"p-{i:05d}" for i in range(MANY)]


async def test_find_returns_every_match_once_in_id_order_across_pages(
    store: GraphStore, workspace: str
) -> None:
    # given many people of one organization, written in reverse id order
    await store.apply(workspace, _many())

    # when they are found by their organization
    found = await store.find(workspace, EntityKind.PERSON, {"organizationId": ["o"]})

    # then every one comes back once, in id order
    assert [p.id for p in found] == [f"p-{i:05d}" for i in range(MANY)]


async def test_stream_relationships_yields_every_one_once_in_key_order(
    store: GraphStore, workspace: str
) -> None:
    await store.apply(workspace, _many())

    batches = [batch async for batch in store.stream_relationships(workspace)]

    keys = [r.key for batch in batches for r in batch]
    assert len(batches) > 1
    assert len(keys) == MANY - 1
    assert keys == sorted(set(keys))


async def test_stream_decision_rights_yields_every_one_once_in_key_order(
    store: GraphStore, workspace: str
) -> None:
    await store.apply(workspace, _many())

    batches = [batch async for batch in store.stream_decision_rights(workspace)]

    keys = [r.key for batch in batches for r in batch]
    assert len(batches) > 1
    assert len(keys) == MANY
    assert keys == sorted(set(keys))


async def test_streams_of_an_empty_workspace_yield_nothing(
    store: GraphStore, workspace: str
) -> None:
    assert [b async for b in store.stream(workspace, EntityKind.ORGANIZATION)] == []
    assert [b async for b in store.stream_relationships(workspace)] == []
    assert [b async for b in store.stream_decision_rights(workspace)] == []

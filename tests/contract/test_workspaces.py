"""Contract: versions, atomic writes, workspace isolation, dropping and listing workspaces."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from graphsvc.domain.changes import ChangeSet
from graphsvc.domain.enums import EntityKind, RelationshipType
from graphsvc.domain.listing import ListQuery
from graphsvc.domain.models import Person
from graphsvc.errors import GraphsvcError
from graphsvc.store.base import GraphStore
from tests.factories import change_set, changes, kaito_document, knows, org, person, right


async def test_a_new_workspace_has_version_zero(store: GraphStore, workspace: str) -> None:
    assert await store.version(workspace) == 0


async def test_every_non_empty_apply_grows_the_version(store: GraphStore, workspace: str) -> None:
    # when two change sets are applied
    first = await store.apply(workspace, changes(org("a")))
    second = await store.apply(workspace, changes(org("b")))

    # then each returned a larger version, and the last is current
    assert 0 < first < second
    assert await store.version(workspace) == second


async def test_an_empty_apply_keeps_the_version(store: GraphStore, workspace: str) -> None:
    # given a written workspace
    written = await store.apply(workspace, changes(org("a")))

    # when an empty change set is applied
    returned = await store.apply(workspace, ChangeSet())

    # then nothing moved
    assert returned == written
    assert await store.version(workspace) == written


@pytest.mark.filterwarnings("ignore::UserWarning")  # pydantic warns about the bogus value
async def test_an_apply_failing_half_way_changes_nothing(store: GraphStore, workspace: str) -> None:
    # given the Kaito group
    await store.apply(workspace, change_set(kaito_document()))
    version = await store.version(workspace)

    # when a change set deletes the CIO, adds an organization, a valid person, then a person
    # whose name cannot be stored, and a relationship after it
    unstorable: Any = object()
    broken = Person.model_construct(id="p-broken", name=unstorable, organization_id="kaito")
    bad = changes(org("new-org"), person("p-new", "kaito"), broken, knows("p-new", "p-ceo"))
    bad.deletes[EntityKind.PERSON] = ["p-cio"]
    with pytest.raises((GraphsvcError, ValueError)):
        await store.apply(workspace, bad)

    # then the delete, the upserts before the bad record and the version are all undone
    assert await store.version(workspace) == version
    people = await store.get(workspace, EntityKind.PERSON, ["p-cio", "p-new", "p-broken"])
    assert list(people) == ["p-cio"]
    assert await store.get(workspace, EntityKind.ORGANIZATION, ["new-org"]) == {}
    assert await store.relationships(workspace, ["p-new"]) == []


async def test_nothing_crosses_workspaces(
    store: GraphStore, new_workspace: Callable[[], str]
) -> None:
    # given the same ids in two workspaces, with different content
    a, b = new_workspace(), new_workspace()
    await store.apply(
        a, changes(org("o", "In A"), person("p", "o"), knows("p", "q"), right("p", "o"))
    )
    await store.apply(b, changes(org("o", "In B")))

    # when B is read every way
    orgs = await store.get(b, EntityKind.ORGANIZATION, ["o"])
    people = await store.find(b, EntityKind.PERSON, {})
    count = await store.count(b, EntityKind.PERSON, ListQuery())
    relationships = await store.relationships(b, ["p"], [RelationshipType.KNOWS])
    rights = await store.decision_rights(b)
    streamed = [p async for batch in store.stream(b, EntityKind.PERSON) for p in batch]

    # then only B's own content shows
    assert orgs["o"].name == "In B"
    assert (people, count, relationships, rights, streamed) == ([], 0, [], [], [])


async def test_writes_to_one_workspace_leave_the_other(
    store: GraphStore, new_workspace: Callable[[], str]
) -> None:
    # given the same organization in two workspaces
    a, b = new_workspace(), new_workspace()
    await store.apply(a, changes(org("o")))
    b_version = await store.apply(b, changes(org("o")))

    # when it is deleted in A
    await store.apply(a, ChangeSet(deletes={EntityKind.ORGANIZATION: ["o"]}))

    # then B still has it, at the same version
    assert list(await store.get(b, EntityKind.ORGANIZATION, ["o"])) == ["o"]
    assert await store.version(b) == b_version


async def test_drop_workspace_removes_everything_of_it_only(
    store: GraphStore, new_workspace: Callable[[], str]
) -> None:
    # given two workspaces with the Kaito group
    dropped, kept = new_workspace(), new_workspace()
    for ws in (dropped, kept):
        await store.apply(ws, change_set(kaito_document()))

    # when one is dropped
    await store.drop_workspace(dropped)

    # then it is empty of every kind, and the other is whole
    for kind in EntityKind:
        assert await store.count(dropped, kind, ListQuery()) == 0
        assert await store.count(kept, kind, ListQuery()) > 0
    assert await store.relationships(dropped) == []
    assert await store.decision_rights(dropped) == []
    assert len(await store.relationships(kept)) == 16
    assert dropped not in await store.workspaces()


async def test_drop_workspace_moves_the_version_on(store: GraphStore, workspace: str) -> None:
    # given a written workspace
    before = await store.apply(workspace, changes(org("o")))

    # when it is dropped
    await store.drop_workspace(workspace)

    # then a cached projection of it sees a new version (never an old one reused)
    assert await store.version(workspace) > before


async def test_workspaces_lists_those_holding_records_sorted(
    store: GraphStore, new_workspace: Callable[[], str]
) -> None:
    # given two written workspaces and one never written
    mine = sorted([new_workspace(), new_workspace()])
    untouched = new_workspace()
    for ws in reversed(mine):
        await store.apply(ws, changes(org("o")))

    # when the store lists its workspaces (a shared server may hold others too)
    listed = await store.workspaces()

    # then both written ones are there, in order, and the untouched one is not
    assert [w for w in listed if w in mine] == mine
    assert untouched not in listed
    assert listed == sorted(listed)

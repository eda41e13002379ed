"""Contract: ``apply(expected_version=...)``, the store's optimistic concurrency check.

A writer that validated its change set against version ``v`` passes ``expected_version=v``;
the store applies it only if the workspace is still at ``v``, checked inside the write
transaction, and otherwise raises ``VersionMoved`` (a ``Conflict``) having changed nothing.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from graphsvc.domain.changes import ChangeSet
from graphsvc.domain.enums import EntityKind
from graphsvc.errors import Conflict, ErrorCode, VersionMoved
from graphsvc.store.base import GraphStore
from tests.factories import changes, org, person


async def test_a_write_at_the_expected_version_applies_and_advances_it(
    store: GraphStore, workspace: str
) -> None:
    # given a workspace at some version
    current = await store.apply(workspace, changes(org("a")))

    # when a write expects exactly that version
    version = await store.apply(workspace, changes(org("b")), expected_version=current)

    # then it is applied like any write
    assert version == current + 1
    assert set(await store.get(workspace, EntityKind.ORGANIZATION, ["a", "b"])) == {"a", "b"}


async def test_a_never_written_workspace_is_at_version_zero_for_the_check(
    store: GraphStore, workspace: str
) -> None:
    # when the first write of a workspace expects version 0, then it applies
    assert await store.apply(workspace, changes(org("a")), expected_version=0) == 1


@pytest.mark.parametrize("offset", [-1, 1], ids=["behind", "ahead"])
async def test_a_write_at_another_version_is_refused_and_changes_nothing(
    store: GraphStore, workspace: str, offset: int
) -> None:
    # given a workspace with one organization
    current = await store.apply(workspace, changes(org("a", "Before")))

    # when a write expects a version the workspace is not at
    with pytest.raises(VersionMoved, match=workspace) as refused:
        await store.apply(
            workspace,
            changes(org("a", "After"), org("b"), person("p", "a")),
            expected_version=current + offset,
        )

    # then it is a Conflict saying where the workspace is, and neither a record nor the
    # version moved
    assert refused.value.message == (
        f"workspace {workspace!r} is at version {current}, not {current + offset}: "
        "another writer changed it after this write was prepared"
    )
    assert isinstance(refused.value, Conflict)
    assert refused.value.code is ErrorCode.CONFLICT
    assert await store.version(workspace) == current
    stored = await store.get(workspace, EntityKind.ORGANIZATION, ["a", "b"])
    assert list(stored) == ["a"]
    assert stored["a"].name == "Before"
    assert not await store.get(workspace, EntityKind.PERSON, ["p"])


async def test_deletes_are_refused_too_when_the_version_moved(
    store: GraphStore, workspace: str
) -> None:
    # given a workspace another writer changed after version ``seen``
    seen = await store.apply(workspace, changes(org("a")))
    await store.apply(workspace, changes(org("b")))

    # when a delete prepared at ``seen`` is applied
    with pytest.raises(VersionMoved):
        await store.apply(
            workspace, ChangeSet(deletes={EntityKind.ORGANIZATION: ["a"]}), expected_version=seen
        )

    # then the record is still there
    assert list(await store.get(workspace, EntityKind.ORGANIZATION, ["a"])) == ["a"]


async def test_an_empty_write_is_checked_and_changes_nothing(
    store: GraphStore, workspace: str
) -> None:
    # given a written workspace
    current = await store.apply(workspace, changes(org("a")))

    # when an empty change set expects the current version, then it answers that version
    assert await store.apply(workspace, ChangeSet(), expected_version=current) == current

    # and when it expects another one, then it is refused, and nothing moved either way
    with pytest.raises(VersionMoved) as refused:
        await store.apply(workspace, ChangeSet(), expected_version=current - 1)
    # in the same words as a refused non-empty write
    assert refused.value.message == (
        f"workspace {workspace!r} is at version {current}, not {current - 1}: "
        "another writer changed it after this write was prepared"
    )
    assert await store.version(workspace) == current


async def test_a_dropped_workspace_refuses_writes_prepared_before_the_drop(
    store: GraphStore, workspace: str
) -> None:
    # given a write prepared against a workspace that is then dropped
    seen = await store.apply(workspace, changes(org("a")))
    await store.drop_workspace(workspace)

    # when it is applied, then the drop counts as a change
    with pytest.raises(VersionMoved):
        await store.apply(workspace, changes(person("p", "a")), expected_version=seen)
    assert not await store.get(workspace, EntityKind.PERSON, ["p"])


async def test_the_check_is_per_workspace(
    store: GraphStore, new_workspace: Callable[[], str]
) -> None:
    # given two workspaces, one written after the other's version was read
    first, second = new_workspace(), new_workspace()
    seen = await store.version(first)
    await store.apply(second, changes(org("x")))

    # when a write to the first expects the version read before, then it applies
    assert await store.apply(first, changes(org("a")), expected_version=seen) == seen + 1

"""Writes of two processes on one store: a write validated against a stale state never lands.

"Our" service writes through ``HeldAtApply``, a real SQLite store whose first apply waits
until the test lets it through: by then our write has been prepared and validated. While it
waits, another process (a second ``GraphService`` on its own ``SqliteStore`` of the same
file, or the real CLI in a subprocess) writes to the workspace. Our service cannot see that
write's change set, only the version it advanced, so the store refuses our apply
(``VersionMoved``) and the service validates the write again against the fresh state.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, nullcontext
from pathlib import Path

import pytest

from graphsvc.domain.changes import ChangeSet
from graphsvc.domain.enums import EntityKind
from graphsvc.errors import Conflict, InvalidDocument
from graphsvc.services.graph import GraphService
from graphsvc.services.writes import MAX_ATTEMPTS
from graphsvc.store.sqlite import SqliteStore
from tests import factories
from tests.factories import document, org, person
from tests.services.held_store import HeldAtApply

REPO = Path(__file__).resolve().parents[2]


class WithoutTurn(SqliteStore):
    """A writer of the file that ignores its write turn (another program, or a graphsvc from
    before the turn): the one kind of writer that can still overtake a write every time."""

    def write_turn(self) -> AbstractAsyncContextManager[None]:
        return nullcontext()


class OvertakenAtEveryApply(SqliteStore):
    """A real SQLite store where another writer (``other``) gets in before each apply."""

    def __init__(self, path: str, other: SqliteStore) -> None:
        super().__init__(path)
        self.other = other
        self.overtaken = 0

    async def apply(
        self, workspace: str, changes: ChangeSet, expected_version: int | None = None
    ) -> int:
        self.overtaken += 1
        await self.other.apply(workspace, factories.changes(org(f"theirs-{self.overtaken}")))
        return await super().apply(workspace, changes, expected_version)


@pytest.fixture
async def theirs(shared_db: str) -> AsyncIterator[GraphService]:
    """The other process's service: its own store object and connections on the same file."""
    store = SqliteStore(shared_db)
    await store.open()
    try:
        yield GraphService(store)
    finally:
        await store.close()


async def _while_held(
    held: HeldAtApply, ours: Awaitable[object], meanwhile: Callable[[], Awaitable[object]]
) -> asyncio.Task[object]:
    """Start ``ours``, run ``meanwhile`` once it is validated and waiting to apply, release."""
    task: asyncio.Task[object] = asyncio.ensure_future(ours)
    await asyncio.wait_for(held.reached.wait(), timeout=10)
    await meanwhile()
    held.release.set()
    await asyncio.wait((task,), timeout=10)
    return task


def _self_org(id_: str) -> dict[str, str]:
    return {"id": id_, "name": f"Us ({id_})", "kind": "SELF"}


@pytest.mark.parametrize("route", ["create", "import"])
async def test_two_processes_creating_a_self_organization_give_exactly_one(
    held: HeldAtApply, theirs: GraphService, workspace: str, route: str
) -> None:
    # given our write of a SELF organization, validated while the workspace had none
    ours = GraphService(held)
    write: Awaitable[object]
    if route == "create":
        write = ours.create(workspace, EntityKind.ORGANIZATION, _self_org("us-a"))
    else:
        write = ours.import_document(
            workspace, {"format": "graphsvc/v1", "organizations": [_self_org("us-a")]}
        )

    # when another process creates its own SELF organization before ours is applied
    task = await _while_held(
        held,
        write,
        lambda: theirs.create(workspace, EntityKind.ORGANIZATION, _self_org("us-b")),
    )

    # then ours is validated again and refused, and the workspace has one SELF organization
    with pytest.raises(InvalidDocument, match="at most one SELF organization"):
        task.result()
    found = await held.find(workspace, EntityKind.ORGANIZATION, {"kind": ["SELF"]})
    assert [o.id for o in found] == ["us-b"]
    assert await held.version(workspace) == 1


async def test_a_reporting_line_closing_a_cycle_with_another_process_line_is_refused(
    held: HeldAtApply, theirs: GraphService, workspace: str
) -> None:
    # given x and y without managers, and our write putting x under y, validated
    await theirs.import_document(
        workspace, document(organizations=[org("a")], people=[person("x", "a"), person("y", "a")])
    )
    ours = GraphService(held)

    # when another process puts y under x before ours is applied
    task = await _while_held(
        held,
        ours.update(workspace, EntityKind.PERSON, "x", {"reportsToId": "y"}),
        lambda: theirs.update(workspace, EntityKind.PERSON, "y", {"reportsToId": "x"}),
    )

    # then ours is refused as a cycle, and only their line exists
    with pytest.raises(InvalidDocument, match="cycle"):
        task.result()
    lines = await held.relationships(workspace, ["x", "y"])
    assert [(r.from_id, r.to_id) for r in lines] == [("y", "x")]


async def test_a_reference_to_a_record_another_process_just_deleted_is_refused(
    held: HeldAtApply, theirs: GraphService, workspace: str
) -> None:
    # given an empty organization, and our write of a person in it, validated
    await theirs.import_document(workspace, document(organizations=[org("a")]))
    ours = GraphService(held)
    person_a = {"id": "p", "name": "P", "organizationId": "a"}

    # when another process deletes the organization before ours is applied
    task = await _while_held(
        held,
        ours.create(workspace, EntityKind.PERSON, person_a),
        lambda: theirs.delete(workspace, EntityKind.ORGANIZATION, "a"),
    )

    # then ours is refused naming the missing organization, and nobody dangles
    with pytest.raises(InvalidDocument, match="'a'"):
        task.result()
    assert not await held.get(workspace, EntityKind.PERSON, ["p"])


async def test_a_write_still_valid_after_another_process_wrote_is_applied(
    held: HeldAtApply, theirs: GraphService, workspace: str, caplog: pytest.LogCaptureFixture
) -> None:
    # given our write of one prospect, validated
    ours = GraphService(held)
    caplog.set_level(logging.INFO, logger="graphsvc.services.writes.commit")

    # when another process creates a different prospect before ours is applied
    task = await _while_held(
        held,
        ours.create(
            workspace, EntityKind.ORGANIZATION, {"id": "b", "name": "B", "kind": "PROSPECT"}
        ),
        lambda: theirs.create(
            workspace, EntityKind.ORGANIZATION, {"id": "c", "name": "C", "kind": "PROSPECT"}
        ),
    )

    # then ours was prepared again (the log says why) and applied after theirs
    task.result()
    assert "another process wrote" in caplog.text
    assert set(await held.get(workspace, EntityKind.ORGANIZATION, ["b", "c"])) == {"b", "c"}
    assert await held.version(workspace) == 2


async def test_a_write_overtaken_at_every_attempt_gives_up_with_a_conflict(
    shared_db: str, workspace: str
) -> None:
    # given a store where another writer, one ignoring the write turn, gets in before each
    # of our applies
    other = WithoutTurn(shared_db)
    await other.open()
    store = OvertakenAtEveryApply(shared_db, other)
    await store.open()
    try:
        ours = GraphService(store)

        # when we create an organization
        with pytest.raises(Conflict, match="kept changing in another process") as refused:
            await ours.create(
                workspace, EntityKind.ORGANIZATION, {"id": "a", "name": "A", "kind": "PROSPECT"}
            )

        # then after the optimistic try and MAX_ATTEMPTS serial ones it gave up, unapplied
        assert not isinstance(refused.value, InvalidDocument)
        assert store.overtaken == 1 + MAX_ATTEMPTS
        assert not await store.get(workspace, EntityKind.ORGANIZATION, ["a"])
        assert await store.version(workspace) == store.overtaken
    finally:
        await store.close()
        await other.close()


async def test_the_cli_importing_while_the_server_writes_keeps_one_self_organization(
    held: HeldAtApply, shared_db: str, workspace: str, tmp_path: Path
) -> None:
    # given our SELF organization, validated and about to be applied by the server's service
    ours = GraphService(held)
    imported = tmp_path / "cli.json"
    imported.write_text(
        json.dumps({"format": "graphsvc/v1", "organizations": [_self_org("us-cli")]})
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRAPHSVC_")}

    async def cli_import() -> None:
        done = await asyncio.to_thread(
            subprocess.run,
            [sys.executable, "-m", "graphsvc", "import", str(imported)],
            cwd=REPO,
            env={
                **env,
                "GRAPHSVC_STORE": f"sqlite:///{shared_db}",
                "GRAPHSVC_WORKSPACE": workspace,
            },
            capture_output=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, done.stderr.decode()

    # when `graphsvc import` adds another SELF organization in its own process meanwhile
    task = await _while_held(
        held, ours.create(workspace, EntityKind.ORGANIZATION, _self_org("us-a")), cli_import
    )

    # then the server's write is validated again and refused: one SELF organization
    with pytest.raises(InvalidDocument, match="at most one SELF organization"):
        task.result()
    found = await held.find(workspace, EntityKind.ORGANIZATION, {"kind": ["SELF"]})
    assert [o.id for o in found] == ["us-cli"]

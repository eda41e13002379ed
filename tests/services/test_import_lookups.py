"""The lookups of a large import: a count instead of batches when nothing is stored, and
stored reporting lines taken from the read that found them (``services.writes.stored_state``).

A lookup of more than ``LOOKUP_BATCH`` records first counts the kind; these specs make the
batch 2 records so that a document of a few people takes that path. What must hold: the
count is part of the write's read set (a write of this process applied after the
preparation makes it prepare again), another process's write in that window is seen (the
version check), a write of one batch asks no count (its read set stays narrow, so group
commits keep it), and the diff of reporting lines read along with the managers is right.
"""

from __future__ import annotations

import asyncio

import pytest

from graphsvc.domain.enums import EntityKind, RelationshipType
from graphsvc.domain.history import ChangeKind, ChangeQuery, Operation
from graphsvc.domain.models import GraphDocument
from graphsvc.errors import InvalidDocument
from graphsvc.services.graph import GraphService
from graphsvc.services.writes import RecordingReader, document_plan
from graphsvc.services.writes import stored_state as stored_state_module
from graphsvc.store.base import GraphStore
from graphsvc.store.sqlite import SqliteStore
from tests.factories import document, org, person, reports_to
from tests.services.held_store import HeldAtApply

REPORTS_TO = RelationshipType.REPORTS_TO


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Lookups of more than 2 records count their kind first."""
    monkeypatch.setattr(stored_state_module, "LOOKUP_BATCH", 2)


def _team(*, x_reports_to: str | None = None, y_reports_to: str | None = None) -> GraphDocument:
    """Organization ``a`` with people x, y and z (more than one batch of 2)."""
    return document(
        organizations=[org("a")],
        people=[
            person("x", "a", reports_to_id=x_reports_to),
            person("y", "a", reports_to_id=y_reports_to),
            person("z", "a"),
        ],
    )


async def test_a_large_import_into_an_empty_workspace_records_its_counts(
    store: GraphStore, workspace: str, small_batches: None
) -> None:
    # given an empty workspace and a document of more than one batch of people
    reader = RecordingReader(store)

    # when its write is planned
    plan = await document_plan(reader, workspace, _team(x_reports_to="y"))

    # then it creates everything, and its read set says it read "no people, no relationships"
    assert plan.changes.size() == 5
    assert EntityKind.PERSON in reader.reads.whole_kinds
    assert reader.reads.all_relationships
    assert not reader.reads.records[EntityKind.PERSON]


async def test_a_write_of_one_batch_asks_no_count(store: GraphStore, workspace: str) -> None:
    # given an empty workspace
    reader = RecordingReader(store)

    # when a one-person write is planned
    await document_plan(
        reader, workspace, document(organizations=[org("a")], people=[person("x", "a")])
    )

    # then it looked its records up by id: a write of another person does not conflict with it
    assert not reader.reads.whole_kinds
    assert not reader.reads.all_relationships
    assert reader.reads.records[EntityKind.PERSON] == {"x"}


async def _planned(stages: asyncio.Queue[str], stage: str) -> None:
    """Wait until a write reported ``stage`` finished (its preparation is that far)."""
    while await asyncio.wait_for(stages.get(), timeout=10) != stage:
        pass


async def test_an_import_planned_before_a_write_of_this_process_is_planned_again(
    held: HeldAtApply, workspace: str, small_batches: None, shared_db: str
) -> None:
    # given organization a (written by another store object: ``held`` holds every apply)
    other = SqliteStore(shared_db)
    await other.open()
    try:
        await GraphService(other).import_document(workspace, document(organizations=[org("a")]))
    finally:
        await other.close()
    # and a write of this process putting y under x, validated and held at its apply (it
    # writes people and a line, nothing else our import reads by id)
    service = GraphService(held)
    first = document(people=[person("x", "a"), person("y", "a", reports_to_id="x")])
    theirs = asyncio.ensure_future(service.import_document(workspace, first))
    await asyncio.wait_for(held.reached.wait(), timeout=10)

    # and our import putting x under y, planned meanwhile against the empty workspace
    stages: asyncio.Queue[str] = asyncio.Queue()

    def progress(stage: str, done: int, total: int) -> None:
        if stage == "diff" and done == 1:
            stages.put_nowait(stage)

    ours = asyncio.ensure_future(
        service.import_document(workspace, _team(x_reports_to="y"), progress)
    )
    await _planned(stages, "diff")

    # when the first write is applied
    held.release.set()
    await asyncio.wait((theirs, ours), timeout=10)

    # then ours was planned again over it and refused: the two lines would form a cycle
    assert theirs.result().applied
    with pytest.raises(InvalidDocument, match="cycle"):
        ours.result()
    lines = await held.relationships(workspace, ["x", "y"])
    assert [line.key for line in lines] == [(REPORTS_TO, "y", "x")]


async def test_an_import_planned_before_another_process_wrote_sees_that_write(
    held: HeldAtApply, workspace: str, small_batches: None, shared_db: str
) -> None:
    # given our import putting x under y, planned against the empty workspace and held
    ours = asyncio.ensure_future(
        GraphService(held).import_document(workspace, _team(x_reports_to="y"))
    )
    await asyncio.wait_for(held.reached.wait(), timeout=10)

    # when another process puts y under x before ours is applied
    other = SqliteStore(shared_db)
    await other.open()
    try:
        await GraphService(other).import_document(workspace, _team(y_reports_to="x"))
    finally:
        await other.close()
    held.release.set()
    await asyncio.wait((ours,), timeout=10)

    # then ours is planned again against their write and refused as a cycle
    with pytest.raises(InvalidDocument, match="cycle"):
        ours.result()
    lines = await held.relationships(workspace, ["x", "y"])
    assert [line.key for line in lines] == [(REPORTS_TO, "y", "x")]


@pytest.mark.parametrize("batch", [2, 10_000])
async def test_reporting_lines_read_with_the_managers_diff_like_any_other(
    service: GraphService,
    store: GraphStore,
    workspace: str,
    monkeypatch: pytest.MonkeyPatch,
    batch: int,
) -> None:
    # given x under y on a dotted line and z under y on a solid line of strength 0.4
    monkeypatch.setattr(stored_state_module, "LOOKUP_BATCH", batch)
    await service.import_document(
        workspace,
        document(
            organizations=[org("a")],
            people=[person("x", "a"), person("y", "a"), person("z", "a")],
            relationships=[reports_to("x", "y", dotted=True), reports_to("z", "y", 0.4)],
        ),
    )
    version = await store.version(workspace)

    # when a document makes x's line solid (reportsToId) and leaves z's line as it is
    again = document(
        organizations=[org("a")],
        people=[person("x", "a", reports_to_id="y"), person("y", "a"), person("z", "a")],
        relationships=[reports_to("z", "y", 0.4)],
    )
    summary = await service.import_document(workspace, again)

    # then only x's line changed, logged with its stored (dotted) version before it
    assert summary.counts["relationships"] == 1
    changes = await store.changes(workspace, ChangeQuery(after=(version, 10**9)))
    assert [(c.kind, c.key, c.operation) for c in changes] == [
        (ChangeKind.RELATIONSHIP, "REPORTS_TO:x:y", Operation.UPDATED)
    ]
    assert changes[0].before == reports_to("x", "y", dotted=True).to_document()
    assert changes[0].after == reports_to("x", "y").to_document()

    # and the same document again changes nothing, while z's line at another strength is
    # written
    assert not (await service.import_document(workspace, again)).applied
    moved = document(
        organizations=[org("a")],
        people=[person("x", "a", reports_to_id="y"), person("y", "a"), person("z", "a")],
        relationships=[reports_to("z", "y", 0.6)],
    )
    assert (await service.import_document(workspace, moved)).counts["relationships"] == 1
    stored = await store.get_relationships(workspace, [(REPORTS_TO, "z", "y")])
    assert stored[(REPORTS_TO, "z", "y")].strength == 0.6

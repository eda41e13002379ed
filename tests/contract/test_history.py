"""Contract: every write records its changes, and accountChanges reads a scripted history.

Runs through the services over each store, so the log is what the real write path records
(the store-level behaviour of the log is ``test_change_log_store``).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from graphsvc.domain.enums import EntityKind, RelationshipType
from graphsvc.domain.history import ChangeKind, ChangeQuery, Operation
from graphsvc.errors import InvalidDocument, InvalidInput, NotFound
from graphsvc.services.container import Services
from graphsvc.store.base import GraphStore
from tests.factories import kaito_document


@pytest.fixture
async def services(store: GraphStore, workspace: str) -> Services:
    """The services over the store, the workspace holding the Kaito group."""
    services = Services.over(store)
    await services.graph.import_document(workspace, kaito_document())
    return services


async def test_an_import_logs_one_creation_per_record_under_its_version(
    services: Services, store: GraphStore, workspace: str
) -> None:
    # when the Kaito group was imported into an empty workspace (the fixture)
    log = await store.changes(workspace, ChangeQuery())

    # then every record has its CREATED change, all under version 1, by the command line
    doc = kaito_document()
    assert {c.version for c in log} == {1}
    assert [c.index for c in log] == list(range(len(log)))
    assert {c.operation for c in log} == {Operation.CREATED}
    assert {c.actor for c in log} == {"cli"}
    people = [c for c in log if c.kind is ChangeKind.PERSON]
    assert sorted(c.key for c in people) == sorted(p.id for p in doc.people)
    cio = next(c for c in people if c.key == "p-cio")
    assert cio.before is None
    assert cio.after is not None
    assert (cio.after["title"], cio.after["organizationId"]) == ("CIO", "kaito")
    lines = {c.key for c in log if c.kind is ChangeKind.RELATIONSHIP}
    assert "REPORTS_TO:p-cio:p-ceo" in lines  # a reportsToId is logged as the line it is
    assert "KNOWS:ae-1:ae-2" in lines
    rights = {c.key for c in log if c.kind is ChangeKind.DECISION_RIGHT}
    assert "p-cio:kaito:it:ECONOMIC_BUYER" in rights


async def test_importing_the_same_document_again_logs_nothing(
    services: Services, store: GraphStore, workspace: str
) -> None:
    before = await store.changes(workspace, ChangeQuery())
    summary = await services.graph.import_document(workspace, kaito_document())
    assert not summary.applied
    assert await store.changes(workspace, ChangeQuery()) == before


async def test_an_update_logs_the_changed_fields_with_before_and_after_and_its_actor(
    services: Services, store: GraphStore, workspace: str
) -> None:
    # when the CIO's title and stance change through a write made by token t-1
    await services.graph.update(
        workspace, EntityKind.PERSON, "p-cio", {"title": "CDO", "stance": "SUPPORTER"}, actor="t-1"
    )

    # then one UPDATED change records exactly that
    (change,) = await store.changes(workspace, ChangeQuery(after=(1, 10**9)))
    assert (change.version, change.index, change.actor) == (2, 0, "t-1")
    assert (change.kind, change.key, change.operation) == (
        ChangeKind.PERSON,
        "p-cio",
        Operation.UPDATED,
    )
    assert change.fields == ("stance", "title")
    assert change.before is not None
    assert change.after is not None
    assert (change.before["title"], change.after["title"]) == ("CIO", "CDO")
    assert (change.before["stance"], change.after["stance"]) == ("NEUTRAL", "SUPPORTER")


async def test_deleting_a_person_logs_them_and_what_went_with_them(
    services: Services, store: GraphStore, workspace: str
) -> None:
    await services.graph.delete(workspace, EntityKind.PERSON, "p-eng")
    found = await store.changes(workspace, ChangeQuery(after=(1, 10**9)))
    assert {(c.kind, c.key) for c in found} == {
        (ChangeKind.PERSON, "p-eng"),
        (ChangeKind.RELATIONSHIP, "REPORTS_TO:p-eng:p-itdir"),
        (ChangeKind.RELATIONSHIP, "KNOWS:p-eng:p-itdir"),
        (ChangeKind.RELATIONSHIP, "INFLUENCES:p-eng:p-cio"),
        (ChangeKind.DECISION_RIGHT, "p-eng:k-infra:it:TECHNICAL_EVALUATOR"),
    }
    assert {c.operation for c in found} == {Operation.DELETED}
    assert all(c.after is None and c.before is not None for c in found)


async def test_a_refused_write_logs_nothing(
    services: Services, store: GraphStore, workspace: str
) -> None:
    before = await store.changes(workspace, ChangeQuery())
    with pytest.raises(InvalidDocument):
        await services.graph.update(workspace, EntityKind.PERSON, "p-cio", {"departmentId": "nope"})
    assert await store.changes(workspace, ChangeQuery()) == before


async def _scripted_history(services: Services, workspace: str) -> str:
    """A review of kaito, then one write of each kind accountChanges lists; the review id."""
    graph = services.graph
    review = await services.history.create_review(
        workspace, "kaito", "Q3 account review", "baseline", actor="t-1"
    )
    await graph.create(
        workspace,
        EntityKind.PERSON,
        {"id": "p-cdo", "name": "New CDO", "organizationId": "kaito", "reportsToId": "p-ceo"},
    )
    await graph.delete(workspace, EntityKind.PERSON, "p-pm")
    await graph.update(workspace, EntityKind.PERSON, "p-cfo", {"stance": "SUPPORTER"})
    await graph.update(workspace, EntityKind.PERSON, "p-itdir", {"title": "VP IT"})
    await graph.update(workspace, EntityKind.PERSON, "p-eng", {"reportsToId": "p-cio"})
    await graph.link(workspace, {"type": "KNOWS", "from": "ae-2", "to": "p-cio", "strength": 0.4})
    await graph.link(workspace, {"type": "KNOWS", "from": "ae-1", "to": "p-itdir", "strength": 1})
    await graph.link(workspace, {"type": "KNOWS", "from": "p-hr", "to": "p-cfo", "strength": 0.2})
    await graph.link(
        workspace, {"type": "KNOWS", "from": "ae-1", "to": "p-itdir", "lastContactOn": "2026-11-01"}
    )
    await graph.unlink(workspace, RelationshipType.KNOWS, "ae-1", "p-hr")
    await graph.grant(
        workspace,
        {"personId": "p-cdo", "scopeId": "kaito", "area": "Data", "role": "DECISION_MAKER"},
    )
    await graph.revoke(workspace, ("p-cfo", "kaito", "Finance", "ECONOMIC_BUYER"))
    await graph.update(workspace, EntityKind.OPPORTUNITY, "o-hr", {"stage": "NEGOTIATION"})
    # outside kaito's scope: changes nothing in its summary
    await graph.update(workspace, EntityKind.ORGANIZATION, "rival", {"industry": "SaaS"})
    return review.id


async def test_account_changes_since_a_review_lists_each_kind_of_change(
    services: Services, workspace: str
) -> None:
    review_id = await _scripted_history(services, workspace)

    found = await services.history.account_changes(workspace, "kaito", since_review=review_id)
    s = found.summary

    assert found.review is not None
    assert found.review.id == review_id
    assert found.from_version == 1
    assert found.complete
    assert [e.person_id for e in s.people_added] == ["p-cdo"]
    assert [e.person_id for e in s.people_removed] == ["p-pm"]
    assert [(e.person_id, e.before, e.after) for e in s.stance_changes] == [
        ("p-cfo", "SKEPTIC", "SUPPORTER")
    ]
    assert [(e.person_id, e.field, e.before, e.after) for e in s.role_changes] == [
        ("p-itdir", "title", "IT Director", "VP IT"),
        ("p-eng", "manager", "p-itdir", "p-cio"),
    ]
    moves = [(e.change.value, e.from_id, e.to_id, e.strength_before, e.strength_after)
             for e in s.relationship_changes]  # fmt: skip
    # REPORTS_TO lines without a strength count at the contract's default, 0.7 solid and 0.5
    # dotted; the contact date logged on ae-1–p-itdir alone is not a relationship change
    assert moves == [
        ("ADDED", "p-cdo", "p-ceo", None, 0.7),
        ("REMOVED", "p-pm", "p-cfo", 0.5, None),
        ("REMOVED", "p-pm", "p-itdir", 0.7, None),
        ("REMOVED", "p-eng", "p-itdir", 0.7, None),
        ("ADDED", "p-eng", "p-cio", None, 0.7),
        ("ADDED", "ae-2", "p-cio", None, 0.4),
        ("STRENGTHENED", "ae-1", "p-itdir", 0.9, 1.0),
        ("WEAKENED", "p-hr", "p-cfo", 0.7, 0.2),
        ("REMOVED", "ae-1", "p-hr", 0.6, None),
    ]
    assert [
        (e.change.value, e.record["personId"], e.record["area"]) for e in s.decision_right_changes
    ] == [
        ("GRANTED", "p-cdo", "Data"),
        ("REVOKED", "p-cfo", "Finance"),
    ]
    assert [(e.opportunity_id, e.before, e.after) for e in s.stage_changes] == [
        ("o-hr", "PROPOSAL", "NEGOTIATION")
    ]


async def test_account_changes_without_a_baseline_starts_after_the_latest_review(
    services: Services, workspace: str
) -> None:
    review_id = await _scripted_history(services, workspace)
    latest = await services.history.create_review(workspace, "kaito", "Q4", None, actor="t-1")
    await services.graph.update(workspace, EntityKind.PERSON, "p-ceo", {"stance": "CHAMPION"})

    found = await services.history.account_changes(workspace, "kaito")

    assert found.review is not None
    assert found.review.id == latest.id != review_id
    assert [e.person_id for e in found.summary.stance_changes] == ["p-ceo"]
    assert found.summary.change_count == 1


async def test_account_changes_of_a_subsidiary_alone_leave_the_parent_out(
    services: Services, workspace: str
) -> None:
    await _scripted_history(services, workspace)
    mark = datetime.now(UTC)
    await services.graph.update(workspace, EntityKind.PERSON, "p-log", {"stance": "CHAMPION"})
    await services.graph.update(workspace, EntityKind.PERSON, "p-ceo", {"stance": "CHAMPION"})

    found = await services.history.account_changes(workspace, "kaito-log", since=mark)

    assert [e.person_id for e in found.summary.stance_changes] == ["p-log"]
    assert found.summary.people_added == found.summary.people_removed == []


async def test_account_changes_refuses_bad_windows(services: Services, workspace: str) -> None:
    review_id = await _scripted_history(services, workspace)
    history = services.history
    with pytest.raises(NotFound, match="review 'rv-nope'"):
        await history.account_changes(workspace, "kaito", since_review="rv-nope")
    with pytest.raises(InvalidInput, match="in the future"):
        await history.account_changes(
            workspace, "kaito", since=datetime.now(UTC) + timedelta(days=1)
        )
    with pytest.raises(InvalidInput, match="of organization 'kaito', not 'kaito-log'"):
        await history.account_changes(workspace, "kaito-log", since_review=review_id)
    with pytest.raises(InvalidInput, match="not both"):
        await history.account_changes(
            workspace, "kaito", since=datetime.now(UTC), since_review=review_id
        )
    with pytest.raises(NotFound, match="organization 'nope'"):
        await history.account_changes(workspace, "nope")


async def test_scoped_changes_page_through_the_log_in_order(
    services: Services, workspace: str
) -> None:
    await _scripted_history(services, workspace)
    history = services.history
    pages, after = [], (1, 10**9)
    while True:
        page = await history.changes(workspace, after=after, first=3, organization_id="kaito")
        pages.append(page.changes)
        if not page.has_next:
            break
        after = page.changes[-1].position
    seen = [c for page in pages for c in page]
    assert all(len(page) <= 3 for page in pages)
    assert [c.position for c in seen] == sorted(c.position for c in seen)
    assert "rival" not in {c.key for c in seen}
    everything = await history.changes(workspace, after=(1, 10**9), first=500)
    assert "rival" in {c.key for c in everything.changes}
    assert len(everything.changes) == len(seen) + 1

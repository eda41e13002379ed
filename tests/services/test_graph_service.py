"""GraphService write semantics: upsert, no-op imports, reportsToId replacement, single-record
writes (create, update, delete, link, unlink, grant, revoke), listeners and progress."""

from __future__ import annotations

import pytest

from graphsvc.domain.changes import ChangeSet
from graphsvc.domain.enums import EntityKind, RelationshipType, Stance
from graphsvc.domain.models import Organization, Person, Relationship
from graphsvc.errors import Conflict, InvalidDocument, InvalidInput, NotFound
from graphsvc.services.graph import GraphService
from tests.factories import document, kaito_document, knows, person, reports_to, right
from tests.services.support import snapshot

SOLID = [RelationshipType.REPORTS_TO]


async def _solid_managers(service: GraphService, workspace: str, person_id: str) -> list[str]:
    lines = await service.store.relationships(workspace, [person_id], SOLID)
    return sorted(r.to_id for r in lines if r.from_id == person_id and not r.dotted)


# --- import -------------------------------------------------------------------------------


async def test_importing_the_same_document_twice_changes_nothing(
    service: GraphService, workspace: str
) -> None:
    # given the Kaito group imported once
    first = await service.import_document(workspace, kaito_document())
    before = await snapshot(service.store, workspace)

    # when the same document is imported again
    second = await service.import_document(workspace, kaito_document())

    # then nothing is written: same export, same version, zero counts
    assert first.applied
    assert first.counts["people"] == 10
    assert not second.applied
    assert set(second.counts.values()) == {0}
    assert second.version == first.version
    assert await snapshot(service.store, workspace) == before


async def test_an_import_writes_only_what_differs(service: GraphService, workspace: str) -> None:
    # given the Kaito group
    await service.import_document(workspace, kaito_document())

    # when one person's stance changes in a re-import
    doc = kaito_document()
    changed = doc.people[2].model_copy(update={"stance": Stance.CHAMPION})
    doc = doc.model_copy(update={"people": [*doc.people[:2], changed, *doc.people[3:]]})
    summary = await service.import_document(workspace, doc)

    # then exactly that person is written
    assert summary.applied
    assert summary.counts == {
        "organizations": 0,
        "departments": 0,
        "people": 1,
        "systems": 0,
        "opportunities": 0,
        "relationships": 0,
        "decisionRights": 0,
    }
    stored = await service.get(workspace, EntityKind.PERSON, ["p-ceo"])
    assert isinstance(stored["p-ceo"], Person)
    assert stored["p-ceo"].stance is Stance.CHAMPION


async def test_reportsToId_replaces_the_persons_solid_lines_but_keeps_dotted_ones(
    service: GraphService, workspace: str
) -> None:
    # given p-pm reports solid to p-itdir and dotted to p-cfo
    await service.import_document(workspace, kaito_document())

    # when a document moves p-pm to report to p-cio
    moved = person("p-pm", "kaito", "渡辺 彩", department_id="k-it", reports_to_id="p-cio")
    summary = await service.import_document(workspace, document(people=[moved]))

    # then p-pm has exactly one solid manager, p-cio; the dotted line stays
    assert summary.removed == 1
    assert await _solid_managers(service, workspace, "p-pm") == ["p-cio"]
    dotted = await service.store.get_relationships(
        workspace, [(RelationshipType.REPORTS_TO, "p-pm", "p-cfo")]
    )
    assert [r.dotted for r in dotted.values()] == [True]


async def test_a_solid_line_the_document_writes_itself_stays_beside_the_new_reportsToId(
    service: GraphService, workspace: str
) -> None:
    # given p-pm reports solid to p-itdir
    await service.import_document(workspace, kaito_document())

    # when a document moves p-pm to p-cio and also writes the line to p-itdir as a relationship
    moved = person("p-pm", "kaito", "渡辺 彩", department_id="k-it", reports_to_id="p-cio")
    summary = await service.import_document(
        workspace, document(people=[moved], relationships=[reports_to("p-pm", "p-itdir")])
    )

    # then nothing is removed: p-pm has both solid managers
    assert summary.removed == 0
    assert await _solid_managers(service, workspace, "p-pm") == ["p-cio", "p-itdir"]


async def test_a_person_without_reportsToId_keeps_their_solid_lines(
    service: GraphService, workspace: str
) -> None:
    await service.import_document(workspace, kaito_document())

    await service.import_document(
        workspace, document(people=[person("p-pm", "kaito", "渡辺 彩", department_id="k-it")])
    )

    assert await _solid_managers(service, workspace, "p-pm") == ["p-itdir"]


async def test_a_dotted_line_may_close_a_cycle(service: GraphService, workspace: str) -> None:
    await service.import_document(workspace, kaito_document())

    await service.import_document(
        workspace, document(relationships=[reports_to("p-ceo", "p-eng", dotted=True)])
    )

    lines = await service.store.relationships(workspace, ["p-ceo"], SOLID)
    assert any(r.from_id == "p-ceo" and r.dotted for r in lines)


async def test_progress_is_reported_for_every_stage(service: GraphService, workspace: str) -> None:
    calls: list[tuple[str, int, int]] = []

    await service.import_document(
        workspace, kaito_document(), progress=lambda *call: calls.append(call)
    )

    stages = list(dict.fromkeys(stage for stage, _, _ in calls))
    assert stages == ["parse", "lookup", "validate", "diff", "apply"]
    assert calls[-1] == ("apply", 52, 52)


async def test_listeners_hear_applied_writes_and_not_no_ops(
    service: GraphService, workspace: str
) -> None:
    heard: list[tuple[str, int, int]] = []

    async def listener(ws: str, changes: ChangeSet, version: int) -> None:
        heard.append((ws, changes.size(), version))

    service.listeners.append(listener)
    await service.import_document(workspace, kaito_document())
    await service.import_document(workspace, kaito_document())

    assert heard == [(workspace, 52, 1)]


# --- create and update --------------------------------------------------------------------


async def test_create_stores_a_person_with_a_solid_manager(
    service: GraphService, workspace: str
) -> None:
    await service.import_document(workspace, kaito_document())

    created = await service.create(
        workspace,
        EntityKind.PERSON,
        {"id": "p-new", "name": "新人", "organizationId": "kaito", "reportsToId": "p-cio"},
    )

    assert type(created) is Person
    assert created.name == "新人"
    assert (await service.get(workspace, EntityKind.PERSON, ["p-new"]))["p-new"] == created
    assert await _solid_managers(service, workspace, "p-new") == ["p-cio"]


async def test_create_refuses_a_taken_id(service: GraphService, workspace: str) -> None:
    await service.import_document(workspace, kaito_document())

    with pytest.raises(Conflict, match="person 'p-cio' already exists"):
        await service.create(
            workspace, EntityKind.PERSON, {"id": "p-cio", "name": "X", "organizationId": "kaito"}
        )


async def test_create_is_validated_like_a_document(service: GraphService, workspace: str) -> None:
    await service.import_document(workspace, kaito_document())

    with pytest.raises(InvalidDocument, match=r"departmentId \(p-x\)"):
        await service.create(
            workspace,
            EntityKind.PERSON,
            {"id": "p-x", "name": "X", "organizationId": "kaito-log", "departmentId": "k-it"},
        )


async def test_update_merges_the_patch_onto_the_stored_record(
    service: GraphService, workspace: str
) -> None:
    await service.import_document(workspace, kaito_document())

    updated = await service.update(
        workspace, EntityKind.PERSON, "p-cio", {"stance": "CHAMPION", "title": None}
    )

    assert isinstance(updated, Person)
    assert (updated.stance, updated.title, updated.name) == (Stance.CHAMPION, None, "佐藤 健")
    assert (await service.get(workspace, EntityKind.PERSON, ["p-cio"]))["p-cio"] == updated


async def test_update_sets_and_clears_the_solid_manager(
    service: GraphService, workspace: str
) -> None:
    await service.import_document(workspace, kaito_document())

    await service.update(workspace, EntityKind.PERSON, "p-eng", {"reportsToId": "p-cio"})
    assert await _solid_managers(service, workspace, "p-eng") == ["p-cio"]

    await service.update(workspace, EntityKind.PERSON, "p-eng", {"reportsToId": None})
    assert await _solid_managers(service, workspace, "p-eng") == []


async def test_update_refuses_a_reporting_cycle(service: GraphService, workspace: str) -> None:
    await service.import_document(workspace, kaito_document())
    before = await snapshot(service.store, workspace)

    with pytest.raises(InvalidDocument, match="p-ceo → p-eng → p-itdir → p-cio → p-ceo"):
        await service.update(workspace, EntityKind.PERSON, "p-ceo", {"reportsToId": "p-eng"})
    assert await snapshot(service.store, workspace) == before


async def test_update_of_a_missing_record_is_not_found(
    service: GraphService, workspace: str
) -> None:
    with pytest.raises(NotFound, match="no department with id 'k-none'"):
        await service.update(workspace, EntityKind.DEPARTMENT, "k-none", {"name": "X"})


async def test_update_cannot_change_the_id(service: GraphService, workspace: str) -> None:
    await service.import_document(workspace, kaito_document())

    with pytest.raises(InvalidDocument, match="cannot be changed"):
        await service.update(workspace, EntityKind.SYSTEM, "s-crm", {"id": "s-other"})


async def test_clearing_an_organizations_parent_clears_its_relation(
    service: GraphService, workspace: str
) -> None:
    await service.import_document(workspace, kaito_document())

    updated = await service.update(
        workspace, EntityKind.ORGANIZATION, "kaito-log", {"parentId": None}
    )

    assert isinstance(updated, Organization)
    assert (updated.parent_id, updated.parent_relation, updated.ownership) == (None, None, None)


# --- delete -------------------------------------------------------------------------------


async def test_deleting_a_person_takes_their_relationships_and_rights(
    service: GraphService, workspace: str
) -> None:
    await service.import_document(workspace, kaito_document())

    await service.delete(workspace, EntityKind.PERSON, "p-cfo")

    assert await service.get(workspace, EntityKind.PERSON, ["p-cfo"]) == {}
    assert await service.store.relationships(workspace, ["p-cfo"]) == []
    assert await service.store.decision_rights(workspace, person_ids=["p-cfo"]) == []


async def test_deleting_a_referenced_department_names_what_holds_it(
    service: GraphService, workspace: str
) -> None:
    await service.import_document(workspace, kaito_document())
    before = await snapshot(service.store, workspace)

    with pytest.raises(Conflict) as refused:
        await service.delete(workspace, EntityKind.DEPARTMENT, "k-it")

    message = refused.value.message
    for words in (
        "department 'k-it'",
        "child departments 'k-infra'",
        "people 'p-cio', 'p-itdir', 'p-pm'",
        "systems 's-crm', 's-groupware'",
        "opportunities 'o-crm'",
        "decision rights p-itdir/k-it/IT/DECISION_MAKER",
    ):
        assert words in message
    assert await snapshot(service.store, workspace) == before


async def test_deleting_a_referenced_organization_is_a_conflict(
    service: GraphService, workspace: str
) -> None:
    await service.import_document(workspace, kaito_document())

    with pytest.raises(Conflict, match="child organizations 'kaito-fs', 'kaito-log'"):
        await service.delete(workspace, EntityKind.ORGANIZATION, "kaito")


async def test_an_unreferenced_organization_and_a_system_delete_plainly(
    service: GraphService, workspace: str
) -> None:
    await service.import_document(workspace, kaito_document())

    await service.delete(workspace, EntityKind.ORGANIZATION, "kaito-fs")
    await service.delete(workspace, EntityKind.SYSTEM, "s-erp")

    assert await service.get(workspace, EntityKind.ORGANIZATION, ["kaito-fs"]) == {}
    assert await service.get(workspace, EntityKind.SYSTEM, ["s-erp"]) == {}


async def test_deleting_a_missing_record_is_not_found(
    service: GraphService, workspace: str
) -> None:
    with pytest.raises(NotFound, match="no opportunity with id 'o-none'"):
        await service.delete(workspace, EntityKind.OPPORTUNITY, "o-none")


# --- relationships and decision rights ----------------------------------------------------


async def test_link_upserts_and_unlink_finds_KNOWS_in_either_order(
    service: GraphService, workspace: str
) -> None:
    await service.import_document(workspace, kaito_document())

    await service.link(workspace, knows("p-ceo", "ae-2", 0.3))
    await service.link(workspace, knows("ae-2", "p-ceo", 0.7))
    stored = await service.store.get_relationships(
        workspace, [(RelationshipType.KNOWS, "ae-2", "p-ceo")]
    )
    assert [r.strength for r in stored.values()] == [0.7]

    await service.unlink(workspace, RelationshipType.KNOWS, "p-ceo", "ae-2")
    with pytest.raises(NotFound, match="no KNOWS relationship p-ceo→ae-2"):
        await service.unlink(workspace, RelationshipType.KNOWS, "p-ceo", "ae-2")


async def test_link_changes_only_the_fields_given(service: GraphService, workspace: str) -> None:
    # given ae-1 – p-itdir: strength 0.9, last contact 2026-10-20
    await service.import_document(workspace, kaito_document())
    key = (RelationshipType.KNOWS, "ae-1", "p-itdir")

    # when a contact is logged (written the other way round), then the strength is cleared
    logged = await service.link(
        workspace, {"type": "KNOWS", "from": "p-itdir", "to": "ae-1", "lastContactOn": "2026-11-02"}
    )
    after_log = (await service.store.get_relationships(workspace, [key]))[key]
    await service.link(
        workspace, {"type": "KNOWS", "from": "ae-1", "to": "p-itdir", "strength": None}
    )
    after_clear = (await service.store.get_relationships(workspace, [key]))[key]

    # then the fields not given stay, on every store
    assert (logged.strength, str(logged.last_contact_on)) == (0.9, "2026-11-02")
    assert (after_log.strength, str(after_log.last_contact_on)) == (0.9, "2026-11-02")
    assert (after_clear.strength, str(after_clear.last_contact_on)) == (None, "2026-11-02")


async def test_link_needs_both_people_and_no_solid_cycle(
    service: GraphService, workspace: str
) -> None:
    await service.import_document(workspace, kaito_document())

    with pytest.raises(InvalidDocument, match="KNOWS ae-1→p-ghost"):
        await service.link(workspace, knows("ae-1", "p-ghost"))
    with pytest.raises(InvalidDocument, match="solid REPORTS_TO lines form a cycle"):
        await service.link(
            workspace,
            Relationship(type=RelationshipType.REPORTS_TO, from_id="p-ceo", to_id="p-hr"),
        )


async def test_grant_and_revoke_a_decision_right(service: GraphService, workspace: str) -> None:
    await service.import_document(workspace, kaito_document())

    await service.grant(workspace, right("p-ceo", "kaito", "SFA", "ECONOMIC_BUYER", 1e8))
    held = await service.store.decision_rights(workspace, person_ids=["p-ceo"])
    assert [(r.area, r.budget_limit) for r in held] == [("SFA", 1e8)]

    await service.revoke(workspace, ("p-ceo", "kaito", "sfa", "ECONOMIC_BUYER"))
    assert await service.store.decision_rights(workspace, person_ids=["p-ceo"]) == []
    with pytest.raises(NotFound, match="p-ceo/kaito/sfa/ECONOMIC_BUYER"):
        await service.revoke(workspace, ("p-ceo", "kaito", "sfa", "ECONOMIC_BUYER"))


async def test_grant_needs_an_existing_scope_and_revoke_a_known_role(
    service: GraphService, workspace: str
) -> None:
    await service.import_document(workspace, kaito_document())

    with pytest.raises(InvalidDocument, match="p-ceo/k-none/IT/DECISION_MAKER"):
        await service.grant(workspace, right("p-ceo", "k-none"))
    with pytest.raises(InvalidInput, match="role 'BOSS'"):
        await service.revoke(workspace, ("p-ceo", "kaito", "IT", "BOSS"))

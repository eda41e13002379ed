"""GraphService reads of relationships and decision rights (the API reads through these)."""

from __future__ import annotations

from graphsvc.domain.enums import RelationshipType
from graphsvc.domain.models import relationship_key
from graphsvc.services.graph import GraphService
from tests.factories import kaito_document


async def test_relationships_of_people_filtered_by_type(
    service: GraphService, workspace: str
) -> None:
    # given the Kaito group
    await service.import_document(workspace, kaito_document())

    # when the relationships of p-itdir are read, all and then solid reporting lines only
    every = await service.relationships(workspace, ["p-itdir"])
    lines = await service.relationships(workspace, ["p-itdir"], [RelationshipType.REPORTS_TO])

    # then each touches p-itdir, in key order, and the type filter keeps REPORTS_TO only
    assert every == sorted(every, key=lambda r: r.key)
    assert all("p-itdir" in (r.from_id, r.to_id) for r in every)
    assert {r.key for r in lines} == {
        (RelationshipType.REPORTS_TO, "p-itdir", "p-cio"),
        (RelationshipType.REPORTS_TO, "p-eng", "p-itdir"),
        (RelationshipType.REPORTS_TO, "p-pm", "p-itdir"),
    }
    assert len(every) > len(lines)


async def test_relationships_by_key_find_knows_in_either_order(
    service: GraphService, workspace: str
) -> None:
    # given the Kaito group, where ae-1 KNOWS p-itdir
    await service.import_document(workspace, kaito_document())

    # when read by key, the pair written either way round, and a key that does not exist
    known = relationship_key(RelationshipType.KNOWS, "p-itdir", "ae-1")
    missing = relationship_key(RelationshipType.KNOWS, "p-ceo", "ae-1")
    found = await service.get_relationships(workspace, [known, missing])

    # then the existing one is found with its strength, the missing one is absent
    assert set(found) == {known}
    assert found[known].strength == 0.9


async def test_decision_rights_by_holder_and_by_scope(
    service: GraphService, workspace: str
) -> None:
    # given the Kaito group
    await service.import_document(workspace, kaito_document())

    # when rights are read by holder and by scope
    held = await service.decision_rights(workspace, person_ids=["p-cio"])
    scoped = await service.decision_rights(workspace, scope_ids=["kaito"])

    # then each answer holds exactly the matching rights
    assert held
    assert all(r.person_id == "p-cio" for r in held)
    assert scoped
    assert all(r.scope_id == "kaito" for r in scoped)
    assert not await service.decision_rights(workspace, person_ids=["nobody"])

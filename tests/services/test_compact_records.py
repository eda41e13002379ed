"""The import's compact records (``domain.compact``) write and link as records of their own:
a person as stored is a view over the document's entry, and relationships read from one
document share fields sets yet each ``link`` changes only the fields its record gives."""

from __future__ import annotations

from graphsvc.domain.enums import EntityKind, RelationshipType
from graphsvc.domain.models import Person, PersonEntry
from graphsvc.services.graph import GraphService
from graphsvc.services.json_document import read_valid_json
from graphsvc.services.writes import stored_form
from tests.factories import kaito_document


def test_a_person_as_stored_is_the_entry_without_reportsToId() -> None:
    entry = PersonEntry.model_validate(
        {"id": "p1", "name": "A", "organizationId": "o", "title": "CIO", "reportsToId": "p0"},
        by_alias=True,
    )
    expected = Person.model_validate(
        {"id": "p1", "name": "A", "organizationId": "o", "title": "CIO"}, by_alias=True
    )

    stored = stored_form(entry)

    assert type(stored) is Person
    assert stored == expected
    assert expected == stored
    assert hash(stored) == hash(expected)
    assert stored.to_document() == expected.to_document()
    assert stored.model_dump_json() == expected.model_dump_json()
    assert stored.model_fields_set == set(Person.model_fields)
    # a person made from it is its own, and the entry keeps its values
    moved = stored.model_copy(update={"title": "CEO"})
    assert (moved.title, stored.title, entry.title, entry.reports_to_id) == (
        "CEO",
        "CIO",
        "CIO",
        "p0",
    )


async def test_an_imported_person_reads_back_as_written(
    service: GraphService, workspace: str
) -> None:
    document = kaito_document()

    await service.import_document(workspace, document)

    ids = [p.id for p in document.people]
    stored = await service.store.get(workspace, EntityKind.PERSON, ids)
    assert [stored[p.id] for p in document.people] == [stored_form(p) for p in document.people]


async def test_link_of_relationships_read_together_changes_only_each_ones_fields(
    service: GraphService, workspace: str
) -> None:
    # given ae-1 – p-itdir stored with strength 0.9 and last contact 2026-10-20
    await service.import_document(workspace, kaito_document())
    key = (RelationshipType.KNOWS, "ae-1", "p-itdir")
    # and two relationships read from one document, one giving a strength only and one a
    # strength and a contact date (the first shares its fields set with a third)
    parsed = read_valid_json(
        b'{"format": "graphsvc/v1", "relationships": ['
        b'{"type": "KNOWS", "from": "ae-1", "to": "p-itdir", "strength": 0.4}, '
        b'{"type": "KNOWS", "from": "ae-1", "to": "p-cio", "strength": 0.6}, '
        b'{"type": "KNOWS", "from": "p-itdir", "to": "ae-1", "strength": 0.3, '
        b'"lastContactOn": "2026-11-02"}]}'
    )
    assert parsed is not None
    only_strength, shares_its_set, with_contact = parsed.document.relationships
    assert only_strength.model_fields_set is shares_its_set.model_fields_set

    # when the first is linked, then the stored contact date stays
    linked = await service.link(workspace, only_strength)
    after = (await service.store.get_relationships(workspace, [key]))[key]
    assert (linked.strength, str(linked.last_contact_on)) == (0.4, "2026-10-20")
    assert (after.strength, str(after.last_contact_on)) == (0.4, "2026-10-20")

    # and when the other is linked, both of its fields are written
    await service.link(workspace, with_contact)
    after = (await service.store.get_relationships(workspace, [key]))[key]
    assert (after.strength, str(after.last_contact_on)) == (0.3, "2026-11-02")
    assert only_strength.model_fields_set == {"type", "from_id", "to_id", "strength"}

"""Contract: id-keyed records round-trip exactly, upserts replace, deletes remove."""

from __future__ import annotations

from datetime import date

import pytest

from graphsvc.domain.changes import ChangeSet
from graphsvc.domain.enums import EntityKind
from graphsvc.domain.models import Entity, GraphDocument
from graphsvc.store.base import GraphStore
from tests.factories import change_set, changes, kaito_document, org, person, system


def _stored_records(doc: GraphDocument, kind: EntityKind) -> list[Entity]:
    return change_set(doc).upserts[kind]


@pytest.mark.parametrize("kind", list(EntityKind), ids=str)
async def test_every_kind_round_trips_exactly(
    store: GraphStore, workspace: str, kind: EntityKind
) -> None:
    # given the Kaito group stored
    doc = kaito_document()
    await store.apply(workspace, change_set(doc))
    expected = _stored_records(doc, kind)

    # when every record of the kind is read back by id
    found = await store.get(workspace, kind, [r.id for r in expected])

    # then each equals what was written, field for field
    assert found == {r.id: r for r in expected}


async def test_japanese_text_dates_floats_and_tuples_survive(
    store: GraphStore, workspace: str
) -> None:
    # given records with Japanese text, a date, large and fractional floats, and a tuple
    written = [
        org("kaito", "海塔ホールディングス", revenue=1.2e12, employees=52000),
        org("kaito-log", "海塔ロジスティクス", parent_id="kaito", ownership=0.8),
    ]
    erp = system(
        "s-erp",
        "kaito",
        "ERP",
        department_ids=["k-fin", "k-acc", "k-buy"],
        contract_ends_on="2027-03-31",
        annual_value=30_000_000.5,
    )
    await store.apply(workspace, changes(*written, erp))

    # when they are read back
    orgs = await store.get(workspace, EntityKind.ORGANIZATION, ["kaito", "kaito-log"])
    systems = await store.get(workspace, EntityKind.SYSTEM, ["s-erp"])

    # then every value is intact and typed (a date, not a string; a tuple in its order)
    assert orgs == {o.id: o for o in written}
    assert systems == {"s-erp": erp}
    stored = systems["s-erp"].model_dump()
    assert stored["department_ids"] == ("k-fin", "k-acc", "k-buy")
    assert stored["contract_ends_on"] == date(2027, 3, 31)
    assert orgs["kaito"].name == "海塔ホールディングス"


async def test_get_leaves_out_ids_that_do_not_exist(store: GraphStore, workspace: str) -> None:
    # given one person
    await store.apply(workspace, changes(org("o"), person("p-1", "o")))

    # when asked for it and for an unknown id
    found = await store.get(workspace, EntityKind.PERSON, ["p-1", "p-missing"])

    # then only the existing one comes back
    assert list(found) == ["p-1"]


async def test_upsert_replaces_the_whole_record(store: GraphStore, workspace: str) -> None:
    # given a person with a title and a department
    await store.apply(
        workspace,
        changes(org("o"), person("p-1", "o", "Old Name", title="CTO", department_id="d-1")),
    )

    # when the same id is written again without them
    await store.apply(workspace, changes(person("p-1", "o", "New Name")))

    # then the stored record is the new one, with no leftover fields
    stored = (await store.get(workspace, EntityKind.PERSON, ["p-1"]))["p-1"]
    assert stored == person("p-1", "o", "New Name")
    assert await store.find(workspace, EntityKind.PERSON, {"departmentId": ["d-1"]}) == []


async def test_upsert_of_a_system_replaces_its_departments(
    store: GraphStore, workspace: str
) -> None:
    # given a system used by two departments
    await store.apply(workspace, changes(system("s", "o", department_ids=["d-1", "d-2"])))

    # when it is rewritten as used by another department only
    await store.apply(workspace, changes(system("s", "o", department_ids=["d-3"])))

    # then filtering by the old departments no longer finds it
    assert await store.find(workspace, EntityKind.SYSTEM, {"departmentIds": ["d-1", "d-2"]}) == []
    found = await store.find(workspace, EntityKind.SYSTEM, {"departmentIds": ["d-3"]})
    assert [s.id for s in found] == ["s"]


async def test_delete_removes_records_and_ignores_unknown_ids(
    store: GraphStore, workspace: str
) -> None:
    # given two organizations
    await store.apply(workspace, changes(org("a"), org("b")))

    # when one of them and an unknown id are deleted
    await store.apply(
        workspace, ChangeSet(deletes={EntityKind.ORGANIZATION: ["a", "never-existed"]})
    )

    # then only the other remains
    found = await store.get(workspace, EntityKind.ORGANIZATION, ["a", "b"])
    assert list(found) == ["b"]


async def test_deletes_apply_before_upserts_in_one_change_set(
    store: GraphStore, workspace: str
) -> None:
    # given an organization
    await store.apply(workspace, changes(org("a", "Before")))

    # when one change set deletes it and upserts it anew
    changed = changes(org("a", "After"))
    changed.deletes[EntityKind.ORGANIZATION] = ["a"]
    await store.apply(workspace, changed)

    # then the upsert wins
    found = await store.get(workspace, EntityKind.ORGANIZATION, ["a"])
    assert found["a"].name == "After"


async def test_a_deleted_system_leaves_no_department_link(
    store: GraphStore, workspace: str
) -> None:
    # given a system used by a department
    await store.apply(workspace, changes(system("s", "o", department_ids=["d-1"])))

    # when the system is deleted
    await store.apply(workspace, ChangeSet(deletes={EntityKind.SYSTEM: ["s"]}))

    # then no filter finds it any more
    assert await store.find(workspace, EntityKind.SYSTEM, {"departmentIds": ["d-1"]}) == []
    assert await store.find(workspace, EntityKind.SYSTEM, {}) == []

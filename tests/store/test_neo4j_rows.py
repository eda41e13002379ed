"""How the Neo4j store turns records into statement parameters and back (no server needed).

What a Neo4j server would store is exactly these parameters, so an exact round trip of the
``data`` property and well-formed filter/keys rows are what the contract suite relies on.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import cast

import pytest

from graphsvc.domain.auth import ApiToken, Role
from graphsvc.domain.enums import EntityKind, RelationshipType
from graphsvc.domain.models import Department, Person, RelationshipKey
from graphsvc.errors import InvalidInput
from graphsvc.store.neo4j.catalog import LINKS
from graphsvc.store.neo4j.rows import (
    STRUCTURE,
    chunks,
    decision_right_key_row,
    decision_right_row,
    entity_from,
    entity_row,
    filters,
    link_rows,
    relationship_key_row,
    relationship_row,
    token_props,
)
from tests.factories import dept, knows, org, person, right, system

KNOWS = RelationshipType.KNOWS


def test_a_record_round_trips_exactly_through_its_data_property() -> None:
    # given an organization with Japanese text, an int and a large float
    record = org("kaito", "海塔ホールディングス", employees=52000, revenue=1.2e12, industry="製造")
    # when it becomes a row and is read back from the stored data
    row = entity_row("ws", EntityKind.ORGANIZATION, record)
    back = entity_from(EntityKind.ORGANIZATION, row["props"]["data"])
    # then it is the same record, with the same types
    assert back == record
    assert isinstance(back.employees, int)  # type: ignore[union-attr]
    assert isinstance(back.revenue, float)  # type: ignore[union-attr]
    assert "海塔" in row["props"]["data"]  # stored as text, not \\u escapes


def test_props_carry_workspace_id_and_every_field_as_a_plain_property() -> None:
    record = system(
        "s", "o", department_ids=["d-2", "d-1"], contract_ends_on="2027-03-31", ours=True
    )
    props = entity_row("ws", EntityKind.SYSTEM, record)["props"]
    assert props["workspace"] == "ws"
    assert props["id"] == "s"
    assert props["departmentIds"] == ["d-2", "d-1"]  # order kept, as a list property
    assert props["contractEndsOn"] == "2027-03-31"
    assert props["ours"] is True
    assert "vendor" not in props  # nulls are absent, as Neo4j stores them
    assert entity_from(EntityKind.SYSTEM, props["data"]).department_ids == ("d-2", "d-1")


def test_an_empty_list_is_no_property_at_all() -> None:
    props = entity_row("ws", EntityKind.SYSTEM, system("s", "o"))["props"]
    assert "departmentIds" not in props


def test_search_text_is_name_and_title_casefolded() -> None:
    row = entity_row("ws", EntityKind.PERSON, person("p", "o", "ÉLODIE Straße", title="CIO"))
    assert row["props"]["search"] == "élodie strasse\x1fcio"


def test_a_document_person_entry_is_stored_as_a_person() -> None:
    entry = person("p", "o", reports_to_id="boss")
    data = entity_row("ws", EntityKind.PERSON, entry)["props"]["data"]
    assert "reportsToId" not in json.loads(data)
    assert type(entity_from(EntityKind.PERSON, data)) is Person


def test_a_record_of_the_wrong_kind_is_refused_by_name() -> None:
    with pytest.raises(InvalidInput, match="'d-1'"):
        entity_row("ws", EntityKind.PERSON, dept("d-1", "o"))


def test_a_record_that_cannot_be_serialised_is_refused_by_name() -> None:
    broken = Person.model_construct(id="p-broken", name=object(), organization_id="o")
    with pytest.raises(InvalidInput, match="p-broken"):
        entity_row("ws", EntityKind.PERSON, broken)


def test_knows_is_keyed_by_its_sorted_pair_but_keeps_its_direction_in_data() -> None:
    row = relationship_row("ws", knows("b", "a", 0.3, last_contact_on="2026-10-20"))
    assert (row["from"], row["to"]) == ("a", "b")
    assert json.loads(row["props"]["data"])["from"] == "b"
    assert row["props"]["lastContactOn"] == "2026-10-20"
    assert relationship_key_row((KNOWS, "b", "a")) == {"from": "a", "to": "b"}
    influences = (RelationshipType.INFLUENCES, "b", "a")
    assert relationship_key_row(influences) == {"from": "b", "to": "a"}


def test_a_knows_key_with_its_type_as_a_plain_name_is_sorted_too() -> None:
    # given a key whose type arrived as the string "KNOWS" (a str-enum's value, as from JSON)
    key = cast(RelationshipKey, ("KNOWS", "b", "a"))
    # then it is keyed by its sorted pair like the enum form, not stored in the given order
    assert relationship_key_row(key) == {"from": "a", "to": "b"}


def test_a_decision_right_key_casefolds_its_area() -> None:
    row = decision_right_row("ws", right("p", "o", area="Straße"))
    assert row["areaKey"] == "strasse"
    assert row["props"]["area"] == "Straße"
    assert row["props"]["areaKey"] == "strasse"
    key = decision_right_key_row(("p", "o", "STRASSE", "DECISION_MAKER"))
    assert key == {k: row[k] for k in ("personId", "scopeId", "areaKey", "role")}


def test_filters_become_data_with_null_and_many_flags() -> None:
    rows = filters(EntityKind.SYSTEM, {"departmentIds": ["d-1", None], "ours": [True]})
    assert rows == [
        {"key": "departmentIds", "values": ["d-1"], "matchNull": True, "many": True},
        {"key": "ours", "values": [True], "matchNull": False, "many": False},
    ]


@pytest.mark.parametrize(
    ("kind", "where", "message"),
    [
        (EntityKind.PERSON, {"name": ["x"]}, "cannot filter people on 'name'"),
        (EntityKind.SYSTEM, {"ours": ["yes"]}, "takes true or false"),
        (EntityKind.PERSON, {"stance": [True]}, "takes a string"),
    ],
)
def test_a_bad_filter_is_refused_naming_the_field(
    kind: EntityKind, where: dict[str, list[str | bool]], message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        filters(kind, where)


def test_structural_links_follow_reference_fields() -> None:
    records = [
        Department(id="d-2", organization_id="o", name="Infra", parent_id="d-1"),
        Department(id="d-1", organization_id="o", name="IT"),
    ]
    links = {rel: rows for rel, _, rows in link_rows(EntityKind.DEPARTMENT, records)}
    assert links["PART_OF"] == [{"id": "d-2", "targets": ["o"]}, {"id": "d-1", "targets": ["o"]}]
    assert links["SUB_UNIT_OF"] == [{"id": "d-2", "targets": ["d-1"]}, {"id": "d-1", "targets": []}]
    used = {(rel, t) for kind in EntityKind for rel, t, _ in STRUCTURE[kind]}
    assert used == {(rel, target) for _, rel, target in LINKS}


def test_tokens_keep_their_whole_record_and_a_sortable_creation_time() -> None:
    created = datetime(2026, 11, 1, 9, 30, tzinfo=UTC)
    token = ApiToken(id="t1", workspace="ws", role=Role.EDITOR, secret_hash="h", created_at=created)
    props = token_props(token)
    assert ApiToken.model_validate_json(props["data"]) == token
    assert props["createdTs"] == created.timestamp()
    assert props["revokedTs"] is None


def test_chunks_split_lazily_without_losing_or_reordering() -> None:
    assert list(chunks(range(7), 3)) == [[0, 1, 2], [3, 4, 5], [6]]
    assert list(chunks([], 3)) == []


def test_a_stored_relationship_reads_back_as_its_lean_row() -> None:
    # given the data property of stored relationships (a KNOWS written "backwards")
    from graphsvc.domain.models import Relationship
    from graphsvc.domain.rows import RelationshipRow
    from graphsvc.store.neo4j.rows import relationship_row_from

    knows = Relationship(
        type="KNOWS", from_id="z", to_id="a", strength=0.8, last_contact_on="2026-01-02"
    )
    dotted = Relationship(type="REPORTS_TO", from_id="z", to_id="a", dotted=True)
    # when each is read as a row, then the ends are the key's and absent strength is None
    assert relationship_row_from(relationship_row("w", knows)["props"]["data"]) == RelationshipRow(
        RelationshipType.KNOWS, "a", "z", 0.8, False, knows.last_contact_on
    )
    assert relationship_row_from(relationship_row("w", dotted)["props"]["data"]) == RelationshipRow(
        RelationshipType.REPORTS_TO, "z", "a", None, True, None
    )


def test_a_person_row_is_read_from_the_stored_data_property() -> None:
    # given the data property of stored people, one with every optional field, one with none
    from graphsvc.domain.enums import Seniority, Stance
    from graphsvc.domain.rows import PersonRow
    from graphsvc.store.neo4j.rows import entity_row, person_row_from

    full = Person(
        id="p1",
        name="佐藤 健",
        organization_id="o",
        title="CIO",
        department_id="d",
        seniority="EXECUTIVE",
        stance="BLOCKER",
    )
    bare = Person(id="p2", name="Ken", organization_id="o")
    # when each is read as a row, then it holds the record's fields, absent ones as defaults
    data = entity_row("w", EntityKind.PERSON, full)["props"]["data"]
    assert person_row_from(data) == PersonRow(
        "p1", "佐藤 健", "o", "CIO", "d", Seniority.EXECUTIVE, Stance.BLOCKER
    )
    data = entity_row("w", EntityKind.PERSON, bare)["props"]["data"]
    assert person_row_from(data) == PersonRow("p2", "Ken", "o", None, None, None, Stance.UNKNOWN)

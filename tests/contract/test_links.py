"""Contract: relationships (KNOWS unordered) and decision rights, by person, type and scope."""

from __future__ import annotations

from graphsvc.domain.changes import ChangeSet
from graphsvc.domain.enums import BuyingRole, EntityKind, RelationshipType
from graphsvc.store.base import GraphStore
from tests.factories import (
    changes,
    influences,
    knows,
    org,
    person,
    right,
)

KNOWS, INFLUENCES, REPORTS_TO = list(RelationshipType)[:3]


async def test_relationships_of_a_person_touch_them_at_either_end(
    store: GraphStore, kaito: str
) -> None:
    # when asked for the CIO's relationships
    found = await store.relationships(kaito, ["p-cio"])

    # then the incoming and outgoing ones come back, in key order
    assert [r.key for r in found] == [
        (INFLUENCES, "p-eng", "p-cio"),
        (REPORTS_TO, "p-cio", "p-ceo"),
        (REPORTS_TO, "p-itdir", "p-cio"),
    ]


async def test_relationships_filter_on_type(store: GraphStore, kaito: str) -> None:
    # when asked for the BDR's KNOWS relationships only
    found = await store.relationships(kaito, ["ae-1"], [RelationshipType.KNOWS])

    # then the REPORTS_TO line to ae-2 is left out
    assert [r.key for r in found] == [
        (KNOWS, "ae-1", "ae-2"),
        (KNOWS, "ae-1", "p-hr"),
        (KNOWS, "ae-1", "p-itdir"),
    ]


async def test_all_relationships_come_in_key_order(store: GraphStore, kaito: str) -> None:
    # when asked for every relationship
    found = await store.relationships(kaito)

    # then all 16 come back sorted by key (9 listed + 7 reportsToId lines)
    keys = [r.key for r in found]
    assert len(keys) == 16
    assert keys == sorted(keys)


async def test_relationships_keep_their_fields(store: GraphStore, kaito: str) -> None:
    # when the dotted line and a dated KNOWS are read back
    found = await store.get_relationships(
        kaito, [(REPORTS_TO, "p-pm", "p-cfo"), (KNOWS, "ae-1", "p-itdir")]
    )

    # then they are as written, with the KNOWS in its original direction
    assert found[(REPORTS_TO, "p-pm", "p-cfo")].dotted is True
    dated = found[(KNOWS, "ae-1", "p-itdir")]
    assert dated == knows("ae-1", "p-itdir", 0.9, last_contact_on="2026-10-20")


async def test_knows_is_one_relationship_whichever_way_it_is_written(
    store: GraphStore, workspace: str
) -> None:
    # given a knows b
    await store.apply(workspace, changes(knows("a", "b", 0.9)))

    # when b knows a is written with another strength
    await store.apply(workspace, changes(knows("b", "a", 0.3)))

    # then there is one KNOWS, updated
    found = await store.relationships(workspace)
    assert found == [knows("b", "a", 0.3)]
    assert found[0].key == (KNOWS, "a", "b")


async def test_directed_relationships_are_two_when_reversed(
    store: GraphStore, workspace: str
) -> None:
    # when a influences b and b influences a
    await store.apply(workspace, changes(influences("a", "b"), influences("b", "a", 0.2)))

    # then both exist
    found = await store.relationships(workspace, ["a"])
    assert [r.key for r in found] == [(INFLUENCES, "a", "b"), (INFLUENCES, "b", "a")]


async def test_relationship_delete_by_key(store: GraphStore, workspace: str) -> None:
    # given two relationships
    await store.apply(workspace, changes(knows("b", "a"), influences("a", "c")))

    # when the KNOWS is deleted by its key
    await store.apply(workspace, ChangeSet(relationship_deletes=[(KNOWS, "a", "b")]))

    # then only the other remains, and the deleted key is no longer found
    assert [r.key for r in await store.relationships(workspace)] == [(INFLUENCES, "a", "c")]
    assert await store.get_relationships(workspace, [(KNOWS, "a", "b")]) == {}


async def test_decision_rights_of_a_person_in_key_order(store: GraphStore, kaito: str) -> None:
    # when asked for the CFO's rights
    found = await store.decision_rights(kaito, person_ids=["p-cfo"])

    # then both come back, ordered by (person, scope, area folded, role)
    assert found == [
        right("p-cfo", "kaito", "Finance", BuyingRole.ECONOMIC_BUYER),
        right("p-cfo", "kaito", "IT", BuyingRole.APPROVER),
    ]


async def test_decision_rights_by_scope(store: GraphStore, kaito: str) -> None:
    # when asked for the rights scoped to the IT departments
    found = await store.decision_rights(kaito, scope_ids=["k-it", "k-infra"])

    # then the department-scoped rights come back
    assert [(r.person_id, r.scope_id) for r in found] == [
        ("p-eng", "k-infra"),
        ("p-itdir", "k-it"),
    ]


async def test_decision_rights_by_person_and_scope(store: GraphStore, kaito: str) -> None:
    found = await store.decision_rights(kaito, person_ids=["p-cfo", "p-cio"], scope_ids=["kaito"])
    assert [(r.person_id, r.area, r.role) for r in found] == [
        ("p-cfo", "Finance", BuyingRole.ECONOMIC_BUYER),
        ("p-cfo", "IT", BuyingRole.APPROVER),
        ("p-cio", "IT", BuyingRole.ECONOMIC_BUYER),
    ]


async def test_a_decision_right_is_the_same_whatever_the_case_of_its_area(
    store: GraphStore, workspace: str
) -> None:
    # given an IT right with a budget
    await store.apply(workspace, changes(right("p", "o", "IT", "ECONOMIC_BUYER", 100)))

    # when the same right is written for "it"
    await store.apply(workspace, changes(right("p", "o", "it", "ECONOMIC_BUYER", 5)))

    # then it replaced the first
    assert await store.decision_rights(workspace) == [right("p", "o", "it", "ECONOMIC_BUYER", 5)]


async def test_decision_right_delete_by_key(store: GraphStore, workspace: str) -> None:
    # given two rights of one person
    kept, dropped = right("p", "o", "IT", "APPROVER"), right("p", "o", "HR", "USER")
    await store.apply(workspace, changes(kept, dropped))

    # when one is deleted by its key
    await store.apply(workspace, ChangeSet(decision_right_deletes=[dropped.key]))

    # then the other remains
    assert await store.decision_rights(workspace, person_ids=["p"]) == [kept]


async def test_reads_of_many_ids_keep_their_order(store: GraphStore, workspace: str) -> None:
    # given 40 people (more than a read tried on the calling thread asks for), written in
    # an order that is neither id nor key order, each knowing the next and influencing one
    ids = [f"p-{(i * 17) % 40:02d}" for i in range(40)]
    people = [person(i, "o-1") for i in ids]
    lines = [knows(ids[i], ids[(i + 1) % 40]) for i in range(40)]
    lines += [influences(ids[i], ids[(i + 7) % 40]) for i in range(40)]
    await store.apply(workspace, changes(org("o-1"), *people, *lines))

    # when they are read back by id, and their relationships by person, ids shuffled
    found = await store.get(workspace, EntityKind.PERSON, list(reversed(ids)))
    related = await store.relationships(workspace, ids)
    by_key = await store.get_relationships(workspace, [line.key for line in reversed(lines)])

    # then every one is there: the records in id order, the relationships in key order
    assert list(found) == sorted(ids)
    assert found == {p.id: p for p in people}
    keys = [r.key for r in related]
    assert keys == sorted(line.key for line in lines)
    assert set(by_key) == set(keys)
    assert all(by_key[line.key] == line for line in lines)

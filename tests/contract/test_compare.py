"""Contract: ``compare`` and ``compare_relationships`` tell which given records the store holds
exactly as given, and give the stored versions of the others (what a re-import asks)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from graphsvc.domain.enums import EntityKind, RelationshipType, Stance
from graphsvc.domain.models import Entity, Person, Relationship
from graphsvc.domain.rows import RelationshipRow
from graphsvc.store.base import GraphStore
from tests.factories import (
    change_set,
    changes,
    dept,
    kaito_document,
    knows,
    org,
    person,
    reports_to,
)

KNOWS, INFLUENCES, REPORTS_TO = list(RelationshipType)[:3]


def _stored_people() -> dict[str, Person]:
    people = change_set(kaito_document()).upserts[EntityKind.PERSON]
    return {p.id: p for p in people if isinstance(p, Person)}


async def test_records_stored_as_given_are_the_same_and_others_come_back_as_stored(
    store: GraphStore, kaito: str
) -> None:
    stored = _stored_people()
    cio, cfo = stored["p-cio"], stored["p-cfo"]
    moved = cfo.model_copy(update={"stance": Stance.CHAMPION})
    newcomer = person("p-new", "kaito", "新人")

    # when the CIO as stored, the CFO with a new stance and someone new are compared
    compared = await store.compare(kaito, EntityKind.PERSON, [cio, moved, newcomer])

    # then only the CIO is the same; the CFO comes back as stored; the newcomer is in neither
    assert compared.same == {"p-cio"}
    assert compared.stored == {"p-cfo": cfo}


async def test_every_kind_compares_by_every_field(store: GraphStore, kaito: str) -> None:
    doc = kaito_document()
    for kind, records in (
        (EntityKind.ORGANIZATION, doc.organizations),
        (EntityKind.DEPARTMENT, doc.departments),
        (EntityKind.SYSTEM, doc.systems),
        (EntityKind.OPPORTUNITY, doc.opportunities),
    ):
        first = records[0]
        renamed = first.model_copy(update={"name": first.name + " (renamed)"})
        given: list[Entity] = [renamed, *records[1:]]

        # when the kind's records are compared, the first one renamed
        compared = await store.compare(kaito, kind, given)

        # then the others are the same and the renamed one comes back as stored
        assert compared.same == {r.id for r in records[1:]}, kind
        assert compared.stored == {first.id: first}, kind


async def test_a_record_given_twice_is_the_same_only_if_both_are(
    store: GraphStore, kaito: str
) -> None:
    stored = _stored_people()
    cio = stored["p-cio"]
    retitled = cio.model_copy(update={"title": "CTO"})

    # when the CIO is given twice as stored, and the CFO once as stored and once retitled
    twice = await store.compare(kaito, EntityKind.PERSON, [cio, cio])
    mixed = await store.compare(kaito, EntityKind.PERSON, [retitled, stored["p-cfo"], cio])

    # then the CIO given alike twice is the same; given two ways it is not, and comes back
    assert twice.same == {"p-cio"}
    assert twice.stored == {}
    assert mixed.same == {"p-cfo"}
    assert mixed.stored == {"p-cio": cio}


async def test_texts_that_need_escaping_compare_as_themselves(
    store: GraphStore, workspace: str
) -> None:
    # given records whose texts hold quotes, backslashes, non-ASCII and a float's last digit
    people = [
        person("q-1", "acme", 'Bob "the \\ builder" O\'Brien'),
        person("q-2", "acme", "佐藤 🙂 Ünal", title="Line\u2028Separator"),
    ]
    await store.apply(workspace, changes(org("acme"), *people, knows("q-1", "q-2", 0.1 + 0.2)))

    # when they are compared as stored
    compared = await store.compare(workspace, EntityKind.PERSON, people)
    lines = await store.compare_relationships(workspace, [knows("q-2", "q-1", 0.1 + 0.2)])

    # then both are the same, and the KNOWS pair given in the other order too
    assert compared.same == {"q-1", "q-2"}
    assert lines.same == {(KNOWS, "q-1", "q-2")}


async def test_many_records_in_one_comparison(store: GraphStore, workspace: str) -> None:
    people = [person(f"m-{n:03}", "acme") for n in range(120)]
    await store.apply(workspace, changes(org("acme"), *people))
    given = [
        p.model_copy(update={"title": "Buyer"}) if n % 7 == 0 else p for n, p in enumerate(people)
    ]

    # when 120 people are compared, every seventh retitled
    compared = await store.compare(workspace, EntityKind.PERSON, given)

    # then the retitled come back as stored, the others are the same
    assert compared.stored == {p.id: p for n, p in enumerate(people) if n % 7 == 0}
    assert compared.same == {p.id for n, p in enumerate(people) if n % 7}


async def test_another_workspace_holds_nothing_compared(
    store: GraphStore, kaito: str, new_workspace: Callable[[], str]
) -> None:
    stored = _stored_people()

    # when the Kaito people are compared in a workspace that does not hold them
    compared = await store.compare(new_workspace(), EntityKind.PERSON, list(stored.values()))

    # then none is the same and none comes back
    assert compared.same == set()
    assert compared.stored == {}


async def test_relationships_compare_by_their_fields_besides_the_key(
    store: GraphStore, kaito: str
) -> None:
    stored = {r.key: r for r in await store.relationships(kaito)}
    solid = stored[(REPORTS_TO, "p-cio", "p-ceo")]
    tie = next(r for key, r in stored.items() if key[0] is KNOWS)
    backwards = tie.model_copy(update={"from_id": tie.to_id, "to_id": tie.from_id})
    influence = stored[(INFLUENCES, "p-eng", "p-cio")]
    stronger = influence.model_copy(update={"strength": (influence.strength or 0) / 2 + 0.01})
    dotted = reports_to("p-cio", "p-ceo", dotted=True)
    unknown = knows("p-ceo", "p-log")

    # when compared: a line as stored, a KNOWS pair the other way round, an influence with
    # another strength, nothing stored
    compared = await store.compare_relationships(kaito, [solid, backwards, stronger, unknown])
    twice = await store.compare_relationships(kaito, [solid, dotted])

    # then the line and the pair are the same; the influence comes back as stored
    assert compared.same == {solid.key, tie.key}
    assert compared.stored == {influence.key: influence}
    # and a key given once as stored and once dotted is not the same
    assert twice.same == set()
    assert twice.stored == {solid.key: solid}


async def test_nothing_given_nothing_compared(store: GraphStore, kaito: str) -> None:
    assert (await store.compare(kaito, EntityKind.DEPARTMENT, [])).same == set()
    assert (await store.compare_relationships(kaito, [])).stored == {}


async def test_a_department_compared_after_it_moved(store: GraphStore, workspace: str) -> None:
    # given a department stored, then moved under a parent
    before = dept("d-1", "acme", "Ops")
    after = dept("d-1", "acme", "Ops", parent_id="d-0")
    await store.apply(workspace, changes(org("acme"), dept("d-0", "acme", "Root"), before))
    await store.apply(workspace, changes(after))

    # when both versions are compared
    old = await store.compare(workspace, EntityKind.DEPARTMENT, [before])
    new = await store.compare(workspace, EntityKind.DEPARTMENT, [after])

    # then the stored one is the moved one
    assert old.stored == {"d-1": after}
    assert new.same == {"d-1"}


async def test_reporting_lines_are_the_lines_from_the_people_asked(
    store: GraphStore, workspace: str
) -> None:
    # given solid and dotted lines, one with a strength and a contact date, and a KNOWS tie
    await store.apply(
        workspace,
        changes(
            org("acme"),
            *(person(p, "acme") for p in ("boss", "cfo", "pm", "dev")),
            Relationship(
                type=REPORTS_TO,
                from_id="pm",
                to_id="boss",
                strength=0.8,
                last_contact_on=date(2026, 5, 1),
            ),
            reports_to("pm", "cfo", dotted=True),
            reports_to("dev", "pm"),
            knows("pm", "dev", 0.9),
        ),
    )
    # when the lines from the PM (and from nobody known) are asked for
    rows = await store.reporting_lines(workspace, ["pm", "nobody"])

    # then the PM's two lines come back in key order, not the line to the PM nor the tie
    assert rows == [
        RelationshipRow(REPORTS_TO, "pm", "boss", 0.8, False, date(2026, 5, 1)),
        RelationshipRow(REPORTS_TO, "pm", "cfo", None, True, None),
    ]
    assert await store.reporting_lines(workspace, []) == []

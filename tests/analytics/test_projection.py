"""Projection: applying change sets one by one equals building from the final records."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from graphsvc.analytics.projection import Projection
from graphsvc.domain.changes import ChangeSet
from graphsvc.domain.enums import EntityKind, RelationshipType, Seniority, Stance
from graphsvc.domain.models import Person, Relationship
from graphsvc.domain.rows import PersonRow, RelationshipRow
from tests.factories import change_set, kaito_document, knows, person, reports_to, system


def snapshot(p: Projection) -> dict[str, Any]:
    """Everything a query can read, in comparable form (empty index entries ignored)."""

    def index(d: dict[str, set[Any]]) -> dict[str, set[Any]]:
        return {k: v for k, v in d.items() if v}

    return {
        "people": p.people,
        "organizations": p.organizations,
        "departments": p.departments,
        "systems": p.systems,
        "opportunities": p.opportunities,
        "rights": p.decision_rights,
        "relationships": p.relationships,
        "walk": p.walk,
        "blockers": p.blockers,
        "self": p.self_organization,
        **{
            name: index(getattr(p, name))
            for name in (
                "org_children",
                "org_departments",
                "org_people",
                "org_systems",
                "dept_people",
                "dept_systems",
                "dept_opportunities",
                "rights_by_scope",
            )
        },
    }


def rebuild(cs: ChangeSet) -> Projection:
    return Projection.build(
        organizations=cs.upserts.get(EntityKind.ORGANIZATION, []),  # type: ignore[arg-type]
        departments=cs.upserts.get(EntityKind.DEPARTMENT, []),  # type: ignore[arg-type]
        people=cs.upserts.get(EntityKind.PERSON, []),  # type: ignore[arg-type]
        systems=cs.upserts.get(EntityKind.SYSTEM, []),  # type: ignore[arg-type]
        opportunities=cs.upserts.get(EntityKind.OPPORTUNITY, []),  # type: ignore[arg-type]
        relationships=cs.relationships,
        decision_rights=cs.decision_rights,
    )


def test_build_equals_applying_the_whole_document() -> None:
    cs = change_set(kaito_document())
    applied = Projection()
    applied.apply(cs, version=1)

    assert snapshot(applied) == snapshot(rebuild(cs))
    assert applied.version == 1


def test_walkable_edge_is_the_strongest_of_parallel_relationships_and_follows_changes() -> None:
    # Given the IT director and the engineer: KNOWS 0.8 and a solid REPORTS_TO (0.7)
    kaito = Projection()
    kaito.apply(change_set(kaito_document()))
    assert kaito.walk["p-itdir"]["p-eng"] == 0.8

    # When the KNOWS weakens to 0.3, the solid line (0.7) is the strongest
    kaito.apply(ChangeSet(relationships=[knows("p-eng", "p-itdir", 0.3)]), version=2)
    assert kaito.walk["p-eng"]["p-itdir"] == kaito.walk["p-itdir"]["p-eng"] == 0.7

    # When the solid line goes too, the KNOWS (0.3) remains
    kaito.apply(ChangeSet(relationship_deletes=[(RelationshipType.REPORTS_TO, "p-eng", "p-itdir")]))
    assert kaito.walk["p-itdir"]["p-eng"] == 0.3

    # When the KNOWS goes (its key given in either order), the pair is no longer walkable
    kaito.apply(ChangeSet(relationship_deletes=[(RelationshipType.KNOWS, "p-itdir", "p-eng")]))
    assert "p-eng" not in kaito.walk.get("p-itdir", {})
    assert kaito.version == 2


def test_a_sequence_of_writes_equals_a_rebuild_of_the_result() -> None:
    # Given Kaito, then: the HR director stops being a BLOCKER and moves to k-it; a new
    # person joins kaito-log; a system moves departments; a relationship is deleted and
    # another upserted; the CFO is deleted with her relationships and rights.
    base = change_set(kaito_document())
    p = Projection()
    p.apply(base, version=1)
    writes = [
        ChangeSet(
            upserts={
                EntityKind.PERSON: [
                    person("p-hr", "kaito", "中村 優", department_id="k-it", stance="SUPPORTER")
                ]
            }
        ),
        ChangeSet(
            upserts={
                EntityKind.PERSON: [person("p-new", "kaito-log", "New Person")],
                EntityKind.SYSTEM: [system("s-erp", "kaito", "ERP", department_ids=["k-hr"])],
            },
            relationships=[knows("p-new", "ae-2", 0.4), reports_to("p-new", "p-log")],
        ),
        ChangeSet(relationship_deletes=[(RelationshipType.KNOWS, "ae-1", "p-itdir")]),
        ChangeSet(
            deletes={EntityKind.PERSON: ["p-cfo"]},
            relationship_deletes=[
                key for key in (r.key for r in base.relationships) if "p-cfo" in (key[1], key[2])
            ],
            decision_right_deletes=[r.key for r in base.decision_rights if r.person_id == "p-cfo"],
        ),
    ]
    for version, write in enumerate(writes, start=2):
        p.apply(write, version=version)

    # Then the projection equals one built from the final records
    final = change_set(kaito_document())
    people = {e.id: e for e in final.upserts[EntityKind.PERSON]}
    people["p-hr"] = Person(**writes[0].upserts[EntityKind.PERSON][0].model_dump())
    people["p-new"] = writes[1].upserts[EntityKind.PERSON][0]
    del people["p-cfo"]
    final.upserts[EntityKind.PERSON] = list(people.values())
    final.upserts[EntityKind.SYSTEM] = [
        s for s in final.upserts[EntityKind.SYSTEM] if s.id != "s-erp"
    ] + writes[1].upserts[EntityKind.SYSTEM]
    final.relationships = [
        r
        for r in final.relationships
        if "p-cfo" not in (r.from_id, r.to_id)
        and r.key != (RelationshipType.KNOWS, "ae-1", "p-itdir")
    ] + writes[1].relationships
    final.decision_rights = [r for r in final.decision_rights if r.person_id != "p-cfo"]
    assert snapshot(p) == snapshot(rebuild(final))
    assert "p-hr" not in p.blockers
    assert p.version == 5


def test_deleting_a_person_drops_relationships_left_behind() -> None:
    p = Projection()
    p.apply(change_set(kaito_document()))

    p.apply(ChangeSet(deletes={EntityKind.PERSON: ["p-eng"]}))

    assert "p-eng" not in p.walk
    assert all("p-eng" not in n for n in p.walk.values())
    assert not any("p-eng" in (k[1], k[2]) for k in p.relationships)


def test_name_counts_follow_people_put_renamed_and_deleted_after_the_first_count() -> None:
    # given a projection whose names were counted once
    p = Projection()
    p.apply(
        ChangeSet(upserts={EntityKind.PERSON: [person("a", "o", "Sato"), person("b", "o", "Ito")]})
    )
    assert p.namesakes("Sato") == 1

    # when a Sato is added, the other renamed to Sato, then the first Sato deleted
    p.apply(ChangeSet(upserts={EntityKind.PERSON: [person("c", "o", "Sato")]}))
    after_add = p.namesakes("Sato")
    p.apply(ChangeSet(upserts={EntityKind.PERSON: [person("b", "o", "Sato")]}))
    after_rename = (p.namesakes("Sato"), p.namesakes("Ito"))
    p.apply(ChangeSet(deletes={EntityKind.PERSON: ["a"]}))

    # then each count is the one a fresh count of the people gives
    assert after_add == 2
    assert after_rename == (3, 0)
    assert p.namesakes("Sato") == 2 == sum(1 for n in p.people.values() if n.name == "Sato")


_PAIRS = st.sampled_from([("a", "b"), ("b", "a"), ("a", "c"), ("c", "b")])
_WRITES = st.lists(
    st.tuples(
        st.sampled_from(list(RelationshipType)),
        _PAIRS,
        st.none() | st.sampled_from([0.2, 0.5, 0.7, 0.9, 1.0]),
        st.booleans(),  # True: delete the relationship instead of upserting it
    ),
    max_size=25,
)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(_WRITES)
def test_walkable_edges_after_any_upserts_and_deletes_equal_the_strongest_remaining(
    writes: list[tuple[RelationshipType, tuple[str, str], float | None, bool]],
) -> None:
    # Given three people and any sequence of relationship upserts (stronger, weaker, equal,
    # parallel) and deletes, applied one write at a time
    p = Projection()
    for type_, (a, b), strength, delete in writes:
        if delete:
            p.apply(ChangeSet(relationship_deletes=[(type_, a, b)]))
        else:
            rel = Relationship(type=type_, from_id=a, to_id=b, strength=strength)
            p.apply(ChangeSet(relationships=[rel]))

    # Then every walkable edge is the strongest relationship left between its two people
    expected: dict[str, dict[str, float]] = {}
    for (_, a, b), link in p.relationships.items():
        for x, y in ((a, b), (b, a)):
            expected.setdefault(x, {})[y] = max(expected.get(x, {}).get(y, 0.0), link.strength)
    assert p.walk == expected


_RELATIONSHIPS = st.lists(
    st.builds(
        lambda type_, ends, strength, dotted, contact: Relationship(
            type=type_,
            from_id=ends[0],
            to_id=ends[1],
            strength=strength,
            dotted=dotted and type_ is RelationshipType.REPORTS_TO,
            last_contact_on=contact,
        ),
        st.sampled_from(list(RelationshipType)),
        _PAIRS,
        st.none() | st.sampled_from([0.2, 0.5, 0.7, 0.9, 1.0]),
        st.booleans(),
        st.none() | st.dates(),
    ),
    max_size=25,
)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(_RELATIONSHIPS)
def test_building_from_lean_rows_equals_applying_the_records(
    relationships: list[Relationship],
) -> None:
    # Given any relationships (parallel, repeated keys, KNOWS either way, missing strengths)
    # When one projection applies them as records and another reads them as store rows
    by_records = Projection()
    by_records.apply(ChangeSet(relationships=relationships))
    by_rows = Projection()
    by_rows.add_relationship_rows(
        RelationshipRow(r.type, r.from_id, r.to_id, r.strength, r.dotted, r.last_contact_on)
        for r in relationships
    )
    # Then both hold the same links and the same walkable graph
    assert by_rows.relationships == by_records.relationships
    assert by_rows.walk == by_records.walk


_PEOPLE = st.lists(
    st.builds(
        lambda id_, org, title, dept, seniority, stance: Person(
            id=id_,
            name=f"Person {id_}",
            organization_id=org,
            title=title,
            department_id=dept,
            seniority=seniority,
            stance=stance,
        ),
        st.sampled_from(["a", "b", "c", "d"]),
        st.sampled_from(["o1", "o2"]),
        st.none() | st.just("CIO"),
        st.none() | st.sampled_from(["d1", "d2"]),
        st.none() | st.sampled_from(list(Seniority)),
        st.sampled_from(list(Stance)),
    ),
    max_size=12,
)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(_PEOPLE, _PEOPLE)
def test_people_from_lean_rows_equal_people_from_records(
    first: list[Person], then: list[Person]
) -> None:
    # Given people upserted in two rounds (repeated ids move between organizations,
    # departments and stances, so the second round must unindex the first)
    # When one projection applies them as records and another reads them as store rows
    by_records = Projection()
    by_rows = Projection()
    for people in (first, then):
        by_records.apply(ChangeSet(upserts={EntityKind.PERSON: list(people)}))
        by_rows.add_person_rows(
            PersonRow(
                p.id, p.name, p.organization_id, p.title, p.department_id, p.seniority, p.stance
            )
            for p in people
        )
    # Then everything a query can read is the same
    assert snapshot(by_rows) == snapshot(by_records)

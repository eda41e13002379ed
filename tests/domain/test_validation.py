"""validate_document: pure rules over a document and the stored facts it touches."""

from __future__ import annotations

from graphsvc.domain.enums import EntityKind, OrganizationKind
from graphsvc.domain.known import KnownDepartment, KnownGraph, KnownOrganization, StoredDependent
from graphsvc.domain.validation import validate_document
from graphsvc.errors import Issue
from tests.factories import (
    dept,
    document,
    kaito_document,
    knows,
    org,
    person,
    reports_to,
    right,
)

STORED_CHAIN = KnownGraph(
    organizations={"o": KnownOrganization(OrganizationKind.CUSTOMER)},
    people={"a": "o", "b": "o", "c": "o"},
    solid_managers={"a": ("b",), "b": ("c",)},
)
"""A store where a reports to b, and b to c (solid)."""


def test_the_kaito_group_is_valid_in_an_empty_workspace() -> None:
    assert validate_document(kaito_document()) == []


def test_two_SELF_organizations_in_one_document_are_refused_on_the_second() -> None:
    doc = document(
        organizations=[org("us", kind="SELF"), org("us2", kind="SELF"), org("us3", kind="SELF")]
    )

    issues = validate_document(doc)

    assert [(i.path, i.record) for i in issues] == [
        ("organizations[1].kind", "us2"),
        ("organizations[2].kind", "us3"),
    ]
    assert "'us' in the document is SELF already" in issues[0].message


def test_a_stored_SELF_organization_may_be_replaced_in_the_same_document() -> None:
    known = KnownGraph(
        organizations={"old": KnownOrganization(OrganizationKind.SELF)},
        self_organizations=frozenset({"old"}),
    )
    doc = document(organizations=[org("old", kind="CUSTOMER"), org("new", kind="SELF")])

    assert validate_document(doc, known) == []


def test_references_resolve_in_the_store() -> None:
    known = KnownGraph(
        organizations={"o": KnownOrganization(OrganizationKind.CUSTOMER)},
        departments={"d": KnownDepartment("o")},
        people={"boss": "o"},
    )
    doc = document(people=[person("p", "o", department_id="d", reports_to_id="boss")])

    assert validate_document(doc, known) == []


def test_a_scope_naming_a_stored_organization_and_a_document_department_is_ambiguous() -> None:
    known = KnownGraph(
        organizations={"x": KnownOrganization(OrganizationKind.CUSTOMER)}, people={"p": "x"}
    )
    doc = document(departments=[dept("x", "x")], decision_rights=[right("p", "x")])

    assert validate_document(doc, known) == [
        Issue(
            "decisionRights[0].scopeId",
            "p/x/IT/DECISION_MAKER",
            "scopeId 'x' is ambiguous: it names both an organization and a department",
        )
    ]


def test_a_reporting_cycle_closing_through_stored_lines_names_the_document_line() -> None:
    doc = document(people=[person("c", "o", reports_to_id="a")])

    issues = validate_document(doc, STORED_CHAIN)

    assert issues == [
        Issue(
            "people[0].reportsToId",
            "c",
            "solid REPORTS_TO lines form a cycle: c → a → b → c",
        )
    ]


def test_a_replaced_stored_line_no_longer_closes_a_cycle() -> None:
    # b's stored line to c is replaced by a line to nobody above a, so c → a closes nothing
    doc = document(
        people=[
            person("b", "o", reports_to_id="x"),
            person("x", "o"),
            person("c", "o", reports_to_id="a"),
        ]
    )

    assert validate_document(doc, STORED_CHAIN) == []


def test_a_stored_solid_line_made_dotted_by_the_document_no_longer_counts() -> None:
    doc = document(
        people=[person("c", "o", reports_to_id="a")],
        relationships=[reports_to("b", "c", dotted=True)],
    )

    assert validate_document(doc, STORED_CHAIN) == []


def test_a_person_reporting_to_themselves_is_a_cycle() -> None:
    doc = document(organizations=[org("o")], people=[person("p", "o", reports_to_id="p")])

    assert [i.message for i in validate_document(doc)] == [
        "solid REPORTS_TO lines form a cycle: p → p"
    ]


def test_an_organization_parent_cycle_through_stored_parents() -> None:
    known = KnownGraph(
        organizations={
            "top": KnownOrganization(OrganizationKind.CUSTOMER),
            "mid": KnownOrganization(OrganizationKind.CUSTOMER, "top"),
        }
    )
    doc = document(organizations=[org("top", parent_id="mid")])

    assert [(i.record, i.message) for i in validate_document(doc, known)] == [
        ("top", "organization parents form a cycle: top → mid → top")
    ]


def test_moving_a_department_strands_its_stored_records() -> None:
    known = KnownGraph(
        organizations={
            "a": KnownOrganization(OrganizationKind.CUSTOMER),
            "b": KnownOrganization(OrganizationKind.CUSTOMER),
        },
        departments={"d": KnownDepartment("a")},
        department_dependents=(
            StoredDependent(EntityKind.PERSON, "p1", "a", "d"),
            StoredDependent(EntityKind.PERSON, "p2", "a", "d"),
        ),
    )

    moved_alone = validate_document(document(departments=[dept("d", "b")]), known)
    moved_with_p1 = validate_document(
        document(departments=[dept("d", "b")], people=[person("p1", "b", department_id="d")]),
        known,
    )

    assert [i.record for i in moved_alone] == ["d"]
    assert "person 'p1' (organization 'a'), person 'p2'" in moved_alone[0].message
    assert "p1" not in moved_with_p1[0].message


def test_KNOWS_given_both_ways_is_one_relationship_given_twice() -> None:
    doc = document(
        organizations=[org("o")],
        people=[person("a", "o"), person("b", "o")],
        relationships=[knows("a", "b"), knows("b", "a")],
    )

    assert [(i.path, i.record) for i in validate_document(doc)] == [
        ("relationships[1]", "KNOWS b→a")
    ]


def test_every_issue_of_a_tangled_document_is_reported_at_once() -> None:
    doc = document(
        organizations=[org("o", parent_id="o")],
        departments=[dept("d", "nowhere")],
        people=[person("p", "o", department_id="d")],
    )

    records = [i.record for i in validate_document(doc)]

    assert records == ["d", "p", "o"]


def test_a_reporting_chain_far_deeper_than_the_recursion_limit_is_checked() -> None:
    # 20,000 people in one chain of solid lines: the deepest case for the cycle search,
    # which must not recurse (Python's limit is 1,000 frames)
    count = 20_000
    people = [person(f"p{i}", "o", reports_to_id=f"p{i - 1}" if i else None) for i in range(count)]
    doc = document(organizations=[org("o")], people=people)

    assert validate_document(doc) == []

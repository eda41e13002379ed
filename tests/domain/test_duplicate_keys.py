"""``duplicate_keys`` (kept small for a million people) finds exactly the issues of the plain
rule it replaced: a key per ``reportsToId`` line and a position per relationship key.

Generated documents of a few people (some given twice, with and without a manager) and of
relationships drawn from a handful of ends, so that lines repeat each other, repeat a
person's ``reportsToId``, and KNOWS pairs repeat the other way round.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from graphsvc.domain.enums import RelationshipType
from graphsvc.domain.labels import relationship_label
from graphsvc.domain.models import GraphDocument, Relationship, RelationshipKey
from graphsvc.domain.validation_identity import duplicate_keys
from graphsvc.errors import Issue
from tests.factories import document, person

IDS = ("a", "b", "c", "d")
ends = st.sampled_from(IDS)
people = st.lists(
    st.tuples(ends, st.one_of(st.none(), ends)).filter(lambda p: p[0] != p[1]), max_size=6
)
relationships = st.lists(
    st.tuples(st.sampled_from(list(RelationshipType)), ends, ends).filter(lambda r: r[1] != r[2]),
    max_size=12,
)


def _reference(doc: GraphDocument) -> list[Issue]:
    """The relationship issues as the rule found them before it was kept small."""
    issues: list[Issue] = []
    people_lines: dict[RelationshipKey, int] = {}
    seen_people: set[str] = set()
    for i, p in enumerate(doc.people):
        if p.id in seen_people:
            continue
        seen_people.add(p.id)
        if p.reports_to_id is not None:
            people_lines[(RelationshipType.REPORTS_TO, p.id, p.reports_to_id)] = i
    lines: dict[RelationshipKey, int] = {}
    for i, r in enumerate(doc.relationships):
        key = r.key
        if (found := people_lines.get(key)) is not None:
            earlier = f"people[{found}].reportsToId"
        else:
            first = lines.setdefault(key, i)
            if first == i:
                continue
            earlier = f"relationships[{first}]"
        mutual = (
            " (KNOWS is mutual: a–b and b–a are one relationship)"
            if r.type is RelationshipType.KNOWS
            else ""
        )
        message = f"duplicate relationship: the same type, from and to as {earlier}{mutual}"
        issues.append(Issue(f"relationships[{i}]", relationship_label(r), message))
    return issues


@given(people=people, relationships=relationships)
def test_it_finds_the_issues_of_the_plain_rule(
    people: list[tuple[str, str | None]], relationships: list[tuple[RelationshipType, str, str]]
) -> None:
    doc = document(
        people=[person(i, "o", reports_to_id=manager) for i, manager in people],
        relationships=[Relationship(type=t, from_id=a, to_id=b) for t, a, b in relationships],
    )
    assert duplicate_keys(doc) == _reference(doc)


def test_a_repeated_persons_line_is_not_a_second_problem() -> None:
    # given a person given twice, the repeat with another manager, and both lines written
    doc = document(
        people=[person("a", "o", reports_to_id="b"), person("a", "o", reports_to_id="c")],
        relationships=[
            Relationship(type=RelationshipType.REPORTS_TO, from_id="a", to_id="c"),
            Relationship(type=RelationshipType.REPORTS_TO, from_id="a", to_id="b"),
        ],
    )
    # then only the first entry's line is repeated (the repeat is a duplicate id elsewhere)
    assert [issue.path for issue in duplicate_keys(doc)] == ["relationships[1]"]

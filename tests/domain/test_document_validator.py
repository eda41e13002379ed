"""Property tests: the document parser and validator are total and name what they reject.

Random malformed input (arbitrary JSON, arbitrary bytes, well-typed records with random
references, duplicates and cycles) must never make them raise anything but
``InvalidDocument``, and every issue inside a record list must name the record.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from graphsvc.domain.models import DOCUMENT_LISTS, GraphDocument
from graphsvc.domain.validation import validate_document
from graphsvc.errors import InvalidDocument
from graphsvc.services.parsing import parse_document
from tests.factories import dept, document, influences, knows, org, person, reports_to, right

pytestmark = pytest.mark.fuzz

BOUNDED = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)

LISTS = DOCUMENT_LISTS
FIELDS = (
    "id",
    "name",
    "kind",
    "organizationId",
    "parentId",
    "departmentId",
    "seniority",
    "stance",
    "type",
    "from",
    "to",
    "strength",
    "personId",
    "scopeId",
    "area",
    "role",
    "contractEndsOn",
    "reportsToId",
    "bogus",
)

json_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=20,
)
ids = st.sampled_from(["a", "b", "c", "d", ""]) | st.integers(-1, 3)
raw_records = st.dictionaries(st.sampled_from(FIELDS), ids | json_scalars, max_size=6)
raw_documents = st.fixed_dictionaries(
    {"format": st.sampled_from(["graphsvc/v1", "graphsvc/v2", 1])},
    optional={name: st.lists(raw_records | json_values, max_size=4) for name in LISTS},
)


def _parse(data: Any) -> GraphDocument | InvalidDocument:
    """The parsed document, or the rejection (any other exception fails the test)."""
    try:
        return parse_document(data)
    except InvalidDocument as error:
        return error


def _assert_precise(error: InvalidDocument, data: Any) -> None:
    assert error.issues, "an InvalidDocument always carries at least one issue"
    for issue in error.issues:
        assert issue.message.strip()
        head = issue.path.split("[", 1)[0]
        if head in LISTS and isinstance(data, dict) and "[" in issue.path:
            index = int(issue.path.split("[", 1)[1].split("]", 1)[0])
            record = data[head][index]
            if isinstance(record, dict) and isinstance(record.get("id"), str) and record["id"]:
                assert issue.record, f"issue at {issue.path} does not name record {record['id']}"


@BOUNDED
@given(raw=st.binary(max_size=200))
def test_arbitrary_bytes_are_rejected_with_issues_never_an_exception(raw: bytes) -> None:
    outcome = _parse(raw)
    if isinstance(outcome, InvalidDocument):
        assert outcome.issues
        assert all(i.message for i in outcome.issues)


@BOUNDED
@given(data=json_values | raw_documents)
def test_arbitrary_json_is_parsed_or_rejected_naming_the_record(data: Any) -> None:
    outcome = _parse(data)
    if isinstance(outcome, InvalidDocument):
        _assert_precise(outcome, data)
    else:
        assert isinstance(validate_document(outcome), list)


PEOPLE = ["p1", "p2", "p3", "p4"]
ORGS = ["o1", "o2", "o3"]
DEPTS = ["d1", "d2", "d3"]


@st.composite
def tangled_documents(draw: st.DrawFn) -> Any:
    """Well-typed documents whose references may dangle, repeat or form cycles."""
    maybe_org = st.sampled_from([*ORGS, "missing"])
    maybe_dept = st.none() | st.sampled_from([*DEPTS, "nowhere"])
    maybe_person = st.none() | st.sampled_from([*PEOPLE, "ghost"])
    orgs = [
        org(
            i,
            kind=draw(st.sampled_from(["SELF", "CUSTOMER"])),
            parent_id=draw(st.none() | maybe_org),
        )
        for i in draw(st.lists(st.sampled_from(ORGS), max_size=4))
    ]
    depts = [
        dept(i, draw(maybe_org), parent_id=draw(maybe_dept))
        for i in draw(st.lists(st.sampled_from(DEPTS), max_size=4))
    ]
    people = [
        person(i, draw(maybe_org), department_id=draw(maybe_dept), reports_to_id=draw(maybe_person))
        for i in draw(st.lists(st.sampled_from(PEOPLE), max_size=5))
    ]
    pairs = st.tuples(st.sampled_from([*PEOPLE, "ghost"]), st.sampled_from([*PEOPLE, "ghost"]))
    links = []
    for a, b in draw(st.lists(pairs.filter(lambda p: p[0] != p[1]), max_size=5)):
        builder = draw(st.sampled_from([knows, influences, reports_to]))
        links.append(builder(a, b))
    rights = [
        right(p, s)
        for p, s in draw(st.lists(st.tuples(st.sampled_from(PEOPLE), maybe_org), max_size=3))
    ]
    return document(
        organizations=orgs,
        departments=depts,
        people=people,
        relationships=links,
        decision_rights=rights,
    )


@BOUNDED
@given(doc=tangled_documents())
def test_validation_is_total_and_every_issue_names_its_record(doc: Any) -> None:
    issues = validate_document(doc)
    event("rejected" if issues else "accepted")
    for issue in issues:
        assert issue.message.strip()
        assert issue.record, f"issue without a record: {issue}"
        assert issue.path

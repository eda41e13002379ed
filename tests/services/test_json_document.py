"""read_valid_json: a valid document's JSON text gives the records ``read_document`` gives;
any other text is left to ``read_document`` (None), so what a user is told stays the same."""

from __future__ import annotations

import io

import orjson
import pytest

from graphsvc.domain.models import GraphDocument
from graphsvc.generator import write_generated
from graphsvc.services.json_document import read_valid_json
from graphsvc.services.parsing import read_document
from tests.factories import kaito_document

FORMAT = b'{"format": "graphsvc/v1", '


def _same_as_read_document(raw: bytes) -> GraphDocument:
    read = read_valid_json(raw)
    expected = read_document(orjson.loads(raw))
    assert read is not None
    assert read.document == expected.document
    assert read.issues == expected.issues == []
    assert {k: list(v) for k, v in read.positions.items()} == {
        k: list(v) for k, v in expected.positions.items()
    }
    return read.document


def test_a_generated_document_reads_as_read_document_reads_it() -> None:
    out = io.BytesIO()
    write_generated(out, 300, 7)
    raw = out.getvalue()
    assert b'\n"relationships":[' in raw  # read in two parts (cut before this list)

    document = _same_as_read_document(raw)

    assert len(document.people) >= 300
    assert document.relationships


@pytest.mark.parametrize("order", ["as-exported", "relationships-first", "relationships-last"])
def test_the_kaito_document_reads_alike_whatever_the_order_of_its_lists(order: str) -> None:
    data = kaito_document().model_dump(mode="json", by_alias=True, exclude_none=True)
    if order != "as-exported":
        relationships = data.pop("relationships")
        rest = {k: v for k, v in data.items() if k != "format"}
        if order == "relationships-first":
            data = {"format": data["format"], "relationships": relationships, **rest}
        else:
            data = {**data, "relationships": relationships}

    assert _same_as_read_document(orjson.dumps(data)) == kaito_document()


def test_relationships_written_inside_a_string_do_not_cut_the_text() -> None:
    raw = (
        FORMAT + b'"organizations": [{"id": "o", "name": "x\\", \\"relationships\\": [", '
        b'"kind": "SELF"}], "relationships": []}'
    )

    document = _same_as_read_document(raw)

    assert document.organizations[0].name == 'x", "relationships": ['


def test_equal_ids_become_one_string() -> None:
    raw = (
        FORMAT + b'"organizations": [{"id": "o", "name": "O", "kind": "SELF"}], "people": ['
        b'{"id": "p1", "name": "A", "organizationId": "o", "title": "CTO"}, '
        b'{"id": "p2", "name": "B", "organizationId": "o", "title": "CTO", "reportsToId": "p1"}],'
        b' "relationships": [{"type": "KNOWS", "from": "p2", "to": "p1"}]}'
    )

    first, second = _same_as_read_document(raw).people
    line = _same_as_read_document(raw).relationships[0]

    assert second.reports_to_id is first.id
    assert second.title is first.title
    parsed = read_valid_json(raw)
    assert parsed is not None
    assert parsed.document.relationships[0].to_id is parsed.document.people[0].id
    assert (line.from_id, line.to_id) == ("p2", "p1")


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(b'{"people": []}', id="no-format"),
        pytest.param(FORMAT + b'"people": [{"id": "p1", "name": "A"}]}', id="a-record-refused"),
        pytest.param(FORMAT + b'"people": [', id="not-json"),
        pytest.param(
            FORMAT + b'"organizations": [{"id": "o", "name": "O", "kind": "SELF", '
            b'"revenue": Infinity}]}',
            id="infinity",
        ),
        pytest.param(
            FORMAT + b'"organizations": [{"id": "o", "name": "O", "kind": "SELF", '
            b'"revenue": 1e400}]}',
            id="a-float-beyond-range",
        ),
        pytest.param(
            FORMAT + b'"organizations": [{"id": "o", "name": "O", "kind": "SELF", '
            b'"employees": 100000000000000000000000}]}',
            id="an-integer-beyond-64-bits",
        ),
        pytest.param(
            FORMAT + b'"people": [{"id": "p", "name": "A", "organizationId": "o", '
            b'"relationships": []}], "relationships": []}',
            id="relationships-inside-a-record",
        ),
        pytest.param(
            FORMAT + b'"people": [], "relationships": [], "people": []}',
            id="a-list-given-twice-across-the-cut",
        ),
    ],
)
def test_any_other_text_is_left_to_read_document(raw: bytes) -> None:
    assert read_valid_json(raw) is None


def test_a_list_given_twice_is_read_by_read_document_as_before() -> None:
    raw = (
        FORMAT + b'"people": [{"id": "p1", "name": "A", "organizationId": "o"}], '
        b'"relationships": [], "people": [{"id": "p2", "name": "B", "organizationId": "o"}]}'
    )

    assert read_valid_json(raw) is None
    assert [p.id for p in read_document(orjson.loads(raw)).document.people] == ["p2"]

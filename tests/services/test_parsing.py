"""parse_document: JSON and record-level errors become issues naming path, record and fix."""

from __future__ import annotations

import orjson
import pytest

from graphsvc.domain.enums import EntityKind
from graphsvc.errors import InvalidDocument
from graphsvc.services.parsing import parse_document, parse_record
from tests.factories import kaito_document


def _issues(raw: object) -> list[str]:
    if isinstance(raw, dict) and "format" not in raw:
        raw = {"format": "graphsvc/v1", **raw}
    with pytest.raises(InvalidDocument) as refused:
        parse_document(raw)  # type: ignore[arg-type]
    return [str(issue) for issue in refused.value.issues]


def test_the_kaito_document_round_trips_through_its_json() -> None:
    doc = kaito_document()
    raw = orjson.dumps(doc.model_dump(mode="json", by_alias=True, exclude_none=True))

    assert parse_document(raw) == doc
    assert parse_document(raw.decode()) == doc


def test_a_json_syntax_error_says_where() -> None:
    assert _issues(b'{"people": [') == [
        ": not valid JSON: unexpected end of data: line 1 column 13 (char 12)"
    ]


def test_a_document_must_be_an_object() -> None:
    assert _issues("[]") == [": a graph document is a JSON object, not a list"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param(
            {"people": [{"id": "p1", "name": "A", "organizationId": "o", "titel": "CTO"}]},
            "people[0].titel (p1): unknown field 'titel'",
            id="unknown-field",
        ),
        pytest.param(
            {"people": [{"id": "p1", "name": "A", "organizationId": "o", "organization_id": "o"}]},
            "people[0].organization_id (p1): unknown field 'organization_id'",
            id="snake-case-is-not-a-field",
        ),
        pytest.param(
            {"people": [{"id": "p1", "name": "A", "organizationId": "o", "seniority": "BOSS"}]},
            'people[0].seniority (p1): seniority "BOSS" is not one of EXECUTIVE, VP, DIRECTOR, '
            "MANAGER, STAFF",
            id="enum",
        ),
        pytest.param(
            {"relationships": [{"type": "KNOWS", "from": "ae-1", "to": "p-x", "strength": 1.5}]},
            "relationships[0].strength (KNOWS ae-1→p-x): strength 1.5 is not in (0, 1]",
            id="strength-range",
        ),
        pytest.param(
            {"relationships": [{"type": "KNOWS", "from": "a", "to": "a"}]},
            "relationships[0].to (KNOWS a→a): a relationship needs two different people",
            id="relationship-shape",
        ),
        pytest.param(
            {"format": "graphsvc/v2"},
            'format: format must be "graphsvc/v1", not "graphsvc/v2"',
            id="format",
        ),
        pytest.param(
            {
                "decisionRights": [
                    {"personId": "p-cio", "scopeId": "kaito", "area": "IT", "role": "BOSS"}
                ]
            },
            'decisionRights[0].role (p-cio/kaito/IT/BOSS): role "BOSS" is not one of '
            "ECONOMIC_BUYER, DECISION_MAKER, APPROVER, TECHNICAL_EVALUATOR, PROCUREMENT, "
            "GATEKEEPER, INFLUENCER, USER",
            id="decision-right-role",
        ),
        pytest.param(
            {
                "systems": [
                    {
                        "id": "s",
                        "name": "S",
                        "organizationId": "o",
                        "category": "ERP",
                        "contractEndsOn": "2027-02-30",
                    }
                ]
            },
            "systems[0].contractEndsOn (s): contractEndsOn must be a date written YYYY-MM-DD, "
            'not "2027-02-30"',
            id="date",
        ),
        pytest.param(
            {"organizations": [{"id": "o", "kind": "CUSTOMER"}]},
            "organizations[0].name (o): name is required",
            id="missing",
        ),
    ],
)
def test_a_record_level_error_names_path_record_and_fix(raw: object, expected: str) -> None:
    assert _issues(raw) == [expected]


def test_every_error_of_a_document_is_reported_at_once() -> None:
    raw = {
        "people": [
            {"id": "p1", "name": "A", "organizationId": "o", "stance": "ANGRY"},
            {"id": "p2", "name": "", "organizationId": "o"},
        ]
    }

    assert len(_issues(raw)) == 2


def test_a_single_record_is_parsed_with_field_paths() -> None:
    with pytest.raises(InvalidDocument) as refused:
        parse_record(EntityKind.PERSON, {"id": "p", "name": "A", "organizationId": "o", "x": 1})

    assert [str(i) for i in refused.value.issues] == ["x (p): unknown field 'x'"]

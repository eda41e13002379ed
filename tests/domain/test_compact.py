"""domain.compact: records sharing a fields set, a string or built from validated values
read, compare and copy exactly as records that own theirs."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from graphsvc.domain.compact import built, share_values, shared_fields_set
from graphsvc.domain.models import GraphDocument, Person, Relationship

KEYS = {"type", "from_id", "to_id"}


def _relationships() -> list[Relationship]:
    return GraphDocument.model_validate(
        {
            "relationships": [
                {"type": "KNOWS", "from": "a", "to": "b", "strength": 0.5},
                {"type": "KNOWS", "from": "a", "to": "c", "strength": 0.7},
                {"type": "KNOWS", "from": "b", "to": "c", "lastContactOn": "2026-01-02"},
            ]
        },
        by_alias=True,
    ).relationships


def test_records_read_with_the_same_fields_share_one_set_and_others_keep_theirs() -> None:
    first, second, third = _relationships()

    assert first.model_fields_set is second.model_fields_set
    assert first.model_fields_set == KEYS | {"strength"}
    assert third.model_fields_set == KEYS | {"last_contact_on"}


def test_a_record_copied_with_more_fields_gets_its_own_set_and_the_shared_one_stays() -> None:
    first, second, _ = _relationships()

    changed = first.model_copy(update={"last_contact_on": date(2026, 1, 1)})

    assert changed.model_fields_set == KEYS | {"strength", "last_contact_on"}
    assert first.model_fields_set == KEYS | {"strength"}
    assert second.model_fields_set == KEYS | {"strength"}


def test_a_record_sharing_a_set_cannot_be_assigned_to() -> None:
    first, second, _ = _relationships()

    with pytest.raises(ValidationError, match="frozen"):
        first.last_contact_on = date(2026, 1, 1)  # type: ignore[misc]

    assert second.model_fields_set == KEYS | {"strength"}


def test_a_built_record_is_the_record_validation_makes() -> None:
    values = {
        "id": "p1",
        "name": "佐藤 健",
        "organization_id": "o",
        "title": "CIO",
        "department_id": None,
        "seniority": "EXECUTIVE",
        "stance": "UNKNOWN",
    }
    validated = Person.model_validate(values)

    made = built(Person, dict(validated.__dict__), shared_fields_set(Person.model_fields))

    assert made == validated
    assert hash(made) == hash(validated)
    assert made.model_dump_json() == validated.model_dump_json()
    assert made.to_document() == validated.to_document()
    assert made.model_fields_set == validated.model_fields_set


def test_shared_values_are_one_string_each_and_keep_their_values() -> None:
    first, second, third = _relationships()
    kept: dict[str, str] = {}

    share_values([first, second, third], ("from_id", "to_id"), kept)

    assert first.from_id is second.from_id
    assert first.to_id is third.from_id
    assert [(r.from_id, r.to_id) for r in (first, second, third)] == [
        ("a", "b"),
        ("a", "c"),
        ("b", "c"),
    ]
    assert first == Relationship.model_validate(
        {"type": "KNOWS", "from": "a", "to": "b", "strength": 0.5}
    )

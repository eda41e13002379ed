"""``to_document`` written out by hand (``Person``, ``Relationship``) says what pydantic says.

Both are written field by field because an import's change log asks them of every record
(bench/README.md, "Import, round six"); pydantic's ``model_dump`` stays the definition of a
record's document form, so every record hypothesis builds must come out the same, and a
field added to either model must be added to its ``to_document`` too.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from graphsvc.domain.compact import built
from graphsvc.domain.enums import RelationshipType, Seniority, Stance
from graphsvc.domain.models import Person, PersonEntry, Record, Relationship
from graphsvc.services.writes.diff import stored_form

ids = st.text(alphabet="abcdefghij-0123456789", min_size=1, max_size=8)
texts = st.text(alphabet="abc xyz日本", min_size=1, max_size=8).map(str.strip).filter(bool)


def _pydantic(record: Record) -> dict[str, Any]:
    """The document form as pydantic makes it (what ``Record.to_document`` returns)."""
    return Record.to_document(record)


def test_the_written_out_models_have_the_fields_their_to_document_writes() -> None:
    # A new field needs a line in the model's to_document: this fails until it has one.
    assert tuple(Person.model_fields) == (
        "id",
        "name",
        "organization_id",
        "title",
        "department_id",
        "seniority",
        "stance",
    )
    assert tuple(Relationship.model_fields) == (
        "type",
        "from_id",
        "to_id",
        "strength",
        "last_contact_on",
        "dotted",
    )


@given(
    id_=ids,
    name=texts,
    organization_id=ids,
    title=st.none() | texts,
    department_id=st.none() | ids,
    seniority=st.none() | st.sampled_from(Seniority),
    stance=st.sampled_from(Stance),
    reports_to_id=st.none() | ids,
)
def test_a_person_document_is_pydantics(
    id_: str,
    name: str,
    organization_id: str,
    title: str | None,
    department_id: str | None,
    seniority: Seniority | None,
    stance: Stance,
    reports_to_id: str | None,
) -> None:
    fields = {
        "id": id_,
        "name": name,
        "organization_id": organization_id,
        "title": title,
        "department_id": department_id,
        "seniority": seniority,
        "stance": stance,
    }
    person = Person(**fields)
    entry = PersonEntry(**fields, reports_to_id=reports_to_id)

    # the same dict, keys in the same order (so the same JSON text)
    assert list(person.to_document().items()) == list(_pydantic(person).items())
    # a person as stored from a document entry (a view over its dict) has no reportsToId
    assert list(stored_form(entry).to_document().items()) == list(_pydantic(person).items())
    # and a document entry keeps pydantic's own form, reportsToId included
    assert entry.to_document() == _pydantic(entry)
    assert ("reportsToId" in entry.to_document()) == (reports_to_id is not None)


@given(
    type_=st.sampled_from(RelationshipType),
    from_id=ids,
    to_id=ids,
    strength=st.none() | st.floats(min_value=0.01, max_value=1.0),
    last_contact_on=st.none() | st.dates(min_value=date(1990, 1, 1)),
    dotted=st.booleans(),
)
def test_a_relationship_document_is_pydantics(
    type_: RelationshipType,
    from_id: str,
    to_id: str,
    strength: float | None,
    last_contact_on: date | None,
    dotted: bool,
) -> None:
    fields = {
        "type": type_,
        "from_id": from_id,
        "to_id": to_id + "-to",  # never the same person
        "strength": strength,
        "last_contact_on": last_contact_on,
        "dotted": dotted and type_ is RelationshipType.REPORTS_TO,
    }
    relationship = Relationship(**fields)
    expected = _pydantic(relationship)
    if not relationship.dotted:  # left out when false, as documents have always had it
        expected.pop("dotted")

    assert list(relationship.to_document().items()) == list(expected.items())
    # built without validation (a reportsToId line) it is the same
    line = built(Relationship, dict(fields), set(fields))
    assert line.to_document() == expected

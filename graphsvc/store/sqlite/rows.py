"""Records as SQLite rows, made lazily, so that a bulk insert never holds two copies of the
data: an entity's ``(workspace, id, search, *columns, doc)``, a relationship's, a decision
right's, a system's departments and a token's; the statements' value marks beside them.
And back: ``records_of`` the rows' ``doc`` texts.

Apart from ``schema`` (the tables, their indexes and the upgrades), which says where each
kind lives (``EntityTable``): this is what a write puts there.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from enum import Enum
from typing import Any, TypeVar

import orjson
from pydantic import BaseModel, TypeAdapter
from pydantic_core import PydanticSerializationError

from graphsvc.domain.auth import ApiToken
from graphsvc.domain.enums import RelationshipType
from graphsvc.domain.models import DecisionRight, Entity, Record, Relationship
from graphsvc.domain.rows import RelationshipRow
from graphsvc.errors import InvalidInput
from graphsvc.store.sqlite.schema import EntityTable

__all__ = [
    "DOCS_ARRAY",
    "RELATIONSHIP_MARKS",
    "RELATIONSHIP_ROW_FIELDS",
    "RIGHT_MARKS",
    "decision_right_row",
    "entity_row",
    "records_in",
    "records_of",
    "relationship_row",
    "relationship_row_of",
    "system_department_rows",
    "token_row",
]

M = TypeVar("M", bound=BaseModel)

_LISTS: dict[type[BaseModel], TypeAdapter[Any]] = {}


def records_of(model: type[M], docs: Iterable[str]) -> list[M]:
    """The ``model`` records whose JSON texts are ``docs`` (rows' ``doc``), in order.

    Validated in one call, as one JSON array: pydantic then took 1.9 µs a person of 100k
    where a ``model_validate_json`` per text took 2.9 (relationships 1.1 against 1.5), and
    a no-op re-import reads back every record it compares (bench/README.md, "Import, round
    six"). The validation is the same; an error's location starts with the record's index.
    """
    return records_in(model, "[" + ",".join(docs) + "]")


def records_in(model: type[M], array: str | None) -> list[M]:
    """The ``model`` records of ``array``, a JSON array of rows' ``doc`` texts as a query
    makes it (``DOCS_ARRAY``; None: no rows), in order, validated as ``records_of`` does."""
    if array is None:
        return []
    adapter = _LISTS.get(model)
    if adapter is None:
        adapter = _LISTS[model] = TypeAdapter(list[model])  # type: ignore[valid-type]
    records: list[M] = adapter.validate_json(array)
    return records


DOCS_ARRAY = "'[' || group_concat({}, ',') || ']'"
"""The one value a query returns for many rows' documents: their texts joined into a JSON
array by SQLite, in the reader thread, for ``records_in``. Fetching the rows one by one
built a ``str`` per row with the GIL held, which the event loop held for the whole of a
batch's validation: a no-op re-import of 100k people waited ~0.6 s for its readers."""


RELATIONSHIP_ROW_FIELDS = "doc ->> 'strength', doc ->> 'dotted', doc ->> 'lastContactOn'"
"""A ``RelationshipRow``'s fields besides its key, as a query selects them from a row's
``doc`` for ``relationship_row_of``."""


def relationship_row_of(
    type_: RelationshipType,
    a: str,
    b: str,
    strength: float | None,
    dotted: int | None,
    contact: str | None,
) -> RelationshipRow:
    """The ``RelationshipRow`` of a stored relationship: its key's type and ends (``a``,
    ``b``) and ``RELATIONSHIP_ROW_FIELDS`` as SQLite gave them. A trusted read: the JSON is
    the one this store wrote after validating it, so no pydantic record is built."""
    last_contact_on = None if contact is None else date.fromisoformat(contact)
    return RelationshipRow(type_, a, b, strength, bool(dotted), last_contact_on)


def _doc(record: Record, document: dict[str, Any] | None) -> bytes:
    """A row's ``doc``: ``document`` (the record's ``to_document()``, already made for the
    log), or the record's own, encoded by orjson. One text per record whichever write
    stored it, so that ``compare`` tells a record stored as given by its text (a row written
    by pydantic's serializer differed: ``"dotted":false`` where ``to_document`` leaves the
    default out)."""
    return orjson.dumps(record.to_document() if document is None else document)


def entity_row(
    workspace: str, table: EntityTable, record: Entity, document: dict[str, Any] | None = None
) -> tuple[Any, ...]:
    """(workspace, id, search, *columns, doc) of ``record``, for ``table.marks``.

    ``document``: ``record.to_document()`` already made (the log's ``after``), encoded by
    orjson as the row's JSON (UTF-8 bytes, stored as text by ``CAST(? AS TEXT)``) instead
    of a second serialization by pydantic; both decode to the same record. The columns'
    values are then read from it, where enums already are their values and a null is a key
    left out (an attribute and an enum test per column took 0.1 s of a 100k-person import).
    Enums are bound as their values: sqlite3 binds an exact ``str`` at once, a ``StrEnum``
    only after looking for an adapter (0.25 s of a 100k-person import).
    """
    model = table.model
    if type(record) is not model:
        record, document = _coerce(table, record), None
    try:
        doc = _doc(record, document)
        values: list[Any]
        if document is None:
            values = [
                v._value_ if isinstance(v := getattr(record, c), Enum) else v for c in table.columns
            ]
        else:
            values = [document.get(key) for key in table.column_keys]
        search = "\x1f".join(
            v for f in table.search_fields if (v := getattr(record, f)) is not None
        )
    except (TypeError, ValueError, AttributeError) as exc:  # a record built unvalidated
        raise InvalidInput(
            f"{table.kind} record {getattr(record, 'id', '?')!r} cannot be stored: {exc}"
        ) from exc
    return (workspace, record.id, search.casefold(), *values, doc)


def system_department_rows(
    workspace: str, systems: Iterable[Entity]
) -> Iterator[tuple[str, str, str]]:
    """(workspace, system_id, department_id) for each department a system is used by."""
    for system in systems:
        for department_id in getattr(system, "department_ids", ()):
            yield (workspace, system.id, department_id)


RELATIONSHIP_MARKS = "(?, ?, ?, ?, CAST(? AS TEXT))"  # a doc may be bytes: see entity_row


def relationship_row(
    workspace: str, relationship: Relationship, document: dict[str, Any] | None = None
) -> tuple[Any, ...]:
    """(workspace, type, a, b, doc); the JSON keeps the original from/to of a KNOWS.

    ``document``: the relationship's ``to_document()`` already made (see ``entity_row``;
    it leaves ``dotted`` out when false, the model's default)."""
    if type(relationship) is not Relationship:
        if not isinstance(relationship, Relationship):
            raise InvalidInput(f"not a relationship: {relationship!r}")
        document = None
    type_, a, b = relationship.type, relationship.from_id, relationship.to_id
    if type_ is _KNOWS and b < a:  # inlined relationship.key: imports are hot
        a, b = b, a
    try:
        doc = _doc(relationship, document)
    except (PydanticSerializationError, TypeError) as exc:
        raise InvalidInput(f"relationship {relationship.key} cannot be stored: {exc}") from exc
    return (workspace, type_._value_, a, b, doc)


_KNOWS = RelationshipType.KNOWS

RIGHT_MARKS = "(?, ?, ?, ?, ?, CAST(? AS TEXT))"


def decision_right_row(
    workspace: str, right: DecisionRight, document: dict[str, Any] | None = None
) -> tuple[Any, ...]:
    """(workspace, person_id, scope_id, area_key, role, doc); ``document`` as in
    ``relationship_row``."""
    if type(right) is not DecisionRight:
        if not isinstance(right, DecisionRight):
            raise InvalidInput(f"not a decision right: {right!r}")
        document = None
    try:
        doc = _doc(right, document)
    except (PydanticSerializationError, TypeError) as exc:
        raise InvalidInput(f"decision right {right.key} cannot be stored: {exc}") from exc
    person_id, scope_id, area_key, role = right.key
    return (workspace, person_id, scope_id, area_key, role._value_, doc)


def token_row(token: ApiToken) -> tuple[Any, ...]:
    """(id, workspace, secret_hash, created_ts, doc)."""
    return (
        token.id,
        token.workspace,
        token.secret_hash,
        token.created_at.timestamp(),
        token.model_dump_json(),
    )


def _coerce(table: EntityTable, record: Entity) -> Entity:
    """A subclass (a document's ``PersonEntry``) stored as the kind's own model."""
    if not isinstance(record, table.model):
        raise InvalidInput(
            f"{table.kind} record {getattr(record, 'id', record)!r} is a "
            f"{type(record).__name__}, not a {table.model.__name__}"
        )
    fields = {name: getattr(record, name) for name in table.model.model_fields}
    return table.model.model_construct(**fields)

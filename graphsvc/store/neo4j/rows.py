"""Records to Neo4j parameters and back: the pure half of the Neo4j store (no driver, no I/O).

Every stored node and relationship keeps its record as JSON in a ``data`` property, so a
read returns exactly what was written (floats stay floats, tuples stay tuples, dates stay
dates, Japanese text stays as it was). The fields are *also* stored as ordinary properties
(dates as ISO strings, ``departmentIds`` as a list of strings) so that filters, indexes
and people exploring the graph in Neo4j Browser can use them. A record's props always
carry ``workspace`` and ``id`` again, because ``SET n = props`` replaces every property.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any, TypeVar

import orjson
from pydantic import BaseModel
from pydantic_core import PydanticSerializationError

from graphsvc.domain.auth import ApiToken
from graphsvc.domain.enums import EntityKind, RelationshipType, Seniority, Stance
from graphsvc.domain.listing import FilterValue, field_filters
from graphsvc.domain.models import (
    ENTITY_MODELS,
    DecisionRight,
    DecisionRightKey,
    Entity,
    Relationship,
    RelationshipKey,
    relationship_key,
)
from graphsvc.domain.rows import PersonRow, RelationshipRow
from graphsvc.errors import InvalidInput
from graphsvc.store.neo4j.catalog import LINKS

__all__ = [
    "BATCH_SIZE",
    "LABELS",
    "SEARCH_FIELDS",
    "STRUCTURE",
    "Link",
    "chunks",
    "decision_right_key_row",
    "decision_right_row",
    "entity_from",
    "entity_row",
    "filters",
    "link_rows",
    "person_row_from",
    "present",
    "relationship_key_row",
    "relationship_row",
    "relationship_row_from",
    "token_props",
]

T = TypeVar("T")

BATCH_SIZE = 5000
"""Rows per ``UNWIND`` statement: large enough to amortise round trips, small enough that
one statement's parameters stay a few MB. An import runs many such statements in one
transaction, so batching never splits its atomicity."""

LABELS: dict[EntityKind, str] = {
    EntityKind.ORGANIZATION: "Organization",
    EntityKind.DEPARTMENT: "Department",
    EntityKind.PERSON: "Person",
    EntityKind.SYSTEM: "System",
    EntityKind.OPPORTUNITY: "Opportunity",
}
"""The node label of each id-keyed kind (all of them in ``catalog.PLACEHOLDERS['label']``)."""

SEARCH_FIELDS: dict[EntityKind, tuple[str, ...]] = {
    kind: ("name", "title") if kind is EntityKind.PERSON else ("name",) for kind in EntityKind
}
"""Fields a ``ListQuery.search`` looks into (casefolded, joined by U+001F like SQLite's)."""

Link = tuple[str, str, Callable[[Any], Sequence[str]]]
"""(relationship type, target label, the record's target ids) of one structural edge."""


def _one(field: str) -> Callable[[Any], Sequence[str]]:
    def targets(record: Any) -> Sequence[str]:
        value = getattr(record, field)
        return () if value is None else (value,)

    return targets


_TARGETS: dict[str, Callable[[Any], Sequence[str]]] = {
    "OWNED_BY": _one("parent_id"),
    "PART_OF": _one("organization_id"),
    "SUB_UNIT_OF": _one("parent_id"),
    "WORKS_AT": _one("organization_id"),
    "WORKS_IN": _one("department_id"),
    "INSTALLED_AT": _one("organization_id"),
    "USED_BY": lambda system: tuple(system.department_ids),
    "FOR_ORGANIZATION": _one("organization_id"),
    "FOR_DEPARTMENT": _one("department_id"),
}

STRUCTURE: dict[EntityKind, tuple[Link, ...]] = {
    kind: tuple(
        (rel, target, _TARGETS[rel]) for label, rel, target in LINKS if label == LABELS[kind]
    )
    for kind in EntityKind
}
"""The structural edges of each kind, drawn from its reference fields (see the package doc)."""


def chunks(items: Iterable[T], size: int = BATCH_SIZE) -> Iterator[list[T]]:
    """``items`` in lists of at most ``size``, lazily."""
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _as_stored(kind: EntityKind, record: Entity) -> Entity:
    """The record as its kind's own model (a document's ``PersonEntry`` becomes a ``Person``)."""
    model = ENTITY_MODELS[kind]
    if type(record) is model:
        return record
    if not isinstance(record, model):
        raise InvalidInput(
            f"{kind} record {getattr(record, 'id', record)!r} is a "
            f"{type(record).__name__}, not a {model.__name__}"
        )
    fields = {name: getattr(record, name) for name in model.model_fields}
    return model.model_construct(**fields)


def _properties(record: BaseModel) -> dict[str, Any]:
    """The record's fields as Neo4j properties: camelCase, nulls and empty lists left out.

    Lists of objects (an opportunity's ``stageHistory`` and ``criteria``) cannot be Neo4j
    properties; they live in ``data`` only, which is what records are read back from.
    """
    dumped = record.model_dump(mode="json", by_alias=True, exclude_none=True)
    return {
        key: value
        for key, value in dumped.items()
        if value != [] and not (isinstance(value, list) and isinstance(value[0], dict))
    }


def entity_row(workspace: str, kind: EntityKind, record: Entity) -> dict[str, Any]:
    """``{id, props}`` for ``upsert_entities``."""
    record = _as_stored(kind, record)
    try:
        search = "\x1f".join(
            value for field in SEARCH_FIELDS[kind] if (value := getattr(record, field)) is not None
        )
        props = _properties(record)
        props.update(
            workspace=workspace,
            search=search.casefold(),
            data=record.model_dump_json(by_alias=True, exclude_none=True),
        )
    except (PydanticSerializationError, TypeError, AttributeError) as exc:
        raise InvalidInput(f"{kind} record {record.id!r} cannot be stored: {exc}") from exc
    return {"id": record.id, "props": props}


def link_rows(kind: EntityKind, records: Sequence[Entity]) -> Iterator[tuple[str, str, list[Any]]]:
    """(relationship type, target label, ``{id, targets}`` rows) for ``link_entities``."""
    for rel, target, targets_of in STRUCTURE[kind]:
        rows = [{"id": r.id, "targets": list(targets_of(r))} for r in records]
        yield rel, target, rows


def present(records: Iterable[Any]) -> Iterator[str]:
    """The ``data`` of each record read, leaving out a node or relationship deleted while
    the read ran: under Neo4j's read-committed isolation a match made before another
    transaction's delete committed can read that element's properties as null (seen by the
    soak bench as a powerMap failing on a person deleted meanwhile). Absent is what a read
    a moment later would have found."""
    for record in records:
        data = record["data"]
        if data is not None:
            yield data


def entity_from(kind: EntityKind, data: str) -> Entity:
    """The record stored as ``data``."""
    return ENTITY_MODELS[kind].model_validate_json(data)


def relationship_row(workspace: str, relationship: Relationship) -> dict[str, Any]:
    """``{from, to, props}`` keyed like the relationship (KNOWS by its sorted pair)."""
    if not isinstance(relationship, Relationship):
        raise InvalidInput(f"not a relationship: {relationship!r}")
    _, from_id, to_id = relationship.key
    props = _properties(relationship)
    for endpoint in ("type", "from", "to"):
        props.pop(endpoint, None)
    props.update(
        workspace=workspace, data=relationship.model_dump_json(by_alias=True, exclude_none=True)
    )
    return {"from": from_id, "to": to_id, "props": props}


def relationship_row_from(data: str) -> RelationshipRow:
    """The ``RelationshipRow`` of a stored relationship's ``data`` (JSON this store wrote
    after validation, so it is read without building a pydantic record)."""
    fields = orjson.loads(data)
    type_ = RelationshipType(fields["type"])
    a, b = fields["from"], fields["to"]
    if type_ is RelationshipType.KNOWS and b < a:  # the key's sorted pair
        a, b = b, a
    contact = fields.get("lastContactOn")
    return RelationshipRow(
        type_,
        a,
        b,
        fields.get("strength"),
        bool(fields.get("dotted", False)),
        None if contact is None else date.fromisoformat(contact),
    )


def person_row_from(data: str) -> PersonRow:
    """The ``PersonRow`` of a stored person's ``data`` (JSON this store wrote after
    validation, so it is read without building a pydantic record)."""
    fields = orjson.loads(data)
    seniority = fields.get("seniority")
    return PersonRow(
        fields["id"],
        fields["name"],
        fields["organizationId"],
        fields.get("title"),
        fields.get("departmentId"),
        None if seniority is None else Seniority(seniority),
        Stance(fields.get("stance", Stance.UNKNOWN)),
    )


def relationship_key_row(key: RelationshipKey) -> dict[str, str]:
    """``{from, to}`` of a key, normalised by the domain's ``relationship_key``.

    A KNOWS key may arrive in either order, and its type as the enum or as its plain name.
    """
    _, from_id, to_id = relationship_key(RelationshipType(key[0]), key[1], key[2])
    return {"from": from_id, "to": to_id}


def decision_right_row(workspace: str, right: DecisionRight) -> dict[str, Any]:
    """The key fields (for ``MERGE``) and ``props`` of a decision right node."""
    if not isinstance(right, DecisionRight):
        raise InvalidInput(f"not a decision right: {right!r}")
    row = decision_right_key_row(right.key)
    props = _properties(right)
    props.update(
        row, workspace=workspace, data=right.model_dump_json(by_alias=True, exclude_none=True)
    )
    return {**row, "props": props}


def decision_right_key_row(key: DecisionRightKey | tuple[str, str, str, str]) -> dict[str, str]:
    """``{personId, scopeId, areaKey, role}``; the area is casefolded as in the key."""
    person_id, scope_id, area, role = key
    return {
        "personId": person_id,
        "scopeId": scope_id,
        "areaKey": area.casefold(),
        "role": str(role),
    }


def token_props(token: ApiToken) -> dict[str, Any]:
    """Properties of an ``:ApiToken`` node; ``data`` is the whole token for exact reads."""
    return {
        "id": token.id,
        "workspace": token.workspace,
        "role": str(token.role),
        "secretHash": token.secret_hash,
        "label": token.label,
        "createdTs": token.created_at.timestamp(),
        "revokedTs": token.revoked_at.timestamp() if token.revoked_at else None,
        "data": token.model_dump_json(),
    }


def filters(kind: EntityKind, where: Mapping[str, Sequence[FilterValue]]) -> list[dict[str, Any]]:
    """``where`` as data for ``find_entities``: ``[{key, values, matchNull, many}]``.

    Checked by ``field_filters`` (the same refusals as SQLite). OR within a field, AND across
    fields; ``departmentIds`` matches any of a system's departments (``None``: used by none).
    An empty list of values matches nothing, as in SQLite.
    """
    return [
        {
            "key": f.field,
            "values": f.values,
            "matchNull": f.match_null,
            "many": kind is EntityKind.SYSTEM and f.field == "departmentIds",
        }
        for f in field_filters(kind, where)
    ]

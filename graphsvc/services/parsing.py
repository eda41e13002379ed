"""From raw JSON (or an already decoded mapping) to a ``GraphDocument``, or precise issues.

Every syntax error and every record-level error (unknown field, wrong enum value, out of
range) becomes an ``Issue`` naming its path (``people[3].seniority``), the record (its id;
``KNOWS ae-1→p-itdir`` for a relationship; ``p-cio/kaito/IT/ECONOMIC_BUYER`` for a decision
right) and what is wrong in words a user can act on. Cross-record rules are not checked
here but in ``domain.validation``.

JSON is decoded with orjson, the fastest decoder available, because documents reach a
million people.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

import orjson
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from graphsvc.domain.enums import EntityKind
from graphsvc.domain.labels import raw_label
from graphsvc.domain.models import (
    Department,
    Entity,
    GraphDocument,
    InstalledSystem,
    Opportunity,
    Organization,
    PersonEntry,
)
from graphsvc.errors import InvalidDocument, Issue

__all__ = ["decode_json", "parse_document", "parse_record"]

M = TypeVar("M", bound=BaseModel)

ENTRY_MODELS: dict[EntityKind, type[Entity]] = {
    EntityKind.ORGANIZATION: Organization,
    EntityKind.DEPARTMENT: Department,
    EntityKind.PERSON: PersonEntry,
    EntityKind.SYSTEM: InstalledSystem,
    EntityKind.OPPORTUNITY: Opportunity,
}
"""The model a record of each kind is written as (people may carry ``reportsToId``)."""

_UNIT_INTERVAL = frozenset({"strength", "ownership"})
"""Fields typed (0, 1]: one message for both bounds reads better than pydantic's two."""


def decode_json(raw: bytes | str) -> Any:
    """Decode JSON text; a syntax error becomes ``InvalidDocument`` saying where it is."""
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise InvalidDocument([Issue("", "", f"not valid JSON: {exc}")]) from None


def parse_document(raw: bytes | str | Mapping[str, Any]) -> GraphDocument:
    """The ``GraphDocument`` in ``raw`` (JSON text or decoded), or ``InvalidDocument``.

    Raises ``InvalidDocument`` with one issue per problem found, in document order.
    """
    data = decode_json(raw) if isinstance(raw, bytes | str) else raw
    if not isinstance(data, Mapping):
        kind = "a list" if isinstance(data, list) else type(data).__name__
        raise InvalidDocument([Issue("", "", f"a graph document is a JSON object, not {kind}")])
    return _validate(GraphDocument, data, prefix="")


def parse_record(kind: EntityKind, data: Mapping[str, Any]) -> Entity:
    """One record of ``kind`` from camelCase ``data`` (people may carry ``reportsToId``).

    Issue paths are the field names themselves (``seniority``), as for a single write.
    """
    if not isinstance(data, Mapping):
        raise InvalidDocument([Issue("", "", f"a {kind.value} record is an object")])
    record = _validate(ENTRY_MODELS[kind], data, prefix="", list_name=kind.value)
    assert isinstance(record, ENTRY_MODELS[kind])
    return record


def _validate(
    model: type[M], data: Mapping[str, Any], prefix: str, list_name: str | None = None
) -> M:
    try:
        # by_name=False: only the camelCase names of the contract are fields; a snake_case
        # key is an unknown field, as the document format says.
        return model.model_validate(data, by_alias=True, by_name=False)
    except ValidationError as exc:
        raise InvalidDocument(
            [_issue(error, data, prefix, list_name) for error in exc.errors()]
        ) from None


def _issue(
    error: ErrorDetails, data: Mapping[str, Any], prefix: str, list_name: str | None
) -> Issue:
    loc = error["loc"]
    return Issue(_path(prefix, loc), _record(data, loc, list_name), _message(error))


def _path(prefix: str, loc: Sequence[int | str]) -> str:
    path = prefix
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else part
    return path


def _record(data: Mapping[str, Any], loc: Sequence[int | str], list_name: str | None) -> str:
    """The label of the record the error is in, read from the raw data."""
    if list_name is not None:
        return raw_label(list_name, data)
    if len(loc) >= 2 and isinstance(loc[0], str) and isinstance(loc[1], int):
        records = data.get(loc[0])
        if isinstance(records, list) and 0 <= loc[1] < len(records):
            return raw_label(loc[0], records[loc[1]])
    return ""


def _field(loc: Sequence[int | str]) -> str:
    names = [part for part in loc if isinstance(part, str)]
    return names[-1] if names else "value"


def _choices(expected: Any) -> str:
    """pydantic's ``'A', 'B' or 'C'`` as ``A, B, C``."""
    return str(expected).replace("'", "").replace(" or ", ", ")


def _message(error: ErrorDetails) -> str:
    field = _field(error["loc"])
    kind = error["type"]
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    if kind == "extra_forbidden":
        return f"unknown field {field!r}"
    if kind == "missing":
        return f"{field} is required"
    if kind == "enum":
        return f"{field} must be one of {_choices(ctx.get('expected'))}"
    if kind == "literal_error":
        return f"{field} must be {_choices(ctx.get('expected'))}"
    if field in _UNIT_INTERVAL and kind in {"greater_than", "less_than_equal"}:
        return f"{field} must be in (0, 1]"
    simple = {
        "greater_than": f"{field} must be greater than {ctx.get('gt')}",
        "greater_than_equal": f"{field} must be at least {ctx.get('ge')}",
        "less_than_equal": f"{field} must be at most {ctx.get('le')}",
        "string_too_short": f"{field} must not be empty",
        "string_too_long": f"{field} must be at most {ctx.get('max_length')} characters",
        "string_type": f"{field} must be a string",
        "bool_type": f"{field} must be true or false",
        "bool_parsing": f"{field} must be true or false",
        "int_type": f"{field} must be an integer",
        "int_parsing": f"{field} must be an integer",
        "int_from_float": f"{field} must be an integer",
        "float_type": f"{field} must be a number",
        "float_parsing": f"{field} must be a number",
        "finite_number": f"{field} must be a finite number",
        "list_type": f"{field} must be a list",
        "tuple_type": f"{field} must be a list",
        "model_type": f"{field} must be an object",
        "model_attributes_type": f"{field} must be an object",
        "dict_type": f"{field} must be an object",
    }
    if kind in simple:
        return simple[kind]
    if kind.startswith("date"):
        return f"{field} must be a date written YYYY-MM-DD"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    return f"{field}: {error['msg']}"

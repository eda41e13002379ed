"""A valid graph document's JSON text read straight into records, for large imports.

``read_valid_json`` uses pydantic's own JSON reader: no decoded copy of the document (orjson's
objects: 1.4 GB at a million people, and its parse tree besides) is held beside the records.
It answers only for a document that is valid record by record; for any other it answers
None and the caller reads the text with ``services.parsing.read_document`` as always, so
every issue a user is told, and every record of a valid document, are what they were.
"""

from __future__ import annotations

import math
from typing import Any

from pydantic import ValidationError as PydanticValidationError

from graphsvc.domain.compact import share_values
from graphsvc.domain.models import DOCUMENT_LISTS, GraphDocument
from graphsvc.services.parsing import ParsedDocument

__all__ = ["read_valid_json"]

_FIELDS = {"decisionRights": "decision_rights"}
"""The ``GraphDocument`` attribute of a list whose wire name differs."""

_REPEATED: dict[str, tuple[str, ...]] = {
    "people": ("id", "reports_to_id", "title"),
    "relationships": ("from_id", "to_id"),
}
"""The fields whose values a document repeats in new strings, per list (``domain.compact.
share_values``): people's ids come before the relationships and ``reportsToId`` lines that
name them, and a title is a new string per person (trimmed). Short strings read from the
same JSON text are made once already (pydantic's string cache: organization and department
ids)."""

_SECOND_PART = b'"relationships"'
"""Where ``read_valid_json`` cuts a document in two: the key of its largest list after people."""

_INT64 = range(-(2**63), 2**63)
"""Integers both readers read alike (orjson reads integers beyond 64 bits as floats; the
signed range leaves a margin on the safe side: outside it the text is read as always)."""


def read_valid_json(raw: bytes) -> ParsedDocument | None:
    """The document in JSON text ``raw`` when it is valid record by record; else None.

    Read by pydantic's JSON reader straight into records (about the CPU of decoding with
    orjson and validating the decoded objects, once equal strings are shared, but no decoded
    document held: orjson's held 1.4 GB at a million people, its parse tree 0.9 GB more), in
    two parts when the text has a top-level ``relationships`` list after the people
    (``_cut``): that reader holds a parse tree of all it reads, 3x the text, until it is
    done. Equal ids and titles become one string. None when anything is wrong (bad JSON, a
    record refused, no ``format``) or when the text holds what orjson reads otherwise
    (``Infinity``, ``NaN``, integers beyond 64 bits): the caller then reads it with
    ``read_document``, whose issues and records are then exactly those it always gave.
    """
    cut = _cut(raw)
    try:
        if cut is None:
            parts = [_json_part(raw)]
        else:  # each part's copy of the text is made when read and dropped after
            text = memoryview(raw)
            parts = [
                _json_part(b"".join((text[:cut], b"}"))),
                _json_part(b"".join((b"{", text[cut + 1 :]))),
            ]
    except PydanticValidationError:
        return None
    given: dict[str, Any] = {}
    for part in parts:
        for name in part.model_fields_set:
            if name in given:  # a key given twice: the whole text says which one counts
                return None
            given[name] = getattr(part, name)
    document = GraphDocument.model_construct(**given)
    if "format" not in given or not _read_alike(document):
        return None
    kept: dict[str, str] = {}
    for name, fields in _REPEATED.items():
        share_values(_records(document, name), fields, kept)
    positions = {name: range(len(_records(document, name))) for name in DOCUMENT_LISTS}
    return ParsedDocument(document, [], positions)


def _json_part(text: bytes) -> GraphDocument:
    return GraphDocument.model_validate_json(text, by_alias=True, by_name=False)


def _cut(raw: bytes) -> int | None:
    """Where to cut ``raw`` into two JSON objects whose members are ``raw``'s: the comma
    before the first ``"relationships"`` key that follows a comma, or None.

    The bytes ``,"relationships"`` (spaces aside) cannot lie inside a JSON string (the quote
    would end it), so the cut is between two members of some object; both parts are JSON
    objects only when that object is the document itself (a cut inside a record leaves its
    brackets open), and then the text is one JSON object exactly when both parts are. A
    cut anywhere else fails to parse: ``read_valid_json`` returns None, and the text is read
    as always.
    """
    at = raw.find(_SECOND_PART)
    while at > 0:
        comma = at - 1
        while comma > 0 and raw[comma] in b" \t\r\n":
            comma -= 1
        if raw[comma] == ord(","):
            return comma
        at = raw.find(_SECOND_PART, at + 1)
    return None


def _records(document: GraphDocument, name: str) -> list[Any]:
    records: list[Any] = getattr(document, _FIELDS.get(name, name))
    return records


def _read_alike(document: GraphDocument) -> bool:
    """Whether orjson reads the numbers of ``document`` as pydantic's JSON reader did.

    pydantic reads ``Infinity``, ``NaN`` and overflowing floats (``1e400``) as floats and
    integers of any size as integers; orjson refuses the former and reads integers beyond
    64 bits as floats. Only fields without an upper bound can hold them in a valid record;
    people and relationships have none, so this looks at the few records of other lists.
    """
    amounts = [
        *(o.revenue for o in document.organizations),
        *(s.annual_value for s in document.systems),
        *(o.amount for o in document.opportunities),
        *(r.budget_limit for r in document.decision_rights),
    ]
    counts = [
        *(o.employees for o in document.organizations),
        *(d.headcount for d in document.departments),
    ]
    return all(a is None or math.isfinite(a) for a in amounts) and all(
        c is None or c in _INT64 for c in counts
    )

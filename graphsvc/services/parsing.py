"""From raw JSON (or an already decoded mapping) to a ``GraphDocument``, or precise issues.

Every syntax error and every record-level error (unknown field, wrong enum value, out of
range, a blank id) becomes an ``Issue`` naming its path (``people[3].seniority``), the record
(its id; ``KNOWS ae-1→p-itdir`` for a relationship; ``p-cio/kaito/IT/ECONOMIC_BUYER`` for a
decision right) and what is wrong in words a user can act on (``services.wording``).

A document is read record by record (``read_document``): a record that breaks a rule of its
own is left out and its issues kept, so that the rules spanning records
(``domain.validation``, run by the write path against the store) still see every record
that did parse, and an import reports *every* problem of the document at once
(``ParsedDocument.issues_with``).

JSON is decoded with orjson, the fastest decoder available, because documents reach a
million people. A command-line import first reads the JSON text straight into records
(``services.json_document.read_valid_json``); when that finds anything wrong, the text is
decoded and read here, so what a user is told is the same.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import orjson
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from graphsvc.domain.enums import EntityKind
from graphsvc.domain.labels import raw_label
from graphsvc.domain.models import (
    DOCUMENT_LISTS,
    FORMAT,
    DecisionRight,
    Department,
    Entity,
    GraphDocument,
    InstalledSystem,
    Opportunity,
    Organization,
    PersonEntry,
    PipelineStage,
    Relationship,
)
from graphsvc.errors import InvalidDocument, Issue
from graphsvc.services.wording import message

__all__ = [
    "ParsedDocument",
    "decode_json",
    "issues_of",
    "parse_document",
    "parse_keyed",
    "parse_record",
    "read_document",
]

M = TypeVar("M", bound=BaseModel)

ENTRY_MODELS: dict[EntityKind, type[Entity]] = {
    EntityKind.ORGANIZATION: Organization,
    EntityKind.DEPARTMENT: Department,
    EntityKind.PERSON: PersonEntry,
    EntityKind.SYSTEM: InstalledSystem,
    EntityKind.OPPORTUNITY: Opportunity,
}
"""The model a record of each kind is written as (people may carry ``reportsToId``)."""

LIST_MODELS: dict[str, type[BaseModel]] = {
    "organizations": Organization,
    "departments": Department,
    "people": PersonEntry,
    "systems": InstalledSystem,
    "relationships": Relationship,
    "decisionRights": DecisionRight,
    "opportunities": Opportunity,
}
"""The model of the records of each list of a document, by the list's wire name."""

PIPELINE_STAGES = "pipelineStages"
"""The document's optional stage model (CONTRACT §7): a list, but of no records."""

_FIELDS = {"decisionRights": "decision_rights"}
"""The ``GraphDocument`` attribute of a list whose wire name differs."""

_RECORD_PATH = re.compile(r"\b(" + "|".join(DOCUMENT_LISTS) + r")\[(\d+)\]")
"""``people[3]`` in an issue's path or message: a position in a document list."""


def decode_json(raw: bytes | str) -> Any:
    """Decode JSON text; a syntax error becomes ``InvalidDocument`` saying where it is."""
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise InvalidDocument([Issue("", "", f"not valid JSON: {exc}")]) from None


@dataclass(frozen=True)
class ParsedDocument:
    """A document read record by record: the records that parsed, and the issues of the rest.

    ``document`` holds the records that parsed, in document order; ``positions`` maps each
    list's records back to their index in the document as written, so that issues found on
    ``document`` name the right record; ``unparsed_ids`` are the ids of records that did not
    parse, which the cross-record rules do not report again as missing.
    """

    document: GraphDocument
    issues: list[Issue] = field(default_factory=list)
    positions: Mapping[str, Sequence[int]] = field(default_factory=dict)
    unparsed_ids: frozenset[str] = frozenset()

    def issues_with(self, found: Iterable[Issue]) -> list[Issue]:
        """These parse issues and ``found`` (issues on ``document``), in document order."""
        renumbered = [self._renumbered(issue) for issue in found]
        return sorted([*self.issues, *renumbered], key=_document_order)

    def _renumbered(self, issue: Issue) -> Issue:
        def original(match: re.Match[str]) -> str:
            positions = self.positions.get(match[1])
            index = int(match[2])
            if positions is None or index >= len(positions):
                return match[0]
            return f"{match[1]}[{positions[index]}]"

        return Issue(
            _RECORD_PATH.sub(original, issue.path),
            issue.record,
            _RECORD_PATH.sub(original, issue.message),
        )

    def strict(self) -> GraphDocument:
        """The document, or ``InvalidDocument`` with every parse issue."""
        if self.issues:
            raise InvalidDocument(self.issues)
        return self.document


def _document_order(issue: Issue) -> tuple[int, int]:
    """Top-level issues first, then by list (as in CONTRACT §3) and record position."""
    match = _RECORD_PATH.match(issue.path)
    if match is None:
        return (-1, 0)
    return (DOCUMENT_LISTS.index(match[1]), int(match[2]))


def read_document(raw: bytes | str | Mapping[str, Any]) -> ParsedDocument:
    """Read a graph document (JSON text or decoded) record by record.

    Raises ``InvalidDocument`` only when there is no document to speak of (bad JSON, not an
    object); everything else wrong is in the result's ``issues``. ``format`` is required.
    """
    data = decode_json(raw) if isinstance(raw, bytes | str) else raw
    if not isinstance(data, Mapping):
        kind = "a list" if isinstance(data, list) else type(data).__name__
        raise InvalidDocument([Issue("", "", f"a graph document is a JSON object, not {kind}")])
    issues = _top_level_issues(data)
    try:
        # The common case, a valid document, in one pass (record by record costs ~70 % more).
        whole = GraphDocument.model_validate(data, by_alias=True, by_name=False)
    except PydanticValidationError:
        return _read_records(data, issues)
    # Ranges, not lists: a list of a million positions took 40 MB.
    positions = {name: range(len(data.get(name, []))) for name in DOCUMENT_LISTS}
    return ParsedDocument(whole, issues, positions)


def _read_records(data: Mapping[str, Any], issues: list[Issue]) -> ParsedDocument:
    """Each record validated on its own: those that parse, and the issues of the others."""
    lists: dict[str, list[Any]] = {}
    positions: dict[str, list[int]] = {}
    unparsed: set[str] = set()
    for name in DOCUMENT_LISTS:
        raw_records = data.get(name, [])
        lists[_FIELDS.get(name, name)] = []
        positions[name] = []
        if not isinstance(raw_records, list):
            issues.append(Issue(name, "", f"{name} must be a list"))
            continue
        for index, raw_record in enumerate(raw_records):
            try:
                record = _validate(LIST_MODELS[name], raw_record, f"{name}[{index}]", name)
            except InvalidDocument as refused:
                issues.extend(refused.issues)
                if isinstance(raw_record, Mapping) and isinstance(raw_record.get("id"), str):
                    unparsed.add(raw_record["id"])
                continue
            lists[_FIELDS.get(name, name)].append(record)
            positions[name].append(index)
    document = GraphDocument(**lists, pipeline_stages=_read_stages(data, issues))
    return ParsedDocument(document, issues, positions, frozenset(unparsed))


def _read_stages(data: Mapping[str, Any], issues: list[Issue]) -> list[PipelineStage] | None:
    """The document's ``pipelineStages`` (None when absent or when none of them parse)."""
    raw = data.get(PIPELINE_STAGES)
    if raw is None:
        return None
    if not isinstance(raw, list):
        issues.append(Issue(PIPELINE_STAGES, "", f"{PIPELINE_STAGES} must be a list"))
        return None
    stages: list[PipelineStage] = []
    for index, raw_stage in enumerate(raw):
        try:
            stages.append(_validate(PipelineStage, raw_stage, f"{PIPELINE_STAGES}[{index}]", ""))
        except InvalidDocument as refused:
            issues.extend(refused.issues)
    return stages if stages or not raw else None


def _top_level_issues(data: Mapping[str, Any]) -> list[Issue]:
    """Issues of the document object itself: ``format`` and unknown keys."""
    issues: list[Issue] = []
    if "format" not in data:
        issues.append(Issue("format", "", f'format is required: write "format": "{FORMAT}"'))
    elif data["format"] != FORMAT:
        shown = orjson.dumps(data["format"]).decode()[:60]
        issues.append(Issue("format", "", f'format must be "{FORMAT}", not {shown}'))
    for key in data:
        if key not in ("format", PIPELINE_STAGES) and key not in LIST_MODELS:
            issues.append(Issue(str(key), "", f"unknown field {str(key)!r}"))
    return issues


def parse_document(raw: bytes | str | Mapping[str, Any]) -> GraphDocument:
    """The ``GraphDocument`` in ``raw`` (JSON text or decoded), or ``InvalidDocument``.

    Raises ``InvalidDocument`` with one issue per record-level problem, in document order
    (the cross-record rules are the write path's).
    """
    return read_document(raw).strict()


def parse_record(kind: EntityKind, data: Mapping[str, Any]) -> Entity:
    """One record of ``kind`` from camelCase ``data`` (people may carry ``reportsToId``).

    Issue paths are the field names themselves (``seniority``), as for a single write.
    """
    record = _validate(ENTRY_MODELS[kind], data, "", kind.value)
    assert isinstance(record, ENTRY_MODELS[kind])
    return record


def parse_keyed(model: type[M], data: Mapping[str, Any]) -> M:
    """One relationship or decision right from camelCase ``data``, with field paths."""
    list_name = "relationships" if model is Relationship else "decisionRights"
    return _validate(model, data, "", list_name)


def _validate(model: type[M], data: Any, prefix: str, list_name: str) -> M:
    noun = "record" if list_name not in LIST_MODELS else list_name
    if not isinstance(data, Mapping):
        raise InvalidDocument([Issue(prefix, "", f"each of {noun} must be a JSON object")])
    try:
        # by_name=False: only the camelCase names of the contract are fields; a snake_case
        # key is an unknown field, as the document format says.
        return model.model_validate(data, by_alias=True, by_name=False)
    except PydanticValidationError as exc:
        raise issues_of(exc, prefix, raw_label(list_name, data)) from None


def issues_of(exc: PydanticValidationError, prefix: str, record: str) -> InvalidDocument:
    """pydantic's verdict on one record as ``InvalidDocument``, paths under ``prefix``."""
    return InvalidDocument(
        [Issue(_path(prefix, error["loc"]), record, message(error)) for error in exc.errors()]
    )


def _path(prefix: str, loc: Sequence[int | str]) -> str:
    path = prefix
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else part
    return path

"""A workspace as a graph document (CONTRACT §3), as a dict or streamed as text.

The text format is deterministic, so that exports can be diffed and compared: the lists in
the order of CONTRACT §3, records in id (or key) order, one record per line, camelCase,
nulls omitted, non-ASCII text as is (``ensure_ascii=False``). ``write_document`` streams it
batch by batch, so a million-person workspace is never held in memory;
``export_document`` builds the same content as a dict, and ``format_document`` renders such
a dict in exactly the text ``write_document`` writes.

A person with exactly one solid REPORTS_TO line that carries no strength and no last contact
is exported with ``reportsToId`` (and the line is not repeated under ``relationships``);
every other line is under ``relationships``. Importing an export into an empty workspace
therefore stores the same lines, and exporting that workspace gives the same text. A
workspace with a stage model of its own ends with it (``pipelineStages``, CONTRACT §7); one
using the default model has no such key.

An export reads the store in many batches, not in one transaction (a million-person
workspace must not pin one read snapshot for minutes), so a write landing in the middle
would make it mix two states. Exports therefore compare the workspace version before and
after: ``export_document`` tries again, ``write_document`` (which has already written) raises
``Conflict`` so that the caller knows the text is not a consistent snapshot.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from io import StringIO
from typing import Any, TextIO

import orjson

from graphsvc.domain.enums import EntityKind, RelationshipType
from graphsvc.domain.listing import ListQuery
from graphsvc.domain.models import DOCUMENT_LISTS, FORMAT, Relationship
from graphsvc.errors import Conflict
from graphsvc.services.parsing import PIPELINE_STAGES
from graphsvc.store.base import GraphStore

__all__ = [
    "LISTS",
    "ExportInterleaved",
    "document_lists",
    "export_document",
    "format_document",
    "own_stages",
    "unchanged_since",
    "write_document",
]

LISTS = DOCUMENT_LISTS
"""The document's lists, in the order of CONTRACT §3 (and of every export)."""

Progress = Callable[[str, int, int], None]
Chunks = AsyncIterator[tuple[str, list[dict[str, Any]]]]

EXPORT_ATTEMPTS = 3
"""How often ``export_document`` reads the workspace again when a write interleaved."""


class ExportInterleaved(Conflict):
    """The workspace changed while it was being exported; the export mixes two states."""

    def __init__(self, workspace: str, before: int, after: int) -> None:
        super().__init__(
            f"workspace {workspace!r} changed during the export (version {before} → {after}), "
            "so the output mixes two states: export again when writes have paused"
        )


async def unchanged_since(store: GraphStore, workspace: str, before: int) -> None:
    """Raise ``ExportInterleaved`` when the workspace version moved since ``before``."""
    after = await store.version(workspace)
    if after != before:
        raise ExportInterleaved(workspace, before, after)


def _is_plain_solid(line: Relationship) -> bool:
    """A solid line with nothing but its ends: expressible as ``reportsToId``."""
    return (
        line.type is RelationshipType.REPORTS_TO
        and not line.dotted
        and line.strength is None
        and line.last_contact_on is None
    )


def _folded_manager(lines: Sequence[Relationship]) -> str | None:
    """The manager to export as ``reportsToId`` given a person's REPORTS_TO lines, if any."""
    solid = [line for line in lines if not line.dotted]
    if len(solid) == 1 and _is_plain_solid(solid[0]):
        return solid[0].to_id
    return None


async def _people(store: GraphStore, workspace: str) -> Chunks:
    async for batch in store.stream(workspace, EntityKind.PERSON):
        ids = [p.id for p in batch]
        members = set(ids)
        lines: dict[str, list[Relationship]] = {}
        for line in await store.relationships(workspace, ids, [RelationshipType.REPORTS_TO]):
            if line.from_id in members:
                lines.setdefault(line.from_id, []).append(line)
        out = []
        for p in batch:
            record = p.to_document()
            manager = _folded_manager(lines.get(p.id, ()))
            if manager is not None:
                record["reportsToId"] = manager
            out.append(record)
        yield "people", out


async def _relationships(store: GraphStore, workspace: str) -> Chunks:
    """Every relationship not folded into a ``reportsToId``, in key order.

    REPORTS_TO lines come grouped by their ``from`` person in key order, so a person's lines
    are judged together while only that group is buffered.
    """
    group: list[Relationship] = []

    def flush() -> list[dict[str, Any]]:
        folded = _folded_manager(group)
        kept = [
            line.to_document()
            for line in group
            if folded is None or line.dotted or line.to_id != folded
        ]
        group.clear()
        return kept

    async for batch in store.stream_relationships(workspace):
        out: list[dict[str, Any]] = []
        for line in batch:
            if group and (
                line.type is not RelationshipType.REPORTS_TO or line.from_id != group[0].from_id
            ):
                out.extend(flush())
            if line.type is RelationshipType.REPORTS_TO:
                group.append(line)
            else:
                out.append(line.to_document())
        yield "relationships", out
    yield "relationships", flush()


async def document_lists(store: GraphStore, workspace: str, progress: Progress | None) -> Chunks:
    """The document's records list by list (``LISTS`` order), batch by batch.

    Progress is reported per list as ``(list name, records so far, total)``; the total is 0
    for relationships and decision rights, whose count is not known in advance.
    """
    sources: dict[str, Callable[[], Chunks]] = {
        "organizations": lambda: _entities(store, workspace, EntityKind.ORGANIZATION),
        "departments": lambda: _entities(store, workspace, EntityKind.DEPARTMENT),
        "people": lambda: _people(store, workspace),
        "systems": lambda: _entities(store, workspace, EntityKind.SYSTEM),
        "relationships": lambda: _relationships(store, workspace),
        "decisionRights": lambda: _decision_rights(store, workspace),
        "opportunities": lambda: _entities(store, workspace, EntityKind.OPPORTUNITY),
    }
    for name in LISTS:
        total = 0
        if name not in ("relationships", "decisionRights"):
            total = await store.count(workspace, EntityKind(name), ListQuery())
        done = 0
        if progress is not None:
            progress(name, done, total)
        yielded = False
        async for list_name, records in sources[name]():
            done += len(records)
            if progress is not None:
                progress(name, done, total)
            yielded = True
            yield list_name, records
        if not yielded:
            # Every list appears, even empty, so that writers open and close each one.
            yield name, []


async def _entities(store: GraphStore, workspace: str, kind: EntityKind) -> Chunks:
    async for batch in store.stream(workspace, kind):
        yield kind.value, [record.to_document() for record in batch]


async def _decision_rights(store: GraphStore, workspace: str) -> Chunks:
    async for batch in store.stream_decision_rights(workspace):
        yield "decisionRights", [right.to_document() for right in batch]


async def export_document(
    store: GraphStore, workspace: str, progress: Progress | None = None
) -> dict[str, Any]:
    """The whole workspace as a graph document dict (for small workspaces and the API).

    Reads again when a write interleaved, up to ``EXPORT_ATTEMPTS`` times, then raises
    ``ExportInterleaved``: the dict returned is always one version of the workspace.
    """
    for attempt in range(EXPORT_ATTEMPTS):
        before = await store.version(workspace)
        doc: dict[str, Any] = {"format": FORMAT, **{name: [] for name in LISTS}}
        async for name, records in document_lists(store, workspace, progress):
            doc[name].extend(records)
        stages = await own_stages(store, workspace)
        if stages is not None:
            doc[PIPELINE_STAGES] = stages
        try:
            await unchanged_since(store, workspace, before)
        except ExportInterleaved:
            if attempt == EXPORT_ATTEMPTS - 1:
                raise
            continue
        return doc
    raise AssertionError("unreachable: the last attempt returns or raises")


class _Writer:
    """The one text layout of a graph document, written piece by piece."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.first_list = True
        self.first_record = True

    def begin(self) -> None:
        self.out.write('{\n  "format": ' + _dumps(FORMAT))

    def start_list(self, name: str) -> None:
        self.out.write(",\n  " + _dumps(name) + ": [")
        self.first_record = True

    def records(self, records: Sequence[Mapping[str, Any]]) -> None:
        for record in records:
            self.out.write("\n    " if self.first_record else ",\n    ")
            self.out.write(_dumps(record))
            self.first_record = False

    def end_list(self) -> None:
        self.out.write("]" if self.first_record else "\n  ]")

    def end(self) -> None:
        self.out.write("\n}\n")


def _dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


async def write_document(
    store: GraphStore, workspace: str, out: TextIO, progress: Progress | None = None
) -> None:
    """Write the workspace to ``out`` as graph document text, streaming batch by batch.

    Raises ``ExportInterleaved`` (after writing) when a write landed during the export.
    """
    before = await store.version(workspace)
    writer = _Writer(out)
    writer.begin()
    current: str | None = None
    async for name, records in document_lists(store, workspace, progress):
        if name != current:
            if current is not None:
                writer.end_list()
            writer.start_list(name)
            current = name
        writer.records(records)
    writer.end_list()
    stages = await own_stages(store, workspace)
    if stages is not None:
        writer.start_list(PIPELINE_STAGES)
        writer.records(stages)
        writer.end_list()
    writer.end()
    await unchanged_since(store, workspace, before)


def format_document(doc: Mapping[str, Any]) -> str:
    """``doc`` (as from ``export_document``) in the exact text ``write_document`` writes."""
    buffer = StringIO()
    writer = _Writer(buffer)
    writer.begin()
    for name in LISTS:
        writer.start_list(name)
        writer.records(doc.get(name, ()))
        writer.end_list()
    if doc.get(PIPELINE_STAGES) is not None:
        writer.start_list(PIPELINE_STAGES)
        writer.records(doc[PIPELINE_STAGES])
        writer.end_list()
    writer.end()
    return buffer.getvalue()


async def own_stages(store: GraphStore, workspace: str) -> list[dict[str, Any]] | None:
    """The workspace's own stage model as document entries; None when it uses the default."""
    stages = await store.pipeline_stages(workspace)
    return None if stages is None else [stage.to_document() for stage in stages]

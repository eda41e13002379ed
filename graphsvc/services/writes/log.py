"""The change log entries of a write: what each record was before and is after it.

A plan knows the stored version of everything its change set touches (it read them to
validate and diff), and keeps them as its ``Before``. When the committer applies the plan,
``change_log`` turns the change set and that ``Before`` into one ``Change`` per record
created, updated or deleted, with the write's actor and time; the store stamps the version
in the same transaction (CONTRACT §6).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, overload

from graphsvc.domain.changes import ChangeSet
from graphsvc.domain.enums import EntityKind
from graphsvc.domain.history import (
    ENTITY_CHANGE_KIND,
    Change,
    ChangeKind,
    LogItem,
    Operation,
    changed_fields,
)
from graphsvc.domain.models import (
    DecisionRight,
    DecisionRightKey,
    Entity,
    Relationship,
    RelationshipKey,
)
from graphsvc.domain.pipeline import DEFAULT_STAGES, PipelineStage

__all__ = [
    "PIPELINE_STAGES_KEY",
    "Before",
    "ChangeLog",
    "change_log",
    "decision_right_log_key",
    "relationship_log_key",
]

PIPELINE_STAGES_KEY = "pipelineStages"
"""The key of the stage model's changes (there is one model per workspace)."""


@dataclass
class Before:
    """The stored versions of the records a change set touches (absent: it creates them)."""

    records: Mapping[EntityKind, Mapping[str, Entity]] = field(default_factory=dict)
    relationships: Mapping[RelationshipKey, Relationship] = field(default_factory=dict)
    decision_rights: Mapping[DecisionRightKey, DecisionRight] = field(default_factory=dict)
    pipeline_stages: Sequence[PipelineStage] | None = None
    """The workspace's own stage model before the write (None: the default was in use)."""


def relationship_log_key(key: RelationshipKey) -> str:
    """``TYPE:from:to``, a KNOWS pair sorted (as its key already is)."""
    type_, from_id, to_id = key
    return f"{type_}:{from_id}:{to_id}"  # a StrEnum formats as its value


def decision_right_log_key(key: DecisionRightKey) -> str:
    """``personId:scopeId:area:role``, the area casefolded as in the right's identity."""
    person_id, scope_id, area, role = key
    return f"{person_id}:{scope_id}:{area}:{role}"


def change_log(changes: ChangeSet, before: Before, actor: str, at: datetime) -> ChangeLog:
    """One ``Change`` per record ``changes`` creates, updates or deletes, deletions first."""
    return ChangeLog(changes, before, actor, at)


class ChangeLog(Sequence[Change]):
    """The change log entries of one write, built as the store reads them.

    A store iterates the log once while it inserts the rows (twice if Neo4j retries the
    transaction): building every entry up front held one ``Change`` and two record
    documents per record for the whole apply (150 MB of a 100k-person import's 800 MB peak,
    ``bench/README.md``), which a million-person import cannot afford. Iterating builds
    the entries again each time, the same ones in the same order; indexing (tests, small
    writes) builds them once and keeps them.
    """

    def __init__(self, changes: ChangeSet, before: Before, actor: str, at: datetime) -> None:
        self._changes = changes
        self._before = before
        self._actor = actor
        self._at = at
        self._built: list[Change] | None = None

    def __len__(self) -> int:
        return self._changes.size()

    def __iter__(self) -> Iterator[Change]:
        if self._built is not None:
            return iter(self._built)
        return (Change(*item) for item in self.items())

    def items(self) -> Iterator[LogItem]:
        """The entries as ``LogItem`` tuples (``domain.history.LogItems``): what a store
        that encodes the log itself reads, without a ``Change`` built per entry."""
        if self._built is not None:
            return (
                (c.kind, c.key, c.operation, c.fields, c.before, c.after, c.actor, c.at)
                for c in self._built
            )
        return (item for item, _ in self.written())

    def describes(self, changes: Any) -> bool:
        """Whether this is the log of ``changes`` (the same record lists: the committer
        hands the store a copy of the plan's change set with this log)."""
        own = self._changes
        return (
            own.upserts is getattr(changes, "upserts", None)
            and own.relationships is getattr(changes, "relationships", None)
            and own.decision_rights is getattr(changes, "decision_rights", None)
        )

    def written(self) -> Iterator[tuple[LogItem, Any]]:
        """The entries, each with the record it upserts (None: a deletion, the stages)."""
        return _entries(self._changes, self._before, self._actor, self._at)

    @overload
    def __getitem__(self, index: int) -> Change: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Change]: ...

    def __getitem__(self, index: int | slice) -> Change | Sequence[Change]:
        if self._built is None:
            self._built = list(self)
        return self._built[index]


_CREATED, _UPDATED, _DELETED = Operation.CREATED, Operation.UPDATED, Operation.DELETED
"""Bound once: reading an enum member off its class goes through a descriptor, and an
import's log reads one per record."""


def _entries(
    changes: ChangeSet, before: Before, actor: str, at: datetime
) -> Iterator[tuple[LogItem, Any]]:
    def change(kind: ChangeKind, key: str, old: Any, new: Any) -> tuple[LogItem, Any]:
        old_doc = None if old is None else old.to_document()
        new_doc = None if new is None else new.to_document()
        # A creation or deletion changes every field the record has: sorting its keys is
        # what ``changed_fields`` would find, without comparing (an import logs 100k+ of them).
        if old_doc is None:
            operation = _CREATED
            fields = tuple(sorted(new_doc)) if new_doc is not None else ()
        elif new_doc is None:
            operation = _DELETED
            fields = tuple(sorted(old_doc))
        else:
            operation = _UPDATED
            fields = changed_fields(old_doc, new_doc)
        return (kind, key, operation, fields, old_doc, new_doc, actor, at), new

    for kind, ids in changes.deletes.items():
        stored = before.records.get(kind, {})
        for id_ in ids:
            yield change(ENTITY_CHANGE_KIND[kind], id_, stored.get(id_), None)
    for key in changes.relationship_deletes:
        yield change(
            ChangeKind.RELATIONSHIP,
            relationship_log_key(key),
            before.relationships.get(key),
            None,
        )
    for right_key in changes.decision_right_deletes:
        yield change(
            ChangeKind.DECISION_RIGHT,
            decision_right_log_key(right_key),
            before.decision_rights.get(right_key),
            None,
        )
    for kind, records in changes.upserts.items():
        stored = before.records.get(kind, {})
        for record in records:
            yield change(ENTITY_CHANGE_KIND[kind], record.id, stored.get(record.id), record)
    for relationship in changes.relationships:
        key = relationship.key
        yield change(
            ChangeKind.RELATIONSHIP,
            relationship_log_key(key),
            before.relationships.get(key),
            relationship,
        )
    for right in changes.decision_rights:
        yield change(
            ChangeKind.DECISION_RIGHT,
            decision_right_log_key(right.key),
            before.decision_rights.get(right.key),
            right,
        )
    if changes.pipeline_stages is not None:
        old = {"stages": _stages(before.pipeline_stages or DEFAULT_STAGES)}
        new = {"stages": _stages(changes.pipeline_stages)}
        yield (
            (
                ChangeKind.PIPELINE_STAGES,
                PIPELINE_STAGES_KEY,
                Operation.UPDATED,
                changed_fields(old, new),
                old,
                new,
                actor,
                at,
            ),
            None,
        )


def _stages(stages: Sequence[PipelineStage]) -> list[dict[str, Any]]:
    return [stage.to_document() for stage in stages]

"""The change log and reviews (CONTRACT §6): what every applied write leaves behind.

A write appends one ``Change`` per record it creates, updates or deletes, in the same store
transaction as the write itself, so the log and the graph never disagree: a write that is
not committed leaves no change, a committed one always has its changes. Changes of one
write share the workspace version it produced and are ordered within it by ``index``, so
``(version, index)`` is a change's position in its workspace's log.

The log is also what lets a second process catch up with writes it did not make (apply the
changes after the version it holds, instead of rebuilding), and what ``accountChanges``
summarises since a ``Review``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol, runtime_checkable

from graphsvc.domain.enums import EntityKind

__all__ = [
    "CHANGE_ENTITY_KIND",
    "CLI_ACTOR",
    "ENTITY_CHANGE_KIND",
    "LOCAL_ACTOR",
    "Change",
    "ChangeKind",
    "ChangeQuery",
    "LogItem",
    "LogItems",
    "LogPosition",
    "Operation",
    "Review",
    "changed_fields",
]

CLI_ACTOR = "cli"
"""The actor of writes made by the command line (``graphsvc import``, the demo's seeding)."""

LOCAL_ACTOR = "local"
"""The actor of API writes while authentication is off (no token names the caller)."""


class ChangeKind(StrEnum):
    """What kind of record a change is about (the graph document's record kinds)."""

    ORGANIZATION = "organization"
    DEPARTMENT = "department"
    PERSON = "person"
    SYSTEM = "system"
    OPPORTUNITY = "opportunity"
    RELATIONSHIP = "relationship"
    DECISION_RIGHT = "decisionRight"
    PIPELINE_STAGES = "pipelineStages"
    """The workspace's stage model (CONTRACT §7); its key is ``pipelineStages``."""


ENTITY_CHANGE_KIND: dict[EntityKind, ChangeKind] = {
    EntityKind.ORGANIZATION: ChangeKind.ORGANIZATION,
    EntityKind.DEPARTMENT: ChangeKind.DEPARTMENT,
    EntityKind.PERSON: ChangeKind.PERSON,
    EntityKind.SYSTEM: ChangeKind.SYSTEM,
    EntityKind.OPPORTUNITY: ChangeKind.OPPORTUNITY,
}
"""The change kind of each id-keyed record kind (and back: ``CHANGE_ENTITY_KIND``)."""

CHANGE_ENTITY_KIND = {change: entity for entity, change in ENTITY_CHANGE_KIND.items()}


class Operation(StrEnum):
    """What a write did to the record."""

    CREATED = "CREATED"
    UPDATED = "UPDATED"
    DELETED = "DELETED"


LogPosition = tuple[int, int]
"""``(version, index)``: where a change sits in its workspace's log; log order is this order."""


@dataclass(frozen=True, slots=True)
class Change:
    """One record's change by one write.

    ``before`` and ``after`` are the record as in a graph document (camelCase, nulls
    omitted), ``None`` where there is none (before a creation, after a deletion). ``fields``
    names the document fields that differ between them, sorted.
    """

    kind: ChangeKind
    key: str
    operation: Operation
    fields: tuple[str, ...]
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    actor: str
    at: datetime
    version: int = 0
    """Set by the store when the write commits (0 before that)."""
    index: int = 0
    """The change's place among its write's changes, from 0 (set by the store)."""

    @property
    def position(self) -> LogPosition:
        """Where the change sits in the log."""
        return (self.version, self.index)

    def record(self) -> dict[str, Any] | None:
        """The record as it is after the change, or as it was before a deletion."""
        return self.after if self.after is not None else self.before


def changed_fields(before: dict[str, Any] | None, after: dict[str, Any] | None) -> tuple[str, ...]:
    """The document fields whose values differ between ``before`` and ``after``, sorted.

    A creation or deletion changes every field the record has.
    """
    old, new = before or {}, after or {}
    return tuple(sorted(name for name in old.keys() | new.keys() if old.get(name) != new.get(name)))


LogItem = tuple[
    ChangeKind,
    str,
    Operation,
    tuple[str, ...],
    dict[str, Any] | None,
    dict[str, Any] | None,
    str,
    datetime,
]
"""A change's fields before the store stamps it: ``(kind, key, operation, fields, before,
after, actor, at)``, in ``Change``'s order."""


@runtime_checkable
class LogItems(Protocol):
    """A write's log that can give a store its entries as ``LogItem`` tuples.

    A store that writes the log as JSON (SQLite's blocks) has no use for a ``Change`` per
    entry, and an import logs one per record: building 328,708 frozen dataclasses was a
    second of a 100k-person import's apply. ``items`` gives the same entries in the same
    order as iterating the log.
    """

    def items(self) -> Iterator[LogItem]:
        """The entries, as iterating the log gives them, without their ``Change``."""
        ...

    def describes(self, changes: Any) -> bool:
        """Whether this is the log of exactly ``changes`` (a ``ChangeSet``): its upserts,
        relationships and decision rights are the ones ``written`` pairs with entries."""
        ...

    def written(self) -> Iterator[tuple[LogItem, Any]]:
        """The entries as ``items`` gives them, each with the record it writes (the
        upserted entity, relationship or decision right whose document is its ``after``;
        None for deletions and the stage model).

        A store that writes a record's row from its ``after`` (SQLite: the row's JSON is
        that document) serializes each record once for both, in one pass in log order.
        """
        ...


@dataclass(frozen=True)
class ChangeQuery:
    """Which changes of a workspace to read, always in log order (oldest first).

    Every filter is optional; ``after`` is exclusive. ``at_after`` and ``at_until`` bound
    the changes' time: ``at > at_after`` and ``at <= at_until``.
    """

    after: LogPosition = (0, -1)
    until_version: int | None = None
    kinds: frozenset[ChangeKind] | None = None
    at_after: datetime | None = None
    at_until: datetime | None = None
    limit: int | None = None


@dataclass(frozen=True, slots=True)
class Review:
    """An account review: the organization reviewed, and the workspace version it saw.

    ``accountChanges(sinceReview:)`` summarises the changes after ``version``.
    """

    id: str
    organization_id: str
    title: str
    notes: str | None
    version: int
    at: datetime
    actor: str

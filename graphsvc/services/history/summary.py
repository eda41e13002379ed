"""``accountChanges``: the changes of a window, read as what a seller reviews (CONTRACT §6).

The summary is built from the scope's changes in log order, each list in that order too.
Its readings, beyond the contract's words:

- moving a person into the scope (their ``organizationId`` changed to one of it) counts as
  added, moving them out as removed: for the account they joined or left;
- a manager change is a person's solid (not dotted) REPORTS_TO line replaced, added or
  removed by one write; the manager of a person arriving or leaving by that same write is
  part of their arrival or departure, not a change;
- a relationship is strengthened or weakened when its effective strength (the recorded one,
  or the contract's default for its type) rises or falls; an update of its last contact date
  alone is not listed;
- a decision right whose budget limit changed is listed as CHANGED.

Events are plain slotted dataclasses, built without validation: a window of 10,000
changes spent half its time building frozen ones.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from graphsvc.domain.enums import RelationshipType
from graphsvc.domain.history import Change, ChangeKind, Operation
from graphsvc.domain.models import DEFAULT_STRENGTH

__all__ = [
    "AccountSummary",
    "Event",
    "ManagerLine",
    "PersonEvent",
    "RelationshipEvent",
    "RelationshipMove",
    "RightEvent",
    "RightMove",
    "RoleEvent",
    "StageEvent",
    "StanceEvent",
    "summarize",
]


@dataclass(slots=True)
class Event:
    """When, by whom and in which version a change of the summary was made."""

    at: datetime
    actor: str
    version: int


@dataclass(slots=True)
class PersonEvent(Event):
    """A person added to or removed from the scope; ``record`` as after (added) or before."""

    person_id: str
    record: dict[str, Any]


@dataclass(slots=True)
class StanceEvent(Event):
    person_id: str
    before: str | None
    after: str | None


@dataclass(slots=True)
class RoleEvent(Event):
    """``field`` is ``title``, ``department`` or ``manager``; values are names or ids."""

    person_id: str
    field: str
    before: str | None
    after: str | None


class RelationshipMove(StrEnum):
    ADDED = "ADDED"
    REMOVED = "REMOVED"
    STRENGTHENED = "STRENGTHENED"
    WEAKENED = "WEAKENED"


@dataclass(slots=True)
class RelationshipEvent(Event):
    change: RelationshipMove
    type: RelationshipType
    from_id: str
    to_id: str
    strength_before: float | None
    strength_after: float | None


class RightMove(StrEnum):
    GRANTED = "GRANTED"
    REVOKED = "REVOKED"
    CHANGED = "CHANGED"


@dataclass(slots=True)
class RightEvent(Event):
    change: RightMove
    record: dict[str, Any]
    """The right as after the change (as before, when revoked)."""
    budget_before: float | None
    budget_after: float | None


@dataclass(slots=True)
class StageEvent(Event):
    opportunity_id: str
    before: str | None
    after: str | None


@dataclass
class AccountSummary:
    """The lists of ``accountChanges``, each oldest first."""

    people_added: list[PersonEvent] = field(default_factory=list)
    people_removed: list[PersonEvent] = field(default_factory=list)
    stance_changes: list[StanceEvent] = field(default_factory=list)
    role_changes: list[RoleEvent] = field(default_factory=list)
    relationship_changes: list[RelationshipEvent] = field(default_factory=list)
    decision_right_changes: list[RightEvent] = field(default_factory=list)
    stage_changes: list[StageEvent] = field(default_factory=list)
    change_count: int = 0
    """How many logged changes of the scope the window holds."""


@dataclass(slots=True)
class ManagerLine:
    """A solid REPORTS_TO line added or removed by one write."""

    person_id: str
    manager_id: str
    added: bool


def summarize(changes: Sequence[Change], organizations: frozenset[str]) -> AccountSummary:
    """The summary of ``changes`` (already those of the scope, in log order)."""
    summary = AccountSummary(change_count=len(changes))
    moved: set[tuple[int, str]] = set()
    lines: dict[int, list[tuple[Change, ManagerLine]]] = defaultdict(list)
    for change in changes:
        if change.kind is ChangeKind.PERSON:
            _person(change, organizations, summary, moved)
        elif change.kind is ChangeKind.RELATIONSHIP:
            _relationship(change, summary)
            line = _manager_line(change)
            if line is not None:
                lines[change.version].append((change, line))
        elif change.kind is ChangeKind.DECISION_RIGHT:
            _right(change, summary)
        elif change.kind is ChangeKind.OPPORTUNITY:
            _stage(change, summary)
    summary.role_changes.extend(_manager_changes(lines, moved))
    summary.role_changes.sort(key=lambda event: (event.version, event.at))
    return summary


def _person(
    change: Change,
    organizations: frozenset[str],
    summary: AccountSummary,
    moved: set[tuple[int, str]],
) -> None:
    before, after = change.before, change.after
    inside_before = before is not None and before.get("organizationId") in organizations
    inside_after = after is not None and after.get("organizationId") in organizations
    stamp = (change.at, change.actor, change.version)
    if after is not None and inside_after and not inside_before:
        summary.people_added.append(PersonEvent(*stamp, change.key, after))
        moved.add((change.version, change.key))
        return
    if before is not None and inside_before and not inside_after:
        summary.people_removed.append(PersonEvent(*stamp, change.key, before))
        moved.add((change.version, change.key))
        return
    if before is None or after is None:
        return
    if "stance" in change.fields:
        summary.stance_changes.append(
            StanceEvent(*stamp, change.key, before.get("stance"), after.get("stance"))
        )
    for field_name, label in (("title", "title"), ("departmentId", "department")):
        if field_name in change.fields:
            summary.role_changes.append(
                RoleEvent(*stamp, change.key, label, before.get(field_name), after.get(field_name))
            )


_TYPES = {type_.value: type_ for type_ in RelationshipType}


def _strength(doc: dict[str, Any] | None) -> float | None:
    """``Relationship.effective_strength`` of a logged relationship (no model is built: a
    window of thousands of relationship changes spent most of its time validating them)."""
    if doc is None:
        return None
    strength = doc.get("strength")
    if strength is not None:
        return float(strength)
    return DEFAULT_STRENGTH[(_TYPES[doc["type"]], bool(doc.get("dotted", False)))]


def _relationship(change: Change, summary: AccountSummary) -> None:
    record = change.record() or {}
    old, new = _strength(change.before), _strength(change.after)
    if change.operation is Operation.CREATED:
        move = RelationshipMove.ADDED
    elif change.operation is Operation.DELETED:
        move = RelationshipMove.REMOVED
    elif old is not None and new is not None and new != old:
        move = RelationshipMove.STRENGTHENED if new > old else RelationshipMove.WEAKENED
    else:
        return
    summary.relationship_changes.append(
        RelationshipEvent(
            change.at,
            change.actor,
            change.version,
            move,
            _TYPES[record["type"]],
            record["from"],
            record["to"],
            old,
            new,
        )
    )


def _manager_line(change: Change) -> ManagerLine | None:
    record = change.record() or {}
    if record.get("type") != RelationshipType.REPORTS_TO.value or record.get("dotted"):
        return None
    if change.operation is Operation.UPDATED:
        return None
    return ManagerLine(record["from"], record["to"], change.operation is Operation.CREATED)


def _manager_changes(
    lines: dict[int, list[tuple[Change, ManagerLine]]],
    moved: set[tuple[int, str]],
) -> Iterable[RoleEvent]:
    """One manager change per person per write: the solid line removed, the one added."""
    for version, entries in sorted(lines.items()):
        by_person: dict[str, list[tuple[Change, ManagerLine]]] = defaultdict(list)
        for change, line in entries:
            by_person[line.person_id].append((change, line))
        for person, moves in by_person.items():
            if (version, person) in moved:
                continue
            old = next((line.manager_id for _c, line in moves if not line.added), None)
            new = next((line.manager_id for _c, line in moves if line.added), None)
            first = moves[0][0]
            yield RoleEvent(first.at, first.actor, version, person, "manager", old, new)


def _right(change: Change, summary: AccountSummary) -> None:
    record = change.record() or {}
    before, after = change.before or {}, change.after or {}
    if change.operation is Operation.CREATED:
        move = RightMove.GRANTED
    elif change.operation is Operation.DELETED:
        move = RightMove.REVOKED
    else:
        move = RightMove.CHANGED
    summary.decision_right_changes.append(
        RightEvent(
            change.at,
            change.actor,
            change.version,
            move,
            record,
            before.get("budgetLimit"),
            after.get("budgetLimit"),
        )
    )


def _stage(change: Change, summary: AccountSummary) -> None:
    if change.operation is not Operation.UPDATED or "stage" not in change.fields:
        return
    before, after = change.before or {}, change.after or {}
    summary.stage_changes.append(
        StageEvent(
            change.at,
            change.actor,
            change.version,
            change.key,
            before.get("stage"),
            after.get("stage"),
        )
    )

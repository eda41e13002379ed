"""Group commit: prepared writes that cannot affect each other, applied in one transaction.

Writes whose read sets and change sets are disjoint commute: applying them in one
transaction gives the state any serial order would give, and each one's validation still
holds. ``grouped`` picks such writes from a batch; ``merged`` makes their one change set
(the package docstring tells how the committer uses them).

Example:
    >>> from graphsvc.domain.models import Organization
    >>> a = ChangeSet(upserts={EntityKind.ORGANIZATION: [
    ...     Organization(id="a", name="A", kind="PROSPECT")]})
    >>> b = ChangeSet(upserts={EntityKind.ORGANIZATION: [
    ...     Organization(id="b", name="B", kind="PROSPECT")]})
    >>> [o.id for o in merged([a, b]).upserts[EntityKind.ORGANIZATION]]
    ['a', 'b']
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from graphsvc.domain.changes import ChangeSet
from graphsvc.domain.enums import EntityKind
from graphsvc.domain.history import Change
from graphsvc.services.writes.read_set import ReadSet

__all__ = ["GROUP_MAX_RECORDS", "GROUP_MAX_WRITES", "Candidate", "grouped", "merged"]

GROUP_MAX_WRITES = 64
"""Writes applied in one group at most (bounds one transaction and one failure's reach)."""

GROUP_MAX_RECORDS = 1000
"""A write touching more records than this (an import) is committed on its own: checking it
against every other write of a group would cost more than the fsync it saves."""


@dataclass(frozen=True)
class Candidate:
    """A prepared write that may join a group: what it read, what it writes, and where."""

    workspace: str
    expected_version: int
    reads: ReadSet
    changes: ChangeSet


def grouped(candidates: Sequence[Candidate]) -> list[int]:
    """Indexes of the candidates to apply together, in order; fewer than two means none.

    A candidate joins when it writes to the first one's workspace at the same expected
    version, is small, and neither reads anything a member writes nor writes anything a
    member read. Candidates that do not join are committed one by one afterwards.
    """
    members: list[int] = []
    for index, candidate in enumerate(candidates):
        if len(members) >= GROUP_MAX_WRITES:
            break
        if candidate.changes.size() > GROUP_MAX_RECORDS:
            continue
        if members:
            first = candidates[members[0]]
            if (
                candidate.workspace != first.workspace
                or candidate.expected_version != first.expected_version
            ):
                continue
        if any(_interfere(candidate, candidates[m]) for m in members):
            continue
        members.append(index)
    return members if len(members) > 1 else []


def _interfere(one: Candidate, other: Candidate) -> bool:
    """Whether applying either would change what the other read (then order matters)."""
    return one.reads.conflicts_with(other.changes) or other.reads.conflicts_with(one.changes)


def merged(change_sets: Sequence[ChangeSet]) -> ChangeSet:
    """One change set doing what all of ``change_sets`` do (they touch disjoint records)."""
    result = ChangeSet()
    log: list[Change] = []
    for changes in change_sets:
        for kind, records in changes.upserts.items():
            result.upserts.setdefault(kind, []).extend(records)
        for kind, ids in changes.deletes.items():
            result.deletes.setdefault(EntityKind(kind), []).extend(ids)
        result.relationships.extend(changes.relationships)
        result.decision_rights.extend(changes.decision_rights)
        result.relationship_deletes.extend(changes.relationship_deletes)
        result.decision_right_deletes.extend(changes.decision_right_deletes)
        if changes.pipeline_stages is not None:
            result.pipeline_stages = changes.pipeline_stages
        log.extend(changes.log)
    result.log = log
    return result

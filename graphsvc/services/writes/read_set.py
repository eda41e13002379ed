"""What a write's preparation read (``ReadSet``), and whether a later write changed any of it.

``RecordingReader`` passes a preparation's reads through and notes what they covered;
``ReadSet.conflicts_with`` tells whether a change set applied meanwhile touches any of it
(the package docstring tells what the committer does with that). The check is conservative:
a reported conflict may be harmless (a relationship read by person is taken to depend on
every relationship of that person), but every change that could have altered a read is
reported. A page or a count conflicts with every write of its kind.

Example:
    >>> from graphsvc.domain.models import Organization
    >>> reads = ReadSet()
    >>> reads.records[EntityKind.ORGANIZATION].add("acme")
    >>> reads.conflicts_with(ChangeSet(upserts={EntityKind.ORGANIZATION: [
    ...     Organization(id="acme", name="Acme", kind="PROSPECT")]}))
    True
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from graphsvc.domain.changes import ChangeSet
from graphsvc.domain.enums import EntityKind, RelationshipType
from graphsvc.domain.listing import FilterValue, ListQuery
from graphsvc.domain.models import (
    DecisionRight,
    Entity,
    Relationship,
    RelationshipKey,
)
from graphsvc.domain.pipeline import PipelineStage
from graphsvc.domain.rows import RelationshipRow
from graphsvc.store.base import GraphReader
from graphsvc.store.compare import Compared

__all__ = ["ReadSet", "RecordingReader"]


@dataclass(frozen=True)
class _Query:
    """A ``find``: its filter and the ids it returned (a write may add to or take from them)."""

    where: Mapping[str, Sequence[FilterValue]]
    found: frozenset[str]


@dataclass
class ReadSet:
    """Everything a write's preparation read from one workspace."""

    records: defaultdict[EntityKind, set[str]] = field(default_factory=lambda: defaultdict(set))
    """Ids looked up by kind, found or not (an absent id matters as much as a present one)."""
    queries: defaultdict[EntityKind, list[_Query]] = field(
        default_factory=lambda: defaultdict(list)
    )
    whole_kinds: set[EntityKind] = field(default_factory=set)
    relationship_keys: set[RelationshipKey] = field(default_factory=set)
    relationship_people: set[str] = field(default_factory=set)
    """People whose relationships were listed."""
    right_people: set[str] = field(default_factory=set)
    right_scopes: set[str] = field(default_factory=set)
    all_relationships: bool = False
    all_rights: bool = False
    stage_model: bool = False
    """Whether the stage model was read (a write replacing it conflicts)."""

    def conflicts_with(self, changes: ChangeSet) -> bool:
        """True when applying ``changes`` may have changed the answer of any read here."""
        if self.stage_model and changes.pipeline_stages is not None:
            return True
        for kind, records in changes.upserts.items():
            if records and self._touches_kind(kind, (r.id for r in records), records):
                return True
        for kind, ids in changes.deletes.items():
            if ids and self._touches_kind(kind, ids, ()):
                return True
        keys = [r.key for r in changes.relationships] + list(changes.relationship_deletes)
        if keys and (
            self.all_relationships
            or any(
                key in self.relationship_keys
                or key[1] in self.relationship_people
                or key[2] in self.relationship_people
                for key in keys
            )
        ):
            return True
        right_keys = [r.key for r in changes.decision_rights] + list(changes.decision_right_deletes)
        return bool(right_keys) and (
            self.all_rights
            or any(k[0] in self.right_people or k[1] in self.right_scopes for k in right_keys)
        )

    def _touches_kind(
        self, kind: EntityKind, ids: Iterable[str], upserted: Sequence[Entity]
    ) -> bool:
        if kind in self.whole_kinds:
            return True
        looked_up = self.records.get(kind, set())
        queries = self.queries.get(kind, [])
        for id_ in ids:
            if id_ in looked_up or any(id_ in q.found for q in queries):
                return True
        # A record that now matches a filter joins that query's answer.
        return any(_matches(q.where, record) for q in queries for record in upserted)


def _matches(where: Mapping[str, Sequence[FilterValue]], record: Entity) -> bool:
    """Whether ``record`` satisfies a ``find`` filter (as ``FILTER_FIELDS`` documents it)."""
    data = record.to_document()
    for name, values in where.items():
        value = data.get(name)
        if isinstance(value, list) and value:
            if not any(item in values for item in value):
                return False
        elif isinstance(value, list) or value is None:
            # A missing value and an empty list (``departmentIds`` of a system used by no
            # department) are matched by ``None`` alone, as in both stores.
            if None not in values:
                return False
        elif value not in values:
            return False
    return True


class RecordingReader:
    """A ``GraphReader`` that reads through to ``reader`` and records what it read in ``reads``.

    It serves one write's preparation in one workspace. It has no writes to refuse: a
    prepared write is applied by the committer, through the real store.
    """

    def __init__(self, reader: GraphReader) -> None:
        self.reader = reader
        self.reads = ReadSet()

    async def get(self, workspace: str, kind: EntityKind, ids: Sequence[str]) -> dict[str, Entity]:
        """Records by id; every asked id is recorded."""
        self.reads.records[kind].update(ids)
        return await self.reader.get(workspace, kind, ids)

    async def find(
        self, workspace: str, kind: EntityKind, where: Mapping[str, Sequence[FilterValue]]
    ) -> list[Entity]:
        """Records matching ``where``; the filter and its answer are recorded."""
        found = await self.reader.find(workspace, kind, where)
        frozen = {name: tuple(values) for name, values in where.items()}
        self.reads.queries[kind].append(_Query(frozen, frozenset(r.id for r in found)))
        return found

    async def page(self, workspace: str, kind: EntityKind, query: ListQuery) -> list[Entity]:
        """A page; any write of ``kind`` conflicts with it."""
        self.reads.whole_kinds.add(kind)
        return await self.reader.page(workspace, kind, query)

    async def count(self, workspace: str, kind: EntityKind, query: ListQuery) -> int:
        """A count; any write of ``kind`` conflicts with it."""
        self.reads.whole_kinds.add(kind)
        return await self.reader.count(workspace, kind, query)

    async def relationships(
        self,
        workspace: str,
        person_ids: Sequence[str] | None = None,
        types: Sequence[RelationshipType] | None = None,
    ) -> list[Relationship]:
        """Relationships of people; any relationship of these people conflicts with it."""
        if person_ids is None:
            self.reads.all_relationships = True
        else:
            self.reads.relationship_people.update(person_ids)
        return await self.reader.relationships(workspace, person_ids, types)

    async def get_relationships(
        self, workspace: str, keys: Sequence[RelationshipKey]
    ) -> dict[RelationshipKey, Relationship]:
        """Relationships by key; every asked key is recorded."""
        self.reads.relationship_keys.update(keys)
        return await self.reader.get_relationships(workspace, keys)

    async def reporting_lines(self, workspace: str, people: Sequence[str]) -> list[RelationshipRow]:
        """Reporting lines from people; any relationship of these people conflicts with it."""
        self.reads.relationship_people.update(people)
        return await self.reader.reporting_lines(workspace, people)

    async def compare(
        self, workspace: str, kind: EntityKind, records: Sequence[Entity]
    ) -> Compared[str, Entity]:
        """Records compared with the stored ones; every given id is recorded (as by ``get``)."""
        self.reads.records[kind].update(record.id for record in records)
        return await self.reader.compare(workspace, kind, records)

    async def compare_relationships(
        self, workspace: str, relationships: Sequence[Relationship]
    ) -> Compared[RelationshipKey, Relationship]:
        """Relationships compared with the stored ones; every given key is recorded."""
        self.reads.relationship_keys.update(relationship.key for relationship in relationships)
        return await self.reader.compare_relationships(workspace, relationships)

    async def count_relationships(
        self, workspace: str, types: Sequence[RelationshipType] | None = None
    ) -> int:
        """A count of relationships; any relationship written conflicts with it."""
        self.reads.all_relationships = True
        return await self.reader.count_relationships(workspace, types)

    async def decision_rights(
        self,
        workspace: str,
        person_ids: Sequence[str] | None = None,
        scope_ids: Sequence[str] | None = None,
    ) -> list[DecisionRight]:
        """Decision rights by holder or scope; rights of these holders or scopes conflict."""
        if person_ids is None and scope_ids is None:
            self.reads.all_rights = True
        self.reads.right_people.update(person_ids or ())
        self.reads.right_scopes.update(scope_ids or ())
        return await self.reader.decision_rights(workspace, person_ids, scope_ids)

    async def pipeline_stages(self, workspace: str) -> list[PipelineStage] | None:
        """The stage model; a write replacing it conflicts."""
        self.reads.stage_model = True
        return await self.reader.pipeline_stages(workspace)

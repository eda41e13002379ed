"""Read what the store holds that a document touches, in batched lookups, before validating it.

One pass gathers both what the validator needs (``KnownGraph``: referenced records, their
stored ancestors, stored solid reporting lines upwards, the SELF organization, records under
a department that moves) and what the write path needs to leave unchanged records alone
(the stored versions of every record, relationship and decision right the document writes).
Lookups go by id in batches of ``LOOKUP_BATCH``, so the number of round trips grows with
the document's size divided by the batch, plus the depth of the hierarchies walked.

The document's people and relationships, which a re-import gives back by the hundred
thousand, are not read back: the store compares them (``GraphReader.compare``), returning
the stored versions of those it holds otherwise only; what is kept besides is the ids (keys)
of those it lacks (``StoredState.new``), so that a no-op re-import keeps nothing per record.
The reporting lines are walked as rows (``GraphReader.reporting_lines``), not records. At a
million people reading them back was a second copy of the graph beside the document (4.8
GB), and keeping the ids of the records held as given ~0.3 GB (bench/README.md, "Import,
rounds seven and eight").

A lookup of more than one batch first asks whether the workspace holds any record of that
kind at all (one count): into an empty workspace, a 100k-person import then reads no batch
of people or relationships, nor builds and sorts the 215k relationship keys to ask for. The
count goes through the same reader as every lookup, so a write's read set notes it (a
``RecordingReader`` takes any later write of that kind as a conflict) and the committer's
version check covers other processes' writes, as for every other read. Lookups of one
batch or less (every single-record write) ask no count: it would make their read sets
conflict with every write of the kind and so keep them out of group commits.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Iterable, Sequence
from contextlib import aclosing
from dataclasses import dataclass, field, replace
from functools import partial
from operator import attrgetter
from typing import Generic, TypeVar

from graphsvc.domain.compact import built, shared_fields_set
from graphsvc.domain.enums import EntityKind, OrganizationKind, RelationshipType
from graphsvc.domain.known import KnownDepartment, KnownGraph, KnownOrganization, StoredDependent
from graphsvc.domain.listing import ListQuery
from graphsvc.domain.models import (
    DecisionRight,
    DecisionRightKey,
    Department,
    Entity,
    GraphDocument,
    Opportunity,
    Organization,
    Person,
    PersonEntry,
    Relationship,
    RelationshipKey,
)
from graphsvc.domain.pipeline import DEFAULT_STAGES, PipelineStage
from graphsvc.domain.rows import RelationshipRow
from graphsvc.services.writes.commit import ProgressCallback
from graphsvc.services.writes.read_ahead import read_ahead
from graphsvc.store.base import GraphReader
from graphsvc.store.compare import Compared, same_relationship

__all__ = [
    "LOOKUP_BATCH",
    "Matched",
    "StoredLines",
    "StoredState",
    "load_stored_state",
    "stored_form",
]

LOOKUP_BATCH = 10_000
"""Ids per store lookup: large enough for few round trips, small enough to bound each one."""

K = TypeVar("K")
R = TypeVar("R")
V = TypeVar("V")


@dataclass
class Matched(Generic[K, V]):
    """The document's records of one kind (or its relationships) matched with the store's by
    its comparisons: those it holds otherwise, those it lacks, and (in neither) those it holds
    exactly as given, which nothing here keeps: on a no-op re-import that is every record."""

    stored: dict[K, V] = field(default_factory=dict)
    """The stored versions of the given records the store holds otherwise."""
    new: set[K] = field(default_factory=set)
    """The ids (keys) of the given records the store does not hold."""

    def add(self, given: Iterable[K], answer: Compared[K, V]) -> None:
        """Take in the store's ``answer`` for a batch of records with these ids (keys). An id
        given twice, once as stored and once not, is among ``stored`` (``Compared.same``)."""
        self.stored.update(answer.stored)
        same, stored = answer.same, answer.stored
        self.new.update(key for key in given if key not in same and key not in stored)


@dataclass
class StoredLines:
    """The stored REPORTS_TO lines from the people whose lines the lookups walked (``read``),
    kept small: a solid line of its key alone (no strength, no contact date: every line a
    ``reportsToId`` writes) is only its manager in ``solid`` (the validator's
    ``KnownGraph.solid_managers``); any other line, dotted or with a strength or a contact
    date, is its row in ``other``. A row per line was ~0.3 GB at a million people."""

    read: set[str] = field(default_factory=set)
    """People whose stored REPORTS_TO lines (from them) are all here."""
    solid: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Each person's solid managers, whatever their lines' fields."""
    other: dict[RelationshipKey, RelationshipRow] = field(default_factory=dict)

    def get(self, key: RelationshipKey) -> RelationshipRow | None:
        """The stored REPORTS_TO line with this key, if its person's lines were walked and it
        is stored; None otherwise (and for any other type)."""
        row = self.other.get(key)
        if row is not None:
            return row
        type_, from_id, to_id = key
        if type_ is RelationshipType.REPORTS_TO and to_id in self.solid.get(from_id, ()):
            return RelationshipRow(RelationshipType.REPORTS_TO, from_id, to_id, None, False, None)
        return None

    def __bool__(self) -> bool:
        return bool(self.solid or self.other)


@dataclass
class StoredState:
    """The stored side of a write: facts for the validator, stored versions for the diff."""

    known: KnownGraph
    records: dict[EntityKind, dict[str, Entity]] = field(default_factory=dict)
    relationships: dict[RelationshipKey, Relationship] = field(default_factory=dict)
    decision_rights: dict[DecisionRightKey, DecisionRight] = field(default_factory=dict)
    own_stages: list[PipelineStage] | None = None
    """The workspace's own stage model (None: the default), read only when the document has
    opportunities or a stage model."""
    new: dict[EntityKind, set[str]] = field(default_factory=dict)
    """For each kind whose document records the store compared (``GraphReader.compare``):
    the ids of those it does not hold. A compared record in neither this nor ``records`` is
    stored exactly as given, and the diff leaves it alone. Of a kind not here (read back,
    or the workspace holds none), every record not in ``records`` is new."""
    new_relationships: set[RelationshipKey] | None = None
    """Likewise for the document's relationships: the keys of those the store does not hold,
    or None when they were not compared (the workspace holds no relationship)."""
    reporting: StoredLines = field(default_factory=StoredLines)
    """The stored REPORTS_TO lines from the people the validator asked about (every person
    of the document): what the diff compares ``reportsToId`` lines with. A line the write
    changes has its record in ``relationships`` only if the plan reads it (``plan``)."""


_PERSON_FIELDS = shared_fields_set(Person.model_fields)
"""A stored person's fields set: every field (the whole record is written, as stored records
read back name them all), one set for all."""


def stored_form(record: Entity) -> Entity:
    """A document record as stored: a person without ``reportsToId`` (that is a relationship).

    A person is a ``Person`` over the entry's own ``__dict__`` (``domain.compact.built``):
    its values are the entry's, already validated, and pydantic reads, compares, hashes and
    serializes a record by its model's fields only, so the entry's ``reports_to_id`` beside
    them is not part of the person (as a ``cached_property`` kept there would not be). Both
    are frozen, so the dict never changes under either. A copy of the dict per person was
    272 MB at a million people, and validating the values again (``Person.model_validate``)
    2 µs a person. Its fields set names every field, as stored records' do; one set for all.
    """
    if not isinstance(record, PersonEntry):
        return record
    return built(Person, record.__dict__, _PERSON_FIELDS)


def _batches(items: Iterable[K]) -> Iterable[list[K]]:
    """``items`` in lists of ``LOOKUP_BATCH`` (the last one shorter)."""
    batch: list[K] = []
    for item in items:
        batch.append(item)
        if len(batch) == LOOKUP_BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


class _Loader:
    def __init__(
        self, reader: GraphReader, workspace: str, progress: ProgressCallback | None
    ) -> None:
        self.reader = reader
        self.workspace = workspace
        self.progress = progress
        self.done = 0
        self._held: dict[EntityKind | None, bool] = {}
        self.lines = StoredLines()
        """The stored REPORTS_TO lines ``solid_managers`` walked."""
        self._alone: dict[str, tuple[str]] = {}
        """Each manager reached, as the one tuple of the people who report to them alone."""

    def _tick(self, count: int) -> None:
        self.done += count
        if self.progress is not None:
            self.progress("lookup", self.done, 0)

    async def _read_all(
        self,
        items: Iterable[K],
        read: Callable[[list[K]], Awaitable[R]],
        take: Callable[[list[K], R], object],
    ) -> None:
        """``read`` each batch of ``items`` (the next one asked while this one is taken:
        ``read_ahead``), hand each batch and its answer to ``take``, and count the batch as
        looked up."""
        async with aclosing(read_ahead(_batches(items), read)) as reads:
            async for batch, answer in reads:
                take(batch, answer)
                self._tick(len(batch))

    async def holds(self, kind: EntityKind | None, asked: int) -> bool:
        """Whether a lookup of ``asked`` records of ``kind`` (relationships when None) may find
        any: False only when it would take more than one batch and the workspace holds none
        (see the module docstring). Counted once per kind."""
        if asked <= LOOKUP_BATCH:
            return True
        if kind not in self._held:
            if kind is None:
                count = await self.reader.count_relationships(self.workspace)
            else:
                count = await self.reader.count(self.workspace, kind, ListQuery(limit=0))
            self._held[kind] = count > 0
        return self._held[kind]

    async def get(self, kind: EntityKind, ids: Collection[str]) -> dict[str, Entity]:
        """The stored records with these ids, in sorted batches."""
        found: dict[str, Entity] = {}
        if await self.holds(kind, len(ids)):
            await self._read_all(sorted(ids), self._get_batch(kind), _taken_into(found))
        return found

    def _get_batch(self, kind: EntityKind) -> Callable[[list[str]], Awaitable[dict[str, Entity]]]:
        return lambda batch: self.reader.get(self.workspace, kind, batch)

    async def compare(
        self, kind: EntityKind, records: Sequence[Entity]
    ) -> Matched[str, Entity] | None:
        """The document's ``records`` compared with the stored ones by the store (as stored:
        ``stored_form``), in batches sorted by id; None when the workspace holds none of the
        kind (nothing is compared: every record is new).

        A no-op re-import gives back every record the store holds; read back as models they
        were a second copy of the graph (4.8 GB at a million people, ``store.compare``).
        """
        if not await self.holds(kind, len(records)):
            return None
        compared: Matched[str, Entity] = Matched()
        by_id = sorted(records, key=_BY_ID)
        await self._read_all(by_id, self._compare_batch(kind), _matched_by_id(compared))
        return compared

    def _compare_batch(
        self, kind: EntityKind
    ) -> Callable[[list[Entity]], Awaitable[Compared[str, Entity]]]:
        return lambda batch: self.reader.compare(
            self.workspace, kind, [stored_form(record) for record in batch]
        )

    async def with_ancestors(
        self, kind: EntityKind, ids: set[str], parent: Callable[[Entity], str | None]
    ) -> dict[str, Entity]:
        """Records with these ids and all their stored ancestors (walked level by level)."""
        found: dict[str, Entity] = {}
        asked: set[str] = set()
        wanted = ids
        while wanted:
            asked |= wanted
            level = await self.get(kind, wanted)
            found.update(level)
            parents = (parent(record) for record in level.values())
            wanted = {p for p in parents if p is not None and p not in asked}
        return found

    async def solid_managers(self, people: set[str]) -> dict[str, tuple[str, ...]]:
        """Stored solid REPORTS_TO targets of these people and, transitively, of their managers
        (``lines``: every line walked)."""
        if not await self.holds(None, len(people)):
            return {}
        asked: set[str] = set()
        wanted = people
        while wanted:
            asked |= wanted
            reached: set[str] = set()
            await self._read_all(
                sorted(wanted), self._reporting_lines, partial(self._note, reached)
            )
            wanted = reached - asked
        self.lines.read = asked
        return self.lines.solid

    def _reporting_lines(self, people: list[str]) -> Awaitable[list[RelationshipRow]]:
        return self.reader.reporting_lines(self.workspace, people)

    def _note(self, reached: set[str], people: list[str], lines: list[RelationshipRow]) -> None:
        """Note the stored REPORTS_TO ``lines`` from a batch of ``people`` (``StoredLines``):
        the managers reached.

        A plain line is kept as its ends only, each held once: the person's id is the one the
        batch asked with, and a manager's one tuple ``(manager,)`` stands for every person with
        that manager alone. The store's rows bring new strings of each end: kept as they came,
        a million people's walk held ~0.18 GB more (bench/README.md, "Import, round eight").
        """
        solid, other, alone = self.lines.solid, self.lines.other, self._alone
        asked = {person: person for person in people}
        for line in lines:
            if line.dotted or line.strength is not None or line.last_contact_on is not None:
                # REPORTS_TO is directed: its key is its type, from and to.
                other[(line.type, line.from_id, line.to_id)] = line
            if not line.dotted:
                from_id = asked.get(line.from_id, line.from_id)
                managers = alone.get(line.to_id)
                if managers is None:
                    managers = alone[line.to_id] = (line.to_id,)
                held = solid.get(from_id)
                solid[from_id] = managers if held is None else (*held, managers[0])
                reached.add(managers[0])

    async def relationships(
        self, doc: GraphDocument
    ) -> Matched[RelationshipKey, Relationship] | None:
        """What the store holds of the relationships ``doc`` writes (``reportsToId`` lines too):
        the stored versions of those it holds otherwise, the keys of those it lacks (None: the
        workspace holds no relationship, so nothing is compared).

        A REPORTS_TO line from a person whose lines ``solid_managers`` read is compared with
        that read's row (stored there or nowhere; its record is read by key only when it
        differs): on a re-import of 100k people that is every ``reportsToId`` line, which the
        diff compares with ``StoredState.reporting``. The document's other relationships
        are compared by the store (``GraphReader.compare_relationships``), in batches sorted
        by key (SQLite meets its B-tree pages in order), only when some are stored; a
        ``reportsToId`` line not read (none, when ``solid_managers`` read the document's
        people) is looked up by key.
        """
        if not await self.holds(None, len(doc.relationships) + len(doc.people)):
            return None
        compared: Matched[RelationshipKey, Relationship] = Matched()
        read, lines, found, new = self.lines.read, self.lines, compared.stored, compared.new
        reports_to = RelationshipType.REPORTS_TO
        given: list[Relationship] = []
        wanted: set[RelationshipKey] = set()
        for relationship in doc.relationships:
            if relationship.type is reports_to and relationship.from_id in read:
                key = relationship.key
                if (line := lines.get(key)) is None:
                    new.add(key)  # not stored
                elif not same_relationship(relationship, line):
                    wanted.add(key)  # stored otherwise: its record is read below
            else:
                given.append(relationship)
        # Sorted, each key made once: 0.05 s for 115k relationships; in a shuffled document
        # SQLite's comparison took 0.37 s against 0.25 s in key order.
        given.sort(key=_BY_KEY)
        await self._read_all(given, self._compare_relationships, _matched_by_key(compared))
        wanted.update(key for key in _reports_to_keys(doc) if key[1] not in read)
        await self._read_all(sorted(wanted), self._relationship_batch, _taken_into(found))
        # A line walked but gone when its record was read is new; a key given twice, once as
        # stored and once not, is stored otherwise (``Matched.add``).
        new.update(key for key in wanted if key not in found)
        new.difference_update(found.keys())
        return compared

    def _relationship_batch(
        self, keys: list[RelationshipKey]
    ) -> Awaitable[dict[RelationshipKey, Relationship]]:
        return self.reader.get_relationships(self.workspace, keys)

    def _compare_relationships(
        self, batch: list[Relationship]
    ) -> Awaitable[Compared[RelationshipKey, Relationship]]:
        return self.reader.compare_relationships(self.workspace, batch)

    async def decision_rights(
        self, keys: dict[DecisionRightKey, DecisionRight]
    ) -> dict[DecisionRightKey, DecisionRight]:
        holders = sorted({key[0] for key in keys})
        found: dict[DecisionRightKey, DecisionRight] = {}
        for batch in _batches(holders):
            for right in await self.reader.decision_rights(self.workspace, person_ids=batch):
                if right.key in keys:
                    found[right.key] = right
            self._tick(len(batch))
        return found

    async def stage_users(self) -> dict[str, frozenset[str]]:
        """Every stored opportunity and the stages it names (stage and history), page by page:
        only a write replacing the stage model asks (rare, and opportunities are few)."""
        users: dict[str, frozenset[str]] = {}
        after: str | None = None
        while True:
            query = ListQuery(after=after, limit=LOOKUP_BATCH)
            page = await self.reader.page(self.workspace, EntityKind.OPPORTUNITY, query)
            for record in page:
                assert isinstance(record, Opportunity)
                named = {entry.stage for entry in record.stage_history}
                if record.stage is not None:
                    named.add(record.stage)
                users[record.id] = frozenset(named)
            self._tick(len(page))
            if len(page) < LOOKUP_BATCH:
                return users
            after = page[-1].id

    async def dependents(self, moved: list[str]) -> tuple[StoredDependent, ...]:
        """Stored people, child departments and opportunities of departments that move."""
        if not moved:
            return ()
        out: list[StoredDependent] = []
        queries = (
            (EntityKind.PERSON, "departmentId"),
            (EntityKind.DEPARTMENT, "parentId"),
            (EntityKind.OPPORTUNITY, "departmentId"),
        )
        for kind, field_name in queries:
            for record in await self.reader.find(self.workspace, kind, {field_name: moved}):
                assert isinstance(record, Person | Department | Opportunity)
                dept = record.parent_id if isinstance(record, Department) else record.department_id
                if dept is not None:
                    out.append(StoredDependent(kind, record.id, record.organization_id, dept))
        return tuple(out)


def _org_parent(record: Entity) -> str | None:
    return record.parent_id if isinstance(record, Organization) else None


def _dept_parent(record: Entity) -> str | None:
    return record.parent_id if isinstance(record, Department) else None


async def load_stored_state(
    reader: GraphReader,
    workspace: str,
    doc: GraphDocument,
    progress: ProgressCallback | None = None,
) -> StoredState:
    """Everything stored that validating and diffing ``doc`` needs, in batched lookups."""
    load = _Loader(reader, workspace, progress)
    org_refs = {o.id for o in doc.organizations} | {
        o.parent_id for o in doc.organizations if o.parent_id is not None
    }
    dept_refs = {d.id for d in doc.departments} | {
        d.parent_id for d in doc.departments if d.parent_id is not None
    }
    person_refs = {p.id for p in doc.people}
    for records in (doc.departments, doc.people, doc.systems, doc.opportunities):
        org_refs.update(record.organization_id for record in records)
    for p in doc.people:
        if p.department_id is not None:
            dept_refs.add(p.department_id)
        if p.reports_to_id is not None:
            person_refs.add(p.reports_to_id)
    for s in doc.systems:
        dept_refs.update(s.department_ids)
    for o in doc.opportunities:
        if o.department_id is not None:
            dept_refs.add(o.department_id)
        if o.owner_id is not None:
            person_refs.add(o.owner_id)
    for r in doc.relationships:
        person_refs.update((r.from_id, r.to_id))
    for right in doc.decision_rights:
        person_refs.add(right.person_id)
        org_refs.add(right.scope_id)
        dept_refs.add(right.scope_id)

    orgs = await load.with_ancestors(EntityKind.ORGANIZATION, org_refs, _org_parent)
    depts = await load.with_ancestors(EntityKind.DEPARTMENT, dept_refs, _dept_parent)
    # The document's people are compared by the store; the others it names (managers,
    # relationship ends, owners outside it) are read.
    compared_people = await load.compare(EntityKind.PERSON, doc.people)
    people = await load.get(EntityKind.PERSON, person_refs.difference(p.id for p in doc.people))
    if compared_people is not None:
        people.update(compared_people.stored)
    managers = await load.solid_managers(person_refs)
    self_orgs = await reader.find(workspace, EntityKind.ORGANIZATION, {"kind": ["SELF"]})
    moved = [
        d.id
        for d in doc.departments
        if isinstance(stored := depts.get(d.id), Department)
        and stored.organization_id != d.organization_id
    ]
    known = KnownGraph(
        organizations={
            i: KnownOrganization(o.kind, o.parent_id)
            for i, o in orgs.items()
            if isinstance(o, Organization)
        },
        departments={
            i: KnownDepartment(d.organization_id, d.parent_id)
            for i, d in depts.items()
            if isinstance(d, Department)
        },
        # Of the document's people, only those stored otherwise (``KnownGraph.people``).
        people={i: p.organization_id for i, p in people.items() if isinstance(p, Person)},
        self_organizations=frozenset(
            o.id
            for o in self_orgs
            if isinstance(o, Organization) and o.kind is OrganizationKind.SELF
        ),
        solid_managers=managers,
        department_dependents=await load.dependents(moved),
    )
    opportunities = await load.get(EntityKind.OPPORTUNITY, {o.id for o in doc.opportunities})
    own_stages = None
    if doc.opportunities or doc.pipeline_stages is not None:
        own_stages = await reader.pipeline_stages(workspace)
        known = replace(
            known,
            stage_model=tuple(own_stages) if own_stages is not None else DEFAULT_STAGES,
            stored_owners={
                i: o.owner_id
                for i, o in opportunities.items()
                if isinstance(o, Opportunity) and o.owner_id is not None
            },
            stage_users=await load.stage_users() if doc.pipeline_stages is not None else {},
        )
    state = StoredState(known, own_stages=own_stages)
    if compared_people is not None:
        state.new[EntityKind.PERSON] = compared_people.new
    state.records[EntityKind.ORGANIZATION] = orgs
    state.records[EntityKind.DEPARTMENT] = depts
    state.records[EntityKind.PERSON] = people
    state.records[EntityKind.SYSTEM] = await load.get(
        EntityKind.SYSTEM, {s.id for s in doc.systems}
    )
    state.records[EntityKind.OPPORTUNITY] = opportunities
    relationships = await load.relationships(doc)
    if relationships is not None:
        state.relationships = relationships.stored
        state.new_relationships = relationships.new
    state.reporting = load.lines
    state.decision_rights = await load.decision_rights({r.key: r for r in doc.decision_rights})
    return state


_BY_ID = attrgetter("id")
_BY_KEY = attrgetter("key")


def _taken_into(found: dict[K, V]) -> Callable[[object, dict[K, V]], None]:
    """A ``_Loader._read_all`` taker that gathers each batch's answer into ``found``."""
    return lambda _batch, answer: found.update(answer)


def _matched_by_id(
    into: Matched[str, Entity],
) -> Callable[[list[Entity], Compared[str, Entity]], None]:
    """A taker of the store's comparisons of records, into ``into`` by id."""
    return lambda batch, answer: into.add(map(_BY_ID, batch), answer)


def _matched_by_key(
    into: Matched[RelationshipKey, Relationship],
) -> Callable[[list[Relationship], Compared[RelationshipKey, Relationship]], None]:
    """A taker of the store's comparisons of relationships, into ``into`` by key."""
    return lambda batch, answer: into.add(map(_BY_KEY, batch), answer)


def _reports_to_keys(doc: GraphDocument) -> Iterable[RelationshipKey]:
    """The keys of the document's ``reportsToId`` lines (REPORTS_TO is directed, so a key is
    its type, from and to as they are)."""
    reports_to = RelationshipType.REPORTS_TO
    return ((reports_to, p.id, p.reports_to_id) for p in doc.people if p.reports_to_id is not None)

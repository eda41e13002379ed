"""The in-memory projection of one workspace that every analytic query reads.

Over 400 lines on purpose: each index's insert and removal are kept side by side in one class.

In the spirit of a Neo4j GDS graph projection: the analytics never touch a store; they read
a ``Projection`` built once from the store's records and kept current by applying each
write's ``ChangeSet`` to it (``Projection.apply``), touching only what the change touches.

The hot structures are plain dicts and sets rather than a ``networkx`` graph, because a
million-person workspace must fit in a few GB: a networkx edge carries its own attribute
dict (about 200 bytes); here a walkable edge is one float in an adjacency dict.

- ``people``: a lean ``PersonNode`` per person (no pydantic overhead).
- ``relationships``: every relationship by key, as a ``Link`` (the multigraph, kept whole).
- ``walk``: the walkable graph of contact routes: for every pair of people joined by any
  relationship, the strongest ``effective_strength`` among them, in both directions.
- organizations, departments, systems, opportunities and decision rights, with the
  indexes the queries need (children of an organization, people of a department …).

``to_networkx`` turns the walkable graph into a ``networkx.Graph`` for reference algorithms
in tests and benchmarks.

Example:
    >>> from graphsvc.domain.models import Organization, Person, Relationship
    >>> p = Projection.build(
    ...     organizations=[Organization(id="us", name="Nexa", kind="SELF")],
    ...     people=[Person(id="a", name="A", organization_id="us"),
    ...             Person(id="b", name="B", organization_id="us")],
    ...     relationships=[Relationship(type="KNOWS", from_id="a", to_id="b", strength=0.8)],
    ... )
    >>> p.walk["a"]["b"]
    0.8
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any, NamedTuple

from graphsvc.domain.changes import ChangeSet
from graphsvc.domain.enums import (
    EntityKind,
    OrganizationKind,
    RelationshipType,
    Seniority,
    Stance,
)
from graphsvc.domain.models import (
    DEFAULT_STRENGTH,
    DecisionRight,
    DecisionRightKey,
    Department,
    Entity,
    InstalledSystem,
    Opportunity,
    Organization,
    Person,
    Relationship,
    RelationshipKey,
    relationship_key,
)
from graphsvc.domain.rows import PersonRow, RelationshipRow

__all__ = ["Link", "PersonNode", "Projection"]

_SERIALS = itertools.count(1)

_TYPE_ORDER = (RelationshipType.KNOWS, RelationshipType.INFLUENCES, RelationshipType.REPORTS_TO)
"""Which relationship names a hop when parallel relationships are equally strong."""


class PersonNode(NamedTuple):
    """What the analytics need of a person: a named tuple, to keep 1M people small and
    cheap to create (a frozen dataclass set each of its seven fields through
    ``object.__setattr__``, a third of inserting a person in a build)."""

    id: str
    name: str
    organization_id: str
    title: str | None
    department_id: str | None
    seniority: Seniority | None
    stance: Stance

    @classmethod
    def of(cls, person: Person) -> PersonNode:
        """The node of a stored person record."""
        return cls(
            person.id,
            person.name,
            person.organization_id,
            person.title,
            person.department_id,
            person.seniority,
            person.stance,
        )


class Link(NamedTuple):
    """One relationship as the analytics see it (the key holds type, from and to); a named
    tuple, as ``PersonNode``, because a build creates one per relationship."""

    strength: float
    """The effective strength: the recorded one, or the contract's default for the type."""
    last_contact_on: date | None
    dotted: bool

    @classmethod
    def of(cls, rel: Relationship) -> Link:
        """The link of a stored relationship."""
        return cls(rel.effective_strength, rel.last_contact_on, rel.dotted)


class Projection:
    """One workspace in memory: records, indexes and the walkable relationship graph.

    Build it with ``Projection.build`` and keep it current with ``apply``. Not thread-safe:
    the server reads and changes a served projection only under one lock (the projection
    cache's ``mutation``), so no reader observes a half-applied change. ``version`` is the
    store version the projection reflects.
    """

    def __init__(self) -> None:
        self.version = 0
        self.serial = next(_SERIALS)
        """Unique per projection object in this process (a key for results derived from it)."""
        self.people: dict[str, PersonNode] = {}
        self.organizations: dict[str, Organization] = {}
        self.departments: dict[str, Department] = {}
        self.systems: dict[str, InstalledSystem] = {}
        self.opportunities: dict[str, Opportunity] = {}
        self.decision_rights: dict[DecisionRightKey, DecisionRight] = {}
        self.relationships: dict[RelationshipKey, Link] = {}
        self.walk: dict[str, dict[str, float]] = {}
        self.blockers: set[str] = set()
        self.self_organization: str | None = None
        # indexes
        self.org_children: defaultdict[str, set[str]] = defaultdict(set)
        self.org_departments: defaultdict[str, set[str]] = defaultdict(set)
        self.org_people: defaultdict[str, set[str]] = defaultdict(set)
        self.org_systems: defaultdict[str, set[str]] = defaultdict(set)
        self.dept_people: defaultdict[str, set[str]] = defaultdict(set)
        self.dept_systems: defaultdict[str, set[str]] = defaultdict(set)
        self.dept_opportunities: defaultdict[str, set[str]] = defaultdict(set)
        self.rights_by_scope: defaultdict[str, set[DecisionRightKey]] = defaultdict(set)
        self._name_counts: Counter[str] | None = None
        """People per name, built on first use and dropped on every person change."""

    # --- building -----------------------------------------------------------------------

    @classmethod
    def build(
        cls,
        *,
        organizations: Iterable[Organization] = (),
        departments: Iterable[Department] = (),
        people: Iterable[Person] = (),
        systems: Iterable[InstalledSystem] = (),
        opportunities: Iterable[Opportunity] = (),
        relationships: Iterable[Relationship] = (),
        decision_rights: Iterable[DecisionRight] = (),
        version: int = 0,
    ) -> Projection:
        """A projection of these records (any iterables: lists, or batches flattened)."""
        projection = cls()
        for o in organizations:
            projection._put_organization(o)
        for d in departments:
            projection._put_department(d)
        for p in people:
            projection._put_person(p)
        for s in systems:
            projection._put_system(s)
        for op in opportunities:
            projection._put_opportunity(op)
        for r in relationships:
            projection._put_relationship(r)
        for dr in decision_rights:
            projection._put_right(dr)
        projection.version = version
        return projection

    def apply(self, changes: ChangeSet, version: int | None = None) -> None:
        """Apply a write the store has applied: deletes first, then upserts (as the store).

        Only the touched records, their index entries and, for relationships, the walkable
        edge of the touched pair are recomputed; nothing is rebuilt.
        """
        for kind, ids in changes.deletes.items():
            for id_ in ids:
                self._delete(kind, id_)
        for key in changes.relationship_deletes:
            self._delete_relationship(key)
        for right_key in changes.decision_right_deletes:
            self._delete_right(right_key)
        for kind in (
            EntityKind.ORGANIZATION,
            EntityKind.DEPARTMENT,
            EntityKind.PERSON,
            EntityKind.SYSTEM,
            EntityKind.OPPORTUNITY,
        ):
            for record in changes.upserts.get(kind, ()):
                self._put(record)
        for rel in changes.relationships:
            self._put_relationship(rel)
        for right in changes.decision_rights:
            self._put_right(right)
        if version is not None:
            self.version = version

    def add_person_rows(self, rows: Iterable[PersonRow]) -> None:
        """Upsert people read as lean rows (``GraphStore.stream_person_rows``): the same
        effect as applying them as ``Person`` records, for builds."""
        people, org_people, dept_people = self.people, self.org_people, self.dept_people
        blocker = Stance.BLOCKER
        self._name_counts = None  # a bulk load: counted again from scratch when next asked
        make = PersonNode._make
        for row in rows:
            id_ = row[0]
            old = people.get(id_)
            if old is not None:
                self._unindex_person(old)
            node = make(row)
            people[id_] = node
            org_people[row[2]].add(id_)
            if row[4] is not None:
                dept_people[row[4]].add(id_)
            if row[6] is blocker:
                self.blockers.add(id_)

    def add_relationship_rows(self, rows: Iterable[RelationshipRow]) -> None:
        """Upsert relationships read as lean rows (``GraphStore.stream_relationship_rows``):
        the same effect as applying them as ``Relationship`` records, for builds."""
        defaults = DEFAULT_STRENGTH
        knows = RelationshipType.KNOWS
        relationships, walk = self.relationships, self.walk
        for type_, a, b, strength, dotted, contact in rows:
            if type_ is knows and b < a:
                a, b = b, a
            effective = defaults[type_, dotted] if strength is None else strength
            key = (type_, a, b)
            link = Link(effective, contact, dotted)
            if key in relationships:
                self._put_link(key, link)
                continue
            # A new relationship (the build's case): ``_put_link`` inlined, as it only raises
            # the pair's walkable strength (a call per relationship was a tenth of a build).
            relationships[key] = link
            neighbours = walk.get(a)
            if neighbours is None:
                neighbours = walk[a] = {}
            current = neighbours.get(b)
            if current is None or current < effective:
                neighbours[b] = effective
                others = walk.get(b)
                if others is None:
                    others = walk[b] = {}
                others[a] = effective

    # --- reading helpers shared by the analytics ----------------------------------------

    def self_people(self) -> set[str]:
        """The people of the SELF organization (empty when there is none)."""
        if self.self_organization is None:
            return set()
        return self.org_people.get(self.self_organization, set())

    def namesakes(self, name: str) -> int:
        """How many people are called ``name`` (route explanations tell namesakes apart).
        Counted on the first call, then kept current as people are put and removed."""
        if self._name_counts is None:
            self._name_counts = Counter(node.name for node in self.people.values())
        return self._name_counts[name]

    def link(self, type_: RelationshipType, a: str, b: str) -> Link | None:
        """The relationship of this type from ``a`` to ``b`` (KNOWS either way), if any."""
        return self.relationships.get(relationship_key(type_, a, b))

    def links_between(self, a: str, b: str) -> Iterator[tuple[RelationshipKey, Link]]:
        """Every relationship joining ``a`` and ``b``, in either direction."""
        for key in (
            relationship_key(RelationshipType.KNOWS, a, b),
            (RelationshipType.INFLUENCES, a, b),
            (RelationshipType.INFLUENCES, b, a),
            (RelationshipType.REPORTS_TO, a, b),
            (RelationshipType.REPORTS_TO, b, a),
        ):
            found = self.relationships.get(key)
            if found is not None:
                yield key, found

    def strongest_link(self, a: str, b: str) -> tuple[RelationshipKey, Link] | None:
        """The relationship a route uses between ``a`` and ``b``: the strongest one.

        Equally strong relationships are told apart by type (KNOWS, INFLUENCES,
        REPORTS_TO) and then by key, so that a route's hops never depend on import order.
        """
        best: tuple[RelationshipKey, Link] | None = None
        for key, found in self.links_between(a, b):
            if best is None or _link_rank(key, found) < _link_rank(*best):
                best = (key, found)
        return best

    def to_networkx(self) -> Any:
        """The walkable graph as an undirected ``networkx.Graph`` with ``strength`` edges."""
        import networkx as nx  # only tests and benchmarks ask: not imported with the module

        graph = nx.Graph()
        graph.add_nodes_from(self.people)
        for a, neighbours in self.walk.items():
            for b, strength in neighbours.items():
                if a < b:
                    graph.add_edge(a, b, strength=strength)
        return graph

    # --- upserts ------------------------------------------------------------------------

    def _put(self, record: Entity) -> None:
        if isinstance(record, Organization):
            self._put_organization(record)
        elif isinstance(record, Department):
            self._put_department(record)
        elif isinstance(record, Person):
            self._put_person(record)
        elif isinstance(record, InstalledSystem):
            self._put_system(record)
        else:
            self._put_opportunity(record)

    def _put_organization(self, o: Organization) -> None:
        self._delete_organization(o.id)
        self.organizations[o.id] = o
        if o.parent_id is not None:
            self.org_children[o.parent_id].add(o.id)
        if o.kind is OrganizationKind.SELF:
            self.self_organization = o.id

    def _put_department(self, d: Department) -> None:
        self._delete_department(d.id)
        self.departments[d.id] = d
        self.org_departments[d.organization_id].add(d.id)

    def _put_person(self, p: Person) -> None:
        old = self.people.get(p.id)
        if old is not None:
            self._unindex_person(old)
        node = PersonNode.of(p)
        if self._name_counts is not None:
            self._name_counts[node.name] += 1
        self.people[p.id] = node
        self.org_people[node.organization_id].add(node.id)
        if node.department_id is not None:
            self.dept_people[node.department_id].add(node.id)
        if node.stance is Stance.BLOCKER:
            self.blockers.add(node.id)

    def _put_system(self, s: InstalledSystem) -> None:
        self._delete_system(s.id)
        self.systems[s.id] = s
        self.org_systems[s.organization_id].add(s.id)
        for d in s.department_ids:
            self.dept_systems[d].add(s.id)

    def _put_opportunity(self, op: Opportunity) -> None:
        self._delete_opportunity(op.id)
        self.opportunities[op.id] = op
        if op.department_id is not None:
            self.dept_opportunities[op.department_id].add(op.id)

    def _put_relationship(self, rel: Relationship) -> None:
        self._put_link(rel.key, Link.of(rel))

    def _put_link(self, key: RelationshipKey, link: Link) -> None:
        _, a, b = key
        old = self.relationships.get(key)
        self.relationships[key] = link
        if old is not None and old.strength > link.strength:
            # Weakened: another relationship of the pair may now be the strongest.
            self._refresh_pair(a, b)
            return
        # New or not weaker: the pair's walkable strength can only rise to this one, so the
        # (at most five) relationships of the pair need no rescan. This is the hot path of a
        # build: a rescan per relationship was most of building a 100k-person projection.
        strength = link.strength
        neighbours = self.walk.get(a)
        if neighbours is None:
            neighbours = self.walk[a] = {}
        current = neighbours.get(b)
        if current is None or current < strength:
            neighbours[b] = strength
            self.walk.setdefault(b, {})[a] = strength

    def _put_right(self, right: DecisionRight) -> None:
        self._delete_right(right.key)
        self.decision_rights[right.key] = right
        self.rights_by_scope[right.scope_id].add(right.key)

    # --- deletes ------------------------------------------------------------------------

    def _delete(self, kind: EntityKind, id_: str) -> None:
        if kind is EntityKind.ORGANIZATION:
            self._delete_organization(id_)
        elif kind is EntityKind.DEPARTMENT:
            self._delete_department(id_)
        elif kind is EntityKind.PERSON:
            self._delete_person(id_)
        elif kind is EntityKind.SYSTEM:
            self._delete_system(id_)
        else:
            self._delete_opportunity(id_)

    def _delete_organization(self, id_: str) -> None:
        old = self.organizations.pop(id_, None)
        if old is None:
            return
        if old.parent_id is not None:
            _discard(self.org_children, old.parent_id, id_)
        if self.self_organization == id_:
            self.self_organization = None

    def _delete_department(self, id_: str) -> None:
        old = self.departments.pop(id_, None)
        if old is not None:
            _discard(self.org_departments, old.organization_id, id_)

    def _delete_person(self, id_: str) -> None:
        old = self.people.pop(id_, None)
        if old is not None:
            self._unindex_person(old)
        # The service deletes a person's relationships in the same change set; dropping any
        # left over keeps the walkable graph free of dangling people regardless.
        for other in list(self.walk.get(id_, ())):
            for key, _ in list(self.links_between(id_, other)):
                del self.relationships[key]
            self._refresh_pair(id_, other)

    def _unindex_person(self, old: PersonNode) -> None:
        if self._name_counts is not None:
            self._name_counts[old.name] -= 1
        _discard(self.org_people, old.organization_id, old.id)
        if old.department_id is not None:
            _discard(self.dept_people, old.department_id, old.id)
        self.blockers.discard(old.id)

    def _delete_system(self, id_: str) -> None:
        old = self.systems.pop(id_, None)
        if old is None:
            return
        _discard(self.org_systems, old.organization_id, id_)
        for d in old.department_ids:
            _discard(self.dept_systems, d, id_)

    def _delete_opportunity(self, id_: str) -> None:
        old = self.opportunities.pop(id_, None)
        if old is not None and old.department_id is not None:
            _discard(self.dept_opportunities, old.department_id, id_)

    def _delete_relationship(self, key: RelationshipKey) -> None:
        type_, a, b = key
        if self.relationships.pop(relationship_key(type_, a, b), None) is not None:
            self._refresh_pair(a, b)

    def _delete_right(self, key: DecisionRightKey) -> None:
        old = self.decision_rights.pop(key, None)
        if old is not None:
            _discard(self.rights_by_scope, old.scope_id, key)

    # --- the walkable graph -------------------------------------------------------------

    def _refresh_pair(self, a: str, b: str) -> None:
        """Recompute the walkable edge a–b from the (at most five) relationships joining them."""
        best = max((found.strength for _, found in self.links_between(a, b)), default=None)
        if best is None:
            for x, y in ((a, b), (b, a)):
                neighbours = self.walk.get(x)
                if neighbours is not None:
                    neighbours.pop(y, None)
                    if not neighbours:
                        del self.walk[x]
            return
        self.walk.setdefault(a, {})[b] = best
        self.walk.setdefault(b, {})[a] = best


def _link_rank(key: RelationshipKey, found: Link) -> tuple[float, int, RelationshipKey]:
    return (-found.strength, _TYPE_ORDER.index(key[0]), key)


def _discard(index: defaultdict[str, set[Any]], key: str, value: Any) -> None:
    members = index.get(key)
    if members is not None:
        members.discard(value)
        if not members:
            del index[key]

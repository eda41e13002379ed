"""The store protocol: what every graph store (SQLite, Neo4j) provides, in domain terms.

The protocol is deliberately small and generic over the id-keyed kinds
(``EntityKind``), plus relationships and decision rights, which have composite keys.
Validation is not the store's job: ``services`` validate a write completely and then hand
the store a ``ChangeSet`` that it applies atomically. The behaviour every implementation
must show is defined by ``tests/contract``, which runs against each store.

Every call names its workspace; nothing ever crosses workspaces.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple, Protocol, runtime_checkable

from graphsvc.domain.auth import ApiToken
from graphsvc.domain.enums import EntityKind, RelationshipType, Seniority, Stance
from graphsvc.domain.models import (
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
)
from graphsvc.errors import InvalidInput, VersionMoved


class RelationshipRow(NamedTuple):
    """A stored relationship's fields that analytics read (``stream_relationship_rows``).

    ``from_id``/``to_id`` are the key's ends: for KNOWS, the sorted pair (it is unordered).
    ``strength`` is the recorded one (None: the type's default applies).
    """

    type: RelationshipType
    from_id: str
    to_id: str
    strength: float | None
    dotted: bool
    last_contact_on: date | None


class PersonRow(NamedTuple):
    """A stored person's fields that analytics read (``stream_person_rows``).

    Exactly the fields of the projection's ``PersonNode``: a 100k-person build spent longer
    validating a pydantic ``Person`` per row than inserting it, for fields the store already
    validated on write.
    """

    id: str
    name: str
    organization_id: str
    title: str | None
    department_id: str | None
    seniority: Seniority | None
    stance: Stance


ENTITY_MODELS: dict[EntityKind, type[Entity]] = {
    EntityKind.ORGANIZATION: Organization,
    EntityKind.DEPARTMENT: Department,
    EntityKind.PERSON: Person,
    EntityKind.SYSTEM: InstalledSystem,
    EntityKind.OPPORTUNITY: Opportunity,
}
"""The stored model of each id-keyed kind."""

FILTER_FIELDS: dict[EntityKind, frozenset[str]] = {
    EntityKind.ORGANIZATION: frozenset({"kind", "parentId", "industry"}),
    EntityKind.DEPARTMENT: frozenset({"organizationId", "parentId", "function"}),
    EntityKind.PERSON: frozenset({"organizationId", "departmentId", "seniority", "stance"}),
    EntityKind.SYSTEM: frozenset(
        {"organizationId", "category", "vendor", "ours", "status", "departmentIds"}
    ),
    EntityKind.OPPORTUNITY: frozenset(
        {"organizationId", "departmentId", "category", "stage", "status"}
    ),
}
"""The camelCase fields a ``ListQuery`` or ``find`` may match on, per kind.

``departmentIds`` on systems matches when *any* of the system's departments is among the
values. ``ours`` takes ``True``/``False``. A missing value (``None``) in the values matches a
record whose field is null (``parentId: [None]`` lists the top-level organizations).
"""

FilterValue = str | bool | None


def require_version(workspace: str, version: int, expected: int | None) -> None:
    """Raise ``VersionMoved`` if ``expected`` is given and the workspace is at another version.

    Every store checks ``apply``'s ``expected_version`` here, so the refusal reads the same.
    """
    if expected is not None and version != expected:
        raise VersionMoved(
            f"workspace {workspace!r} is at version {version}, not {expected}: another writer "
            "changed it after this write was prepared"
        )


class FieldFilter(NamedTuple):
    """One checked field of a ``where`` filter, as every store reads it.

    ``values`` are the present values (booleans for ``ours``, strings otherwise) and
    ``match_null`` says whether ``None`` was among them. No values and no null: nothing matches.
    """

    field: str
    values: list[str | bool]
    match_null: bool


def field_filters(
    kind: EntityKind, where: Mapping[str, Sequence[FilterValue]]
) -> list[FieldFilter]:
    """``where`` checked against ``FILTER_FIELDS`` and split into values and match-null.

    One function for every store, so that they refuse the same filters with the same words:
    an unknown field names the filterable ones, a value of the wrong type names the field.
    """
    allowed = FILTER_FIELDS[kind]
    checked = []
    for name, raw in where.items():
        if name not in allowed:
            raise InvalidInput(
                f"cannot filter {kind} on {name!r}; filterable fields: {', '.join(sorted(allowed))}"
            )
        values = list(raw)
        boolean = name == "ours"
        present: list[str | bool] = []
        for value in values:
            if value is None:
                continue
            if boolean != isinstance(value, bool) or not isinstance(value, bool | str):
                expected = "true or false" if boolean else "a string"
                raise InvalidInput(f"filter {kind}.{name} takes {expected}, not {value!r}")
            present.append(value)
        checked.append(FieldFilter(name, present, None in values))
    return checked


@dataclass(frozen=True)
class ListQuery:
    """A page of records of one kind, in id order (keyset pagination).

    ``where`` maps a field of ``FILTER_FIELDS`` to the values it may take (OR within a field,
    AND across fields); ``search`` is a case-insensitive substring of ``name`` (and of
    ``title`` for people); ``after`` is the id the previous page ended with.
    """

    where: Mapping[str, Sequence[FilterValue]] = field(default_factory=dict)
    search: str | None = None
    after: str | None = None
    limit: int = 50

    def __post_init__(self) -> None:
        """Refuse a negative ``limit`` here, once, so that every store treats it the same."""
        if self.limit < 0:
            raise InvalidInput(f"a page limit cannot be negative (got {self.limit})")


@dataclass
class ChangeSet:
    """A validated write, applied by the store in one transaction: all of it or none.

    Upserts replace the whole stored record with the same id (or key). Deletes of ids that do
    not exist are ignored. Deletes are applied before upserts. The store does not cascade:
    services put every dependent deletion into the change set themselves.
    """

    upserts: dict[EntityKind, list[Entity]] = field(default_factory=dict)
    relationships: list[Relationship] = field(default_factory=list)
    decision_rights: list[DecisionRight] = field(default_factory=list)
    deletes: dict[EntityKind, list[str]] = field(default_factory=dict)
    relationship_deletes: list[RelationshipKey] = field(default_factory=list)
    decision_right_deletes: list[DecisionRightKey] = field(default_factory=list)

    def is_empty(self) -> bool:
        """True when applying it would change nothing."""
        return not (
            any(self.upserts.values())
            or self.relationships
            or self.decision_rights
            or any(self.deletes.values())
            or self.relationship_deletes
            or self.decision_right_deletes
        )

    def size(self) -> int:
        """How many records it writes or deletes (for progress and batching)."""
        return (
            sum(len(v) for v in self.upserts.values())
            + len(self.relationships)
            + len(self.decision_rights)
            + sum(len(v) for v in self.deletes.values())
            + len(self.relationship_deletes)
            + len(self.decision_right_deletes)
        )


@runtime_checkable
class GraphStore(Protocol):
    """An async graph store holding any number of workspaces."""

    url: str
    """The store's URL without credentials, for messages and logs."""

    async def open(self) -> None:
        """Connect (and for SQLite create the schema); raise ``StoreUnavailable`` if it cannot."""

    async def close(self) -> None:
        """Release connections; the store can be opened again afterwards."""

    async def ping(self) -> None:
        """Raise ``StoreUnavailable`` unless the store answers a trivial query now."""

    async def migrate(self) -> list[str]:
        """Create the constraints and indexes the store relies on, idempotently.

        Returns one line per constraint or index ensured (for ``graphsvc migrate``). SQLite
        also does this on ``open``; Neo4j's ``open`` only checks and raises ``SchemaMissing``.
        """

    # --- writes -------------------------------------------------------------------------

    async def apply(
        self, workspace: str, changes: ChangeSet, expected_version: int | None = None
    ) -> int:
        """Apply ``changes`` atomically and durably; return the workspace's new version.

        When this returns, the write survives a crash of the process (``kill -9``). An empty
        change set changes nothing and returns the current version.

        ``expected_version`` makes the write conditional (optimistic concurrency across
        processes): the store compares it with the workspace's version inside the write
        transaction, before writing, and raises ``VersionMoved`` changing nothing if they
        differ. A write validated against version ``v`` and applied with
        ``expected_version=v`` therefore never lands on a state another process changed.
        """

    async def drop_workspace(self, workspace: str) -> None:
        """Delete every record of the workspace (tests and ``graphsvc`` admin use this)."""

    # --- reads --------------------------------------------------------------------------

    async def version(self, workspace: str) -> int:
        """A counter that grows with every applied non-empty change set (0 when empty).

        Shared by every process using the store, so that a cached projection knows when it is
        stale.
        """

    async def workspaces(self) -> list[str]:
        """The workspaces that hold any record, sorted."""

    async def get(self, workspace: str, kind: EntityKind, ids: Sequence[str]) -> dict[str, Entity]:
        """The records of ``kind`` with these ids; ids that do not exist are absent."""

    async def find(
        self, workspace: str, kind: EntityKind, where: Mapping[str, Sequence[FilterValue]]
    ) -> list[Entity]:
        """Every record of ``kind`` matching ``where`` (as in ``ListQuery``), in id order."""

    async def page(self, workspace: str, kind: EntityKind, query: ListQuery) -> list[Entity]:
        """One page of records; ``query.limit`` at most, in id order after ``query.after``."""

    async def count(self, workspace: str, kind: EntityKind, query: ListQuery) -> int:
        """How many records match ``query`` in all (ignoring ``after`` and ``limit``)."""

    async def relationships(
        self,
        workspace: str,
        person_ids: Sequence[str] | None = None,
        types: Sequence[RelationshipType] | None = None,
    ) -> list[Relationship]:
        """Relationships touching any of ``person_ids`` at either end (all when ``None``),
        of the given types (all when ``None``), ordered by key."""

    async def get_relationships(
        self, workspace: str, keys: Sequence[RelationshipKey]
    ) -> dict[RelationshipKey, Relationship]:
        """The relationships with these keys (KNOWS keys are the sorted pair)."""

    async def decision_rights(
        self,
        workspace: str,
        person_ids: Sequence[str] | None = None,
        scope_ids: Sequence[str] | None = None,
    ) -> list[DecisionRight]:
        """Decision rights held by any of ``person_ids`` and/or scoped to any of ``scope_ids``
        (a ``None`` filter matches all), ordered by key."""

    def stream(self, workspace: str, kind: EntityKind) -> AsyncIterator[list[Entity]]:
        """Every record of ``kind`` in id order, in batches (for export and projections)."""

    def stream_relationships(self, workspace: str) -> AsyncIterator[list[Relationship]]:
        """Every relationship in key order, in batches."""

    def stream_relationship_rows(self, workspace: str) -> AsyncIterator[list[RelationshipRow]]:
        """Every relationship as a lean ``RelationshipRow``, in key order, in batches.

        The same relationships as ``stream_relationships``, for projections: a 100k-person
        build spent more time building and validating a pydantic record per relationship
        than anything else, although the store validated each one when it was written.
        """

    def stream_person_rows(self, workspace: str) -> AsyncIterator[list[PersonRow]]:
        """Every person as a lean ``PersonRow``, in id order, in batches.

        The same people as ``stream(workspace, EntityKind.PERSON)``, for projections (as
        ``stream_relationship_rows``).
        """

    def stream_decision_rights(self, workspace: str) -> AsyncIterator[list[DecisionRight]]:
        """Every decision right in key order, in batches."""

    # --- API tokens (kept outside workspaces' graph data; never returned by export) -----

    async def save_token(self, token: ApiToken) -> None:
        """Store a new token (its id is unique across the store), durably."""

    async def tokens(self, workspace: str | None = None) -> list[ApiToken]:
        """Tokens of one workspace (all when ``None``), revoked ones included, by creation."""

    async def token_by_hash(self, secret_hash: str) -> ApiToken | None:
        """The token whose secret hashes to ``secret_hash``, revoked or not."""

    async def revoke_token(self, token_id: str, at: datetime) -> bool:
        """Mark a token revoked; False when no such token exists."""

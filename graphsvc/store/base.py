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
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from typing import Protocol, runtime_checkable

from graphsvc.domain.auth import ApiToken
from graphsvc.domain.changes import ChangeSet
from graphsvc.domain.enums import EntityKind, RelationshipType
from graphsvc.domain.history import Change, ChangeQuery, Review
from graphsvc.domain.listing import FilterValue, ListQuery
from graphsvc.domain.models import (
    DecisionRight,
    Entity,
    Relationship,
    RelationshipKey,
)
from graphsvc.domain.pipeline import PipelineStage
from graphsvc.domain.rows import PersonRow, ProjectionSnapshot, RelationshipRow
from graphsvc.errors import VersionMoved
from graphsvc.store.compare import Compared


def require_version(workspace: str, version: int, expected: int | None) -> None:
    """Raise ``VersionMoved`` if ``expected`` is given and the workspace is at another version.

    Every store checks ``apply``'s ``expected_version`` here, so the refusal reads the same.
    """
    if expected is not None and version != expected:
        raise VersionMoved(
            f"workspace {workspace!r} is at version {version}, not {expected}: another writer "
            "changed it after this write was prepared"
        )


class GraphReader(Protocol):
    """The lookups of a store: what planning a write may read (``services.writes``).

    Planning code takes a ``GraphReader`` rather than a ``GraphStore``, so that it can neither
    write nor read anything its recorder (``services.writes.read_set``) would not note.
    """

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

    async def reporting_lines(self, workspace: str, people: Sequence[str]) -> list[RelationshipRow]:
        """The stored REPORTS_TO lines from any of ``people`` to their managers, solid and
        dotted, ordered by key, as rows (trusted reads, as ``stream_relationship_rows``): what
        a write's lookups walk up the reporting lines with, without a record per line."""

    async def compare(
        self, workspace: str, kind: EntityKind, records: Sequence[Entity]
    ) -> Compared[str, Entity]:
        """Which of ``records`` (each of the kind's own model, as stored: a document's person
        entry as its ``Person``) are stored exactly as given, and the stored versions of the
        others (``store.compare``): what ``get`` of their ids and a comparison would tell, told
        more cheaply where the store can."""

    async def compare_relationships(
        self, workspace: str, relationships: Sequence[Relationship]
    ) -> Compared[RelationshipKey, Relationship]:
        """Which of ``relationships`` are stored with the same fields (by key: a KNOWS pair in
        either order), and the stored versions of the others, as ``compare``."""

    async def count_relationships(
        self, workspace: str, types: Sequence[RelationshipType] | None = None
    ) -> int:
        """How many relationships of ``types`` (all when ``None``) the workspace holds (a large
        import asks whether there are any before looking up 200k keys one batch at a time)."""

    async def decision_rights(
        self,
        workspace: str,
        person_ids: Sequence[str] | None = None,
        scope_ids: Sequence[str] | None = None,
    ) -> list[DecisionRight]:
        """Decision rights held by any of ``person_ids`` and/or scoped to any of ``scope_ids``
        (a ``None`` filter matches all), ordered by key."""

    async def pipeline_stages(self, workspace: str) -> list[PipelineStage] | None:
        """The workspace's own stage model, or None when it uses the default."""


@runtime_checkable
class GraphStore(GraphReader, Protocol):
    """An async graph store holding any number of workspaces."""

    url: str
    """The store's URL without credentials, for messages and logs."""

    async def relationship_page(
        self,
        workspace: str,
        *,
        after: tuple[str, str, str] | None,
        first: int,
        types: Sequence[RelationshipType] | None = None,
    ) -> list[Relationship]:
        """Up to ``first`` relationships of ``types`` (all when ``None``) whose keys come
        after ``after`` (from the start when ``None``), in key order: a page of
        ``relationships(workspace, None, types)`` read by its key, not the whole list.

        ``after`` is compared as text, part by part, as Python compares the key tuples
        (a cursor's key, as given: a KNOWS pair is not re-sorted)."""

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

        ``changes.log`` is appended to the change log in the same transaction, each change
        stamped with the new version and its index in the list (``domain.history``).

        When this returns, the write survives a crash of the process (``kill -9``). An empty
        change set changes nothing and returns the current version.

        ``expected_version`` makes the write conditional (optimistic concurrency across
        processes): the store compares it with the workspace's version inside the write
        transaction, before writing, and raises ``VersionMoved`` changing nothing if they
        differ. A write validated against version ``v`` and applied with
        ``expected_version=v`` therefore never lands on a state another process changed.
        """

    def write_turn(self) -> AbstractAsyncContextManager[None]:
        """Hold the store's write turn: while held, no other process (or task) sharing it
        applies a write, so a version read under it is still current at the holder's apply.

        A write prepared again after another process wrote holds it (``services.writes``),
        so that its second preparation is final. SQLite: a lock file beside the store
        (``store.sqlite.turn``), also taken by every ``apply``. Neo4j: none (holding it
        excludes nobody); writes there keep their bounded retries.
        """
        ...

    async def drop_workspace(self, workspace: str) -> None:
        """Delete every record of the workspace (tests and ``graphsvc`` admin use this),
        its change log, reviews and stage model too."""

    async def compact(self, workspace: str, through_version: int) -> int:
        """Drop the changes of versions up to ``through_version``; how many were dropped.

        ``log_from`` becomes at least ``through_version``. Durable and atomic.
        """

    async def save_review(self, workspace: str, review: Review) -> None:
        """Store a new review durably (its id is unique in the workspace)."""

    async def save_projection_snapshot(self, workspace: str, snapshot: ProjectionSnapshot) -> None:
        """Keep ``snapshot`` as the workspace's saved analytic projection, replacing the one
        kept before (one per workspace; ``drop_workspace`` deletes it). Its data is opaque to
        the store; it lives in the store so that a copy or backup of the store carries the
        snapshot of exactly what it holds."""

    async def projection_snapshot(self, workspace: str) -> ProjectionSnapshot | None:
        """The workspace's saved analytic projection, or None."""

    # --- reads --------------------------------------------------------------------------

    async def version(self, workspace: str) -> int:
        """A counter that grows with every applied non-empty change set (0 when empty).

        Shared by every process using the store, so that a cached projection knows when it is
        stale.
        """

    async def changes(self, workspace: str, query: ChangeQuery) -> list[Change]:
        """The workspace's logged changes matching ``query``, in log order (oldest first)."""

    async def log_from(self, workspace: str) -> int:
        """The version after which the change log is complete.

        0 for a workspace logged from its first write. A workspace written before the log
        existed, or compacted, starts later: changes of versions up to this one are gone.
        """

    async def reviews(self, workspace: str, organization_id: str | None = None) -> list[Review]:
        """The workspace's reviews (of one organization when given), oldest first."""

    async def review(self, workspace: str, review_id: str) -> Review | None:
        """One review by id, or None."""

    async def workspaces(self) -> list[str]:
        """The workspaces that hold any record, sorted."""

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

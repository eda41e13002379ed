"""``Neo4jStore``: the ``GraphStore`` on Neo4j 5 (the package docstring describes the graph
model); statements come from the catalog, the driver is behind ``engine``."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, nullcontext

from neo4j import AsyncManagedTransaction

from graphsvc.domain.changes import ChangeSet
from graphsvc.domain.enums import EntityKind, RelationshipType
from graphsvc.domain.history import Change, ChangeQuery, Review
from graphsvc.domain.listing import FilterValue, ListQuery
from graphsvc.domain.models import DecisionRight, Entity, Relationship, RelationshipKey
from graphsvc.domain.pipeline import PipelineStage
from graphsvc.domain.rows import ProjectionSnapshot, RelationshipRow
from graphsvc.errors import SchemaMissing, StoreUnavailable
from graphsvc.store.base import require_version
from graphsvc.store.compare import Compared, compared_records, compared_relationships
from graphsvc.store.neo4j.catalog import PLACEHOLDERS, statement
from graphsvc.store.neo4j.engine import DEFAULT_TIMEOUT_SECONDS, Neo4jEngine
from graphsvc.store.neo4j.history import Neo4jHistory
from graphsvc.store.neo4j.rows import (
    LABELS,
    chunks,
    entity_from,
    filters,
    present,
    relationship_key_row,
)
from graphsvc.store.neo4j.schema import SCHEMA, missing_items
from graphsvc.store.neo4j.streams import Neo4jStreams
from graphsvc.store.neo4j.tokens import Neo4jTokens
from graphsvc.store.neo4j.write import apply_changes

__all__ = ["DROP_BATCH", "Neo4jStore"]

DROP_BATCH = 10_000
"""Nodes deleted per transaction by ``drop_workspace`` (keeps each transaction's memory small)."""


class Neo4jStore(Neo4jStreams, Neo4jTokens):
    """``GraphStore`` on a Neo4j 5 database (see the package docstring for the model)."""

    def __init__(
        self,
        url: str,
        *,
        user: str,
        password: str | None,
        database: str,
        timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
    ) -> None:
        self._engine = Neo4jEngine(
            url, user=user, password=password, database=database, timeout_seconds=timeout_seconds
        )
        self.url = self._engine.url
        self._history = Neo4jHistory(self._engine)

    # --- lifecycle ------------------------------------------------------------------

    async def open(self) -> None:
        """Connect, and check that ``graphsvc migrate`` has created the schema."""
        await self._engine.connect()
        constraints = await self._engine.read(statement("show_constraints"))
        indexes = await self._engine.read(statement("show_indexes"))
        missing, failed = missing_items(
            (r["name"] for r in constraints), ((r["name"], r["state"]) for r in indexes)
        )
        database = self._engine.database
        if missing:
            names = ", ".join(item.describe() for item in missing)
            raise SchemaMissing(
                f"Neo4j database {database!r} at {self.url} lacks {names}: run `graphsvc migrate`"
            )
        if failed:
            raise StoreUnavailable(
                f"Neo4j database {database!r} at {self.url} failed to build index(es) "
                f"{', '.join(failed)}: drop them and run `graphsvc migrate` again"
            )

    async def close(self) -> None:
        """Close the driver; ``open`` makes a new one."""
        await self._engine.close()

    def write_turn(self) -> AbstractAsyncContextManager[None]:
        """No write turn on Neo4j: holding it excludes nobody (``GraphStore.write_turn``).

        Writes to one workspace from several servers are serialized by Neo4j on the
        workspace node and keep their bounded retries (README, "Running several servers
        over one Neo4j").
        """
        return nullcontext()

    async def ping(self) -> None:
        """Raise ``StoreUnavailable`` unless the database answers ``RETURN 1``."""
        await self._engine.read(statement("ping"))

    async def migrate(self) -> list[str]:
        """Create every constraint and index of ``schema.SCHEMA`` (``IF NOT EXISTS``)."""
        lines = []
        for item in SCHEMA:
            await self._engine.run_write(item.text)
            lines.append(item.describe())
        return lines

    # --- writes ---------------------------------------------------------------------

    async def apply(
        self, workspace: str, changes: ChangeSet, expected_version: int | None = None
    ) -> int:
        """Apply ``changes`` in one write transaction (see ``write``).

        ``expected_version`` is checked in that transaction, under the workspace's lock.
        """
        if changes.is_empty():
            version = await self.version(workspace)
            require_version(workspace, version, expected_version)
            return version

        async def work(tx: AsyncManagedTransaction) -> int:
            return await apply_changes(tx, workspace, changes, expected_version)

        return await self._engine.write(work)

    async def drop_workspace(self, workspace: str) -> None:
        """Delete every node of the workspace (its tokens, reviews and change log too), then
        advance its version, which also ends its stage model and moves its log's start.

        Deletion runs in bounded transactions (``DROP_BATCH`` nodes each), so dropping a huge
        workspace needs no huge transaction; it is not atomic, but running it again finishes
        an interrupted drop.
        """
        for label in PLACEHOLDERS["node"]:
            query = statement("drop_nodes", node=label)
            while True:
                records = await self._engine.run_write(query, workspace=workspace, batch=DROP_BATCH)
                if not records or records[0]["deleted"] == 0:
                    break
        await self._history.drop(workspace)
        await self._engine.run_write(statement("advance_version"), workspace=workspace)

    async def compact(self, workspace: str, through_version: int) -> int:
        """Drop the changes up to ``through_version`` (see ``history``); how many."""
        return await self._history.compact(workspace, through_version)

    async def save_review(self, workspace: str, review: Review) -> None:
        """Store a new review; a reused id is a ``Conflict``."""
        await self._history.save_review(workspace, review)

    async def save_projection_snapshot(self, workspace: str, snapshot: ProjectionSnapshot) -> None:
        """Keep ``snapshot`` as the workspace's saved projection (a node with a byte array)."""
        await self._engine.run_write(
            statement("save_projection_snapshot"),
            workspace=workspace,
            version=snapshot.version,
            format=snapshot.format,
            snapshot=snapshot.data,
        )

    async def projection_snapshot(self, workspace: str) -> ProjectionSnapshot | None:
        """The workspace's saved projection, or None."""
        records = await self._engine.read(statement("get_projection_snapshot"), workspace=workspace)
        if not records:
            return None
        found = records[0]
        return ProjectionSnapshot(int(found["version"]), str(found["format"]), bytes(found["data"]))

    # --- reads ----------------------------------------------------------------------

    async def version(self, workspace: str) -> int:
        """The workspace's change counter (0 before its first write)."""
        records = await self._engine.read(statement("get_version"), workspace=workspace)
        return int(records[0]["version"])

    async def changes(self, workspace: str, query: ChangeQuery) -> list[Change]:
        """The logged changes matching ``query``, in log order."""
        return await self._history.changes(workspace, query)

    async def log_from(self, workspace: str) -> int:
        """The version after which the workspace's change log is complete."""
        return await self._history.log_from(workspace)

    async def reviews(self, workspace: str, organization_id: str | None = None) -> list[Review]:
        """The workspace's reviews (of one organization when given), oldest first."""
        return await self._history.reviews(workspace, organization_id)

    async def review(self, workspace: str, review_id: str) -> Review | None:
        """One review by id, or None."""
        return await self._history.review(workspace, review_id)

    async def pipeline_stages(self, workspace: str) -> list[PipelineStage] | None:
        """The workspace's own stage model, or None when it uses the default."""
        return await self._history.pipeline_stages(workspace)

    async def workspaces(self) -> list[str]:
        """Workspaces holding any record, sorted."""
        records = await self._engine.read(statement("list_workspaces"))
        return sorted(str(r["workspace"]) for r in records)

    async def get(self, workspace: str, kind: EntityKind, ids: Sequence[str]) -> dict[str, Entity]:
        """Records by id, in id order; missing ids are absent."""
        query = statement("get_entities", label=LABELS[kind])
        found: dict[str, Entity] = {}
        for batch in chunks(dict.fromkeys(ids)):
            for data in present(await self._engine.read(query, workspace=workspace, ids=batch)):
                entity = entity_from(kind, data)
                found[entity.id] = entity
        return {id_: found[id_] for id_ in sorted(found)}

    async def find(
        self, workspace: str, kind: EntityKind, where: Mapping[str, Sequence[FilterValue]]
    ) -> list[Entity]:
        """Every matching record in id order, fetched in keyset pages."""
        query = statement("find_entities", label=LABELS[kind])
        found: list[Entity] = []
        pages = self._engine.keyset(query, workspace, filters=filters(kind, where), search=None)
        async for rows in pages:
            found.extend(entity_from(kind, data) for data in rows)
        return found

    async def page(self, workspace: str, kind: EntityKind, query: ListQuery) -> list[Entity]:
        """At most ``query.limit`` records after ``query.after``, in id order."""
        where = filters(kind, query.where)  # validated even when no row is wanted
        if query.limit == 0:
            return []
        [page] = await self._engine.read(
            statement("find_entities", label=LABELS[kind]),
            workspace=workspace,
            filters=where,
            search=query.search.casefold() if query.search is not None else None,
            after=query.after or "",
            batch=query.limit,
        )
        return [entity_from(kind, data) for data in page["rows"]]

    async def count(self, workspace: str, kind: EntityKind, query: ListQuery) -> int:
        """How many records match ``query.where`` and ``query.search``."""
        records = await self._engine.read(
            statement("count_entities", label=LABELS[kind]),
            workspace=workspace,
            filters=filters(kind, query.where),
            search=query.search.casefold() if query.search is not None else None,
        )
        return int(records[0]["count"])

    async def relationships(
        self,
        workspace: str,
        person_ids: Sequence[str] | None = None,
        types: Sequence[RelationshipType] | None = None,
    ) -> list[Relationship]:
        """Relationships touching ``person_ids`` (all when ``None``), ordered by key."""
        type_names = [str(t) for t in (types if types is not None else RelationshipType)]
        found: dict[RelationshipKey, Relationship] = {}
        if person_ids is None:
            batches: Iterator[list[str] | None] = iter([None])
        else:
            batches = chunks(dict.fromkeys(person_ids))
        for batch in batches:
            if batch is None:
                records = await self._engine.read(
                    statement("all_relationships"), workspace=workspace, types=type_names
                )
            else:
                records = await self._engine.read(
                    statement("find_relationships"),
                    workspace=workspace,
                    personIds=batch,
                    types=type_names,
                )
            for data in present(records):
                relationship = Relationship.model_validate_json(data)
                found[relationship.key] = relationship
        return [found[key] for key in sorted(found)]

    async def relationship_page(
        self,
        workspace: str,
        *,
        after: tuple[str, str, str] | None,
        first: int,
        types: Sequence[RelationshipType] | None = None,
    ) -> list[Relationship]:
        """A page in key order: one query per type from ``after``'s on (types in key
        order), each ordered by the edge's ends, which are the key's (from, to)."""
        wanted = sorted(RelationshipType if types is None else set(types))
        found: list[Relationship] = []
        for type_ in wanted:
            if len(found) >= first:
                break
            if after is not None and type_ < after[0]:
                continue
            after_from, after_to = ("", "") if after is None or type_ > after[0] else after[1:]
            records = await self._engine.read(
                statement("page_relationships", type=type_.value),
                workspace=workspace,
                afterFrom=after_from,
                afterTo=after_to,
                batch=first - len(found),
            )
            found.extend(Relationship.model_validate_json(data) for data in present(records))
        return found

    async def count_relationships(
        self, workspace: str, types: Sequence[RelationshipType] | None = None
    ) -> int:
        """Counted by Neo4j over the workspace's relationship edges of those types."""
        type_names = [str(t) for t in (types if types is not None else RelationshipType)]
        records = await self._engine.read(
            statement("count_relationships"), workspace=workspace, types=type_names
        )
        return int(records[0]["count"])

    async def get_relationships(
        self, workspace: str, keys: Sequence[RelationshipKey]
    ) -> dict[RelationshipKey, Relationship]:
        """Relationships by key (a KNOWS key may name its pair in either order)."""
        by_type: dict[RelationshipType, list[dict[str, str]]] = {}
        for key in dict.fromkeys(keys):
            by_type.setdefault(RelationshipType(key[0]), []).append(relationship_key_row(key))
        found: dict[RelationshipKey, Relationship] = {}
        for type_, rows in by_type.items():
            query = statement("get_relationships", type=type_.value)
            for batch in chunks(rows):
                records = await self._engine.read(query, workspace=workspace, keys=batch)
                for data in present(records):
                    relationship = Relationship.model_validate_json(data)
                    found[relationship.key] = relationship
        return found

    async def reporting_lines(self, workspace: str, people: Sequence[str]) -> list[RelationshipRow]:
        """The REPORTS_TO lines from ``people``: their relationships of that type, from them."""
        members = set(people)
        lines = await self.relationships(workspace, people, [RelationshipType.REPORTS_TO])
        return [
            RelationshipRow(
                line.type,
                line.from_id,
                line.to_id,
                line.strength,
                line.dotted,
                line.last_contact_on,
            )
            for line in lines
            if line.from_id in members
        ]

    async def compare(
        self, workspace: str, kind: EntityKind, records: Sequence[Entity]
    ) -> Compared[str, Entity]:
        """Which of ``records`` are stored as given: read by id and compared as models."""
        stored = await self.get(workspace, kind, [record.id for record in records])
        return compared_records(records, stored)

    async def compare_relationships(
        self, workspace: str, relationships: Sequence[Relationship]
    ) -> Compared[RelationshipKey, Relationship]:
        """Which of ``relationships`` are stored as given: read by key and compared."""
        stored = await self.get_relationships(workspace, [r.key for r in relationships])
        return compared_relationships(relationships, stored)

    async def decision_rights(
        self,
        workspace: str,
        person_ids: Sequence[str] | None = None,
        scope_ids: Sequence[str] | None = None,
    ) -> list[DecisionRight]:
        """Rights held by ``person_ids`` and/or scoped to ``scope_ids``, ordered by key."""
        records = await self._engine.read(
            statement("find_decision_rights"),
            workspace=workspace,
            personIds=list(person_ids) if person_ids is not None else None,
            scopeIds=list(scope_ids) if scope_ids is not None else None,
        )
        rights = [DecisionRight.model_validate_json(data) for data in present(records)]
        return sorted(rights, key=lambda right: right.key)

"""The Neo4j store (Neo4j 5.26 LTS, Community edition) on the official async driver.

The graph model, every node and relationship carrying ``workspace`` (every statement
matches on it, so workspaces never meet):

- ``(:Organization|Department|Person|System|Opportunity {workspace, id, data, search, …})``:
  one node per record; ``data`` is the record's JSON (exact round trips), the record's
  fields are also plain properties (dates as ISO strings) for filters and for people
  exploring the graph; ``search`` is the casefolded text ``ListQuery.search`` looks into.
- Structural edges drawn from reference fields, for the shape of the account:
  ``(:Organization)-[:OWNED_BY]->(:Organization)`` (parentId, subsidiary or affiliate),
  ``(:Department)-[:PART_OF]->(:Organization)``, ``(:Department)-[:SUB_UNIT_OF]->(:Department)``,
  ``(:Person)-[:WORKS_AT]->(:Organization)``, ``(:Person)-[:WORKS_IN]->(:Department)``,
  ``(:System)-[:INSTALLED_AT]->(:Organization)``, ``(:System)-[:USED_BY]->(:Department)``,
  ``(:Opportunity)-[:FOR_ORGANIZATION|FOR_DEPARTMENT]->``. Reads never depend on them.
- ``(:PersonRef)-[:KNOWS|INFLUENCES|REPORTS_TO {workspace, data, strength, …}]->(:PersonRef)``:
  the relationships, one edge per key; KNOWS is mutual and stored once, from the smaller
  id of its sorted pair to the larger (``data`` keeps the from/to as written). Every
  ``:Person`` node is also a ``:PersonRef``; since the store does not validate or cascade
  (``base.ChangeSet``), a relationship to a person without a record ends at a bare
  ``:PersonRef {workspace, id}``, which disappears with its last relationship.
- ``(:DecisionRight {workspace, personId, scopeId, areaKey, role, data})``, unique on that
  key (``areaKey`` is the casefolded area), with ``(:Person)-[:HOLDS]->`` and
  ``-[:SCOPED_TO]->(:Organization|Department)``.
- ``(:Workspace {workspace, version})``: the change counter, incremented in the same
  transaction as every non-empty apply, so all replicas agree when to rebuild projections;
  dropping a workspace keeps it and increments it once more.
- ``(:ApiToken {id, workspace, secretHash, createdTs, data})``: tokens, outside the graph.

Reads go to readers (``RoutingControl.READ``), writes run in managed write transactions;
every statement comes from ``cypher/`` through ``graphsvc.store.cypher``; driver errors
become graphsvc errors in ``neo4j_errors.translate_error``, the one place that knows them.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from datetime import datetime
from typing import Any, TypeVar

import neo4j
from neo4j import (
    AsyncDriver,
    AsyncGraphDatabase,
    AsyncManagedTransaction,
    NotificationMinimumSeverity,
    RoutingControl,
)
from neo4j import exceptions as neo4j_errors

from graphsvc.domain.auth import ApiToken
from graphsvc.domain.changes import ChangeSet
from graphsvc.domain.enums import EntityKind, RelationshipType
from graphsvc.domain.listing import FilterValue, ListQuery
from graphsvc.domain.models import DecisionRight, Entity, Relationship, RelationshipKey
from graphsvc.domain.rows import PersonRow, RelationshipRow
from graphsvc.errors import GraphsvcError, SchemaMissing, StoreUnavailable
from graphsvc.store.base import require_version
from graphsvc.store.cypher import PLACEHOLDERS, statement
from graphsvc.store.neo4j_errors import public_url, raised_by_driver, translate_error
from graphsvc.store.neo4j_rows import (
    BATCH_SIZE,
    LABELS,
    chunks,
    entity_from,
    filters,
    person_row_from,
    relationship_key_row,
    relationship_row_from,
    token_props,
)
from graphsvc.store.neo4j_schema import SCHEMA, missing_items
from graphsvc.store.neo4j_write import apply_changes

__all__ = ["Neo4jStore", "translate_error"]

T = TypeVar("T")

DROP_BATCH = 10_000
"""Nodes deleted per transaction by ``drop_workspace`` (keeps each transaction's memory small)."""


class Neo4jStore:
    """``GraphStore`` on a Neo4j 5 database (see the module docstring for the model)."""

    def __init__(self, url: str, *, user: str, password: str | None, database: str) -> None:
        self.url = public_url(url)
        self._uri = url
        self._auth = (user, password) if password is not None else None
        self._database = database
        self._driver: AsyncDriver | None = None

    # --- connection -----------------------------------------------------------------

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except GraphsvcError:
            raise
        except (neo4j_errors.Neo4jError, neo4j_errors.DriverError, OSError) as exc:
            raise translate_error(exc, self.url, self._database) from exc
        except ValueError as exc:
            if not raised_by_driver(exc):
                raise
            raise translate_error(exc, self.url, self._database) from exc

    def _connection(self) -> AsyncDriver:
        if self._driver is None:
            try:
                self._driver = AsyncGraphDatabase.driver(
                    self._uri,
                    auth=self._auth,
                    # Every statement is linted by Neo4j's parser in the test suite; at run
                    # time the server's notifications (e.g. "relationship type does not
                    # exist" on an empty database) would only reach users as log noise.
                    notifications_min_severity=NotificationMinimumSeverity.OFF,
                )
            except (neo4j_errors.DriverError, ValueError) as exc:  # a malformed URL
                raise translate_error(exc, self.url, self._database) from exc
        return self._driver

    async def open(self) -> None:
        """Connect, and check that ``graphsvc migrate`` has created the schema."""
        driver = self._connection()
        with self._errors():
            await driver.verify_connectivity()
        constraints = await self._read(statement("show_constraints"))
        indexes = await self._read(statement("show_indexes"))
        missing, failed = missing_items(
            (r["name"] for r in constraints), ((r["name"], r["state"]) for r in indexes)
        )
        if missing:
            names = ", ".join(item.describe() for item in missing)
            raise SchemaMissing(
                f"Neo4j database {self._database!r} at {self.url} lacks {names}: "
                "run `graphsvc migrate`"
            )
        if failed:
            raise StoreUnavailable(
                f"Neo4j database {self._database!r} at {self.url} failed to build index(es) "
                f"{', '.join(failed)}: drop them and run `graphsvc migrate` again"
            )

    async def close(self) -> None:
        """Close the driver; ``open`` makes a new one."""
        driver, self._driver = self._driver, None
        if driver is not None:
            with self._errors():
                await driver.close()

    async def ping(self) -> None:
        """Raise ``StoreUnavailable`` unless the database answers ``RETURN 1``."""
        await self._read(statement("ping"))

    async def migrate(self) -> list[str]:
        """Create every constraint and index of ``neo4j_schema.SCHEMA`` (``IF NOT EXISTS``)."""
        driver = self._connection()
        lines = []
        for item in SCHEMA:
            with self._errors():
                await driver.execute_query(item.text, database_=self._database)
            lines.append(item.describe())
        return lines

    async def _read(self, query: str, **params: Any) -> list[neo4j.Record]:
        """Run a read in an auto-commit transaction, once more in a managed one if it fails
        with an error the driver calls retryable (that one retries with back-off).

        Auto-commit sends RUN and PULL in one round trip: 1.0 ms per small read here against
        2.1 ms for ``execute_query``'s managed transaction, which a warm route pays several
        times (the version check, the people it names).
        """
        driver = self._connection()
        with self._errors():
            try:
                async with driver.session(
                    database=self._database, default_access_mode=neo4j.READ_ACCESS
                ) as session:
                    result = await session.run(query, params)
                    return [record async for record in result]
            except (neo4j_errors.Neo4jError, neo4j_errors.DriverError) as exc:
                if not exc.is_retryable():
                    raise
            retried = await driver.execute_query(
                query, parameters_=params, database_=self._database, routing_=RoutingControl.READ
            )
        records: list[neo4j.Record] = retried.records
        return records

    async def _write(self, work: Callable[[AsyncManagedTransaction], Awaitable[T]]) -> T:
        driver = self._connection()
        with self._errors():
            async with driver.session(database=self._database) as session:
                return await session.execute_write(work)

    async def _run_write(self, query: str, **params: Any) -> list[neo4j.Record]:
        async def work(tx: AsyncManagedTransaction) -> list[neo4j.Record]:
            result = await tx.run(query, params)
            return [record async for record in result]

        return await self._write(work)

    # --- writes ---------------------------------------------------------------------

    async def apply(
        self, workspace: str, changes: ChangeSet, expected_version: int | None = None
    ) -> int:
        """Apply ``changes`` in one write transaction (see ``neo4j_write``).

        ``expected_version`` is checked in that transaction, under the workspace's lock.
        """
        if changes.is_empty():
            version = await self.version(workspace)
            require_version(workspace, version, expected_version)
            return version

        async def work(tx: AsyncManagedTransaction) -> int:
            return await apply_changes(tx, workspace, changes, expected_version)

        return await self._write(work)

    async def drop_workspace(self, workspace: str) -> None:
        """Delete every node of the workspace (its tokens too), then advance its version.

        Deletion runs in bounded transactions (``DROP_BATCH`` nodes each), so dropping a huge
        workspace needs no huge transaction; it is not atomic, but running it again finishes
        an interrupted drop.
        """
        for label in PLACEHOLDERS["node"]:
            query = statement("drop_nodes", node=label)
            while True:
                records = await self._run_write(query, workspace=workspace, batch=DROP_BATCH)
                if not records or records[0]["deleted"] == 0:
                    break
        await self._run_write(statement("advance_version"), workspace=workspace)

    # --- reads ----------------------------------------------------------------------

    async def version(self, workspace: str) -> int:
        """The workspace's change counter (0 before its first write)."""
        records = await self._read(statement("get_version"), workspace=workspace)
        return int(records[0]["version"])

    async def workspaces(self) -> list[str]:
        """Workspaces holding any record, sorted."""
        records = await self._read(statement("list_workspaces"))
        return sorted(str(r["workspace"]) for r in records)

    async def get(self, workspace: str, kind: EntityKind, ids: Sequence[str]) -> dict[str, Entity]:
        """Records by id, in id order; missing ids are absent."""
        query = statement("get_entities", label=LABELS[kind])
        found: dict[str, Entity] = {}
        for batch in chunks(dict.fromkeys(ids)):
            for record in await self._read(query, workspace=workspace, ids=batch):
                entity = entity_from(kind, record["data"])
                found[entity.id] = entity
        return {id_: found[id_] for id_ in sorted(found)}

    async def find(
        self, workspace: str, kind: EntityKind, where: Mapping[str, Sequence[FilterValue]]
    ) -> list[Entity]:
        """Every matching record in id order, fetched in keyset pages."""
        found: list[Entity] = []
        after: str | None = None
        while True:
            page = await self.page(
                workspace, kind, ListQuery(where=where, after=after, limit=BATCH_SIZE)
            )
            found.extend(page)
            if len(page) < BATCH_SIZE:
                return found
            after = page[-1].id

    async def page(self, workspace: str, kind: EntityKind, query: ListQuery) -> list[Entity]:
        """At most ``query.limit`` records after ``query.after``, in id order."""
        where = filters(kind, query.where)  # validated even when no row is wanted
        if query.limit == 0:
            return []
        records = await self._read(
            statement("find_entities", label=LABELS[kind]),
            workspace=workspace,
            filters=where,
            search=query.search.casefold() if query.search is not None else None,
            after=query.after or "",
            limit=query.limit,
        )
        return [entity_from(kind, r["data"]) for r in records]

    async def count(self, workspace: str, kind: EntityKind, query: ListQuery) -> int:
        """How many records match ``query.where`` and ``query.search``."""
        records = await self._read(
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
                records = await self._read(
                    statement("all_relationships"), workspace=workspace, types=type_names
                )
            else:
                records = await self._read(
                    statement("find_relationships"),
                    workspace=workspace,
                    personIds=batch,
                    types=type_names,
                )
            for record in records:
                relationship = Relationship.model_validate_json(record["data"])
                found[relationship.key] = relationship
        return [found[key] for key in sorted(found)]

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
                for record in await self._read(query, workspace=workspace, keys=batch):
                    relationship = Relationship.model_validate_json(record["data"])
                    found[relationship.key] = relationship
        return found

    async def decision_rights(
        self,
        workspace: str,
        person_ids: Sequence[str] | None = None,
        scope_ids: Sequence[str] | None = None,
    ) -> list[DecisionRight]:
        """Rights held by ``person_ids`` and/or scoped to ``scope_ids``, ordered by key."""
        records = await self._read(
            statement("find_decision_rights"),
            workspace=workspace,
            personIds=list(person_ids) if person_ids is not None else None,
            scopeIds=list(scope_ids) if scope_ids is not None else None,
        )
        rights = [DecisionRight.model_validate_json(r["data"]) for r in records]
        return sorted(rights, key=lambda right: right.key)

    async def _keyset(
        self, query: str, workspace: str, after: Any = ""
    ) -> AsyncIterator[list[str]]:
        """The ``data`` of every row of a keyset-paged ``stream_*`` statement, page by page.

        Each statement answers a page as one record ``(rows, n, last)``: the rows' JSON in key
        order, how many keys the page covered (fewer than ``BATCH_SIZE``: the last page) and
        the key to continue after. One record per page, not one per row, because the async
        driver's receive path costs ~20 µs per record: a 100k-person projection build read
        row by row spent ~15 s receiving (measured in bench/README.md).
        """

        async def read(key: Any) -> neo4j.Record:
            [page] = await self._read(query, workspace=workspace, after=key, batch=BATCH_SIZE)
            return page

        # The next page is asked for before this one is handed over, so the server finds it
        # while the caller decodes this one (they run on different cores).
        pending: asyncio.Task[neo4j.Record] | None = asyncio.ensure_future(read(after))
        try:
            while pending is not None:
                page = await pending
                pending = None
                if page["n"] >= BATCH_SIZE:
                    pending = asyncio.ensure_future(read(page["last"]))
                if page["rows"]:
                    yield page["rows"]
        finally:
            if pending is not None:
                pending.cancel()
                with suppress(asyncio.CancelledError, GraphsvcError):
                    await pending

    async def stream(self, workspace: str, kind: EntityKind) -> AsyncIterator[list[Entity]]:
        """Every record of ``kind`` in id order, one keyset page per batch."""
        query = statement("stream_entities", label=LABELS[kind])
        async for rows in self._keyset(query, workspace):
            yield [entity_from(kind, data) for data in rows]

    async def stream_relationships(self, workspace: str) -> AsyncIterator[list[Relationship]]:
        """Every relationship in key order: per type, pages of start people in id order."""
        for type_ in sorted(RelationshipType):
            query = statement("stream_relationships", type=type_.value)
            async for rows in self._keyset(query, workspace):
                yield [Relationship.model_validate_json(data) for data in rows]

    async def stream_relationship_rows(
        self, workspace: str
    ) -> AsyncIterator[list[RelationshipRow]]:
        """Every relationship as a ``RelationshipRow``, in key order (as ``stream_relationships``)
        but read from the stored JSON without building a pydantic record per relationship."""
        for type_ in sorted(RelationshipType):
            # Already in key order: one type per query, and the query orders by the key's
            # (from, to), which are the edge's ends (KNOWS is stored by its sorted pair).
            query = statement("stream_relationships", type=type_.value)
            async for rows in self._keyset(query, workspace):
                yield [relationship_row_from(data) for data in rows]

    async def stream_person_rows(self, workspace: str) -> AsyncIterator[list[PersonRow]]:
        """Every person as a ``PersonRow``, in id order (as ``stream`` of people), read from
        the stored JSON without building a pydantic record per person."""
        query = statement("stream_entities", label=LABELS[EntityKind.PERSON])
        async for rows in self._keyset(query, workspace):
            yield [person_row_from(data) for data in rows]

    async def stream_decision_rights(self, workspace: str) -> AsyncIterator[list[DecisionRight]]:
        """Every decision right in key order, keyset-paged on the whole key."""
        query = statement("stream_decision_rights")
        async for rows in self._keyset(query, workspace, after=None):
            yield [DecisionRight.model_validate_json(data) for data in rows]

    # --- API tokens -----------------------------------------------------------------

    async def save_token(self, token: ApiToken) -> None:
        """Create the token; a reused id or secret hash is a ``Conflict``."""
        await self._run_write(statement("create_token"), props=token_props(token))

    async def tokens(self, workspace: str | None = None) -> list[ApiToken]:
        """Tokens of a workspace (all when ``None``), in creation order."""
        records = await self._read(statement("list_tokens"), workspace=workspace)
        return [ApiToken.model_validate_json(r["data"]) for r in records]

    async def token_by_hash(self, secret_hash: str) -> ApiToken | None:
        """The token with this secret hash, revoked or not."""
        records = await self._read(statement("get_token_by_hash"), secretHash=secret_hash)
        return ApiToken.model_validate_json(records[0]["data"]) if records else None

    async def revoke_token(self, token_id: str, at: datetime) -> bool:
        """Mark the token revoked at ``at`` (an earlier revocation is kept); False if unknown."""

        async def work(tx: AsyncManagedTransaction) -> bool:
            result = await tx.run(statement("get_token"), {"id": token_id})
            record = await result.single()
            if record is None:
                return False
            token = ApiToken.model_validate_json(record["data"])
            if token.revoked_at is None:
                token = token.model_copy(update={"revoked_at": at})
            props = token_props(token)
            update = await tx.run(
                statement("update_token"),
                {"id": token_id, "data": props["data"], "revokedTs": props["revokedTs"]},
            )
            await update.consume()
            return True

        return await self._write(work)

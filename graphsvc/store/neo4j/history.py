"""The change log, reviews and stage model of the Neo4j store (CONTRACT §6, §7).

The model (appended to by ``write`` in the transaction of each apply):

- ``(:Change {workspace, version, position, at, kind, key, data})``: one node per logged
  record change, ``data`` the whole change as JSON (``log_rows`` has the formats),
  found in log order through a range index on ``(workspace, position)``. Time bounds
  (``at_after``, ``at_until``) filter that scan: an index on ``(workspace, at)`` cost a
  quarter of the log's write time (100k changes: 3.2-4.5 s without, 4.8-5.0 s with) and
  no caller bounds a read by time alone (``accountChanges`` starts from a position);
- ``(:Review {workspace, id, organizationId, title, notes, version, at, actor})``, unique
  on ``(workspace, id)``;
- on ``(:Workspace)``: ``logFrom`` (the version after which the log is complete; changes at
  or below it are never answered) and ``pipelineStages`` (the stage model's JSON).

Compaction and dropping raise ``logFrom`` first and then delete in bounded transactions
(``changes`` never answers below it), so an interrupted run loses nothing a reader could
see, and running it again finishes it.
"""

from __future__ import annotations

from neo4j import AsyncManagedTransaction

from graphsvc.domain.history import Change, ChangeQuery, Review
from graphsvc.domain.pipeline import PipelineStage
from graphsvc.errors import Conflict
from graphsvc.store.neo4j.catalog import statement
from graphsvc.store.neo4j.engine import Neo4jEngine
from graphsvc.store.neo4j.log_rows import (
    change_from,
    position,
    review_from,
    review_props,
    stages_from,
    utc_text,
)
from graphsvc.store.neo4j.rows import BATCH_SIZE

__all__ = ["DELETE_BATCH", "Neo4jHistory"]

DELETE_BATCH = 10_000
"""Changes deleted per transaction by ``compact`` and ``drop`` (bounded transaction memory)."""

_EVERY_VERSION = 1 << 62


class Neo4jHistory:
    """Reads and maintenance of the log, reviews and stage model, on one ``Neo4jEngine``."""

    def __init__(self, engine: Neo4jEngine) -> None:
        self._engine = engine

    async def changes(self, workspace: str, query: ChangeQuery) -> list[Change]:
        """The changes matching ``query`` in log order, read in pages of ``BATCH_SIZE``.

        Changes at or below ``logFrom`` are never answered (read once per call): a
        compaction raises it before deleting, so a reader sees the log's start move in one
        step, not a half-deleted log. Pages are separate reads, so a reader racing a
        compaction checks ``log_from`` again after reading (as catch-up does for any gap).
        """
        text = statement("find_changes")
        until = query.until_version
        params = {
            "untilPosition": None if until is None else position(until, 1 << 62),
            "kinds": sorted(str(k) for k in query.kinds) if query.kinds is not None else None,
            "atAfter": utc_text(query.at_after) if query.at_after is not None else None,
            "atUntil": utc_text(query.at_until) if query.at_until is not None else None,
        }
        found: list[Change] = []
        start = position(await self.log_from(workspace), 1 << 62)
        after = max(position(*query.after), start)
        while query.limit is None or len(found) < query.limit:
            wanted = (
                BATCH_SIZE if query.limit is None else min(BATCH_SIZE, query.limit - len(found))
            )
            [page] = await self._engine.read(
                text,
                workspace=workspace,
                afterPosition=after,
                batch=wanted,
                **params,
            )
            found.extend(change_from(row) for row in page["rows"])
            if len(page["rows"]) < wanted:
                break
            after = position(*found[-1].position)
        return found

    async def log_from(self, workspace: str) -> int:
        """The version after which the workspace's log is complete."""
        [record] = await self._engine.read(statement("get_log_from"), workspace=workspace)
        return int(record["logFrom"])

    async def compact(self, workspace: str, through_version: int) -> int:
        """Raise ``logFrom`` to ``through_version`` (at most the current version), then
        delete the changes up to it in bounded transactions; how many were deleted."""
        await self._engine.run_write(
            statement("compact_log"), workspace=workspace, throughVersion=through_version
        )
        return await self._delete(workspace, through_version)

    async def drop(self, workspace: str) -> None:
        """Delete every change of the workspace (``drop_workspace`` deletes its reviews with
        its other nodes, and advancing its version moves ``logFrom`` and drops the stage
        model)."""
        await self._delete(workspace, _EVERY_VERSION)

    async def _delete(self, workspace: str, through_version: int) -> int:
        deleted = 0
        while True:
            [record] = await self._engine.run_write(
                statement("delete_changes"),
                workspace=workspace,
                throughPosition=position(through_version, 1 << 62),
                batch=DELETE_BATCH,
            )
            if record["deleted"] == 0:
                return deleted
            deleted += int(record["deleted"])

    async def save_review(self, workspace: str, review: Review) -> None:
        """Create the review; an id the workspace already has is a ``Conflict`` naming it."""

        async def work(tx: AsyncManagedTransaction) -> None:
            found = await tx.run(statement("get_review"), {"workspace": workspace, "id": review.id})
            if await found.single() is not None:
                raise Conflict(f"workspace {workspace!r} already has a review {review.id!r}")
            created = await tx.run(
                statement("create_review"),
                {"workspace": workspace, "props": review_props(workspace, review)},
            )
            await created.consume()

        await self._engine.write(work)

    async def reviews(self, workspace: str, organization_id: str | None = None) -> list[Review]:
        """Reviews of the workspace (of one organization when given), oldest first."""
        records = await self._engine.read(
            statement("list_reviews"), workspace=workspace, organizationId=organization_id
        )
        return [review_from(dict(r["props"])) for r in records]

    async def review(self, workspace: str, review_id: str) -> Review | None:
        """One review by id, or None."""
        records = await self._engine.read(
            statement("get_review"), workspace=workspace, id=review_id
        )
        return review_from(dict(records[0]["props"])) if records else None

    async def pipeline_stages(self, workspace: str) -> list[PipelineStage] | None:
        """The workspace's own stage model, or None."""
        [record] = await self._engine.read(statement("get_pipeline_stages"), workspace=workspace)
        text = record["stages"]
        return None if text is None else stages_from(text)

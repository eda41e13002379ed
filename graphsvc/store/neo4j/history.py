"""The change log, reviews and stage model of the Neo4j store (CONTRACT §6, §7).

The model (appended to by ``write`` in the transaction of each apply):

- ``(:ChangeBlock {workspace, version, first, last, kinds, atMin, atMax, data})``: the
  log in blocks of up to ``log_rows.BLOCK_SIZE`` consecutive changes of one write, ``data``
  each change as JSON, ``first``/``last`` the positions (``log_rows.position``: one integer
  in log order) of its first and last change, found in log order through a range index on
  ``(workspace, last)``. Filters (kinds, time) skip whole blocks by their ``kinds``,
  ``atMin`` and ``atMax`` and pick the changes of the others here. No index on time: one
  on changes' ``at`` cost a quarter of the log's write time, and no caller reads by time
  alone (``accountChanges`` starts from a position);
- ``(:Review {workspace, id, organizationId, title, notes, version, at, actor})``, unique
  on ``(workspace, id)``;
- on ``(:Workspace)``: ``logFrom`` (the version after which the log is complete; changes at
  or below it are never answered) and ``pipelineStages`` (the stage model's JSON).

Compaction raises ``logFrom`` first and then deletes in bounded transactions (``changes``
never answers below it), so an interrupted run shows a reader nothing half-done, and
running it again finishes it. ``drop_workspace`` deletes first and then advances the
version, which moves ``logFrom`` to it (a reader behind the drop rebuilds, never replays).
"""

from __future__ import annotations

import orjson
from neo4j import AsyncManagedTransaction

from graphsvc.domain.history import Change, ChangeQuery, Review
from graphsvc.domain.pipeline import PipelineStage
from graphsvc.errors import Conflict
from graphsvc.store.neo4j.catalog import statement
from graphsvc.store.neo4j.engine import Neo4jEngine
from graphsvc.store.neo4j.log_rows import (
    BLOCK_SIZE,
    change_from,
    position,
    review_from,
    review_props,
    stages_from,
    utc_text,
)

__all__ = ["DELETE_BATCH", "READ_BLOCKS", "Neo4jHistory"]

DELETE_BATCH = 100
"""Change blocks deleted per transaction by ``compact`` and ``drop`` (up to 10,000 changes:
bounded transaction memory)."""

READ_BLOCKS = 50
"""Change blocks per read (up to 5,000 changes, like ``BATCH_SIZE`` rows elsewhere)."""

_EVERY_VERSION = 1 << 62


class Neo4jHistory:
    """Reads and maintenance of the log, reviews and stage model, on one ``Neo4jEngine``."""

    def __init__(self, engine: Neo4jEngine) -> None:
        self._engine = engine

    async def changes(self, workspace: str, query: ChangeQuery) -> list[Change]:
        """The changes matching ``query`` in log order, read ``READ_BLOCKS`` blocks at a time.

        Changes at or below ``logFrom`` are never answered (read once per call): a
        compaction raises it before deleting, so a reader sees the log's start move in one
        step, not a half-deleted log. Pages are separate reads, so a reader racing a
        compaction checks ``log_from`` again after reading (as catch-up does for any gap).
        """
        until = None if query.until_version is None else position(query.until_version, 1 << 62)
        kinds = None if query.kinds is None else sorted(str(k) for k in query.kinds)
        at_after = None if query.at_after is None else utc_text(query.at_after)
        at_until = None if query.at_until is None else utc_text(query.at_until)
        limit = query.limit
        after = max(position(*query.after), position(await self.log_from(workspace), 1 << 62))
        found: list[Change] = []
        scan = after
        while limit is None or len(found) < limit:
            wanted = READ_BLOCKS if limit is None else min(READ_BLOCKS, limit // BLOCK_SIZE + 2)
            [page] = await self._engine.read(
                statement("find_changes"),
                workspace=workspace,
                afterPosition=scan,
                untilPosition=until,
                kinds=kinds,
                atAfter=at_after,
                atUntil=at_until,
                batch=wanted,
            )
            for first, texts in page["blocks"]:
                for offset, text in enumerate(texts):
                    at = first + offset
                    if at <= after:
                        continue
                    if until is not None and at > until:
                        return found
                    fields = orjson.loads(text)
                    if (
                        (kinds is not None and fields["kind"] not in kinds)
                        or (at_after is not None and fields["at"] <= at_after)
                        or (at_until is not None and fields["at"] > at_until)
                    ):
                        continue
                    found.append(change_from(fields))
                    if limit is not None and len(found) >= limit:
                        return found
                scan = first + len(texts) - 1
            if len(page["blocks"]) < wanted:
                break
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
            if record["blocks"] == 0:
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

"""The one write transaction of ``Neo4jStore.apply``: a whole ``ChangeSet``, all or nothing.

Order inside the transaction (each step in ``UNWIND`` batches of ``BATCH_SIZE`` rows):

1. bump the workspace's version: this ``MERGE`` takes the write lock of the workspace's
   ``:Workspace`` node first, so two applies to one workspace never interleave and every
   replica agrees which version a change produced. The bump reads the version under that
   lock (Cypher locks before reading a property ``SET`` depends on), so it is also where an
   ``expected_version`` is checked: any other version raises ``VersionMoved`` before step 2,
   and the rollback undoes the bump. The same statement replaces the stage model when the
   change set carries one, and notes where the workspace's log starts (``logFrom``);
2. the change log: ``changes.log`` in ``:ChangeBlock`` nodes, each change stamped with the
   new version and its index in the list (``log_rows``), so a write that does not commit
   leaves no change and a committed one always has its changes;
3. deletes (relationships, decision rights, then records: ``DETACH DELETE``);
4. record upserts of every kind, then their structural edges (so an edge to a record that
   arrives later in the same change set is still drawn);
5. relationships and decision rights. The store does not validate (services do), so a
   relationship may name a person without a record: its end is a bare ``:PersonRef``.

Any exception rolls the whole transaction back; the driver retries it on transient errors.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from neo4j import AsyncManagedTransaction

from graphsvc.domain.changes import ChangeSet
from graphsvc.domain.enums import EntityKind, RelationshipType
from graphsvc.store.base import require_version
from graphsvc.store.neo4j.catalog import statement
from graphsvc.store.neo4j.log_rows import change_blocks, stages_json
from graphsvc.store.neo4j.rows import (
    LABELS,
    chunks,
    decision_right_key_row,
    decision_right_row,
    entity_row,
    link_rows,
    relationship_key_row,
    relationship_row,
)

__all__ = ["BLOCKS_PER_STATEMENT", "apply_changes"]

BLOCKS_PER_STATEMENT = 50
"""Change blocks per ``append_changes`` statement (5,000 changes, like ``BATCH_SIZE`` rows)."""


async def apply_changes(
    tx: AsyncManagedTransaction,
    workspace: str,
    changes: ChangeSet,
    expected_version: int | None = None,
) -> int:
    """Apply ``changes`` to ``workspace`` inside ``tx``; return the new version.

    ``VersionMoved`` (raised before anything but the bump ran) if the version before the
    bump is not ``expected_version``; raising out of ``tx`` rolls the bump back.
    """
    stages = None if changes.pipeline_stages is None else stages_json(changes.pipeline_stages)
    result = await tx.run(
        statement("bump_version"), {"workspace": workspace, "pipelineStages": stages}
    )
    record = await result.single(strict=True)
    version = int(record["version"])
    require_version(workspace, version - 1, expected_version)

    for rows in chunks(change_blocks(changes.log, version), BLOCKS_PER_STATEMENT):
        await _run(tx, statement("append_changes"), workspace, version=version, rows=rows)

    await _delete(tx, workspace, changes)
    for kind, records in changes.upserts.items():
        if kind is EntityKind.PERSON:
            query = statement("upsert_people")
        else:
            query = statement("upsert_entities", label=LABELS[kind])
        for batch in chunks(entity_row(workspace, kind, r) for r in records):
            await _run(tx, query, workspace, rows=batch)
    for kind, records in changes.upserts.items():
        await _link(tx, workspace, kind, records)
    await _upsert_relationships(tx, workspace, changes)
    for batch in chunks(decision_right_row(workspace, r) for r in changes.decision_rights):
        await _run(tx, statement("upsert_decision_rights"), workspace, rows=batch)
    return version


async def _run(tx: AsyncManagedTransaction, query: str, workspace: str, **params: Any) -> None:
    result = await tx.run(query, {"workspace": workspace, **params})
    await result.consume()


async def _delete(tx: AsyncManagedTransaction, workspace: str, changes: ChangeSet) -> None:
    by_type: dict[RelationshipType, list[dict[str, str]]] = {}
    for key in changes.relationship_deletes:
        by_type.setdefault(RelationshipType(key[0]), []).append(relationship_key_row(key))
    for type_, rows in by_type.items():
        for batch in chunks(rows):
            await _run(
                tx, statement("delete_relationships", type=type_.value), workspace, keys=batch
            )
    for batch in chunks(decision_right_key_row(k) for k in changes.decision_right_deletes):
        await _run(tx, statement("delete_decision_rights"), workspace, keys=batch)
    for kind, ids in changes.deletes.items():
        if kind is EntityKind.PERSON:
            query = statement("delete_people")
        else:
            query = statement("delete_entities", label=LABELS[kind])
        for id_batch in chunks(ids):
            await _run(tx, query, workspace, ids=id_batch)
    # People left without a record and without relationships disappear entirely.
    touched = dict.fromkeys(changes.deletes.get(EntityKind.PERSON, []))
    for key in changes.relationship_deletes:
        touched.update(dict.fromkeys(key[1:]))
    for id_batch in chunks(touched):
        await _run(tx, statement("prune_people"), workspace, ids=id_batch)


async def _link(
    tx: AsyncManagedTransaction, workspace: str, kind: EntityKind, records: Sequence[Any]
) -> None:
    label = LABELS[kind]
    for batch in chunks(records):
        for rel, target, rows in link_rows(kind, batch):
            query = statement("link_entities", label=label, rel=rel, target=target)
            await _run(tx, query, workspace, rows=rows)


async def _upsert_relationships(
    tx: AsyncManagedTransaction, workspace: str, changes: ChangeSet
) -> None:
    by_type: dict[RelationshipType, list[dict[str, Any]]] = {}
    for relationship in changes.relationships:
        by_type.setdefault(relationship.type, []).append(relationship_row(workspace, relationship))
    for type_, rows in by_type.items():
        query = statement("upsert_relationships", type=type_.value)
        for batch in chunks(rows):
            await _run(tx, query, workspace, rows=batch)

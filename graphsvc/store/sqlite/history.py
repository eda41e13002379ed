"""The change log, reviews and stage model in SQLite: rows in, domain values out.

Changes live in ``changes`` keyed by (workspace, version, idx), so reading the log in order
after a position is a range scan of the key. ``before``/``after``/``fields`` are JSON text;
``at`` is an ISO-8601 UTC timestamp with microseconds, which sorts as text in time order.
"""

# Column names in f-strings are constants of this module; every value is a bound parameter.
# ruff: noqa: S608

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

import orjson

from graphsvc.domain.history import Change, ChangeKind, ChangeQuery, Operation, Review
from graphsvc.domain.pipeline import PipelineStage
from graphsvc.errors import Conflict

__all__ = [
    "append_changes",
    "changes_matching",
    "compact_log",
    "insert_review",
    "log_start",
    "read_pipeline_stages",
    "review_by_id",
    "reviews_of",
    "stage_model_json",
]

_CHANGE_COLUMNS = "version, idx, at, actor, kind, key, operation, fields, before, after"


def _timestamp(at: datetime) -> str:
    """``at`` in UTC as fixed-width ISO text (sorts in time order)."""
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _instant(text: str) -> datetime:
    """The UTC time ``_timestamp`` wrote (``fromisoformat`` reads its ``Z``; ``strptime``
    took 7 µs a change, most of reading a catch-up's changes)."""
    return datetime.fromisoformat(text)


def _json(value: Any) -> str | None:
    """Compact JSON text (orjson: the log of a 100k-person import encodes 300k documents,
    and ``json.dumps`` was most of what the log added to the import's time)."""
    return None if value is None else orjson.dumps(value).decode()


def _rows(workspace: str, version: int, log: Sequence[Change]) -> Iterator[tuple[Any, ...]]:
    # The changes of one write share their time: format it once per distinct value.
    stamps: dict[datetime, str] = {}
    for index, change in enumerate(log):
        at = stamps.get(change.at)
        if at is None:
            at = stamps[change.at] = _timestamp(change.at)
        yield (
            workspace,
            version,
            index,
            at,
            change.actor,
            change.kind.value,
            change.key,
            change.operation.value,
            _json(change.fields),
            _json(change.before),
            _json(change.after),
        )


def append_changes(
    c: sqlite3.Connection, workspace: str, version: int, log: Sequence[Change]
) -> None:
    """Insert ``log`` as the changes of ``version`` (inside the write's transaction)."""
    c.executemany(
        f"INSERT INTO changes (workspace, {_CHANGE_COLUMNS}) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        _rows(workspace, version, log),
    )


def changes_matching(c: sqlite3.Connection, workspace: str, query: ChangeQuery) -> list[Change]:
    """``GraphStore.changes``: one range scan of the log's key with the query's filters."""
    version, index = query.after
    # ``version >= ?`` gives the key search its start: without it SQLite searched the key by
    # workspace alone and filtered every change of the workspace's log (a catch-up of 100
    # writes after a 100k-person import read the import's 300k changes).
    sql = [
        f"SELECT {_CHANGE_COLUMNS} FROM changes WHERE workspace = ? AND version >= ? "
        "AND (version > ? OR (version = ? AND idx > ?))"
    ]
    params: list[Any] = [workspace, version, version, version, index]
    if query.until_version is not None:
        sql.append("AND version <= ?")
        params.append(query.until_version)
    if query.kinds is not None:
        kinds = sorted(kind.value for kind in query.kinds)
        sql.append(f"AND kind IN ({', '.join('?' * len(kinds))})")
        params.extend(kinds)
    if query.at_after is not None:
        sql.append("AND at > ?")
        params.append(_timestamp(query.at_after))
    if query.at_until is not None:
        sql.append("AND at <= ?")
        params.append(_timestamp(query.at_until))
    sql.append("ORDER BY version, idx")
    if query.limit is not None:
        sql.append("LIMIT ?")
        params.append(query.limit)
    return [_change(row) for row in c.execute(" ".join(sql), params)]


_KINDS = {kind.value: kind for kind in ChangeKind}
_OPERATIONS = {operation.value: operation for operation in Operation}


def _change(row: Sequence[Any]) -> Change:
    # A window of ``accountChanges`` decodes thousands of these: orjson and dict lookups
    # (not ``json`` and enum calls) made reading 10k changes three times faster.
    version, index, at, actor, kind, key, operation, fields, before, after = row
    return Change(
        _KINDS[kind],
        key,
        _OPERATIONS[operation],
        tuple(orjson.loads(fields)),
        None if before is None else orjson.loads(before),
        None if after is None else orjson.loads(after),
        actor,
        _instant(at),
        version,
        index,
    )


def log_start(c: sqlite3.Connection, workspace: str) -> int:
    """``GraphStore.log_from``: 0 for a workspace never written."""
    row = c.execute("SELECT log_from FROM workspaces WHERE workspace = ?", (workspace,)).fetchone()
    return int(row[0]) if row else 0


def compact_log(c: sqlite3.Connection, workspace: str, through_version: int) -> int:
    """Drop the changes up to ``through_version`` and move ``log_from``; how many dropped."""
    dropped = c.execute(
        "DELETE FROM changes WHERE workspace = ? AND version <= ?", (workspace, through_version)
    ).rowcount
    c.execute(
        "UPDATE workspaces SET log_from = max(log_from, ?) WHERE workspace = ?",
        (through_version, workspace),
    )
    return int(dropped)


def insert_review(c: sqlite3.Connection, workspace: str, review: Review) -> None:
    """Insert ``review``; ``Conflict`` if its id is taken in the workspace."""
    doc = {
        "id": review.id,
        "organizationId": review.organization_id,
        "title": review.title,
        "notes": review.notes,
        "version": review.version,
        "at": _timestamp(review.at),
        "actor": review.actor,
    }
    try:
        c.execute(
            "INSERT INTO reviews (workspace, id, organization_id, version, at, doc) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (
                workspace,
                review.id,
                review.organization_id,
                review.version,
                doc["at"],
                json.dumps(doc),
            ),
        )
    except sqlite3.IntegrityError:
        raise Conflict(f"a review with id {review.id!r} already exists") from None


def reviews_of(c: sqlite3.Connection, workspace: str, organization_id: str | None) -> list[Review]:
    """``GraphStore.reviews``: oldest first."""
    sql = "SELECT doc FROM reviews WHERE workspace = ?"
    params: list[Any] = [workspace]
    if organization_id is not None:
        sql += " AND organization_id = ?"
        params.append(organization_id)
    return [_review(row[0]) for row in c.execute(sql + " ORDER BY version, at, id", params)]


def review_by_id(c: sqlite3.Connection, workspace: str, review_id: str) -> Review | None:
    """``GraphStore.review``."""
    row = c.execute(
        "SELECT doc FROM reviews WHERE workspace = ? AND id = ?", (workspace, review_id)
    ).fetchone()
    return None if row is None else _review(row[0])


def _review(doc: str) -> Review:
    """The review stored as ``doc``."""
    data = json.loads(doc)
    return Review(
        id=data["id"],
        organization_id=data["organizationId"],
        title=data["title"],
        notes=data["notes"],
        version=data["version"],
        at=_instant(data["at"]),
        actor=data["actor"],
    )


def stage_model_json(stages: Sequence[PipelineStage]) -> str:
    """The stage model as stored in ``workspaces.pipeline_stages``."""
    return json.dumps([stage.to_document() for stage in stages])


def read_pipeline_stages(c: sqlite3.Connection, workspace: str) -> list[PipelineStage] | None:
    """The workspace's stored stage model, or None."""
    row = c.execute(
        "SELECT pipeline_stages FROM workspaces WHERE workspace = ?", (workspace,)
    ).fetchone()
    if row is None or row[0] is None:
        return None
    return [PipelineStage.model_validate(stage) for stage in json.loads(row[0])]

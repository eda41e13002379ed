"""Reviews, the stage model and the log's start in SQLite: rows in, domain values out.

The change log itself is ``log`` (blocks of changes). A review's ``at`` is an ISO-8601 UTC
timestamp with microseconds, which sorts as text in time order.
"""

# Column names in f-strings are constants of this module; every value is a bound parameter.

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from graphsvc.domain.history import Review
from graphsvc.domain.pipeline import PipelineStage
from graphsvc.errors import Conflict
from graphsvc.store.sqlite.log import timestamp

__all__ = [
    "insert_review",
    "log_start",
    "read_pipeline_stages",
    "review_by_id",
    "reviews_of",
    "stage_model_json",
]


def _instant(text: str) -> datetime:
    """The UTC time ``timestamp`` wrote (``fromisoformat`` reads its ``Z``)."""
    return datetime.fromisoformat(text)


def log_start(c: sqlite3.Connection, workspace: str) -> int:
    """``GraphStore.log_from``: 0 for a workspace never written."""
    row = c.execute("SELECT log_from FROM workspaces WHERE workspace = ?", (workspace,)).fetchone()
    return int(row[0]) if row else 0


def insert_review(c: sqlite3.Connection, workspace: str, review: Review) -> None:
    """Insert ``review``; ``Conflict`` if its id is taken in the workspace."""
    doc = {
        "id": review.id,
        "organizationId": review.organization_id,
        "title": review.title,
        "notes": review.notes,
        "version": review.version,
        "at": timestamp(review.at),
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

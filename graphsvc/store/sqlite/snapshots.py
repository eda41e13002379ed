"""The saved analytic projection of each workspace (``projection_snapshots``, one row each)."""

from __future__ import annotations

import sqlite3

from graphsvc.domain.rows import ProjectionSnapshot
from graphsvc.store.sqlite.write import transaction

__all__ = ["read_snapshot", "save_snapshot"]


def save_snapshot(c: sqlite3.Connection, workspace: str, snapshot: ProjectionSnapshot) -> None:
    """Replace the workspace's saved projection in one transaction."""
    row = (workspace, snapshot.version, snapshot.format, snapshot.data)
    transaction(
        c,
        lambda: c.execute(
            "INSERT OR REPLACE INTO projection_snapshots (workspace, version, format, data) "
            "VALUES (?, ?, ?, ?)",
            row,
        ),
    )


def read_snapshot(c: sqlite3.Connection, workspace: str) -> ProjectionSnapshot | None:
    """The workspace's saved projection, or None."""
    row = c.execute(
        "SELECT version, format, data FROM projection_snapshots WHERE workspace = ?",
        (workspace,),
    ).fetchone()
    return None if row is None else ProjectionSnapshot(int(row[0]), str(row[1]), bytes(row[2]))

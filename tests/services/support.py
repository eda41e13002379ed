"""Helpers shared by the service tests."""

from __future__ import annotations

import io

from graphsvc.services.export import write_document
from graphsvc.store.base import GraphStore


async def snapshot(store: GraphStore, workspace: str) -> tuple[str, int]:
    """What a workspace holds, as (export text, version): equal snapshots mean no change."""
    out = io.StringIO()
    await write_document(store, workspace, out)
    return out.getvalue(), await store.version(workspace)

"""The revision an answer is computed at: what an HTTP cache validator (an ETag) may name.

The API tags read answers over GET (``api.http_cache``, CONTRACT §10) so that a client asking
again with ``If-None-Match`` gets ``304 Not Modified`` without the query running. That is
only honest if every answer computed after the tag was read reflects at least the version
the tag names. ``current_revision`` reads the workspace's version from the store (shared by
every process, so a write by another server or by ``graphsvc import`` changes it) and says
so, with the analytics' today (the default ``asOf`` of coverage, displacement windows,
whitespace and pipeline: an answer may change at midnight without any write).

One moment is excluded: a write of this process that is stored but not yet announced to
the projection cache (``GraphService.applying``). The store's version is then one ahead of
the projection that analytic answers are served from (``services.projection_cache``), so a
tag naming it could validate an answer that does not contain the write yet. The check runs
after the version is read: an announcement that completed in between left the projection
at least at that version, and one still pending is seen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from graphsvc.services.container import Services

__all__ = ["Revision", "current_revision"]


@dataclass(frozen=True)
class Revision:
    """The state every answer computed from now on reflects (at least)."""

    version: int
    """The workspace's change-log version (``GraphStore.version``)."""
    day: date
    """Today for the analytics: the default ``asOf``."""


async def current_revision(services: Services, workspace: str) -> Revision | None:
    """The revision of ``workspace`` now; None while a write of this process is in flight."""
    version = await services.store.version(workspace)
    if services.graph.applying(workspace):
        return None
    return Revision(version=version, day=services.analytics.clock())

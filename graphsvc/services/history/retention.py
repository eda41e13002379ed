"""Retention of the change log: drop changes older than a date, keeping what reviews need.

``compact(store, workspace, before)`` is ``graphsvc compact --before DATE``. It drops the
changes of the oldest versions, through the last version all of whose changes (and all
earlier ones) are older than ``before``, but never the changes after the latest review of
any organization: ``accountChanges(sinceReview:)`` of that review reads exactly those
(CONTRACT §6). So it compacts at most through the smallest of the organizations' latest
review versions, and says when a review stopped it short of the date.

Older reviews of an organization (not its latest) may become unanswerable: their version
is then before the log's start, and the report names them. A server whose projection is
behind the compacted part rebuilds it instead of catching up (``projection_cache``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from graphsvc.domain.history import ChangeQuery, Review
from graphsvc.store.base import GraphStore

__all__ = ["Compaction", "compact"]

_TICK = timedelta(microseconds=1)
"""The log's time resolution: ``at > before - _TICK`` is ``at >= before``."""


@dataclass(frozen=True)
class Compaction:
    """What compacting one workspace's log did."""

    workspace: str
    dropped: int
    """How many changes were dropped."""
    log_from: int
    """The log's start afterwards: changes of versions up to this one are gone."""
    previous_log_from: int
    """The log's start before."""
    held_by: Review | None = None
    """The latest review of an organization that stopped the compaction short of the date
    (its changes since are kept), or None."""
    unanswerable: list[Review] = field(default_factory=list)
    """Reviews whose changes since can no longer be summarised (version before ``log_from``),
    oldest first: none of them is an organization's latest."""

    def summary(self) -> str:
        """One line for the command line."""
        where = f"workspace {self.workspace!r}"
        if self.dropped == 0 and self.log_from == self.previous_log_from:
            line = f"{where}: nothing to drop; the change log starts after version {self.log_from}"
        else:
            noun = "change" if self.dropped == 1 else "changes"
            line = (
                f"{where}: dropped {self.dropped:,} {noun} through version {self.log_from}; "
                f"the change log starts after version {self.log_from}"
            )
        if self.held_by is not None:
            review = self.held_by
            line += (
                f"; stopped short of the date at review {review.id!r} of organization "
                f"{review.organization_id!r} (version {review.version}), its latest"
            )
        if self.unanswerable:
            shown = ", ".join(repr(review.id) for review in self.unanswerable[:10])
            more = len(self.unanswerable) - 10
            line += f"; no longer answerable by sinceReview: {shown}" + (
                f" and {more} more" if more > 0 else ""
            )
        return line


async def compact(store: GraphStore, workspace: str, before: datetime) -> Compaction:
    """Drop the workspace's changes older than ``before`` (UTC) that no latest review needs.

    ``before`` must be timezone-aware. Nothing is dropped when the log already starts after
    the last version the policy allows (module docstring).
    """
    previous = await store.log_from(workspace)
    by_date = await _last_version_before(store, workspace, before)
    latest = _latest_reviews(await store.reviews(workspace))
    held_by = min(latest, key=lambda review: review.version, default=None)
    through = by_date
    if held_by is not None and held_by.version < by_date:
        through = held_by.version
    else:
        held_by = None
    dropped = 0
    if through > previous:
        dropped = await store.compact(workspace, through)
    log_from = max(previous, through)
    unanswerable = [r for r in await store.reviews(workspace) if r.version < log_from]
    return Compaction(workspace, dropped, log_from, previous, held_by, unanswerable)


async def _last_version_before(store: GraphStore, workspace: str, before: datetime) -> int:
    """The last version such that it and every earlier one changed nothing at or after
    ``before``: one less than the first version with a change that recent."""
    recent = await store.changes(workspace, ChangeQuery(at_after=before - _TICK, limit=1))
    if not recent:
        return await store.version(workspace)
    return recent[0].version - 1


def _latest_reviews(reviews: list[Review]) -> list[Review]:
    """Each organization's latest review (of ``reviews``, oldest first)."""
    latest: dict[str, Review] = {}
    for review in reviews:
        latest[review.organization_id] = review
    return list(latest.values())

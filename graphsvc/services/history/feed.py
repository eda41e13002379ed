"""``ChangeFeed``: a workspace's new changes as they are committed, for the ``changed``
subscription (CONTRACT §6).

The store's change log is the source of truth, not this process's writes: a subscriber
starts at the log's end ("now") and reads the log after its position whenever it is woken,
so writes made by another process (``graphsvc import`` while serving, another replica over
the same store) are streamed like this process's own. A local write wakes subscribers at
once (``on_change`` is a ``GraphService`` listener); another process's write is seen at the
next poll, at most ``POLL_SECONDS`` later.

Nothing is queued per subscriber: each reads the log at its own pace, so a slow client only
reads later, and memory does not grow with how far behind it is. Closing the stream (the
client went away) cancels its wait and unregisters it.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import AsyncGenerator
from contextlib import suppress

from graphsvc.domain.changes import ChangeSet
from graphsvc.domain.history import Change, ChangeKind, ChangeQuery, LogPosition
from graphsvc.errors import Conflict, NotFound
from graphsvc.services.history.scope import ChangeScope, change_scope
from graphsvc.services.history.service import LAST_INDEX
from graphsvc.services.listing import ListingService
from graphsvc.store.base import GraphStore

__all__ = ["FEED_BATCH", "POLL_SECONDS", "ChangeFeed", "LogCompacted"]

log = logging.getLogger(__name__)

POLL_SECONDS = 1.0
"""How long a subscriber waits for a write of this process before reading the log anyway.

It bounds how late a change written by another process (``graphsvc import`` while serving,
another ``graphsvc serve`` over the same store) reaches subscribers; this process's own
writes wake them at once. Each subscriber costs one small log read per interval while idle.
"""

FEED_BATCH = 500
"""Changes read per store query; a subscriber behind by more reads the next batch at once."""


class LogCompacted(Conflict):
    """The log was compacted past a subscriber's position: changes it had not read are gone."""


class ChangeFeed:
    """Streams the changes committed to a workspace after a subscription started."""

    def __init__(
        self, store: GraphStore, listing: ListingService, *, poll_seconds: float = POLL_SECONDS
    ) -> None:
        self.store = store
        self.listing = listing
        """Whose ``organization_scope`` decides the scope, as for the history queries."""
        self.poll_seconds = poll_seconds
        self._waiting: defaultdict[str, set[asyncio.Event]] = defaultdict(set)
        """Per workspace, one event per open subscription: set to wake it."""

    @property
    def subscribers(self) -> int:
        """How many subscriptions are open (in this process)."""
        return sum(len(events) for events in self._waiting.values())

    async def on_change(self, workspace: str, changes: ChangeSet, version: int) -> None:
        """``GraphService`` listener: wake the workspace's subscribers to read the log."""
        for event in self._waiting.get(workspace, ()):
            event.set()

    async def subscribe(
        self,
        workspace: str,
        organization_id: str | None = None,
        *,
        include_subsidiaries: bool = True,
    ) -> AsyncGenerator[Change, None]:
        """The changes committed after now, oldest first, of the organization scope if given.

        Checks the organization (``NotFound``) and fixes the starting position before it
        returns, so that nothing committed after this call is missed. The stream ends with
        ``LogCompacted`` if the log is compacted past changes it has not read yet.
        """
        scope: ChangeScope | None = None
        if organization_id is not None:
            scope = await self._scope(workspace, organization_id, include_subsidiaries)
        position: LogPosition = (await self.store.version(workspace), LAST_INDEX)
        return self._stream(workspace, position, scope, organization_id)

    async def _stream(
        self,
        workspace: str,
        position: LogPosition,
        scope: ChangeScope | None,
        organization_id: str | None,
    ) -> AsyncGenerator[Change, None]:
        woken = asyncio.Event()
        self._waiting[workspace].add(woken)
        try:
            while True:
                woken.clear()  # before reading: a write committed after the read wakes us
                batch = await self.store.changes(
                    workspace, ChangeQuery(after=position, limit=FEED_BATCH)
                )
                log_from = await self.store.log_from(workspace)
                if log_from > position[0]:
                    raise LogCompacted(
                        f"the change log was compacted through version {log_from} while this "
                        f"subscription had read up to version {position[0]}: changes were "
                        "lost; subscribe again"
                    )
                selected = batch
                if scope is not None and organization_id is not None and batch:
                    if any(change.kind is ChangeKind.ORGANIZATION for change in batch):
                        selecting, scope = await self._rescoped(workspace, organization_id, scope)
                    else:
                        selecting = scope
                    selected = await selecting.select(batch)
                for change in selected:
                    yield change
                if batch:
                    position = batch[-1].position
                if len(batch) == FEED_BATCH:
                    continue
                with suppress(TimeoutError):
                    async with asyncio.timeout(self.poll_seconds):
                        await woken.wait()
        finally:
            waiting = self._waiting[workspace]
            waiting.discard(woken)
            if not waiting:
                del self._waiting[workspace]

    async def _scope(
        self, workspace: str, organization_id: str, include_subsidiaries: bool
    ) -> ChangeScope:
        return await change_scope(
            self.listing,
            self.store,
            workspace,
            organization_id,
            include_subsidiaries=include_subsidiaries,
        )

    async def _rescoped(
        self, workspace: str, organization_id: str, scope: ChangeScope
    ) -> tuple[ChangeScope, ChangeScope]:
        """After a batch holding organization changes: the scope to select that batch with
        (the organizations the scope had and has now: a record belongs if it did before or
        after), and the scope from then on (its organizations now), so that a subsidiary
        added later is followed and one moved out is let go. A deleted organization keeps
        its last scope."""
        try:
            now = await self._scope(workspace, organization_id, scope.include_subsidiaries)
        except NotFound:
            log.info("subscribed organization %r is gone; keeping its last scope", organization_id)
            return scope, scope
        both = ChangeScope(
            self.store,
            workspace,
            scope.organizations | now.organizations,
            include_subsidiaries=scope.include_subsidiaries,
        )
        return both, now

"""``HistoryService``: the change log, reviews and ``accountChanges`` over one store."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from graphsvc.domain.enums import EntityKind
from graphsvc.domain.history import Change, ChangeKind, ChangeQuery, LogPosition, Review
from graphsvc.errors import InvalidInput, NotFound
from graphsvc.services.history.scope import ChangeScope, change_scope
from graphsvc.services.history.summary import AccountSummary, summarize
from graphsvc.services.history.window import ScopedLogs
from graphsvc.services.listing import ListingService
from graphsvc.store.base import GraphStore

__all__ = [
    "LAST_INDEX",
    "MAX_NOTES",
    "MAX_PAGE",
    "MAX_TITLE",
    "AccountChanges",
    "ChangePage",
    "HistoryService",
    "parse_kinds",
]

LAST_INDEX = 2**62
"""An index after every change of a version: ``(v, LAST_INDEX)`` is "after version v"."""

MAX_PAGE = 500
"""The most changes one page of ``changes`` holds."""
MAX_TITLE = 200
MAX_NOTES = 10_000
SCAN_BATCH = 1000
"""Changes read per store query while filling a page of a scoped ``changes`` query."""


@dataclass(frozen=True)
class ChangePage:
    """One page of ``changes``: the changes and whether more follow."""

    changes: list[Change]
    has_next: bool


@dataclass(frozen=True)
class AccountChanges:
    """What ``accountChanges`` answers: the window, its baseline and the summary."""

    organization_id: str
    since: datetime | None
    until: datetime
    review: Review | None
    """The review the window starts after (given, or the organization's latest)."""
    from_version: int
    """The window holds changes of versions after this one..."""
    to_version: int
    """...up to this one (the version of its last change; ``from_version`` when none)."""
    complete: bool
    """False when the log was compacted past the window's start: older changes are gone."""
    summary: AccountSummary


def parse_kinds(kinds: Sequence[str] | None) -> frozenset[ChangeKind] | None:
    """The ``kinds`` argument as change kinds; ``InvalidInput`` naming an unknown one."""
    if kinds is None:
        return None
    known = {kind.value: kind for kind in ChangeKind}
    unknown = [kind for kind in kinds if kind not in known]
    if unknown:
        raise InvalidInput(f"unknown change kind {unknown[0]!r}: use one of {', '.join(known)}")
    return frozenset(known[kind] for kind in kinds)


class HistoryService:
    """Reads of the change log, reviews, and the account summary of a window."""

    def __init__(self, store: GraphStore, listing: ListingService) -> None:
        self.store = store
        self.listing = listing
        """Whose ``organization_scope`` is the scope of the history queries too."""
        self.logs = ScopedLogs(store)
        """The scopes' changes, kept between ``accountChanges`` requests."""

    async def changes(
        self,
        workspace: str,
        *,
        after: LogPosition,
        first: int,
        organization_id: str | None = None,
        include_subsidiaries: bool = True,
        kinds: Sequence[str] | None = None,
    ) -> ChangePage:
        """Up to ``first`` changes after position ``after``, oldest first, of the scope.

        Unscoped, one store query; scoped, batches are read and filtered until the page is
        full or the log ends.
        """
        wanted = parse_kinds(kinds)
        if organization_id is None:
            found = await self.store.changes(
                workspace, ChangeQuery(after=after, kinds=wanted, limit=first + 1)
            )
            return ChangePage(found[:first], len(found) > first)
        scope = await self._scope(workspace, organization_id, include_subsidiaries)
        page: list[Change] = []
        position = after
        while len(page) <= first:
            batch = await self.store.changes(
                workspace, ChangeQuery(after=position, kinds=wanted, limit=SCAN_BATCH)
            )
            if not batch:
                break
            page.extend(await scope.select(batch))
            position = batch[-1].position
            if len(batch) < SCAN_BATCH:
                break
        return ChangePage(page[:first], len(page) > first)

    async def account_changes(
        self,
        workspace: str,
        organization_id: str,
        *,
        since: datetime | None = None,
        since_review: str | None = None,
        until: datetime | None = None,
        include_subsidiaries: bool = True,
        now: datetime | None = None,
    ) -> AccountChanges:
        """What changed in the scope after ``since`` or the review ``since_review`` (by
        default the organization's latest review, else the whole log) up to ``until``."""
        now = now or datetime.now(UTC)
        since, until = _aware(since), _aware(until) or now
        if since is not None and since_review is not None:
            raise InvalidInput("give since or sinceReview, not both")
        if since is not None and since > now:
            raise InvalidInput(f"since {since.isoformat()} is in the future")
        if since is not None and until < since:
            raise InvalidInput(f"until {until.isoformat()} is before since {since.isoformat()}")
        scope = await self._scope(workspace, organization_id, include_subsidiaries)
        review = await self._baseline(workspace, organization_id, since, since_review)
        log_from = await self.store.log_from(workspace)
        start = review.version if review is not None else 0
        if review is not None and since_review is not None and review.version < log_from:
            raise InvalidInput(
                f"the changes since review {review.id!r} (version {review.version}) were "
                f"compacted away: the log now starts after version {log_from}"
            )
        logged = await self.logs.after(
            workspace, scope, organization_id, (start, LAST_INDEX), log_from
        )
        window = [
            change
            for change in logged
            if (since is None or change.at > since) and change.at <= until
        ]
        complete = await self._reaches(workspace, log_from, start, since)
        return AccountChanges(
            organization_id=organization_id,
            since=since,
            until=until,
            review=review,
            from_version=start,
            to_version=window[-1].version if window else start,
            complete=complete,
            summary=summarize(window, scope.organizations),
        )

    async def reviews(self, workspace: str, organization_id: str) -> list[Review]:
        """The organization's reviews, oldest first; ``NotFound`` for an unknown one."""
        await self._organization(workspace, organization_id)
        return await self.store.reviews(workspace, organization_id)

    async def create_review(
        self,
        workspace: str,
        organization_id: str,
        title: str,
        notes: str | None,
        *,
        actor: str,
    ) -> Review:
        """Record a review of the organization at the workspace's current version."""
        await self._organization(workspace, organization_id)
        title = title.strip()
        if not title:
            raise InvalidInput("a review needs a title")
        if len(title) > MAX_TITLE:
            raise InvalidInput(f"a review's title has at most {MAX_TITLE} characters")
        if notes is not None and len(notes) > MAX_NOTES:
            raise InvalidInput(f"a review's notes have at most {MAX_NOTES} characters")
        review = Review(
            id=f"rv-{secrets.token_hex(6)}",
            organization_id=organization_id,
            title=title,
            notes=notes,
            version=await self.store.version(workspace),
            at=datetime.now(UTC),
            actor=actor,
        )
        await self.store.save_review(workspace, review)
        return review

    async def _baseline(
        self,
        workspace: str,
        organization_id: str,
        since: datetime | None,
        since_review: str | None,
    ) -> Review | None:
        """The review the window starts after: the given one, else (without ``since``) the
        organization's latest, else none."""
        if since_review is not None:
            review = await self.store.review(workspace, since_review)
            if review is None:
                raise NotFound(f"review {since_review!r} does not exist")
            if review.organization_id != organization_id:
                raise InvalidInput(
                    f"review {since_review!r} is of organization {review.organization_id!r}, "
                    f"not {organization_id!r}"
                )
            return review
        if since is not None:
            return None
        reviews = await self.store.reviews(workspace, organization_id)
        return reviews[-1] if reviews else None

    async def _reaches(
        self, workspace: str, log_from: int, start: int, since: datetime | None
    ) -> bool:
        """Whether the retained log holds every change of the window."""
        if log_from <= start:
            return True
        if since is None:
            return False
        oldest = await self.store.changes(workspace, ChangeQuery(limit=1))
        return bool(oldest) and oldest[0].at <= since

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

    async def _organization(self, workspace: str, organization_id: str) -> None:
        if not await self.store.get(workspace, EntityKind.ORGANIZATION, [organization_id]):
            raise NotFound(f"organization {organization_id!r} does not exist")


def _aware(moment: datetime | None) -> datetime | None:
    """``moment`` in UTC; a time without a zone is taken as UTC."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)

"""The change log and reviews in the API (CONTRACT §6): ``changes``, ``accountChanges``,
``reviews`` and ``createReview``; the ``changed`` subscription is in ``subscriptions``."""

# strawberry.field(description=...) is typed as returning Any; the resolvers stay typed.
# mypy: disable-error-code="untyped-decorator"

from __future__ import annotations

from datetime import datetime
from typing import Annotated, TypeVar

import strawberry
from strawberry import UNSET

from graphsvc.api.graphql.connections import PageInfo, decode_cursor, encode_cursor
from graphsvc.api.graphql.context import Info
from graphsvc.api.graphql.results import (
    ConflictError,
    ForbiddenError,
    NotFoundError,
    ValidationError,
)
from graphsvc.api.graphql.types.history import AccountChanges, Change, Review
from graphsvc.api.graphql.write import perform
from graphsvc.domain.history import LogPosition
from graphsvc.errors import InvalidInput
from graphsvc.services.history import LAST_INDEX, MAX_PAGE

__all__ = ["HistoryMutation", "HistoryQuery", "ReviewResult"]

T = TypeVar("T")


@strawberry.type(description="One change with the cursor pointing just after it.")
class ChangeEdge:
    cursor: str
    node: Change


@strawberry.type(
    description="A page of the change log, oldest first. Ask for the next page with `first` "
    "and `after: pageInfo.endCursor`."
)
class ChangeConnection:
    edges: list[ChangeEdge]
    page_info: PageInfo


@strawberry.type(description="The review just recorded.")
class ReviewPayload:
    review: Review


ReviewResult = Annotated[
    ReviewPayload | NotFoundError | ValidationError | ConflictError | ForbiddenError,
    strawberry.union(
        "ReviewResult",
        description="The recorded review, or why not: NOT_FOUND for an unknown organization, "
        "INVALID for a blank or too long title or notes, FORBIDDEN for a viewer.",
    ),
]


def _given(value: T | None) -> T | None:
    """An optional argument's value; None when it was left out (UNSET) or null."""
    return None if value is UNSET else value


def _cursor(position: LogPosition) -> str:
    return encode_cursor(f"change:{position[0]}:{position[1]}")


def _position(cursor: str | None) -> LogPosition | None:
    text = decode_cursor(cursor)
    if text is None:
        return None
    parts = text.split(":")
    if len(parts) != 3 or parts[0] != "change" or not all(p.isdigit() for p in parts[1:]):
        raise InvalidInput(f"after: {cursor!r} is not a cursor of changes")
    return (int(parts[1]), int(parts[2]))


@strawberry.type
class HistoryQuery:
    """What changed: the change log, account summaries and reviews."""

    @strawberry.field(
        description="The change log, oldest first: changes with version > since (exclusive; "
        "default: from the start of the retained log). With organizationId, only changes whose "
        "record lies in the organization scope before or after the change (a relationship: "
        "either person; a decision right: its holder or its scope); the stage model lies in no "
        f"organization's scope. kinds filters by Change.kind. first: at most {MAX_PAGE}."
    )
    async def changes(
        self,
        info: Info,
        since: int | None = UNSET,
        organization_id: strawberry.ID | None = UNSET,
        include_subsidiaries: bool | None = True,
        kinds: list[str] | None = UNSET,
        first: int | None = 100,
        after: str | None = UNSET,
    ) -> ChangeConnection:
        since, after = _given(since), _given(after)
        organization_id, kinds = _given(organization_id), _given(kinds)
        size = 100 if first is None else first
        if not 0 <= size <= MAX_PAGE:
            raise InvalidInput(f"first must be between 0 and {MAX_PAGE}, got {size}")
        if since is not None and since < 0:
            raise InvalidInput(f"since must be a version (0 or more), got {since}")
        position: LogPosition = (since or 0, LAST_INDEX) if since else (0, -1)
        cursor = _position(after or None)
        if cursor is not None:
            position = max(position, cursor)
        page = await info.context.services.history.changes(
            info.context.workspace,
            after=position,
            first=size,
            organization_id=None if organization_id is None else str(organization_id),
            include_subsidiaries=include_subsidiaries is not False,
            kinds=kinds or None,
        )
        edges = [ChangeEdge(cursor=_cursor(c.position), node=Change.of(c)) for c in page.changes]
        return ChangeConnection(
            edges=edges,
            page_info=PageInfo(
                has_next_page=page.has_next,
                end_cursor=edges[-1].cursor if edges else None,
            ),
        )

    @strawberry.field(
        description="What changed in the organization scope after `since` or after the review "
        "`sinceReview` (not both), up to `until` (default now): people added and removed, "
        "stance changes, role changes (title, department, solid manager), relationships added, "
        "removed, strengthened or weakened, decision rights granted, revoked or changed, and "
        "opportunity stage changes. With neither since nor sinceReview, the window starts "
        "after the organization's latest review, or at the start of the log. Errors: an "
        "unknown organization or review is NOT_FOUND; since in the future, until before since, "
        "a review of another organization, or one whose changes were compacted away is INVALID."
    )
    async def account_changes(
        self,
        info: Info,
        organization_id: strawberry.ID,
        since: datetime | None = UNSET,
        since_review: strawberry.ID | None = UNSET,
        until: datetime | None = UNSET,
        include_subsidiaries: bool | None = True,
    ) -> AccountChanges:
        review = _given(since_review)
        found = await info.context.services.history.account_changes(
            info.context.workspace,
            str(organization_id),
            since=_given(since),
            since_review=None if review is None else str(review),
            until=_given(until),
            include_subsidiaries=include_subsidiaries is not False,
        )
        return AccountChanges.of(found)

    @strawberry.field(
        description="The organization's reviews, oldest first; NOT_FOUND for an unknown one."
    )
    async def reviews(self, info: Info, organization_id: strawberry.ID) -> list[Review]:
        found = await info.context.services.history.reviews(
            info.context.workspace, str(organization_id)
        )
        return [Review.of(review) for review in found]


@strawberry.type
class HistoryMutation:
    """Recording account reviews."""

    @strawberry.mutation(
        description="Record a review of the organization now: its title, notes, the workspace "
        "version and time, and who took it. accountChanges(sinceReview:) later lists what "
        "changed after it. Title: 1 to 200 characters; notes: at most 10,000."
    )
    async def create_review(
        self,
        info: Info,
        organization_id: strawberry.ID,
        title: str,
        notes: str | None = UNSET,
    ) -> ReviewResult:
        ctx = info.context
        return await perform(
            info,
            lambda: ctx.services.history.create_review(
                ctx.workspace, str(organization_id), title, _given(notes), actor=ctx.actor
            ),
            lambda review: ReviewPayload(review=Review.of(review)),
            record=str(organization_id),
            path=None,
        )

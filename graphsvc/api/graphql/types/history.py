"""The change log, reviews and ``accountChanges`` as GraphQL types (CONTRACT §6)."""

# strawberry.field(description=...) is typed as returning Any; the resolvers stay typed.
# mypy: disable-error-code="untyped-decorator"

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

import strawberry

from graphsvc.api.graphql.context import Info
from graphsvc.api.graphql.scalars import JSON
from graphsvc.api.graphql.types.person import Person
from graphsvc.api.graphql.types.pipeline import Opportunity
from graphsvc.domain import history
from graphsvc.domain.enums import RelationshipType
from graphsvc.services import history as service

__all__ = [
    "AccountChanges",
    "Change",
    "PersonChange",
    "RelationshipChange",
    "Review",
    "RightChange",
    "RoleChange",
    "StageChange",
    "StanceChange",
]

Operation = history.Operation
strawberry.enum(Operation, description="What a write did to a record.")
RelationshipMove = service.RelationshipMove
strawberry.enum(
    RelationshipMove,
    description="ADDED, REMOVED, or its effective strength rose (STRENGTHENED) or fell (WEAKENED).",
)
RightMove = service.RightMove
strawberry.enum(
    RightMove,
    description="GRANTED, REVOKED, or CHANGED (its budget limit changed).",
)


@strawberry.type(
    description="One record's change by one write, as the change log keeps it. Changes of "
    "one write share its version and are ordered by index."
)
class Change:
    version: int = strawberry.field(description="The workspace version the write produced.")
    index: int = strawberry.field(description="Its place among the write's changes, from 0.")
    at: datetime = strawberry.field(description="When the write was applied (UTC).")
    actor: str = strawberry.field(
        description="Who wrote: the API token's id, `cli` for the command line, `local` for "
        "the API with authentication off."
    )
    kind: str = strawberry.field(
        description="organization, department, person, system, opportunity, relationship, "
        "decisionRight, or pipelineStages (the workspace's stage model)."
    )
    key: str = strawberry.field(
        description="The record's id; a relationship's TYPE:from:to (a KNOWS pair sorted); a "
        "decision right's personId:scopeId:area:role (the area in lower case)."
    )
    operation: Operation
    fields: list[str] = strawberry.field(description="The fields whose values changed, sorted.")
    before: JSON | None = strawberry.field(
        description="The record before, as in a graph document; null when created."
    )
    after: JSON | None = strawberry.field(
        description="The record after, as in a graph document; null when deleted."
    )

    @classmethod
    def of(cls, change: history.Change) -> Change:
        return cls(
            version=change.version,
            index=change.index,
            at=change.at,
            actor=change.actor,
            kind=change.kind.value,
            key=change.key,
            operation=Operation(change.operation),
            fields=list(change.fields),
            before=cast(JSON, change.before),
            after=cast(JSON, change.after),
        )


@strawberry.type(description="A review of an account: what the workspace held when it was taken.")
class Review:
    id: strawberry.ID
    organization_id: strawberry.ID
    title: str
    notes: str | None
    version: int = strawberry.field(
        description="The workspace version at the review: accountChanges(sinceReview:) lists "
        "the changes after it."
    )
    at: datetime
    actor: str

    @classmethod
    def of(cls, review: history.Review) -> Review:
        return cls(
            id=strawberry.ID(review.id),
            organization_id=strawberry.ID(review.organization_id),
            title=review.title,
            notes=review.notes,
            version=review.version,
            at=review.at,
            actor=review.actor,
        )


@strawberry.interface(description="When and by whom a change of accountChanges was made.")
class AccountEvent:
    at: datetime
    actor: str
    version: int


def _stamp(event: service.Event) -> dict[str, Any]:
    """The fields every account event shares."""
    return {"at": event.at, "actor": event.actor, "version": event.version}


@strawberry.interface(description="A change of accountChanges about one person.")
class PersonEvent(AccountEvent):
    person_id: strawberry.ID

    @strawberry.field(description="The person now; null once deleted.")
    async def person(self, info: Info) -> Person | None:
        found = await info.context.loaders.person.load(self.person_id)
        return None if found is None else Person.from_record(found)


@strawberry.type(
    description="A person who joined the scope (created, or moved into one of its "
    "organizations) or left it (deleted, or moved out)."
)
class PersonChange(PersonEvent):
    name: str = strawberry.field(description="Their name when they joined or left.")
    title: str | None
    organization_id: strawberry.ID

    @classmethod
    def of(cls, event: service.PersonEvent) -> PersonChange:
        record: dict[str, Any] = event.record
        return cls(
            **_stamp(event),
            person_id=strawberry.ID(event.person_id),
            name=str(record.get("name", event.person_id)),
            title=record.get("title"),
            organization_id=strawberry.ID(str(record.get("organizationId", ""))),
        )


@strawberry.type(description="A person's stance changed (from → to).")
class StanceChange(PersonEvent):
    from_: str | None = strawberry.field(name="from")
    to: str | None

    @classmethod
    def of(cls, event: service.StanceEvent) -> StanceChange:
        return cls(
            **_stamp(event),
            person_id=strawberry.ID(event.person_id),
            from_=event.before,
            to=event.after,
        )


@strawberry.type(
    description="A person's title, department (ids) or solid manager (person ids) changed; "
    "null where there was or is none."
)
class RoleChange(PersonEvent):
    field: str = strawberry.field(description="title, department or manager.")
    from_: str | None = strawberry.field(name="from")
    to: str | None

    @classmethod
    def of(cls, event: service.RoleEvent) -> RoleChange:
        return cls(
            **_stamp(event),
            person_id=strawberry.ID(event.person_id),
            field=event.field,
            from_=event.before,
            to=event.after,
        )


@strawberry.type(
    description="A relationship added, removed, or whose effective strength (recorded, or the "
    "type's default) rose or fell. A change of lastContactOn alone is not listed."
)
class RelationshipChange(AccountEvent):
    change: RelationshipMove
    type: RelationshipType
    from_id: strawberry.ID = strawberry.field(name="from")
    to_id: strawberry.ID = strawberry.field(name="to")
    strength_before: float | None = strawberry.field(description="Null when added.")
    strength_after: float | None = strawberry.field(description="Null when removed.")

    @classmethod
    def of(cls, event: service.RelationshipEvent) -> RelationshipChange:
        return cls(
            **_stamp(event),
            change=RelationshipMove(event.change),
            type=event.type,
            from_id=strawberry.ID(event.from_id),
            to_id=strawberry.ID(event.to_id),
            strength_before=event.strength_before,
            strength_after=event.strength_after,
        )


@strawberry.type(description="A decision right granted, revoked, or whose budget limit changed.")
class RightChange(AccountEvent):
    change: RightMove
    person_id: strawberry.ID
    scope_id: strawberry.ID
    area: str
    role: str
    budget_limit_before: float | None
    budget_limit_after: float | None

    @classmethod
    def of(cls, event: service.RightEvent) -> RightChange:
        record = event.record
        return cls(
            **_stamp(event),
            change=RightMove(event.change),
            person_id=strawberry.ID(record["personId"]),
            scope_id=strawberry.ID(record["scopeId"]),
            area=record["area"],
            role=record["role"],
            budget_limit_before=event.budget_before,
            budget_limit_after=event.budget_after,
        )


@strawberry.type(description="An opportunity moved from one stage to another.")
class StageChange(AccountEvent):
    opportunity_id: strawberry.ID
    from_: str | None = strawberry.field(name="from")
    to: str | None

    @strawberry.field(description="The opportunity now; null once deleted.")
    async def opportunity(self, info: Info) -> Opportunity | None:
        found = await info.context.loaders.opportunity.load(self.opportunity_id)
        return None if found is None else Opportunity.from_record(found)

    @classmethod
    def of(cls, event: service.StageEvent) -> StageChange:
        return cls(
            **_stamp(event),
            opportunity_id=strawberry.ID(event.opportunity_id),
            from_=event.before,
            to=event.after,
        )


@strawberry.type(
    description="What changed in an organization scope in a window of the change log, each "
    "list oldest first."
)
class AccountChanges:
    organization_id: strawberry.ID
    since: datetime | None = strawberry.field(description="The window's start time, if given.")
    until: datetime = strawberry.field(description="The window's end (default: now).")
    since_review: Review | None = strawberry.field(
        description="The review the window starts after: the one given, or without since "
        "the organization's latest (null: none, the window starts at the log's beginning)."
    )
    from_version: int = strawberry.field(description="Changes after this version...")
    to_version: int = strawberry.field(
        description="...up to this one: the version of the window's last change."
    )
    complete: bool = strawberry.field(
        description="False when `graphsvc compact` dropped changes the window would hold."
    )
    change_count: int = strawberry.field(description="Logged changes of the scope in the window.")
    people_added: list[PersonChange]
    people_removed: list[PersonChange]
    stance_changes: list[StanceChange]
    role_changes: list[RoleChange]
    relationship_changes: list[RelationshipChange]
    decision_right_changes: list[RightChange]
    stage_changes: list[StageChange]

    @classmethod
    def of(cls, found: service.AccountChanges) -> AccountChanges:
        summary = found.summary
        return cls(
            organization_id=strawberry.ID(found.organization_id),
            since=found.since,
            until=found.until,
            since_review=None if found.review is None else Review.of(found.review),
            from_version=found.from_version,
            to_version=found.to_version,
            complete=found.complete,
            change_count=summary.change_count,
            people_added=[PersonChange.of(e) for e in summary.people_added],
            people_removed=[PersonChange.of(e) for e in summary.people_removed],
            stance_changes=[StanceChange.of(e) for e in summary.stance_changes],
            role_changes=[RoleChange.of(e) for e in summary.role_changes],
            relationship_changes=[RelationshipChange.of(e) for e in summary.relationship_changes],
            decision_right_changes=[RightChange.of(e) for e in summary.decision_right_changes],
            stage_changes=[StageChange.of(e) for e in summary.stage_changes],
        )

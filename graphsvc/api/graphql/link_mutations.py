"""Writes of the keyed records (relationships, decision rights) and whole-document import."""

# strawberry.mutation(description=...) is typed as returning Any; the resolvers stay typed.
# mypy: disable-error-code="untyped-decorator"

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

import strawberry
from pydantic import ValidationError as PydanticValidationError

from graphsvc.api.graphql.context import Info
from graphsvc.api.graphql.imports import ImportFailed, ImportResult, ImportSuccess
from graphsvc.api.graphql.inputs import DecisionRightInput, RelationshipInput
from graphsvc.api.graphql.payloads import (
    DecisionRightPayload,
    DecisionRightResult,
    RelationshipPayload,
    RelationshipResult,
    Revoked,
    RevokeResult,
    Unlinked,
    UnlinkResult,
)
from graphsvc.api.graphql.results import ValidationError, is_failure, issues_of
from graphsvc.api.graphql.scalars import JSON
from graphsvc.api.graphql.types import DecisionRight, Relationship
from graphsvc.api.graphql.write import perform
from graphsvc.domain import models
from graphsvc.domain.enums import BuyingRole, RelationshipType
from graphsvc.errors import InvalidDocument, Issue


@strawberry.type
class LinkMutation:
    """Relationships, decision rights and graph documents."""

    @strawberry.mutation(
        description="Create a relationship between two existing people, or update the one "
        "with the same (type, from, to)."
    )
    async def link(self, info: Info, input: RelationshipInput) -> RelationshipResult:
        record = f"{input.type.value} {input.from_} -> {input.to}"
        ctx = info.context

        async def write() -> models.Relationship:
            try:
                tie = models.Relationship.model_validate(
                    {
                        "type": input.type,
                        "from": input.from_,
                        "to": input.to,
                        "strength": input.strength,
                        "lastContactOn": input.last_contact_on,
                        "dotted": input.dotted,
                    }
                )
            except PydanticValidationError as exc:
                raise issues_of(exc, "input", record) from None
            return await ctx.services.graph.link(ctx.workspace, tie)

        result = await perform(info, write, record=record)
        if is_failure(result):
            return result
        return RelationshipPayload(relationship=Relationship.from_record(result))

    @strawberry.mutation(description="Remove a relationship; NOT_FOUND if there is none.")
    async def unlink(
        self,
        info: Info,
        type: RelationshipType,
        from_: Annotated[strawberry.ID, strawberry.argument(name="from")],
        to: strawberry.ID,
    ) -> UnlinkResult:
        ctx = info.context
        result = await perform(
            info,
            lambda: ctx.services.graph.unlink(ctx.workspace, type, from_, to),
            record=f"{type.value} {from_} -> {to}",
        )
        if is_failure(result):
            return result
        return Unlinked(type=type, from_=from_, to=to)

    @strawberry.mutation(
        description="Grant a decision right, or update the budget limit of the same right "
        "(person, scope, area in any case, role)."
    )
    async def grant_decision_right(
        self, info: Info, input: DecisionRightInput
    ) -> DecisionRightResult:
        record = f"{input.person_id} {input.role.value} {input.area} in {input.scope_id}"
        ctx = info.context

        async def write() -> models.DecisionRight:
            try:
                right = models.DecisionRight(
                    person_id=input.person_id,
                    scope_id=input.scope_id,
                    area=input.area,
                    role=input.role,
                    budget_limit=input.budget_limit,
                )
            except PydanticValidationError as exc:
                raise issues_of(exc, "input", record) from None
            return await ctx.services.graph.grant(ctx.workspace, right)

        result = await perform(info, write, record=record)
        if is_failure(result):
            return result
        return DecisionRightPayload(decision_right=DecisionRight.from_record(result))

    @strawberry.mutation(description="Revoke a decision right; NOT_FOUND if there is none.")
    async def revoke_decision_right(
        self,
        info: Info,
        person_id: strawberry.ID,
        scope_id: strawberry.ID,
        area: str,
        role: BuyingRole,
    ) -> RevokeResult:
        ctx = info.context
        result = await perform(
            info,
            lambda: ctx.services.graph.revoke(
                ctx.workspace, (person_id, scope_id, area, role.value)
            ),
            record=f"{person_id} {role.value} {area} in {scope_id}",
        )
        if is_failure(result):
            return result
        return Revoked(person_id=person_id, scope_id=scope_id, area=area, role=role)

    @strawberry.mutation(
        description="Upsert a whole graph document (CONTRACT §3 format, as `graphsvc import` "
        "reads). Atomic: on any problem nothing changes and ImportFailed lists every issue."
    )
    async def import_graph(self, info: Info, document: JSON) -> ImportResult:
        ctx = info.context
        if not isinstance(document, Mapping):
            return ImportFailed.of(
                InvalidDocument([Issue("document", "", "a graph document is a JSON object")])
            )
        doc: Mapping[str, Any] = document
        result = await perform(
            info,
            lambda: ctx.services.graph.import_document(ctx.workspace, doc),
            record="document",
            path="document",
        )
        if is_failure(result):
            issues = result.issues if isinstance(result, ValidationError) else []
            return ImportFailed(code=result.code, message=result.message, issues=issues)
        return ImportSuccess.of(result)

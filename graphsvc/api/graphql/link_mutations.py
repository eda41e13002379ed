"""Writes of the keyed records (relationships, decision rights) and whole-document import."""

# strawberry.mutation(description=...) is typed as returning Any; the resolvers stay typed.
# mypy: disable-error-code="untyped-decorator"

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

import strawberry

from graphsvc.api.graphql.context import Info
from graphsvc.api.graphql.imports import ImportFailed, ImportResult, ImportSuccess
from graphsvc.api.graphql.inputs import DecisionRightInput, RelationshipInput, document_fields
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
from graphsvc.api.graphql.results import ValidationError, is_failure
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
        description="Create a relationship between two existing people, or change the one "
        "with the same (type, from, to): only the fields given change, an explicit null "
        "clears one, and nothing else is lost (see RelationshipInput). unlink removes one."
    )
    async def link(self, info: Info, input: RelationshipInput) -> RelationshipResult:
        ctx = info.context
        return await perform(
            info,
            lambda: ctx.services.graph.link(ctx.workspace, input.given(), actor=ctx.actor),
            lambda linked: RelationshipPayload(relationship=Relationship.from_record(linked)),
            record=f"{input.type.value} {input.from_}→{input.to}",
        )

    @strawberry.mutation(description="Remove a relationship; NOT_FOUND if there is none.")
    async def unlink(
        self,
        info: Info,
        type: RelationshipType,
        from_: Annotated[strawberry.ID, strawberry.argument(name="from")],
        to: strawberry.ID,
    ) -> UnlinkResult:
        ctx = info.context
        return await perform(
            info,
            lambda: ctx.services.graph.unlink(ctx.workspace, type, from_, to, actor=ctx.actor),
            lambda _: Unlinked(type=type, from_=from_, to=to),
            record=f"{type.value} {from_}→{to}",
        )

    @strawberry.mutation(
        description="Grant a decision right, or update the budget limit of the same right "
        "(person, scope, area in any case, role)."
    )
    async def grant_decision_right(
        self, info: Info, input: DecisionRightInput
    ) -> DecisionRightResult:
        record = f"{input.person_id}/{input.scope_id}/{input.area}/{input.role.value}"
        ctx = info.context
        given = document_fields(input, keep_null=False)

        async def write() -> models.DecisionRight:
            return await ctx.services.graph.grant(ctx.workspace, given, actor=ctx.actor)

        return await perform(
            info,
            write,
            lambda granted: DecisionRightPayload(decision_right=DecisionRight.from_record(granted)),
            record=record,
        )

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
        return await perform(
            info,
            lambda: ctx.services.graph.revoke(
                ctx.workspace, (person_id, scope_id, area, role.value), actor=ctx.actor
            ),
            lambda _: Revoked(person_id=person_id, scope_id=scope_id, area=area, role=role),
            record=f"{person_id}/{scope_id}/{area}/{role.value}",
        )

    @strawberry.mutation(
        description="Upsert a whole graph document (CONTRACT §3 format, as `graphsvc import` "
        "reads; `format` is required). Atomic: on any problem nothing changes, and "
        "ImportFailed lists every issue at once (records refused on their own and rules "
        "broken across records), each with its path, record and offending value."
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
            lambda: ctx.services.graph.import_document(ctx.workspace, doc, actor=ctx.actor),
            ImportSuccess.of,
            record="document",
            path=None,
        )
        if is_failure(result):
            issues = result.issues if isinstance(result, ValidationError) else []
            return ImportFailed(code=result.code, message=result.message, issues=issues)
        return result

"""The pipeline of CONTRACT §7: the ``pipeline`` query, the stage model (``pipelineStages``)
and ``setPipelineStages``, which replaces it.

The figures' semantics are in ``graphsvc.analytics.pipeline`` and the types' descriptions;
the stage model's rules in ``graphsvc.domain.validation_pipeline``.
"""

# strawberry.field(description=...) is typed as returning Any; the resolvers stay typed.
# mypy: disable-error-code="untyped-decorator"

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry
from strawberry import UNSET

from graphsvc.api.graphql.context import Info
from graphsvc.api.graphql.payloads import _Failures, _union
from graphsvc.api.graphql.types.pipeline_figures import (
    Pipeline,
    PipelineStage,
    PipelineStageInput,
)
from graphsvc.api.graphql.write import perform
from graphsvc.domain.pipeline import PipelineStage as StageRecord
from graphsvc.errors import InvalidDocument, Issue
from graphsvc.services.analytics import DEFAULT_INCLUDE_SUBSIDIARIES, DEFAULT_STALLED_AFTER_DAYS

__all__ = ["PipelineMutation", "PipelineQuery"]


@strawberry.type(description="The stage model now in use, as set.")
class PipelineStagesPayload:
    stages: list[PipelineStage] = strawberry.field(description="The model's stages, in order.")


PipelineStagesResult = Annotated[
    PipelineStagesPayload | _Failures,
    _union("PipelineStagesResult", "The stage model now in use"),
]


@strawberry.type
class PipelineQuery:
    """The pipeline figures and the stage model."""

    @strawberry.field(
        description="The workspace's stage model, in order: its own when one was set "
        "(setPipelineStages, or a graph document's pipelineStages), else the default "
        "PROSPECTING 0.05, QUALIFICATION 0.1, DISCOVERY 0.25, PROPOSAL 0.5, NEGOTIATION 0.75. "
        "Winning and losing are an opportunity's status, not stages."
    )
    async def pipeline_stages(self, info: Info) -> list[PipelineStage]:
        ctx = info.context
        return [
            PipelineStage.of(s) for s in await ctx.services.graph.pipeline_stages(ctx.workspace)
        ]

    @strawberry.field(
        description="Where the deals of an organization scope are, what they are worth and "
        "where they stall (CONTRACT §7): per stage of the model the OPEN deals now in it "
        "(count, amount, weightedAmount, medianDaysInStage) and the conversion rate of every "
        "deal that entered it; the stalled deals; the bottleneck stage. Unknown organization: "
        "NOT_FOUND; negative stalledAfterDays: INVALID."
    )
    async def pipeline(
        self,
        info: Info,
        organization_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The organization whose deals are counted."),
        ],
        include_subsidiaries: Annotated[
            bool | None,
            strawberry.argument(
                description="Also the deals of every organization below it (default true)."
            ),
        ] = DEFAULT_INCLUDE_SUBSIDIARIES,
        as_of: Annotated[
            date | None,
            strawberry.argument(description="The day days in stage count to; default today."),
        ] = UNSET,
        stalled_after_days: Annotated[
            int | None,
            strawberry.argument(
                description="An OPEN deal in its stage for more days than this is stalled "
                f"(default {DEFAULT_STALLED_AFTER_DAYS}; not negative)."
            ),
        ] = DEFAULT_STALLED_AFTER_DAYS,
    ) -> Pipeline:
        ctx = info.context
        found = await ctx.services.analytics.pipeline(
            ctx.workspace,
            str(organization_id),
            include_subsidiaries=(
                DEFAULT_INCLUDE_SUBSIDIARIES
                if include_subsidiaries is None
                else include_subsidiaries
            ),
            as_of=as_of or None,
            stalled_after_days=(
                DEFAULT_STALLED_AFTER_DAYS if stalled_after_days is None else stalled_after_days
            ),
        )
        return Pipeline.of(found)


@strawberry.type
class PipelineMutation:
    """Replacing the stage model."""

    @strawberry.mutation(
        description="Replace the workspace's stage model whole (editor role). Refused "
        "(INVALID, nothing changed) when the list is empty, names a stage twice (in any case), "
        "has a probability outside 0 to 1, or drops a stage that a stored opportunity still "
        "names as its stage or in its stageHistory (the issue names them: move them first, or "
        "rewrite them with the model in one graph document)."
    )
    async def set_pipeline_stages(
        self,
        info: Info,
        stages: Annotated[
            list[PipelineStageInput],
            strawberry.argument(description="The new model's stages, in pipeline order."),
        ],
    ) -> PipelineStagesResult:
        ctx = info.context
        given = [{"name": s.name, "probability": s.probability} for s in stages]

        async def action() -> list[StageRecord]:
            try:
                return await ctx.services.graph.set_pipeline_stages(
                    ctx.workspace, given, actor=ctx.actor
                )
            except InvalidDocument as refused:
                raise InvalidDocument([_as_argument(i) for i in refused.issues]) from None

        return await perform(
            info,
            action,
            lambda model: PipelineStagesPayload(stages=[PipelineStage.of(s) for s in model]),
            record="the stage model",
            path=None,
        )


def _as_argument(issue: Issue) -> Issue:
    """A document issue (``pipelineStages[1].name``) located under the ``stages`` argument."""
    return Issue(
        issue.path.replace("pipelineStages", "stages"),
        issue.record,
        issue.message.replace("pipelineStages[", "stages["),
    )

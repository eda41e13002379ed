"""The stage model's and the ``pipeline`` query's types (CONTRACT §7)."""

# strawberry.field(description=...) is typed as returning Any; the resolvers stay typed.
# mypy: disable-error-code="untyped-decorator"

from __future__ import annotations

from datetime import date

import strawberry

from graphsvc.api.graphql.types.pipeline import Opportunity
from graphsvc.api.graphql.types.rounding import rounded, rounded_or_none
from graphsvc.domain.pipeline import PipelineStage as StageRecord
from graphsvc.services import analytics

__all__ = [
    "ClosedDeals",
    "Pipeline",
    "PipelineStage",
    "PipelineStageInput",
    "StageFigures",
    "StalledDeal",
]


@strawberry.type(description="A stage of the workspace's stage model, in model order.")
class PipelineStage:
    name: str = strawberry.field(description="The stage's name, as opportunities write it.")
    probability: float = strawberry.field(
        description="The default chance (0 to 1) to win a deal in this stage; a deal's own "
        "probability overrides it."
    )

    @classmethod
    def of(cls, stage: StageRecord) -> PipelineStage:
        """The GraphQL view of a stage of the model."""
        return cls(name=stage.name, probability=stage.probability)


@strawberry.input(description="A stage of a new stage model.")
class PipelineStageInput:
    name: str = strawberry.field(description="Unique in the model (in any case); trimmed.")
    probability: float = strawberry.field(description="0 to 1.")


@strawberry.type(description="One stage of the pipeline and the deals in it.")
class StageFigures:
    stage: str = strawberry.field(description="The stage's name.")
    probability: float = strawberry.field(description="The stage's default probability.")
    count: int = strawberry.field(description="OPEN opportunities now in this stage.")
    amount: float = strawberry.field(
        description="Σ of their amounts (a deal without one adds 0); rounded to 6 places."
    )
    weighted_amount: float = strawberry.field(
        description="Σ amount × the deal's probability, else the stage's; rounded to 6 places."
    )
    median_days_in_stage: float | None = strawberry.field(
        description="The median of their days from entering the stage (the last stageHistory "
        "entry) to asOf; the mean of the middle two for an even count. Null when none of them "
        "has a known entry day."
    )
    conversion_rate: float | None = strawberry.field(
        description="Of every opportunity (any status) that ever entered the stage (in its "
        "stageHistory or as its stage), the share that later entered a later stage of the "
        "model or was WON; rounded to 6 places. Null when none entered."
    )
    entered: int = strawberry.field(
        description="How many opportunities ever entered the stage (conversionRate's denominator)."
    )
    advanced: int = strawberry.field(
        description="How many of those later entered a later stage or were WON (its numerator)."
    )

    @classmethod
    def of(cls, found: analytics.StageFigures) -> StageFigures:
        """The GraphQL view of one stage's figures."""
        return cls(
            stage=found.stage.name,
            probability=found.stage.probability,
            count=found.count,
            amount=rounded(found.amount),
            weighted_amount=rounded(found.weighted_amount),
            median_days_in_stage=found.median_days_in_stage,
            conversion_rate=rounded_or_none(found.conversion_rate),
            entered=found.entered,
            advanced=found.advanced,
        )


@strawberry.type(description="An OPEN deal in its stage for longer than stalledAfterDays.")
class StalledDeal:
    opportunity: Opportunity = strawberry.field(description="The stalled deal.")
    stage: str = strawberry.field(description="The stage it is stuck in.")
    days_in_stage: int = strawberry.field(description="Days from entering the stage to asOf.")

    @classmethod
    def of(cls, found: analytics.StalledDeal) -> StalledDeal:
        """The GraphQL view of a stalled deal."""
        record = found.opportunity
        return cls(
            opportunity=Opportunity.from_record(record),
            stage=record.stage or "",
            days_in_stage=found.days_in_stage,
        )


@strawberry.type(description="The deals of one outcome, WON or LOST: how many and their amount.")
class ClosedDeals:
    count: int = strawberry.field(description="How many deals.")
    amount: float = strawberry.field(
        description="Σ of their amounts (a deal without one adds 0); rounded to 6 places."
    )

    @classmethod
    def of(cls, found: analytics.ClosedDeals) -> ClosedDeals:
        """The GraphQL view of one outcome's deals."""
        return cls(count=found.count, amount=rounded(found.amount))


@strawberry.type(description="The pipeline of an organization scope on a day (CONTRACT §7).")
class Pipeline:
    as_of: date = strawberry.field(description="The day days in stage are counted to.")
    stages: list[StageFigures] = strawberry.field(
        description="One entry per stage of the stage model, in model order."
    )
    stalled: list[StalledDeal] = strawberry.field(
        description="OPEN deals in their stage for more than stalledAfterDays days, longest "
        "first, then by id. A deal whose history does not say when it entered its stage is "
        "never stalled."
    )
    bottleneck: str | None = strawberry.field(
        description="The stage with the lowest conversionRate among the stages some deal "
        "entered and then left, was LOST in, or is stalled in; on a tie the earlier stage. "
        "Null when no stage qualifies."
    )
    won: ClosedDeals = strawberry.field(
        description="The scope's deals now WON, whatever their stage and close date (not in "
        "CONTRACT §7: the win figures of a pipeline review)."
    )
    lost: ClosedDeals = strawberry.field(
        description="The scope's deals now LOST, whatever their stage and close date."
    )
    win_rate: float | None = strawberry.field(
        description="won.count / (won.count + lost.count), rounded to 6 places; null when no "
        "deal of the scope is WON or LOST."
    )

    @classmethod
    def of(cls, found: analytics.Pipeline) -> Pipeline:
        """The GraphQL view of the service's pipeline."""
        return cls(
            as_of=found.as_of,
            stages=[StageFigures.of(s) for s in found.stages],
            stalled=[StalledDeal.of(s) for s in found.stalled],
            bottleneck=found.bottleneck,
            won=ClosedDeals.of(found.won),
            lost=ClosedDeals.of(found.lost),
            win_rate=rounded_or_none(found.win_rate),
        )

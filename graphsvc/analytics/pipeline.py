"""pipeline (CONTRACT §7): where an account's deals are, what they are worth, where they stall.

Over the opportunities of the organizations of a scope, for a stage model (ordered stages
with default probabilities) and a day ``as_of``:

- per stage, in model order, over the OPEN opportunities whose ``stage`` is that stage now:
  ``count``, ``amount`` (Σ amount; a deal without one adds 0), ``weighted_amount`` (Σ amount ×
  the deal's ``probability``, else the stage's) and ``median_days_in_stage`` (the median of
  the days from entering the stage to ``as_of``; None when no such deal has a known entry);
- per stage, ``conversion_rate``: of every opportunity (any status) that ever entered the
  stage, the share that later entered a later stage of the model or was WON; None when none
  entered;
- ``stalled``: the OPEN deals in their stage for more than ``stalled_after_days`` days,
  longest first (then by id);
- ``bottleneck``: the stage with the lowest conversion rate among the stages some deal
  entered and then left, was LOST in, or is stalled in; ties go to the earlier stage; None
  when no stage qualifies;
- ``won`` and ``lost``: the deals of the scope now WON, and now LOST (whatever their stage,
  in the model or not, and whatever their close date): how many and their amount;
  ``win_rate`` is won / (won + lost) by count, None when none is closed.

A deal's *path* is its ``stageHistory`` followed by its current ``stage`` when the history
does not end with it. It *entered* a stage when the stage is on its path (a deal without
history entered just its current stage); it *left* a stage when another stage follows the
stage's first entry on the path; it *advanced* from a stage when a later stage of the model
follows that first entry, or when it is WON. The day a deal entered its current stage is the
``enteredOn`` of the history's last entry when that entry is the current stage; without one
the day is unknown, and the deal counts everywhere but in the median and ``stalled``. Stages
outside the model (free-form stages of older data) are skipped on the path and never counted.

Example (``as_of`` 2026-03-31, default model): a deal in PROPOSAL since 2026-01-30 (60
days) and one in PROPOSAL since 2026-03-11 (20 days): PROPOSAL counts 2, median 40 days;
with ``stalled_after_days`` 30 the first is stalled.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from statistics import median

from graphsvc.analytics.projection import Projection
from graphsvc.analytics.scope import DEFAULT_INCLUDE_SUBSIDIARIES, organization_scope
from graphsvc.domain.enums import OpportunityStatus
from graphsvc.domain.models import Opportunity
from graphsvc.domain.pipeline import PipelineStage
from graphsvc.errors import InvalidInput

__all__ = [
    "DEFAULT_STALLED_AFTER_DAYS",
    "ClosedDeals",
    "Pipeline",
    "StageFigures",
    "StalledDeal",
    "pipeline",
    "pipeline_of",
]

DEFAULT_STALLED_AFTER_DAYS = 30
"""Days in one stage after which an open deal is stalled, when not given."""


@dataclass(frozen=True)
class StageFigures:
    """One stage's figures (see the module docstring for each)."""

    stage: PipelineStage
    count: int
    amount: float
    weighted_amount: float
    median_days_in_stage: float | None
    conversion_rate: float | None
    entered: int
    """How many opportunities ever entered the stage (the conversion rate's denominator)."""
    advanced: int
    """How many of those later entered a later stage or were WON (its numerator)."""


@dataclass(frozen=True)
class StalledDeal:
    """An open deal in its stage for longer than the query allows."""

    opportunity: Opportunity
    days_in_stage: int


@dataclass(frozen=True)
class ClosedDeals:
    """The deals of one outcome (WON or LOST): how many, and Σ amount (none adds 0)."""

    count: int = 0
    amount: float = 0.0


@dataclass(frozen=True)
class Pipeline:
    """The pipeline of a scope on a day."""

    as_of: date
    stages: tuple[StageFigures, ...]
    stalled: tuple[StalledDeal, ...]
    bottleneck: str | None
    won: ClosedDeals = ClosedDeals()
    lost: ClosedDeals = ClosedDeals()

    @property
    def win_rate(self) -> float | None:
        """Won / (won + lost), by count; None when no deal is closed."""
        closed = self.won.count + self.lost.count
        return self.won.count / closed if closed else None


def pipeline(
    projection: Projection,
    organization_id: str,
    stages: Sequence[PipelineStage],
    *,
    as_of: date,
    include_subsidiaries: bool = DEFAULT_INCLUDE_SUBSIDIARIES,
    stalled_after_days: int = DEFAULT_STALLED_AFTER_DAYS,
) -> Pipeline:
    """The pipeline of the organization scope of ``organization_id`` (``NotFound`` when it
    does not exist; ``InvalidInput`` for a negative ``stalled_after_days``)."""
    if stalled_after_days < 0:
        raise InvalidInput(f"stalledAfterDays must not be negative, got {stalled_after_days}")
    scope = set(
        organization_scope(
            projection, organization_id, include_subsidiaries=include_subsidiaries
        ).organizations
    )
    deals = [o for o in projection.opportunities.values() if o.organization_id in scope]
    return pipeline_of(deals, stages, as_of=as_of, stalled_after_days=stalled_after_days)


def pipeline_of(
    deals: Iterable[Opportunity],
    stages: Sequence[PipelineStage],
    *,
    as_of: date,
    stalled_after_days: int = DEFAULT_STALLED_AFTER_DAYS,
) -> Pipeline:
    """The figures of ``deals`` (already scoped) under the stage model ``stages``."""
    order = {stage.name: index for index, stage in enumerate(stages)}
    count = [0] * len(stages)
    amount = [0.0] * len(stages)
    weighted = [0.0] * len(stages)
    days: list[list[int]] = [[] for _ in stages]
    entered = [0] * len(stages)
    advanced = [0] * len(stages)
    qualifies = [False] * len(stages)
    stalled: list[StalledDeal] = []
    closed = {OpportunityStatus.WON: ClosedDeals(), OpportunityStatus.LOST: ClosedDeals()}
    for deal in sorted(deals, key=lambda o: o.id):
        if deal.status in closed:
            before = closed[deal.status]
            closed[deal.status] = ClosedDeals(
                before.count + 1, before.amount + (deal.amount or 0.0)
            )
        path = _path(deal, order)
        first: dict[int, int] = {}
        for position, stage in enumerate(path):
            first.setdefault(stage, position)
        for stage, position in first.items():
            entered[stage] += 1
            later = path[position + 1 :]
            if deal.status is OpportunityStatus.WON or any(s > stage for s in later):
                advanced[stage] += 1
            if any(s != stage for s in later):
                qualifies[stage] = True  # entered and then left
        current = order.get(deal.stage) if deal.stage is not None else None
        if current is None:
            continue
        if deal.status is OpportunityStatus.LOST:
            qualifies[current] = True
        if deal.status is not OpportunityStatus.OPEN:
            continue
        count[current] += 1
        value = deal.amount or 0.0
        odds = deal.probability if deal.probability is not None else stages[current].probability
        amount[current] += value
        weighted[current] += value * odds
        since = _entered_current(deal)
        if since is not None:
            in_stage = (as_of - since).days
            days[current].append(in_stage)
            if in_stage > stalled_after_days:
                stalled.append(StalledDeal(deal, in_stage))
                qualifies[current] = True
    figures = tuple(
        StageFigures(
            stage=stage,
            count=count[i],
            amount=amount[i],
            weighted_amount=weighted[i],
            median_days_in_stage=float(median(days[i])) if days[i] else None,
            conversion_rate=advanced[i] / entered[i] if entered[i] else None,
            entered=entered[i],
            advanced=advanced[i],
        )
        for i, stage in enumerate(stages)
    )
    stalled.sort(key=lambda s: (-s.days_in_stage, s.opportunity.id))
    return Pipeline(
        as_of,
        figures,
        tuple(stalled),
        _bottleneck(figures, qualifies),
        won=closed[OpportunityStatus.WON],
        lost=closed[OpportunityStatus.LOST],
    )


def _path(deal: Opportunity, order: dict[str, int]) -> list[int]:
    """The model positions of the stages the deal went through, oldest first."""
    names = [entry.stage for entry in deal.stage_history]
    if deal.stage is not None and (not names or names[-1] != deal.stage):
        names.append(deal.stage)
    return [order[name] for name in names if name in order]


def _entered_current(deal: Opportunity) -> date | None:
    """The day the deal entered its current stage, when its history says."""
    history = deal.stage_history
    if history and history[-1].stage == deal.stage:
        return history[-1].entered_on
    return None


def _bottleneck(figures: Sequence[StageFigures], qualifies: Sequence[bool]) -> str | None:
    """The qualifying stage with the lowest conversion rate; the earlier one on a tie."""
    best: StageFigures | None = None
    for figure, ok in zip(figures, qualifies, strict=True):
        rate = figure.conversion_rate
        if not ok or rate is None:
            continue
        if best is None or best.conversion_rate is None or rate < best.conversion_rate:
            best = figure
    return best.stage.name if best is not None else None

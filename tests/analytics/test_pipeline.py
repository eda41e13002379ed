"""The pipeline analytics (CONTRACT §7) on the hand-worked set of ``tests.pipeline_case``."""

from __future__ import annotations

from datetime import date

import pytest

from graphsvc.analytics.pipeline import ClosedDeals, pipeline, pipeline_of
from graphsvc.domain.models import GraphDocument, Opportunity, StageEntry
from graphsvc.domain.pipeline import DEFAULT_STAGES, PipelineStage
from graphsvc.errors import InvalidInput, NotFound
from tests.analytics.conftest import project
from tests.pipeline_case import ACME_STAGES, ACME_STALLED, AS_OF, pipeline_document


@pytest.fixture
def case() -> GraphDocument:
    return GraphDocument.model_validate(pipeline_document(), by_alias=True)


def test_the_hand_worked_figures_of_acme(case: GraphDocument) -> None:
    found = pipeline(project(case), "acme", DEFAULT_STAGES, as_of=AS_OF)
    got = [
        (
            s.stage.name,
            s.count,
            s.amount,
            s.weighted_amount,
            s.median_days_in_stage,
            None if s.conversion_rate is None else round(s.conversion_rate, 6),
            s.entered,
            s.advanced,
        )
        for s in found.stages
    ]
    assert got == ACME_STAGES
    assert [(d.opportunity.id, d.opportunity.stage, d.days_in_stage) for d in found.stalled] == (
        ACME_STALLED
    )
    assert found.bottleneck == "PROPOSAL"


def test_won_and_lost_deals_of_the_scope_and_the_win_rate(case: GraphDocument) -> None:
    found = pipeline(project(case), "acme", DEFAULT_STAGES, as_of=AS_OF)
    assert (found.won, found.lost, found.win_rate) == (
        ClosedDeals(1, 200000.0),
        ClosedDeals(1, 10000.0),
        0.5,
    )
    tie = pipeline(project(case), "tie-co", DEFAULT_STAGES, as_of=AS_OF)
    assert (tie.won, tie.lost, tie.win_rate) == (ClosedDeals(), ClosedDeals(2, 2000.0), 0.0)
    # no closed deal: no win rate
    assert pipeline_of([], DEFAULT_STAGES, as_of=AS_OF).win_rate is None


def test_without_subsidiaries_the_sub_s_deal_is_left_out(case: GraphDocument) -> None:
    found = pipeline(project(case), "acme", DEFAULT_STAGES, as_of=AS_OF, include_subsidiaries=False)
    by_stage = {s.stage.name: s for s in found.stages}
    assert (by_stage["QUALIFICATION"].entered, by_stage["QUALIFICATION"].advanced) == (2, 1)
    assert by_stage["DISCOVERY"].count == 0
    assert by_stage["DISCOVERY"].conversion_rate == 1.0
    assert [d.opportunity.id for d in found.stalled] == ["o1"]
    assert found.bottleneck == "PROPOSAL"


def test_a_tie_goes_to_the_earlier_stage(case: GraphDocument) -> None:
    found = pipeline(project(case), "tie-co", DEFAULT_STAGES, as_of=AS_OF)
    rates = {s.stage.name: s.conversion_rate for s in found.stages}
    assert rates["PROSPECTING"] == rates["QUALIFICATION"] == 0.0
    assert found.bottleneck == "PROSPECTING"


def test_stalled_after_days_moves_the_threshold(case: GraphDocument) -> None:
    found = pipeline(project(case), "acme", DEFAULT_STAGES, as_of=AS_OF, stalled_after_days=29)
    assert [(d.opportunity.id, d.days_in_stage) for d in found.stalled] == [
        ("o1", 60),
        ("o3", 39),
        ("o6", 30),
    ]
    # Nothing stalled: PROPOSAL still qualifies (o4 left it), and is still the lowest.
    calm = pipeline(project(case), "acme", DEFAULT_STAGES, as_of=AS_OF, stalled_after_days=365)
    assert calm.stalled == ()
    assert calm.bottleneck == "PROPOSAL"


def test_bad_arguments_are_refused(case: GraphDocument) -> None:
    with pytest.raises(InvalidInput, match="stalledAfterDays must not be negative, got -1"):
        pipeline(project(case), "acme", DEFAULT_STAGES, as_of=AS_OF, stalled_after_days=-1)
    with pytest.raises(NotFound, match="'nowhere'"):
        pipeline(project(case), "nowhere", DEFAULT_STAGES, as_of=AS_OF)


def _deal(id: str, stage: str | None, *history: tuple[str, date], **fields: object) -> Opportunity:
    entries = tuple(StageEntry(stage=s, entered_on=d) for s, d in history)
    return Opportunity.model_validate(
        {"id": id, "name": id, "organization_id": "a", "category": "c", "stage": stage,
         "stage_history": entries, **fields}
    )  # fmt: skip


def test_empty_and_unknown_cases() -> None:
    day = date(2026, 1, 10)
    # No deals: every figure empty, no bottleneck.
    empty = pipeline_of([], DEFAULT_STAGES, as_of=day)
    assert all(s.count == 0 and s.conversion_rate is None for s in empty.stages)
    assert empty.stalled == ()
    assert empty.bottleneck is None
    # A deal without history entered its stage on an unknown day: counted, never stalled,
    # not in the median. A stage outside the model is not counted at all; a deal without an
    # amount adds 0.
    deals = [
        _deal("x", "PROPOSAL"),
        _deal("y", "Closed"),
        _deal("z", "PROPOSAL", ("PROPOSAL", date(2026, 1, 1))),
    ]
    found = pipeline_of(deals, DEFAULT_STAGES, as_of=day, stalled_after_days=0)
    proposal = found.stages[3]
    assert (proposal.count, proposal.amount, proposal.median_days_in_stage) == (2, 0.0, 9.0)
    assert [d.opportunity.id for d in found.stalled] == ["z"]
    assert sum(s.count for s in found.stages) == 2
    # A model of its own: its stages, its probabilities.
    model = [PipelineStage(name="A", probability=0.2), PipelineStage(name="B", probability=1)]
    own = pipeline_of([_deal("w", "B", amount=10)], model, as_of=day)
    assert [(s.stage.name, s.count, s.weighted_amount) for s in own.stages] == [
        ("A", 0, 0.0),
        ("B", 1, 10.0),
    ]

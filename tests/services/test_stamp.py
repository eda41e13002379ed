"""``services.writes.stamp``: a write's stage change is recorded in ``stageHistory``."""

from __future__ import annotations

from datetime import date
from typing import Any

from graphsvc.domain.enums import EntityKind
from graphsvc.domain.known import KnownGraph
from graphsvc.domain.models import GraphDocument, Opportunity
from graphsvc.services.writes.stamp import stamp_histories
from graphsvc.services.writes.stored_state import StoredState

DAY = date(2026, 5, 1)


def _deal(**fields: Any) -> dict[str, Any]:
    return {"id": "o1", "name": "o1", "organizationId": "a", "category": "CRM", **fields}


def _doc(*deals: dict[str, Any], **top: Any) -> GraphDocument:
    return GraphDocument.model_validate(
        {"format": "graphsvc/v1", "opportunities": list(deals), **top}, by_alias=True
    )


def _stored(**fields: Any) -> StoredState:
    state = StoredState(KnownGraph())
    record = Opportunity.model_validate(_deal(**fields), by_alias=True)
    state.records[EntityKind.OPPORTUNITY] = {"o1": record}
    return state


def _history(doc: GraphDocument) -> list[tuple[str, str]]:
    return [(e.stage, e.entered_on.isoformat()) for e in doc.opportunities[0].stage_history]


def test_a_new_deal_in_a_model_stage_is_recorded_as_entered_today() -> None:
    assert _history(
        stamp_histories(_doc(_deal(stage="DISCOVERY")), StoredState(KnownGraph()), DAY)
    ) == [("DISCOVERY", "2026-05-01")]


def test_a_move_extends_the_stored_history_and_the_same_stage_keeps_its_day() -> None:
    stored = _stored(
        stage="DISCOVERY", stageHistory=[{"stage": "DISCOVERY", "enteredOn": "2026-04-01"}]
    )
    moved = stamp_histories(_doc(_deal(stage="PROPOSAL")), stored, DAY)
    assert _history(moved) == [("DISCOVERY", "2026-04-01"), ("PROPOSAL", "2026-05-01")]
    # the same stage again (a document re-imported a day later): the stored entry stands
    same = stamp_histories(
        _doc(_deal(stage="DISCOVERY", stageHistory=[])), stored, date(2026, 6, 1)
    )
    assert _history(same) == [("DISCOVERY", "2026-04-01")]


def test_stages_outside_the_model_and_future_dates() -> None:
    free = _doc(_deal(stage="Closed"))
    assert stamp_histories(free, StoredState(KnownGraph()), DAY) is free
    ahead = _doc(
        _deal(stage="PROPOSAL", stageHistory=[{"stage": "DISCOVERY", "enteredOn": "2026-07-01"}])
    )
    assert _history(stamp_histories(ahead, StoredState(KnownGraph()), DAY))[-1] == (
        "PROPOSAL",
        "2026-07-01",
    )


def test_a_document_s_new_model_is_the_one_its_deals_are_stamped_with() -> None:
    doc = _doc(_deal(stage="Pitch"), pipelineStages=[{"name": "Pitch", "probability": 0.5}])
    assert _history(stamp_histories(doc, StoredState(KnownGraph()), DAY)) == [
        ("Pitch", "2026-05-01")
    ]

"""Contract: the pipeline fields of an opportunity and the stage model (CONTRACT §7) are
stored exactly, through the write path, on every store."""

from __future__ import annotations

from datetime import date

import pytest

from graphsvc.domain.enums import EntityKind
from graphsvc.domain.models import Opportunity
from graphsvc.domain.pipeline import PipelineStage
from graphsvc.errors import InvalidDocument
from graphsvc.services.graph import GraphService
from graphsvc.store.base import GraphStore
from tests.pipeline_case import pipeline_document


async def test_opportunity_pipeline_fields_round_trip(store: GraphStore, workspace: str) -> None:
    # given the hand-worked pipeline document imported
    service = GraphService(store)
    await service.import_document(workspace, pipeline_document())
    # when a deal gets a close date, criteria and odds of its own
    await service.update(
        workspace,
        EntityKind.OPPORTUNITY,
        "o2",
        {
            "closeDate": "2026-06-30",
            "criteria": [{"name": "予算確認済み", "met": True}, {"name": "Champion"}],
            "probability": 0.85,
        },
    )
    # then every field reads back exactly
    found = (await store.get(workspace, EntityKind.OPPORTUNITY, ["o2"]))["o2"]
    assert isinstance(found, Opportunity)
    assert found.close_date == date(2026, 6, 30)
    assert found.owner_id == "s1"
    assert found.probability == 0.85
    assert [(e.stage, e.entered_on) for e in found.stage_history] == [
        ("DISCOVERY", date(2026, 2, 1)),
        ("PROPOSAL", date(2026, 3, 11)),
    ]
    assert [(c.name, c.met) for c in found.criteria] == [
        ("予算確認済み", True),
        ("Champion", False),
    ]
    assert found.criteria_met == 0.5
    # and importing the same document again changes nothing
    before = await store.version(workspace)
    again = await service.import_document(workspace, pipeline_document())
    assert again.counts["opportunities"] == 1  # o2's own update is undone by the document
    assert await store.version(workspace) == before + 1


async def test_the_stage_model_is_stored_and_checked(store: GraphStore, workspace: str) -> None:
    service = GraphService(store)
    await service.import_document(workspace, pipeline_document())
    assert await store.pipeline_stages(workspace) is None
    model = [
        PipelineStage(name="PROSPECTING", probability=0.1),
        PipelineStage(name="QUALIFICATION", probability=0.2),
        PipelineStage(name="DISCOVERY", probability=0.3),
        PipelineStage(name="PROPOSAL", probability=0.5),
        PipelineStage(name="NEGOTIATION", probability=0.9),
    ]
    assert await service.set_pipeline_stages(workspace, model) == model
    assert await store.pipeline_stages(workspace) == model
    version = await store.version(workspace)
    # the same model again: nothing written
    await service.set_pipeline_stages(workspace, model)
    assert await store.version(workspace) == version
    # a model dropping used stages: refused, nothing written
    with pytest.raises(InvalidDocument, match="'o1' \\(PROSPECTING, QUALIFICATION\\)"):
        await service.set_pipeline_stages(workspace, model[3:])
    assert await store.pipeline_stages(workspace) == model
    assert await store.version(workspace) == version

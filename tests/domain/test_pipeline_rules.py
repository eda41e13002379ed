"""The pipeline rules of ``domain.validation_pipeline`` (CONTRACT §7), on documents."""

from __future__ import annotations

from typing import Any

from graphsvc.domain.enums import OrganizationKind
from graphsvc.domain.known import KnownGraph, KnownOrganization
from graphsvc.domain.models import GraphDocument
from graphsvc.domain.pipeline import PipelineStage
from graphsvc.domain.validation import validate_document

STORED = KnownGraph(
    organizations={
        "us": KnownOrganization(OrganizationKind.SELF),
        "acme": KnownOrganization(OrganizationKind.CUSTOMER),
    },
    people={"s1": "us", "c1": "acme"},
    self_organizations=frozenset({"us"}),
    stage_users={"o1": frozenset({"PROPOSAL"}), "o2": frozenset({"Closed"})},
)


def _doc(**lists: Any) -> GraphDocument:
    return GraphDocument.model_validate({"format": "graphsvc/v1", **lists}, by_alias=True)


def _deal(id: str, **fields: Any) -> dict[str, Any]:
    return {"id": id, "name": id, "organizationId": "acme", "category": "CRM", **fields}


def test_a_new_model_may_rename_stages_when_the_same_document_moves_the_deals() -> None:
    renamed = [{"name": "Pitch", "probability": 0.5}]
    alone = validate_document(_doc(pipelineStages=renamed), STORED)
    # o1 names PROPOSAL, which the new model drops; o2's free-form "Closed" was never a stage
    assert [(i.path, i.record) for i in alone] == [("pipelineStages", "")]
    assert "'o1' (PROPOSAL)" in alone[0].message
    assert "o2" not in alone[0].message
    moved = _doc(
        pipelineStages=renamed,
        opportunities=[
            _deal("o1", stage="Pitch", stageHistory=[{"stage": "Pitch", "enteredOn": "2026-01-01"}])
        ],
    )
    assert validate_document(moved, STORED) == []


def test_owners_are_our_people_in_the_document_or_the_store() -> None:
    doc = _doc(
        organizations=[{"id": "new-us", "name": "New", "kind": "OTHER"}],
        people=[{"id": "s9", "name": "Nine", "organizationId": "us"}],
        opportunities=[
            _deal("a", ownerId="s1"),
            _deal("b", ownerId="s9"),
            _deal("c", ownerId="c1"),
            _deal("d", ownerId="nobody"),
        ],
    )
    issues = validate_document(doc, STORED)
    assert [(i.path, i.record) for i in issues] == [
        ("opportunities[2].ownerId", "c"),
        ("opportunities[3].ownerId", "d"),
    ]
    # an owner stored already is not checked again (our person may have moved on since)
    kept = KnownGraph(
        organizations=STORED.organizations,
        people=STORED.people,
        self_organizations=STORED.self_organizations,
        stored_owners={"c": "c1"},
    )
    assert validate_document(_doc(opportunities=[_deal("c", ownerId="c1")]), kept) == []


def test_history_follows_the_model_in_use() -> None:
    own = KnownGraph(stage_model=(PipelineStage(name="Pitch", probability=0.3),))
    doc = _doc(
        organizations=[{"id": "acme", "name": "Acme", "kind": "CUSTOMER"}],
        opportunities=[_deal("x", stageHistory=[{"stage": "PROPOSAL", "enteredOn": "2026-01-01"}])],
    )
    (issue,) = validate_document(doc, own)
    assert issue.path == "opportunities[0].stageHistory[0].stage"
    assert issue.message == (
        "stage 'PROPOSAL' is not a stage of the workspace's pipeline model (Pitch)"
    )

"""The six analytic queries on projections built from each real store (SQLite, Neo4j).

The hand-worked tests compute answers on a projection made straight from a document. Here
the same documents (the Kaito group and a generated 400-person group) are imported through
``GraphService`` into a real store, the ``AnalyticsService`` builds its projection from what
that store streams back, and every query on every organization must give exactly the answer
of the document's own projection: a store that loses, reorders or retypes anything fails.
"""

from __future__ import annotations

import io
from datetime import date
from functools import cache
from typing import Any

import pytest

from graphsvc import analytics
from graphsvc.analytics.projection import Projection
from graphsvc.domain.models import GraphDocument
from graphsvc.generator import write_generated
from graphsvc.services.analytics import AnalyticsService
from graphsvc.services.graph import GraphService
from graphsvc.store.base import GraphStore
from tests.analytics.conftest import project
from tests.factories import kaito_document

AS_OF = date(2026, 1, 1)


@cache
def generated() -> GraphDocument:
    out = io.BytesIO()
    write_generated(out, people=400, seed=11)
    return GraphDocument.model_validate_json(out.getvalue())


DOCUMENTS = {"kaito": kaito_document, "generated": generated}


def answers(projection: Projection) -> dict[str, Any]:
    """Every query's answer on every organization, and routes to every decision-maker."""
    found: dict[str, Any] = {}
    for org_id in sorted(projection.organizations):
        found[f"decisionMakers {org_id}"] = analytics.decision_makers(projection, org_id)
        found[f"decisionAreas {org_id}"] = analytics.decision_areas(projection, org_id)
        if org_id != projection.self_organization:  # our own has no whitespace (refused)
            found[f"whitespace {org_id}"] = analytics.whitespace(projection, org_id, as_of=AS_OF)
        found[f"powerMap {org_id}"] = analytics.power_map(projection, org_id)
        found[f"coverage {org_id}"] = analytics.coverage(projection, org_id, as_of=AS_OF)
        found[f"displacementWindows {org_id}"] = analytics.displacement_windows(
            projection, org_id, as_of=AS_OF, within_days=3650
        )
    holders = sorted({right.person_id for right in projection.decision_rights.values()})
    for person_id in holders[:25]:
        found[f"contactRoutes {person_id}"] = analytics.contact_routes(
            projection, to=person_id, k=3
        )
    return found


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
async def test_a_store_built_projection_answers_like_the_document(
    store: GraphStore, workspace: str, name: str
) -> None:
    doc = DOCUMENTS[name]()
    await GraphService(store).import_document(workspace, doc)

    built = await AnalyticsService(store).projections.get(workspace)

    expected = answers(project(doc))
    actual = answers(built)
    assert actual.keys() == expected.keys()
    differing = [key for key in expected if actual[key] != expected[key]]
    assert not differing, f"{len(differing)} answers differ, first {differing[:5]}"
    assert any(expected[key] for key in expected if key.startswith("contactRoutes"))

"""AnalyticsService over each real store (SQLite, Neo4j): one build, incremental writes,
foreign writes."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest

from graphsvc.analytics import DecisionArea
from graphsvc.domain.enums import EntityKind, RelationshipType
from graphsvc.services.analytics import AnalyticsService
from graphsvc.services.container import Services
from graphsvc.services.graph import GraphService
from graphsvc.store.base import GraphStore
from tests.conftest import second_handle
from tests.factories import kaito_document, knows


@pytest.fixture
async def services(store: GraphStore, workspace: str) -> Services:
    wired = Services.over(store)
    await wired.graph.import_document(workspace, kaito_document())
    return wired


async def test_concurrent_first_requests_build_the_projection_once(
    services: Services, workspace: str
) -> None:
    analytics = services.analytics

    results = await asyncio.gather(
        *(analytics.contact_routes(workspace, to="p-cio", k=1) for _ in range(5))
    )

    assert analytics.projections.builds == 1
    assert {r[0].people for r in results} == {("ae-1", "p-itdir", "p-eng", "p-cio")}


async def test_a_write_updates_the_projection_without_a_rebuild(
    services: Services, workspace: str
) -> None:
    # Given a built projection: the best route to the CIO goes through the engineer (0.684)
    analytics = services.analytics
    [before] = await analytics.contact_routes(workspace, to="p-cio", k=1)
    assert before.score == pytest.approx(0.684)

    # When Mika gets to know the CIO directly (0.95)
    await services.graph.link(workspace, knows("ae-2", "p-cio", 0.95))

    # Then the next route uses it, and no full build happened
    [after] = await analytics.contact_routes(workspace, to="p-cio", k=1)
    assert after.people == ("ae-2", "p-cio")
    assert analytics.projections.builds == 1

    # And unlinking it again restores the old best route, still without a rebuild
    await services.graph.unlink(workspace, RelationshipType.KNOWS, "p-cio", "ae-2")
    [again] = await analytics.contact_routes(workspace, to="p-cio", k=1)
    assert again.people == before.people
    assert analytics.projections.builds == 1


async def test_a_write_by_another_process_is_caught_up_from_the_change_log(
    services: Services, workspace: str
) -> None:
    # Given a built projection, and a second store on the same data (another process)
    analytics = services.analytics
    await analytics.contact_routes(workspace, to="p-cio", k=1)
    other = await second_handle(services.store)
    try:
        # When that process links Mika to the CIO
        await GraphService(other).link(workspace, knows("ae-2", "p-cio", 0.95))
    finally:
        await other.close()

    # Then the version mismatch catches the projection up from the change log (no
    # rebuild), and it sees the new relationship
    [route] = await analytics.contact_routes(workspace, to="p-cio", k=1)
    assert route.people == ("ae-2", "p-cio")
    assert analytics.projections.builds == 1
    assert analytics.projections.catch_ups == 1


async def test_memoised_power_map_and_whitespace_follow_writes(
    services: Services, workspace: str
) -> None:
    analytics = services.analytics
    first = await analytics.whitespace(workspace, "kaito", as_of=date(2026, 1, 1))
    assert await analytics.whitespace(workspace, "kaito", as_of=date(2026, 1, 1)) is first
    power = await analytics.power_map(workspace, "kaito")

    # When our CRM is rolled out to the finance department too (a footprint there)
    await services.graph.update(
        workspace, EntityKind.SYSTEM, "s-crm", {"departmentIds": ["k-it", "k-fin"]}
    )

    # Then k-fin leaves the whitespace, the untouched power map is the same, with no rebuild

    after = await analytics.whitespace(workspace, "kaito", as_of=date(2026, 1, 1))
    assert [w.department_id for w in first] == ["kl-ops", "k-fin", "k-infra"]
    assert [w.department_id for w in after] == ["kl-ops", "k-infra"]
    assert await analytics.power_map(workspace, "kaito") == power
    assert analytics.projections.builds == 1


async def test_coverage_is_memoised_per_arguments_and_follows_writes(
    services: Services, workspace: str
) -> None:
    # Given a coverage already asked for
    analytics = services.analytics
    first = await analytics.coverage(workspace, "kaito", as_of=date(2026, 1, 1))
    # Then the same question is answered from the memo, a different one is not
    assert await analytics.coverage(workspace, "kaito", as_of=date(2026, 1, 1)) is first
    other_day = await analytics.coverage(workspace, "kaito", as_of=date(2026, 1, 2))
    assert other_day is not first
    shorter = await analytics.coverage(
        workspace, "kaito", as_of=date(2026, 1, 1), stale_after_days=1
    )
    assert shorter is not first
    # And after a write the answer is computed again, without a rebuild
    await services.graph.update(
        workspace, EntityKind.SYSTEM, "s-crm", {"departmentIds": ["k-it", "k-fin"]}
    )
    after = await analytics.coverage(workspace, "kaito", as_of=date(2026, 1, 1))
    assert after is not first
    assert analytics.projections.builds == 1


async def test_service_queries_default_as_of_to_the_clock(
    store: GraphStore, workspace: str
) -> None:
    await GraphService(store).import_document(workspace, kaito_document())
    analytics = AnalyticsService(store, clock=lambda: date(2026, 1, 1))

    windows = await analytics.displacement_windows(workspace, "kaito")
    cover = await analytics.coverage(workspace, "kaito", as_of=date(2026, 11, 1))
    rights = await analytics.decision_makers(workspace, "kaito", area="IT")
    routes = await analytics.contact_routes(workspace, decision_area=DecisionArea("kaito", "IT"))

    assert [s.id for s in windows] == ["s-wms", "s-hr"]
    assert cover.stale_relationships == 2
    assert rights[0].person_id == "p-cio"
    assert routes[0].people == ("ae-1", "p-itdir")

"""AnalyticsService under concurrent writes of the same process: no needless rebuilds, and
the projection always ends equal to a fresh build from the store."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

import pytest

from graphsvc.analytics.projection import Projection
from graphsvc.domain.enums import EntityKind
from graphsvc.services.container import Services
from graphsvc.services.graph import GraphService
from graphsvc.services.projection_cache import ProjectionCache
from graphsvc.store.base import GraphStore
from tests.factories import kaito_document

STANCES = ["CHAMPION", "SUPPORTER", "NEUTRAL", "SKEPTIC", "UNKNOWN"]
PEOPLE = ["p-ceo", "p-cio", "p-cfo", "p-itdir", "p-eng", "p-pm", "p-log", "ae-1", "ae-2"]


@pytest.fixture
async def services(sqlite_store: GraphStore, workspace: str) -> Services:
    wired = Services.over(sqlite_store)
    await wired.graph.import_document(workspace, kaito_document())
    return wired


def _content(projection: Projection) -> dict[str, Any]:
    """What the analytics read, in comparable form."""
    return {
        "people": projection.people,
        "organizations": projection.organizations,
        "walk": projection.walk,
        "relationships": projection.relationships,
        "rights": projection.decision_rights,
        "blockers": projection.blockers,
    }


async def _fresh(store: GraphStore, workspace: str) -> Projection:
    return await ProjectionCache(store).get(workspace)


def _writes(service: GraphService, workspace: str, rounds: int) -> list[Any]:
    """Stance changes and new prospects, as the load test's writers make them."""
    writes: list[Any] = []
    for i in range(rounds):
        person = PEOPLE[i % len(PEOPLE)]
        writes.append(
            service.update(workspace, EntityKind.PERSON, person, {"stance": STANCES[i % 5]})
        )
        writes.append(
            service.create(
                workspace,
                EntityKind.ORGANIZATION,
                {"id": f"prospect-{i}", "name": f"Prospect {i}", "kind": "PROSPECT"},
            )
        )
    return writes


async def test_a_build_racing_with_this_process_writes_ends_current_in_one_build(
    services: Services, workspace: str
) -> None:
    # given no projection yet
    analytics = services.analytics

    # when the first analytic request and a burst of writes run together
    await asyncio.gather(
        analytics.decision_makers(workspace, "kaito"), *_writes(services.graph, workspace, 10)
    )

    # then one build served it, replaying the writes announced while it streamed,
    # and the projection equals a fresh build of what the store now holds
    assert analytics.projections.builds == 1
    projection = await analytics.projections.get(workspace)
    assert projection.version == await services.graph.store.version(workspace)
    assert _content(projection) == _content(await _fresh(services.store, workspace))


async def test_analytic_requests_during_writes_never_rebuild_the_projection(
    services: Services, workspace: str
) -> None:
    # given a built projection
    analytics = services.analytics
    await analytics.power_map(workspace, "kaito")

    # when analytic requests and writes interleave
    reads: list[Awaitable[object]] = [analytics.power_map(workspace, "kaito") for _ in range(20)]
    reads += [analytics.coverage(workspace, "kaito") for _ in range(20)]
    await asyncio.gather(*reads, *_writes(services.graph, workspace, 15))

    # then every write was applied in place (no rebuild) and nothing was lost
    assert analytics.projections.builds == 1
    projection = await analytics.projections.get(workspace)
    assert projection.version == await services.graph.store.version(workspace)
    assert _content(projection) == _content(await _fresh(services.store, workspace))


async def test_a_write_of_another_process_is_still_picked_up_during_our_writes(
    services: Services, sqlite_store: GraphStore, workspace: str
) -> None:
    # given a built projection, and another service (another process) on the same store
    analytics = services.analytics
    await analytics.power_map(workspace, "kaito")
    other = GraphService(sqlite_store)

    # when it writes while this process writes too
    await asyncio.gather(
        other.update(workspace, EntityKind.PERSON, "p-hr", {"stance": "CHAMPION"}),
        *_writes(services.graph, workspace, 5),
    )

    # then the next request serves a projection that holds the other process's write
    projection = await analytics.projections.get(workspace)
    assert projection.people["p-hr"].stance == "CHAMPION"
    assert _content(projection) == _content(await _fresh(services.store, workspace))

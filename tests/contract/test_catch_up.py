"""Contract: a projection behind the store catches up from the change log (issue 11 item 5).

Two processes over one store: "ours" (``Services`` A, whose analytics hold a built
projection) and "theirs" (``Services`` B on a second handle of the same data, as another
server or host would be). B's writes reach A only through the store: its next analytic
read applies the logged changes after its version instead of rebuilding, and answers
exactly as a projection freshly built from the store does. When the log no longer reaches
back (compacted) or lacks a version, A rebuilds.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import date
from functools import partial
from typing import Any

import pytest

from graphsvc.domain.enums import BuyingRole, EntityKind, RelationshipType
from graphsvc.errors import NotFound
from graphsvc.services.analytics import AnalyticsService
from graphsvc.services.container import Services
from graphsvc.store.base import GraphStore
from tests.conftest import second_handle
from tests.factories import (
    changes,
    document,
    kaito_document,
    knows,
    opportunity,
    org,
    person,
    right,
    system,
)

AS_OF = date(2026, 11, 1)
TARGETS = ("p-cio", "p-cfo", "p-ceo", "p-log", "p-new-1", "p-eng")


@pytest.fixture
async def ours(store: GraphStore, workspace: str) -> Services:
    """Our process: the Kaito group imported, its projection built by a first query."""
    services = Services.over(store)
    await services.graph.import_document(workspace, kaito_document())
    await answers(services.analytics, workspace)
    assert services.analytics.projections.builds == 1
    return services


@pytest.fixture
async def theirs(store: GraphStore) -> AsyncIterator[Services]:
    """Another process on the same data: its own store handle and services."""
    other = await second_handle(store)
    try:
        yield Services.over(other)
    finally:
        await other.close()


async def answers(analytics: AnalyticsService, workspace: str) -> dict[str, Any]:
    """What the analytics answer about the Kaito group, through the service's API.

    A question about a record that does not exist (not created yet, or deleted) is
    answered by its ``NotFound`` message: that is part of the answer too.
    """
    questions: dict[str, Callable[[], Awaitable[Any]]] = {}
    for target in TARGETS:
        questions[f"routes {target}"] = partial(
            analytics.contact_route_search, workspace, to=target, k=3
        )
    for org_id in ("kaito", "kaito-log", "kaito-new"):
        questions |= {
            f"decision makers {org_id}": partial(analytics.decision_makers, workspace, org_id),
            f"decision areas {org_id}": partial(analytics.decision_areas, workspace, org_id),
            f"whitespace {org_id}": partial(analytics.whitespace, workspace, org_id, as_of=AS_OF),
            f"power map {org_id}": partial(analytics.power_map, workspace, org_id),
            f"coverage {org_id}": partial(analytics.coverage, workspace, org_id, as_of=AS_OF),
            f"displacement {org_id}": partial(
                analytics.displacement_windows, workspace, org_id, as_of=AS_OF, within_days=720
            ),
        }
    result: dict[str, Any] = {}
    for name, ask in questions.items():
        try:
            result[name] = await ask()
        except NotFound as error:
            result[name] = f"NotFound: {error}"
    return result


async def fresh_answers(store: GraphStore, workspace: str) -> dict[str, Any]:
    """The same answers from a projection built from the store now (a third process)."""
    services = Services.over(store)
    found = await answers(services.analytics, workspace)
    assert services.analytics.projections.builds == 1
    return found


async def write_every_kind(theirs: Services, workspace: str) -> None:
    """Writes of every kind and operation, one write each, as another process would."""
    graph = theirs.graph
    # organizations and departments: create, update, delete
    await graph.create(
        workspace,
        EntityKind.ORGANIZATION,
        {"id": "kaito-new", "name": "海塔ニュー", "kind": "CUSTOMER", "parentId": "kaito"},
    )
    await graph.update(workspace, EntityKind.ORGANIZATION, "kaito-log", {"ownership": 0.9})
    await graph.delete(workspace, EntityKind.ORGANIZATION, "kaito-fs")
    await graph.create(
        workspace,
        EntityKind.DEPARTMENT,
        {"id": "kn-ops", "organizationId": "kaito-new", "name": "Ops", "function": "Ops"},
    )
    await graph.create(
        workspace, EntityKind.DEPARTMENT, {"id": "k-tmp", "organizationId": "kaito", "name": "T"}
    )
    await graph.update(workspace, EntityKind.DEPARTMENT, "k-fin", {"headcount": 65})
    await graph.delete(workspace, EntityKind.DEPARTMENT, "k-tmp")
    # people: create (with a manager), update stance/title, move manager, delete
    await graph.create(
        workspace,
        EntityKind.PERSON,
        {
            "id": "p-new-1",
            "name": "新人 一",
            "organizationId": "kaito-new",
            "departmentId": "kn-ops",
            "seniority": "EXECUTIVE",
            "reportsToId": "p-ceo",
        },
    )
    await graph.update(workspace, EntityKind.PERSON, "p-cfo", {"stance": "SUPPORTER"})
    await graph.update(
        workspace, EntityKind.PERSON, "p-pm", {"title": "PMO Lead", "reportsToId": "p-cio"}
    )
    await graph.update(workspace, EntityKind.PERSON, "p-eng", {"reportsToId": None})
    await graph.delete(workspace, EntityKind.PERSON, "p-hr")
    # relationships: create, strengthen, weaken, remove
    await graph.link(workspace, knows("ae-2", "p-cio", 0.95))
    await graph.link(workspace, {"type": "KNOWS", "from": "p-itdir", "to": "ae-1", "strength": 0.3})
    await graph.link(workspace, {"type": "KNOWS", "from": "ae-1", "to": "p-new-1", "strength": 0.7})
    await graph.unlink(workspace, RelationshipType.INFLUENCES, "p-eng", "p-cio")
    # decision rights: grant, change, revoke
    await graph.grant(
        workspace, right("p-new-1", "kaito-new", "IT", BuyingRole.ECONOMIC_BUYER, 9_000_000)
    )
    await graph.grant(workspace, right("p-cio", "kaito", "it", BuyingRole.ECONOMIC_BUYER, 1.0))
    await graph.revoke(workspace, ("p-cfo", "kaito", "IT", "APPROVER"))
    # systems and opportunities: create, update, delete
    await graph.create(
        workspace,
        EntityKind.SYSTEM,
        system("s-new", "kaito-new", "ERP", department_ids=["kn-ops"]).to_document(),
    )
    await graph.update(workspace, EntityKind.SYSTEM, "s-erp", {"contractEndsOn": "2026-12-31"})
    await graph.delete(workspace, EntityKind.SYSTEM, "s-wms")
    await graph.create(
        workspace,
        EntityKind.OPPORTUNITY,
        opportunity("o-new", "kaito-new", "ERP", department_id="kn-ops").to_document(),
    )
    await graph.update(workspace, EntityKind.OPPORTUNITY, "o-hr", {"stage": "NEGOTIATION"})
    await graph.delete(workspace, EntityKind.OPPORTUNITY, "o-wms")
    # and one import of several records at once
    await graph.import_document(
        workspace,
        document(
            people=[
                person("p-new-2", "kaito-new", "新人 二", reports_to_id="p-new-1"),
                person("p-log", "kaito-log", "小林 大輔", title="社長", stance="CHAMPION"),
            ],
            relationships=[knows("p-new-2", "p-log", 0.8)],
        ),
    )


async def test_writes_of_another_process_are_caught_up_without_a_rebuild(
    ours: Services, theirs: Services, store: GraphStore, workspace: str
) -> None:
    # Given our projection, built at the current version
    before = await store.version(workspace)

    # When another process writes every kind of change
    await write_every_kind(theirs, workspace)
    assert await store.version(workspace) > before + 20

    # Then our next reads catch up from the log: no rebuild, one catch-up
    caught_up = await answers(ours.analytics, workspace)
    projections = ours.analytics.projections
    assert (projections.builds, projections.catch_ups) == (1, 1)
    # And every answer is the one a freshly built projection gives
    assert caught_up == await fresh_answers(store, workspace)
    # (the writes did change the answers: the catch-up is not vacuous)
    assert caught_up["routes p-new-1"].routes
    assert caught_up["decision makers kaito-new"]


async def test_a_caught_up_projection_follows_our_own_writes_again(
    ours: Services, theirs: Services, store: GraphStore, workspace: str
) -> None:
    # Given a projection caught up with another process's write
    await theirs.graph.link(workspace, knows("ae-2", "p-cio", 0.95))
    await answers(ours.analytics, workspace)
    # When we write ourselves, then they do, then we do again
    await ours.graph.update(workspace, EntityKind.PERSON, "p-cio", {"stance": "CHAMPION"})
    await theirs.graph.unlink(workspace, RelationshipType.KNOWS, "ae-2", "p-cio")
    await ours.graph.link(workspace, knows("ae-1", "p-ceo", 0.4))

    # Then our reads are those of a fresh build, still without a rebuild
    assert await answers(ours.analytics, workspace) == await fresh_answers(store, workspace)
    projections = ours.analytics.projections
    assert projections.builds == 1
    assert projections.catch_ups == 2


async def test_a_log_compacted_beyond_the_projection_makes_it_rebuild(
    ours: Services, theirs: Services, store: GraphStore, workspace: str
) -> None:
    # Given another process's writes, and the log compacted through the latest of them
    await write_every_kind(theirs, workspace)
    await store.compact(workspace, await store.version(workspace))

    # Then our next read rebuilds (the log no longer reaches back), with the same answers
    rebuilt = await answers(ours.analytics, workspace)
    projections = ours.analytics.projections
    assert (projections.builds, projections.catch_ups) == (2, 0)
    assert rebuilt == await fresh_answers(store, workspace)


async def test_a_version_missing_from_the_log_makes_it_rebuild(
    ours: Services, theirs: Services, store: GraphStore, workspace: str
) -> None:
    # Given a write applied to the store without change log entries (not through the
    # services), between two logged ones
    await theirs.graph.link(workspace, knows("ae-2", "p-cio", 0.95))
    await theirs.store.apply(workspace, changes(org("unlogged")))
    await theirs.graph.update(workspace, EntityKind.ORGANIZATION, "unlogged", {"name": "U"})

    # Then our projection cannot catch up from the log, and is rebuilt
    rebuilt = await answers(ours.analytics, workspace)
    projections = ours.analytics.projections
    assert (projections.builds, projections.catch_ups) == (2, 0)
    assert rebuilt == await fresh_answers(store, workspace)

"""Kept scope logs (``services.history.window``) answer exactly what a fresh read answers."""

from __future__ import annotations

from graphsvc.domain.enums import EntityKind
from graphsvc.domain.history import Change
from graphsvc.services.container import Services
from graphsvc.services.history import LAST_INDEX, HistoryService
from graphsvc.store.base import GraphStore
from tests.factories import kaito_document


async def _fresh(store: GraphStore, services: Services, workspace: str, org: str) -> list[Change]:
    """The scope's changes read by a history service that has kept nothing."""
    other = HistoryService(store, services.listing)
    scope = await other._scope(workspace, org, True)
    return await other.logs.after(workspace, scope, org, (0, LAST_INDEX), 0)


async def _kept(services: Services, workspace: str, org: str) -> list[Change]:
    history = services.history
    scope = await history._scope(workspace, org, True)
    return await history.logs.after(workspace, scope, org, (0, LAST_INDEX), 0)


async def test_kept_changes_grow_with_new_writes_and_match_a_fresh_read(
    store: GraphStore, workspace: str
) -> None:
    services = Services.over(store)
    graph = services.graph
    await graph.import_document(workspace, kaito_document())
    first = await _kept(services, workspace, "kaito")

    # when more is written, in and out of the scope
    await graph.update(workspace, EntityKind.PERSON, "p-cio", {"stance": "SUPPORTER"})
    await graph.update(workspace, EntityKind.ORGANIZATION, "rival", {"industry": "SaaS"})
    await graph.delete(workspace, EntityKind.PERSON, "p-pm")

    # then the kept changes have grown by exactly the scope's new changes
    kept = await _kept(services, workspace, "kaito")
    assert kept[: len(first)] == first
    assert [(c.version, c.key) for c in kept[len(first) :]][:2] == [(2, "p-cio"), (4, "p-pm")]
    assert kept == await _fresh(store, services, workspace, "kaito")


async def test_a_new_subsidiary_makes_the_scope_read_again(
    store: GraphStore, workspace: str
) -> None:
    services = Services.over(store)
    graph = services.graph
    await graph.import_document(workspace, kaito_document())
    await graph.update(workspace, EntityKind.ORGANIZATION, "rival", {"industry": "SaaS"})
    before = await _kept(services, workspace, "kaito")
    assert "rival" not in {c.key for c in before}

    # when rival becomes a subsidiary of kaito, its earlier change belongs to the scope
    await graph.update(
        workspace,
        EntityKind.ORGANIZATION,
        "rival",
        {"parentId": "kaito", "parentRelation": "SUBSIDIARY"},
    )

    kept = await _kept(services, workspace, "kaito")
    assert [c.version for c in kept if c.key == "rival"] == [1, 2, 3]
    assert kept == await _fresh(store, services, workspace, "kaito")

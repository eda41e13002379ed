"""``ChangeFeed``: new changes from the log, woken by local writes or found by polling.

"Another process" is a second ``GraphService`` over the store, whose writes are logged but
not announced to this feed: only the poll finds them.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from graphsvc.domain.enums import EntityKind
from graphsvc.domain.history import Change, ChangeKind, Operation
from graphsvc.errors import NotFound
from graphsvc.services.container import Services
from graphsvc.services.graph import GraphService
from graphsvc.services.history import ChangeFeed, LogCompacted
from graphsvc.store.base import GraphStore
from tests.factories import kaito_document

WAIT = 10.0
"""Seconds a test waits for a change that should come (far more than it takes)."""


@pytest.fixture
async def services(store: GraphStore, workspace: str) -> Services:
    services = Services.over(store)
    await services.graph.import_document(workspace, kaito_document())
    return services


async def _next(stream: AsyncIterator[Change]) -> Change:
    return await asyncio.wait_for(anext(stream), WAIT)


async def test_a_local_write_wakes_the_subscriber_at_once(
    services: Services, workspace: str
) -> None:
    # given a feed that would poll only once a minute
    feed = ChangeFeed(services.store, services.listing, poll_seconds=60)
    services.graph.listeners.append(feed.on_change)
    stream = await feed.subscribe(workspace)
    # when this process writes
    await services.graph.update(
        workspace, EntityKind.PERSON, "p-cio", {"stance": "SUPPORTER"}, actor="t-1"
    )
    # then the change arrives without waiting for the poll
    change = await _next(stream)
    assert (change.kind, change.key, change.operation, change.actor) == (
        ChangeKind.PERSON,
        "p-cio",
        Operation.UPDATED,
        "t-1",
    )
    await stream.aclose()
    assert feed.subscribers == 0


async def test_another_process_write_arrives_by_polling_and_only_what_followed_the_start(
    services: Services, store: GraphStore, workspace: str
) -> None:
    # given a subscriber started after the import, and a writer the feed does not listen to
    feed = ChangeFeed(services.store, services.listing, poll_seconds=0.05)
    stream = await feed.subscribe(workspace)
    other = GraphService(store)
    # when the other writer updates two people
    await other.update(workspace, EntityKind.PERSON, "p-cfo", {"title": "CFO & COO"})
    await other.update(workspace, EntityKind.PERSON, "p-pm", {"stance": "SUPPORTER"})
    # then exactly those two changes arrive, in order (none of the import's)
    first, second = await _next(stream), await _next(stream)
    assert [(c.key, c.fields, c.actor) for c in (first, second)] == [
        ("p-cfo", ("title",), "cli"),
        ("p-pm", ("stance",), "cli"),
    ]
    assert first.version < second.version
    await stream.aclose()


async def test_a_scoped_feed_skips_other_accounts_and_follows_a_new_subsidiary(
    services: Services, workspace: str
) -> None:
    feed = ChangeFeed(services.store, services.listing, poll_seconds=60)
    services.graph.listeners.append(feed.on_change)
    stream = await feed.subscribe(workspace, "kaito")
    graph = services.graph
    # when a competitor changes, then a subsidiary of kaito is added and gets a person
    await graph.update(workspace, EntityKind.ORGANIZATION, "rival", {"name": "Rival Inc"})
    await graph.create(
        workspace,
        EntityKind.ORGANIZATION,
        {"id": "kaito-new", "name": "海塔 New", "kind": "CUSTOMER", "parentId": "kaito"},
    )
    await graph.create(
        workspace,
        EntityKind.PERSON,
        {"id": "p-new", "name": "New Person", "organizationId": "kaito-new", "title": "Head"},
    )
    # then the competitor's change never arrives; the subsidiary and its person do
    got = [await _next(stream), await _next(stream)]
    assert [(c.kind, c.key) for c in got] == [
        (ChangeKind.ORGANIZATION, "kaito-new"),
        (ChangeKind.PERSON, "p-new"),
    ]
    await stream.aclose()


async def test_an_unknown_organization_is_refused_at_the_start(
    services: Services, workspace: str
) -> None:
    with pytest.raises(NotFound, match="'nope'"):
        await services.feed.subscribe(workspace, "nope")
    assert services.feed.subscribers == 0


async def test_a_log_compacted_past_the_subscriber_ends_the_stream(
    services: Services, store: GraphStore, workspace: str
) -> None:
    feed = ChangeFeed(services.store, services.listing, poll_seconds=60)
    stream = await feed.subscribe(workspace)
    # when the log is compacted past where the subscriber stands, before it reads again
    await GraphService(store).update(workspace, EntityKind.PERSON, "p-cfo", {"title": "COO"})
    await store.compact(workspace, await store.version(workspace))
    # then it learns that changes were lost instead of silently skipping them
    with pytest.raises(LogCompacted, match="compacted through version 2"):
        await _next(stream)
    assert feed.subscribers == 0


async def test_cancelling_a_waiting_subscriber_unregisters_it(
    services: Services, workspace: str
) -> None:
    stream = await services.feed.subscribe(workspace)
    waiting = asyncio.ensure_future(anext(stream))
    await asyncio.sleep(0.05)
    assert services.feed.subscribers == 1
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    assert services.feed.subscribers == 0

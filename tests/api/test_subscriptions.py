"""The ``changed`` subscription end to end: a real server, a real WebSocket, graphql-transport-ws
spoken by hand, writes through the HTTP API and through a second store handle."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from websockets.exceptions import InvalidStatus

from graphsvc.api.graphql.subscriptions import TOKEN_RECHECK_SECONDS
from graphsvc.domain.auth import Role
from graphsvc.domain.enums import EntityKind
from graphsvc.services.graph import GraphService
from graphsvc.services.tokens import TokenService
from tests.api.answers import without_cost
from tests.api.live import Live, live_server
from tests.factories import document, kaito_document, org, person

CHANGED = """
subscription ($org: ID) {
  changed(organizationId: $org) { version index kind key operation fields actor after }
}
"""

SET_STANCE = """
mutation ($id: ID!, $stance: Stance!) {
  updatePerson(id: $id, input: {stance: $stance}) { __typename }
}
"""

RENAME_ORG = """
mutation ($id: ID!, $name: String!) {
  updateOrganization(id: $id, input: {name: $name}) { __typename }
}
"""


@pytest.fixture
async def live(tmp_path: Path) -> AsyncIterator[Live]:
    async with live_server(tmp_path) as server:
        await GraphService(server.store).import_document("default", kaito_document())
        yield server


def _seen(message: dict[str, Any]) -> tuple[str, str, str, str]:
    assert message["type"] == "next", message
    change = message["payload"]["data"]["changed"]
    return (change["kind"], change["key"], change["operation"], change["actor"])


async def _subscribed(live: Live, ws: Any, org: str | None = None, id: str = "1") -> None:
    """Subscribe, and wait until the server holds the subscription (it starts at "now")."""
    before = live.services.feed.subscribers
    await ws.subscribe(id, CHANGED, org=org)
    await _until(lambda: live.services.feed.subscribers > before)


async def test_a_viewer_receives_api_and_other_process_writes_of_its_scope_in_order(
    live: Live,
) -> None:
    # given a viewer subscribed to the Kaito group, token in the connection_init payload
    viewer = await live.token(role=Role.VIEWER)
    editor = await live.token(role=Role.EDITOR)
    async with live.socket() as ws:
        assert await ws.init({"Authorization": f"Bearer {viewer.secret}"}) == {
            "type": "connection_ack"
        }
        await _subscribed(live, ws, "kaito")

        # when an editor renames a competitor (outside the scope), then changes the CIO's
        # stance, through the API; and another process retitles the CFO in the store
        await live.graphql(RENAME_ORG, editor.secret, id="rival", name="Rival Inc")
        await live.graphql(SET_STANCE, editor.secret, id="p-cio", stance="CHAMPION")
        await GraphService(live.store).update(
            "default", EntityKind.PERSON, "p-cfo", {"title": "CFO & COO"}
        )

        # then exactly the two changes of the scope arrive, in order, with their actors
        first, second = await ws.receive(), await ws.receive()
        assert (first["id"], second["id"]) == ("1", "1")
        assert [_seen(first), _seen(second)] == [
            ("person", "p-cio", "UPDATED", editor.token.id),
            ("person", "p-cfo", "UPDATED", "cli"),
        ]
        assert first["payload"]["data"]["changed"]["fields"] == ["stance"]
        assert first["payload"]["data"]["changed"]["after"]["stance"] == "CHAMPION"
        assert second["payload"]["data"]["changed"]["fields"] == ["title"]

        # and the competitor's change never arrives: the next message is the next write
        await live.graphql(SET_STANCE, editor.secret, id="p-cfo", stance="SUPPORTER")
        assert _seen(await ws.receive()) == ("person", "p-cfo", "UPDATED", editor.token.id)

        # when the client completes the subscription, the server lets it go
        await ws.send({"id": "1", "type": "complete"})
        await _until(lambda: live.services.feed.subscribers == 0)


async def test_an_unscoped_subscription_with_the_token_in_the_upgrade_header(live: Live) -> None:
    viewer = await live.token(role=Role.VIEWER)
    editor = await live.token(role=Role.EDITOR)
    async with live.socket(headers={"Authorization": f"Bearer {viewer.secret}"}) as ws:
        assert (await ws.init())["type"] == "connection_ack"
        await _subscribed(live, ws)
        await live.graphql(RENAME_ORG, editor.secret, id="rival", name="Rival Inc")
        assert _seen(await ws.receive()) == ("organization", "rival", "UPDATED", editor.token.id)


async def test_the_workspace_is_the_tokens(live: Live) -> None:
    # given a viewer of another workspace subscribed without a scope
    await GraphService(live.store).import_document(
        "tenant-b", document(organizations=[org("b-org")], people=[person("p-b", "b-org")])
    )
    other = await live.token("tenant-b", Role.VIEWER)
    async with live.socket() as ws:
        await ws.init({"Authorization": f"Bearer {other.secret}"})
        await _subscribed(live, ws)
        # when the default workspace changes, then tenant-b does
        await GraphService(live.store).update(
            "default", EntityKind.PERSON, "p-cio", {"title": "CDO"}
        )
        await GraphService(live.store).update("tenant-b", EntityKind.PERSON, "p-b", {"title": "X"})
        # then only tenant-b's change arrives
        assert _seen(await ws.receive()) == ("person", "p-b", "UPDATED", "cli")


@pytest.mark.security
@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (None, "missing token"),
        ({}, "missing token"),
        ({"Authorization": "Basic dXNlcjpwYXNz"}, "malformed Authorization"),
        ({"Authorization": "Bearer gsv_" + "x" * 43}, "unknown or revoked"),
    ],
    ids=["no-payload", "no-token", "basic", "unknown"],
)
async def test_a_connection_without_a_valid_token_is_closed_with_4403(
    live: Live, payload: dict[str, str] | None, reason: str
) -> None:
    async with live.socket() as ws:
        await ws.send(
            {"type": "connection_init", **({} if payload is None else {"payload": payload})}
        )
        code, said = await ws.closed()
    assert code == 4403
    assert said is not None
    assert reason in said
    assert live.services.feed.subscribers == 0


@pytest.mark.security
async def test_a_revoked_token_is_refused(live: Live) -> None:
    viewer = await live.token(role=Role.VIEWER)
    await TokenService(live.store).revoke(viewer.token.id)
    async with live.socket() as ws:
        await ws.send(
            {"type": "connection_init", "payload": {"Authorization": f"Bearer {viewer.secret}"}}
        )
        code, said = await ws.closed()
    assert (code, said is not None and "revoked" in said) == (4403, True)


@pytest.mark.security
async def test_subscribing_before_connection_init_is_refused(live: Live) -> None:
    async with live.socket() as ws:
        await ws.subscribe("1", CHANGED)
        code, _ = await ws.closed()
    assert code == 4401
    assert live.services.feed.subscribers == 0


@pytest.mark.security
async def test_a_bad_token_in_the_upgrade_header_gets_401_before_the_upgrade(live: Live) -> None:
    with pytest.raises(InvalidStatus) as refused:
        async with live.socket(headers={"Authorization": "Bearer gsv_" + "x" * 43}):
            pass
    response = refused.value.response
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith('Bearer realm="graphsvc"')
    assert b"unknown or revoked" in response.body


@pytest.mark.security
async def test_the_legacy_graphql_ws_protocol_is_not_served(live: Live) -> None:
    async with live.socket(protocol="graphql-ws") as ws:
        code, _ = await ws.closed()
    assert code == 4406


async def test_an_unknown_organization_is_an_error_message(live: Live) -> None:
    viewer = await live.token()
    async with live.socket() as ws:
        await ws.init({"Authorization": f"Bearer {viewer.secret}"})
        await ws.subscribe("1", CHANGED, org="nope")
        # then the operation ends with the error, as graphql-transport-ws ends an execution
        assert without_cost(await ws.receive()) == {
            "id": "1",
            "type": "next",
            "payload": {
                "data": None,
                "errors": [
                    {
                        "message": "organization 'nope' does not exist",
                        "extensions": {"code": "NOT_FOUND"},
                    }
                ],
            },
        }
        assert await ws.receive() == {"id": "1", "type": "complete"}
    assert live.services.feed.subscribers == 0


async def test_a_client_going_away_leaves_no_subscription_or_task_behind(live: Live) -> None:
    viewer = await live.token()
    before = len(asyncio.all_tasks())
    async with live.socket() as ws:
        await ws.init({"Authorization": f"Bearer {viewer.secret}"})
        await _subscribed(live, ws, "kaito")
        await _subscribed(live, ws, None, id="2")
        assert live.services.feed.subscribers == 2
    # when the client closed the socket without completing its subscriptions
    await _until(lambda: live.services.feed.subscribers == 0)
    await _until(lambda: len(asyncio.all_tasks()) <= before)


async def _until(condition: Any, seconds: float = 10.0) -> None:
    for _ in range(int(seconds / 0.01)):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("condition not met in time")


@pytest.mark.security
async def test_revoking_the_token_ends_the_subscription(live: Live) -> None:
    viewer = await live.token()
    async with live.socket() as ws:
        await ws.init({"Authorization": f"Bearer {viewer.secret}"})
        await _subscribed(live, ws)
        # when the token is revoked while subscribed, and the graph changes after a recheck
        await TokenService(live.store).revoke(viewer.token.id)
        await asyncio.sleep(TOKEN_RECHECK_SECONDS)
        await GraphService(live.store).update("default", EntityKind.PERSON, "p-cio", {"title": "X"})
        # then the change is not sent: the subscription ends unauthenticated
        message = await ws.receive()
        assert message["type"] == "next"
        assert message["payload"]["data"] is None
        (error,) = message["payload"]["errors"]
        assert (error["message"], error["extensions"]["code"]) == (
            "unknown or revoked token",
            "UNAUTHENTICATED",
        )
        assert await ws.receive() == {"id": "1", "type": "complete"}
    await _until(lambda: live.services.feed.subscribers == 0)


async def test_a_log_compacted_past_the_subscriber_ends_it_with_conflict(live: Live) -> None:
    viewer = await live.token()
    # given a server whose own writes would not wake the subscriber before it is compacted
    async with live.socket() as ws:
        await ws.init({"Authorization": f"Bearer {viewer.secret}"})
        live.services.feed.poll_seconds = 60
        await _subscribed(live, ws)
        # when another process writes and compacts its log right away
        await GraphService(live.store).update("default", EntityKind.PERSON, "p-cio", {"title": "X"})
        await live.store.compact("default", await live.store.version("default"))
        # and a write of this server then wakes the subscriber
        await live.services.graph.update("default", EntityKind.PERSON, "p-cfo", {"title": "Y"})
        message = await ws.receive()
        (error,) = message["payload"]["errors"]
        assert error["extensions"]["code"] == "CONFLICT"
        assert "compacted through version 2" in error["message"]
        assert await ws.receive() == {"id": "1", "type": "complete"}


async def test_without_authentication_a_loopback_connection_needs_no_token(
    tmp_path: Path,
) -> None:
    async with live_server(tmp_path, auth="off") as live:
        await GraphService(live.store).import_document("default", kaito_document())
        async with live.socket() as ws:
            assert (await ws.init())["type"] == "connection_ack"
            await _subscribed(live, ws, "kaito")
            await live.services.graph.update(
                "default", EntityKind.PERSON, "p-cio", {"title": "CDO"}, actor="local"
            )
            assert _seen(await ws.receive()) == ("person", "p-cio", "UPDATED", "local")

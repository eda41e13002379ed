"""Authentication and tenancy over real HTTP: every denial gets no data and changes nothing."""

from __future__ import annotations

import pytest

from graphsvc.api.auth import InsecureConfiguration
from graphsvc.domain.auth import Role
from graphsvc.domain.enums import EntityKind
from graphsvc.services.tokens import TokenService
from tests.api.answers import without_cost
from tests.api.conftest import Served, ServeFactory
from tests.factories import document, org, person

pytestmark = pytest.mark.security

READ_PERSON = "query ($id: ID!) { person(id: $id) { id name } }"
SECRET_NAME = "佐藤 健 (B only)"


def _no_data(response_json: dict[str, object]) -> bool:
    return "data" not in response_json or response_json["data"] is None


async def _seed_b(served: Served) -> None:
    await served.seed(
        "tenant-b",
        document(organizations=[org("b-org")], people=[person("p-b", "b-org", SECRET_NAME)]),
    )


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ({}, "missing Authorization"),
        ({"Authorization": "Basic dXNlcjpwYXNz"}, "malformed Authorization"),
        ({"Authorization": "Bearer"}, "malformed Authorization"),
        ({"Authorization": "Bearer gsv_a b"}, "malformed Authorization"),
        ({"Authorization": "Bearer not-a-graphsvc-token"}, "malformed token"),
        ({"Authorization": "Bearer gsv_" + "x" * 43}, "unknown or revoked"),
    ],
    ids=["none", "basic", "empty-bearer", "two-words", "not-gsv", "unknown"],
)
async def test_requests_without_a_valid_token_get_401_and_no_data(
    served: Served, headers: dict[str, str], reason: str
) -> None:
    # given a record that exists
    await _seed_b(served)
    # when it is asked for without a valid token
    response = await served.graphql(READ_PERSON, {"id": "p-b"}, headers=headers)
    # then
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith('Bearer realm="graphsvc"')
    assert reason in response.json()["errors"][0]["message"]
    assert _no_data(response.json())
    assert SECRET_NAME not in response.text


async def test_a_revoked_token_gets_401(served: Served) -> None:
    # given a token that worked
    await _seed_b(served)
    issued = await TokenService(served.store).create("tenant-b", Role.VIEWER)
    ok = await served.graphql(READ_PERSON, {"id": "p-b"}, token=issued.secret)
    assert ok.json()["data"]["person"]["name"] == SECRET_NAME
    # when it is revoked
    await TokenService(served.store).revoke(issued.token.id)
    # then the next request is refused
    response = await served.graphql(READ_PERSON, {"id": "p-b"}, token=issued.secret)
    assert response.status_code == 401
    assert SECRET_NAME not in response.text


async def test_the_token_alone_decides_the_workspace_for_reads(served: Served) -> None:
    # given a person that exists only in workspace B, and an admin token of workspace A
    await _seed_b(served)
    token_a = await served.token("tenant-a", Role.ADMIN)
    # when A asks for it by id, even naming B's workspace in a header
    response = await served.graphql(
        READ_PERSON, {"id": "p-b"}, token=token_a, headers={"X-Workspace": "tenant-b"}
    )
    # then it does not exist for A
    assert response.status_code == 200
    assert without_cost(response.json()) == {"data": {"person": None}}
    assert SECRET_NAME not in response.text


async def test_lists_show_only_the_tokens_workspace(served: Served) -> None:
    # given people in A and in B
    await _seed_b(served)
    await served.seed(
        "tenant-a", document(organizations=[org("a-org")], people=[person("p-a", "a-org")])
    )
    token_a = await served.token("tenant-a")
    # when A lists people
    response = await served.graphql(
        "{ people(first: 50) { edges { node { id } } } }", token=token_a
    )
    # then only A's person is there
    ids = [e["node"]["id"] for e in response.json()["data"]["people"]["edges"]]
    assert ids == ["p-a"]


async def test_the_graphiql_page_needs_no_token_but_holds_no_data(served: Served) -> None:
    response = await served.client.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert "graphiql" in response.text.lower()
    # a GET carrying a query is an operation and needs a token
    refused = await served.client.get(
        "/graphql", params={"query": "{ __typename }"}, headers={"Accept": "text/html"}
    )
    assert refused.status_code == 401


async def test_health_is_open_but_graphql_is_not(served: Served) -> None:
    assert (await served.client.get("/healthz")).status_code == 200
    assert (await served.graphql("{ __typename }")).status_code == 401


async def test_auth_off_serves_the_configured_workspace_on_loopback(serve: ServeFactory) -> None:
    # given auth off on 127.0.0.1 and a person in the configured workspace
    served: Served = await serve(auth="off", host="127.0.0.1")
    await served.seed("default", document(organizations=[org("o")], people=[person("p", "o")]))
    # when asked without any token
    response = await served.graphql(READ_PERSON, {"id": "p"})
    # then
    assert without_cost(response.json()) == {"data": {"person": {"id": "p", "name": "Person p"}}}


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "::", "example.com"])
def test_auth_off_is_refused_on_a_network_address(host: str) -> None:
    from graphsvc.api.app import create_app
    from graphsvc.config import Settings

    with pytest.raises(InsecureConfiguration, match="only allowed when binding a loopback"):
        create_app(Settings(auth="off", host=host, store="sqlite:///unused.db"))


async def test_records_are_unchanged_by_refused_requests(served: Served) -> None:
    # given B's person and a viewer of A
    await _seed_b(served)
    before = await served.store.version("tenant-b")
    # when unauthenticated and cross-tenant requests are made
    await served.graphql(READ_PERSON, {"id": "p-b"})
    await served.graphql(READ_PERSON, {"id": "p-b"}, token=await served.token("tenant-a"))
    # then B is exactly as it was
    assert await served.store.version("tenant-b") == before
    stored = await served.store.get("tenant-b", EntityKind.PERSON, ["p-b"])
    assert stored["p-b"].name == SECRET_NAME  # type: ignore[union-attr]


CREATE_ORG = """
mutation ($id: ID!, $name: String!) {
  createOrganization(input: {id: $id, name: $name, kind: CUSTOMER}) {
    __typename
    ... on Error { code message }
  }
}
"""
RENAME_ORG = """
mutation ($id: ID!) {
  updateOrganization(id: $id, input: {name: "renamed by A"}) {
    __typename
    ... on Error { code message }
  }
}
"""
DELETE_PERSON = """
mutation ($id: ID!) { deletePerson(id: $id) { __typename ... on Error { code message } } }
"""


async def test_a_viewer_cannot_write_and_nothing_changes(served: Served) -> None:
    # given a workspace with a person, and a viewer of it
    await served.seed("default", document(organizations=[org("o")], people=[person("p", "o")]))
    viewer = await served.token("default", Role.VIEWER)
    before = await served.store.version("default")
    # when the viewer creates, renames and deletes
    created = await served.graphql(CREATE_ORG, {"id": "new", "name": "X"}, token=viewer)
    renamed = await served.graphql(RENAME_ORG, {"id": "o"}, token=viewer)
    deleted = await served.graphql(DELETE_PERSON, {"id": "p"}, token=viewer)
    # then each is a typed FORBIDDEN result and the workspace is unchanged
    for response, field in [
        (created, "createOrganization"),
        (renamed, "updateOrganization"),
        (deleted, "deletePerson"),
    ]:
        result = response.json()["data"][field]
        assert result["__typename"] == "ForbiddenError"
        assert result["code"] == "FORBIDDEN"
        assert "needs the editor role" in result["message"]
    assert await served.store.version("default") == before
    assert await served.store.get("default", EntityKind.ORGANIZATION, ["new"]) == {}
    assert (await served.store.get("default", EntityKind.ORGANIZATION, ["o"]))["o"].name == "Org o"


async def test_an_editor_writes_in_its_own_workspace(served: Served) -> None:
    editor = await served.token("default", Role.EDITOR)
    response = await served.graphql(CREATE_ORG, {"id": "new", "name": "X"}, token=editor)
    assert response.json()["data"]["createOrganization"]["__typename"] == "OrganizationPayload"
    assert list(await served.store.get("default", EntityKind.ORGANIZATION, ["new"])) == ["new"]


async def test_a_write_with_another_workspaces_token_changes_nothing_there(served: Served) -> None:
    # given B's organization and person, and an admin of A
    await _seed_b(served)
    admin_a = await served.token("tenant-a", Role.ADMIN)
    before = await served.store.version("tenant-b")
    # when A renames B's organization, deletes B's person and creates an org with B's id
    renamed = await served.graphql(RENAME_ORG, {"id": "b-org"}, token=admin_a)
    deleted = await served.graphql(DELETE_PERSON, {"id": "p-b"}, token=admin_a)
    created = await served.graphql(CREATE_ORG, {"id": "b-org", "name": "A's"}, token=admin_a)
    # then B's records do not exist for A, and B is untouched
    assert renamed.json()["data"]["updateOrganization"]["code"] == "NOT_FOUND"
    assert deleted.json()["data"]["deletePerson"]["__typename"] in {"NotFoundError", "Deleted"}
    assert created.json()["data"]["createOrganization"]["__typename"] == "OrganizationPayload"
    assert await served.store.version("tenant-b") == before
    stored_b = await served.store.get("tenant-b", EntityKind.ORGANIZATION, ["b-org"])
    assert stored_b["b-org"].name == "Org b-org"
    assert list(await served.store.get("tenant-b", EntityKind.PERSON, ["p-b"])) == ["p-b"]
    assert (await served.store.get("tenant-a", EntityKind.ORGANIZATION, ["b-org"]))[
        "b-org"
    ].name == "A's"

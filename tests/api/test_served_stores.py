"""A real ``graphsvc serve`` process on each store (a SQLite file, ``--store bolt://…``).

The in-process API tests cover authentication, tenancy and atomic imports in depth on
SQLite; here the same promises are checked once end to end through uvicorn, with the store
chosen only by ``GRAPHSVC_STORE``: no token, no data; the token alone decides the
workspace; a viewer cannot write; a refused import changes nothing; an accepted one is seen
by the next analytic query.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from graphsvc.cli.run import with_services
from graphsvc.config import Settings
from graphsvc.domain.auth import Role
from graphsvc.services.container import Services
from tests.conftest import STORES, drop_workspaces
from tests.factories import kaito_document
from tests.processes import Server, migrate, neo4j_env, serving, settings_from_env

pytestmark = [pytest.mark.slow, pytest.mark.reliability]

IMPORT = """mutation($doc: JSON!) { importGraph(document: $doc) {
  __typename
  ... on ImportSuccess { people version }
  ... on ImportFailed { code issues { path record } } } }"""
PEOPLE = "{ people(first: 100) { totalCount edges { node { id } } } }"
ROUTE = '{ contactRoutes(to: "p-cio", k: 1) { score people { id } } }'


class Deployment:
    """A served process plus an administrator's handle on its store (tokens, checks)."""

    def __init__(self, server: Server, settings: Settings, workspaces: list[str]) -> None:
        self.server = server
        self.settings = settings
        self.workspaces = workspaces

    def token(self, workspace: str, role: Role) -> str:
        async def issue(opened: Services) -> str:
            return (await opened.tokens.create(workspace, role)).secret

        return with_services(self.settings, issue)

    def version(self, workspace: str) -> int:
        return with_services(self.settings, lambda opened: opened.store.version(workspace))

    def post(self, query: str, token: str | None, **variables: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.post(
            self.server.graphql_url,
            json={"query": query, "variables": variables},
            headers=headers,
            timeout=60,
        )


@pytest.fixture(params=STORES)
def deployment(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Deployment]:
    db = tmp_path / "served.db"
    env = neo4j_env() if request.param == "neo4j" else {"GRAPHSVC_STORE": f"sqlite:///{db}"}
    settings = settings_from_env(env)
    workspaces = [f"served-{uuid.uuid4().hex[:10]}" for _ in range(2)]
    migrate(settings)
    with serving(db, tmp_path, env=env) as server:
        try:
            yield Deployment(server, settings, workspaces)
        finally:
            with_services(settings, lambda opened: drop_workspaces(opened.store, workspaces))


def test_tokens_decide_the_workspace_and_imports_are_atomic(deployment: Deployment) -> None:
    ours, theirs = deployment.workspaces
    editor = deployment.token(ours, Role.EDITOR)
    viewer = deployment.token(ours, Role.VIEWER)
    other = deployment.token(theirs, Role.ADMIN)

    # No token: 401 and no data
    refused = deployment.post(PEOPLE, None)
    assert refused.status_code == 401
    assert refused.json().get("data") is None

    # A viewer may not import; nothing changes
    forbidden = deployment.post(IMPORT, viewer, doc=kaito_document().to_document())
    assert "FORBIDDEN" in forbidden.text
    assert deployment.version(ours) == 0

    # An import with a bad record is refused whole, naming the record; nothing changes
    bad = kaito_document().to_document()
    bad["people"].append({"id": "p-lost", "name": "Lost", "organizationId": "ghost"})
    failed = deployment.post(IMPORT, editor, doc=bad).json()["data"]["importGraph"]
    assert failed["__typename"] == "ImportFailed"
    assert failed["issues"] == [
        {"path": f"people[{len(bad['people']) - 1}].organizationId", "record": "p-lost"}
    ]
    assert deployment.version(ours) == 0

    # The valid document is applied in one version, and the next route sees it
    done = deployment.post(IMPORT, editor, doc=kaito_document().to_document()).json()
    assert done["data"]["importGraph"] == {
        "__typename": "ImportSuccess",
        "people": 10,
        "version": 1,
    }
    route = deployment.post(ROUTE, viewer).json()["data"]["contactRoutes"]
    assert [p["id"] for p in route[0]["people"]] == ["ae-1", "p-itdir", "p-eng", "p-cio"]

    # The other workspace's token sees none of it, and its workspace is untouched
    assert deployment.post(PEOPLE, other).json()["data"]["people"]["totalCount"] == 0
    assert deployment.post(PEOPLE, viewer).json()["data"]["people"]["totalCount"] == 10
    assert deployment.version(theirs) == 0

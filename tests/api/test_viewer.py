"""Query.viewer: the caller's workspace, role and token, so front ends offer what they may do."""

from __future__ import annotations

import pytest

from graphsvc.domain.auth import Role
from graphsvc.services.tokens import TokenService
from tests.api.conftest import Api, Served

VIEWER = "{ viewer { workspace role tokenId canWrite } }"


@pytest.mark.parametrize(
    ("role", "can_write"), [(Role.VIEWER, False), (Role.EDITOR, True), (Role.ADMIN, True)]
)
async def test_viewer_names_the_tokens_workspace_role_and_id(
    served: Served, role: Role, can_write: bool
) -> None:
    # given a token of each role on workspace "acme"
    issued = await TokenService(served.store).create("acme", role)
    secret = issued.secret

    # when it asks who it is
    response = await served.graphql(VIEWER, {}, token=secret)

    # then the API answers with the token's own workspace, role and id
    assert response.json()["data"]["viewer"] == {
        "workspace": "acme",
        "role": role.value.upper(),
        "tokenId": issued.token.id,
        "canWrite": can_write,
    }


async def test_without_authentication_the_caller_is_a_local_admin(api: Api) -> None:
    viewer = (await api.data(VIEWER))["viewer"]

    assert viewer == {
        "workspace": api.workspace,
        "role": "ADMIN",
        "tokenId": None,
        "canWrite": True,
    }

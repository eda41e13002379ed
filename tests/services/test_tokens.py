"""Token administration and authentication against a real SQLite store."""

from __future__ import annotations

import hashlib

import pytest

from graphsvc.domain.auth import Role
from graphsvc.errors import InvalidInput, NotFound, Unauthenticated
from graphsvc.services.tokens import TokenService, looks_like_token
from graphsvc.store.base import GraphStore

pytestmark = pytest.mark.security


async def test_a_created_token_authenticates_to_its_workspace_and_role(
    sqlite_store: GraphStore,
) -> None:
    # given
    tokens = TokenService(sqlite_store)
    # when
    issued = await tokens.create("acme", Role.EDITOR, label="crm sync")
    # then
    found = await tokens.authenticate(issued.secret)
    assert (found.id, found.workspace, found.role) == (issued.token.id, "acme", Role.EDITOR)
    assert looks_like_token(issued.secret)


async def test_only_the_hash_of_the_secret_is_stored(sqlite_store: GraphStore) -> None:
    # given
    issued = await TokenService(sqlite_store).create("acme", Role.VIEWER)
    # when
    stored = await sqlite_store.tokens("acme")
    # then
    assert [t.secret_hash for t in stored] == [hashlib.sha256(issued.secret.encode()).hexdigest()]
    assert issued.secret not in repr(stored)
    assert issued.secret not in repr(issued)


async def test_a_revoked_token_no_longer_authenticates(sqlite_store: GraphStore) -> None:
    # given
    tokens = TokenService(sqlite_store)
    issued = await tokens.create("acme", Role.ADMIN)
    # when
    revoked = await tokens.revoke(issued.token.id)
    # then
    assert revoked.revoked_at is not None
    with pytest.raises(Unauthenticated):
        await tokens.authenticate(issued.secret)
    listed = await tokens.tokens("acme")
    assert [t.revoked_at is not None for t in listed] == [True]


async def test_unknown_and_malformed_secrets_are_refused(sqlite_store: GraphStore) -> None:
    tokens = TokenService(sqlite_store)
    await tokens.create("acme", Role.ADMIN)
    with pytest.raises(Unauthenticated, match="unknown or revoked"):
        await tokens.authenticate("gsv_" + "A" * 43)
    with pytest.raises(Unauthenticated, match="malformed"):
        await tokens.authenticate("not-a-token")


async def test_an_admin_cannot_revoke_another_workspaces_token(sqlite_store: GraphStore) -> None:
    # given
    tokens = TokenService(sqlite_store)
    other = await tokens.create("beta", Role.VIEWER)
    # when / then
    with pytest.raises(NotFound, match="in workspace 'acme'"):
        await tokens.revoke(other.token.id, workspace="acme")
    assert (await tokens.authenticate(other.secret)).workspace == "beta"


@pytest.mark.parametrize(
    ("workspace", "role", "message"),
    [("", "viewer", "workspace"), ("a b", "viewer", "workspace"), ("acme", "owner", "role")],
)
async def test_create_rejects_bad_workspace_names_and_roles(
    sqlite_store: GraphStore, workspace: str, role: str, message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        await TokenService(sqlite_store).create(workspace, role)
    assert await sqlite_store.tokens() == []

"""Contract: API tokens are saved durably, found by hash, revoked, listed per workspace."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from graphsvc.domain.auth import ApiToken, Role
from graphsvc.errors import Conflict
from graphsvc.store.base import GraphStore

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def _token(workspace: str, minutes: int = 0, role: Role = Role.VIEWER) -> ApiToken:
    return ApiToken(
        id=f"tok-{uuid.uuid4().hex}",
        workspace=workspace,
        role=role,
        secret_hash=uuid.uuid4().hex * 2,
        label="CRM sync",
        created_at=T0 + timedelta(minutes=minutes),
    )


async def test_a_saved_token_is_found_by_its_hash(store: GraphStore, workspace: str) -> None:
    # given a saved token
    token = _token(workspace, role=Role.EDITOR)
    await store.save_token(token)

    # when looked up by its secret's hash
    found = await store.token_by_hash(token.secret_hash)

    # then it is the same token
    assert found == token


async def test_an_unknown_hash_finds_nothing(store: GraphStore, workspace: str) -> None:
    await store.save_token(_token(workspace))
    assert await store.token_by_hash("0" * 64) is None


async def test_a_token_id_is_taken_once(store: GraphStore, workspace: str) -> None:
    # given a saved token
    token = _token(workspace)
    await store.save_token(token)

    # when another token with the same id is saved, then it is a conflict
    with pytest.raises(Conflict):
        await store.save_token(token.model_copy(update={"secret_hash": "f" * 64}))


async def test_revoking_marks_the_token_and_keeps_it(store: GraphStore, workspace: str) -> None:
    # given a saved token
    token = _token(workspace)
    await store.save_token(token)

    # when it is revoked
    revoked = await store.revoke_token(token.id, T0 + timedelta(days=1))

    # then it is still found by hash, with the revocation time
    assert revoked is True
    found = await store.token_by_hash(token.secret_hash)
    assert found is not None
    assert found.revoked_at == T0 + timedelta(days=1)


async def test_revoking_an_unknown_token_says_so(store: GraphStore, workspace: str) -> None:
    assert await store.revoke_token(f"tok-missing-{workspace}", T0) is False


async def test_tokens_are_listed_per_workspace_by_creation(
    store: GraphStore, new_workspace: Callable[[], str]
) -> None:
    # given tokens of two workspaces saved out of creation order, one of them revoked
    a, b = new_workspace(), new_workspace()
    later, earlier, other = _token(a, minutes=5), _token(a, minutes=1), _token(b, minutes=3)
    for token in (later, earlier, other):
        await store.save_token(token)
    await store.revoke_token(later.id, T0 + timedelta(hours=1))

    # when each workspace's tokens and all tokens are listed
    of_a = await store.tokens(a)
    every = [t.id for t in await store.tokens() if t.workspace in (a, b)]

    # then each list is in creation order and includes the revoked token
    assert [t.id for t in of_a] == [earlier.id, later.id]
    assert of_a[1].revoked_at is not None
    assert [t.id for t in await store.tokens(b)] == [other.id]
    assert every == [earlier.id, other.id, later.id]


async def test_dropping_a_workspace_removes_its_tokens(
    store: GraphStore, new_workspace: Callable[[], str]
) -> None:
    # given tokens in two workspaces
    dropped, kept = new_workspace(), new_workspace()
    gone, stays = _token(dropped), _token(kept)
    await store.save_token(gone)
    await store.save_token(stays)

    # when one workspace is dropped
    await store.drop_workspace(dropped)

    # then its token no longer authenticates, the other does
    assert await store.token_by_hash(gone.secret_hash) is None
    assert await store.tokens(dropped) == []
    assert await store.token_by_hash(stays.secret_hash) == stays

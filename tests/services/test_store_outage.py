"""What the services still answer while the store cannot be reached (README, "When the
store is down"), against a real SQLite store that is made to fail like an unreachable one.

- Tokens: one this process verified is accepted from memory (and, once the outage is
  known, without waiting for the store again); an unknown or revoked one is not.
- Analytic projections: one built before answers as of its version, noted for the
  response; a workspace without one reports the outage.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from graphsvc.domain.auth import Role
from graphsvc.errors import StoreUnavailable, Unauthenticated
from graphsvc.services.outage import track_unconfirmed
from graphsvc.services.projection_cache import ProjectionCache
from graphsvc.services.tokens import TokenService
from tests.unreachable_store import Unreachable

pytestmark = pytest.mark.reliability


@pytest.fixture
async def unreachable(tmp_path: Path) -> AsyncIterator[Unreachable]:
    store = Unreachable(str(tmp_path / "graph.db"))
    await store.open()
    try:
        yield store
    finally:
        store.down = False
        await store.close()


async def test_a_verified_token_works_while_the_store_is_down(unreachable: Unreachable) -> None:
    # given a token this process verified, and one it never saw
    tokens = TokenService(unreachable)
    seen = await tokens.create("acme", Role.EDITOR)
    unseen = await tokens.create("acme", Role.VIEWER)
    await tokens.authenticate(seen.secret)

    # when the store goes down
    unreachable.down = True

    # then the verified token works, and after the first failure without asking the store
    assert (await tokens.authenticate(seen.secret)).id == seen.token.id
    asked = unreachable.calls["token_by_hash"]
    assert (await tokens.authenticate(seen.secret)).id == seen.token.id
    await asyncio.sleep(0)  # the background re-check runs (and fails) once
    assert unreachable.calls["token_by_hash"] == asked + 1
    # and the unseen one gets the outage, not a 401 nor a pass
    with pytest.raises(StoreUnavailable):
        await tokens.authenticate(unseen.secret)


async def test_a_revoked_token_is_not_accepted_in_an_outage(unreachable: Unreachable) -> None:
    # given a token verified, then revoked through this process
    tokens = TokenService(unreachable)
    issued = await tokens.create("acme", Role.EDITOR)
    await tokens.authenticate(issued.secret)
    await tokens.revoke(issued.token.id)

    # when the store goes down, then the token does not work
    unreachable.down = True
    with pytest.raises(StoreUnavailable):
        await tokens.authenticate(issued.secret)

    # and when it is back, the revocation stands
    unreachable.down = False
    with pytest.raises(Unauthenticated):
        await tokens.authenticate(issued.secret)


async def test_the_store_answering_again_ends_the_outage(unreachable: Unreachable) -> None:
    tokens = TokenService(unreachable)
    issued = await tokens.create("acme", Role.EDITOR)
    await tokens.authenticate(issued.secret)
    unreachable.down = True
    await tokens.authenticate(issued.secret)  # the outage is now known

    # when the store is back, a background re-check finds it
    unreachable.down = False
    await tokens.authenticate(issued.secret)
    await asyncio.sleep(0.05)

    # then lookups go to the store again (a revocation elsewhere would be seen)
    asked = unreachable.calls["token_by_hash"]
    await tokens.authenticate(issued.secret)
    assert unreachable.calls["token_by_hash"] == asked + 1


async def test_a_built_projection_answers_while_the_store_is_down(
    unreachable: Unreachable,
) -> None:
    # given a projection built at the store's version
    cache = ProjectionCache(unreachable)
    built = await cache.get("acme")

    # when the store goes down
    unreachable.down = True
    answers = track_unconfirmed()

    # then the same projection answers, noted as not confirmed current
    assert await cache.get("acme") is built
    assert answers.versions == {"acme": built.version}
    # and a workspace without a projection reports the outage
    with pytest.raises(StoreUnavailable):
        await cache.get("other")

    # and once the store is back, answers are confirmed again
    unreachable.down = False
    confirmed = track_unconfirmed()
    assert await cache.get("acme") is built
    assert confirmed.versions == {}

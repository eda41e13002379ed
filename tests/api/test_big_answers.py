"""Big answers stay cheap per row: nothing wraps every field, rows resolve without awaits.

bench/big_answers.py measures the effect; these tests keep the causes from coming back.
"""

from __future__ import annotations

import asyncio

from strawberry.dataloader import DataLoader

from graphsvc.api.graphql.loaders import NOT_LOADED, loaded
from graphsvc.api.limits import limit_extensions
from graphsvc.config import Settings


def test_no_limit_extension_wraps_every_field_s_resolver() -> None:
    # given the limit extensions of the default settings, as the served schema uses them
    extensions = [factory() for factory in limit_extensions(Settings())]
    # then none has a per-field resolve hook (Strawberry would wrap each of a 2,000-row
    # answer's ~14,000 fields in middleware for it); the time limit is applied at the root
    assert [type(e).__name__ for e in extensions if e._implements_resolve()] == []


async def test_loaded_answers_only_what_its_loader_has_finished_reading() -> None:
    reads: list[list[str]] = []

    async def load(keys: list[str]) -> list[str | None]:
        reads.append(keys)
        return [None if key == "gone" else key.upper() for key in keys]

    loader: DataLoader[str, str | None] = DataLoader(load_fn=load)
    # given nothing read yet, then nothing is loaded
    assert loaded(loader, "a") is NOT_LOADED
    # when a read is asked, it is not loaded before it finishes
    pending = asyncio.ensure_future(loader.load_many(["a", "gone"]))
    assert loaded(loader, "a") is NOT_LOADED
    await pending
    # then once read: the value, a missing record as None, anything else still not loaded
    assert loaded(loader, "a") == "A"
    assert loaded(loader, "gone") is None
    assert loaded(loader, "b") is NOT_LOADED
    assert reads == [["a", "gone"]]

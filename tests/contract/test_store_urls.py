"""``create_store`` turns a store URL into a store, or refuses it in words the user can act on."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphsvc.config import Settings
from graphsvc.errors import InvalidInput
from graphsvc.store import create_store
from graphsvc.store.sqlite import SqliteStore


@pytest.mark.parametrize("url", ["sqlite:///:memory:", "sqlite:///"])
def test_a_sqlite_url_without_a_file_is_refused(url: str) -> None:
    # given a SQLite URL that names no file (each connection would see its own empty database)
    # when a store is created from it, then it is refused before anything is opened
    with pytest.raises(InvalidInput) as refused:
        create_store(Settings(store=url))
    assert f"store URL {url!r} names no file" in refused.value.message
    assert "a store must survive the process; use sqlite:///PATH" in refused.value.message


async def test_a_sqlite_url_with_a_path_is_a_sqlite_store_on_that_file(tmp_path: Path) -> None:
    # given a SQLite URL naming a file, when the store is created and opened
    path = tmp_path / "graph.db"
    store = create_store(Settings(store=f"sqlite:///{path}"))
    assert isinstance(store, SqliteStore)
    await store.open()
    try:
        # then it reads back from that file
        assert await store.workspaces() == []
    finally:
        await store.close()
    assert path.exists()


def test_an_unsupported_scheme_is_refused() -> None:
    with pytest.raises(InvalidInput, match="unsupported store URL 'postgres://db/graph'"):
        create_store(Settings(store="postgres://db/graph"))

"""Real front-end clients against a real ``graphsvc serve``: Apollo Client run by node, the
example page in Chromium on another origin, and the typed client kit's codegen.

Each client lives in a folder of its own with its own packages (``examples/cross-origin``,
``clients/typescript``; ``make test`` installs them with ``npm ci``). Without node, those
packages or chromium the tests skip, unless ``CI=true``, which fails them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from graphsvc.domain.auth import Role
from graphsvc.store.sqlite import SqliteStore
from tests.console_tools import CHROMIUM, REPO, require_node
from tests.factories import change_set, document, org
from tests.processes import Server, issue_token, serving

__all__ = [
    "CHROMIUM",
    "EXAMPLE",
    "KIT",
    "ORGANIZATIONS",
    "REPO",
    "Seeded",
    "require_node",
]

EXAMPLE = REPO / "examples" / "cross-origin"
"""The example page and its node twin (Apollo Client, esbuild, playwright-core)."""
KIT = REPO / "clients" / "typescript"
"""The typed client kit (graphql-codegen, TypeScript)."""

ORGANIZATIONS = [org("acme", "Acme Holdings"), org("bolt", "Bolt Logistics"), org("cora", "Cora")]


@dataclass
class Seeded:
    """A SQLite store with three organizations, and a viewer's token on it."""

    db: Path
    workdir: Path
    token: str

    @contextmanager
    def serve(self, **env: str) -> Iterator[Server]:
        """``graphsvc serve`` on this store, with these ``GRAPHSVC_*`` variables."""
        with serving(self.db, self.workdir, env=env) as server:
            yield server


async def _seed(db: Path) -> str:
    store = SqliteStore(str(db))
    await store.open()
    try:
        await store.apply("default", change_set(document(organizations=ORGANIZATIONS)))
    finally:
        await store.close()
    return await issue_token(db, Role.VIEWER)


@pytest.fixture
def seeded(tmp_path: Path) -> Seeded:
    db = tmp_path / "graph.db"
    return Seeded(db, tmp_path, asyncio.run(_seed(db)))

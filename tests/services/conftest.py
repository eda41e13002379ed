"""Service fixtures: a ``GraphService`` over a real SQLite file."""

from __future__ import annotations

import pytest

from graphsvc.services.graph import GraphService
from graphsvc.store.base import GraphStore


@pytest.fixture
def service(sqlite_store: GraphStore) -> GraphService:
    """The service under test, writing to the real SQLite store of ``sqlite_store``."""
    return GraphService(sqlite_store)

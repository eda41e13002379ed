"""Service fixtures: a ``GraphService`` over each real store (a SQLite file, the test Neo4j)."""

from __future__ import annotations

import pytest

from graphsvc.services.graph import GraphService
from graphsvc.store.base import GraphStore


@pytest.fixture
def service(store: GraphStore) -> GraphService:
    """The service under test, writing to each real store in turn (see ``store``)."""
    return GraphService(store)

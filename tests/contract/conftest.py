"""Fixtures shared by the contract suites (the ``store`` and ``workspace`` ones are the root's)."""

from __future__ import annotations

import pytest

from graphsvc.store.base import GraphStore
from tests.factories import change_set, kaito_document


@pytest.fixture
async def kaito(store: GraphStore, workspace: str) -> str:
    """The workspace, holding the Kaito group."""
    await store.apply(workspace, change_set(kaito_document()))
    return workspace

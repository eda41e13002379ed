"""Projections of the shared example graphs, built the way the service builds them."""

from __future__ import annotations

import pytest

from graphsvc.analytics.projection import Projection
from graphsvc.domain.models import GraphDocument
from tests.factories import change_set, kaito_document


def project(doc: GraphDocument) -> Projection:
    """The projection of a document as the write path stores it (``reportsToId`` as lines)."""
    projection = Projection()
    projection.apply(change_set(doc), version=1)
    return projection


@pytest.fixture
def kaito() -> Projection:
    """The Kaito group of CONTRACT §3 (see ``tests.factories.kaito_document``)."""
    return project(kaito_document())

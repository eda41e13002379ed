"""The write-conflict check decides, record by record, exactly what the stores' ``find`` returns.

``services.writes.read_set`` re-evaluates a ``find`` filter against upserted records in
Python; if it disagreed with the store, a concurrent write that changed an answer could go
unnoticed. So every filter here is run both ways and must give the same ids.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pytest

from graphsvc.domain.enums import EntityKind
from graphsvc.domain.listing import FilterValue
from graphsvc.services.writes.read_set import _matches
from graphsvc.store.base import GraphStore
from tests.factories import change_set, changes, kaito_document, org, person, system

FILTERS: list[tuple[EntityKind, Mapping[str, Sequence[FilterValue]]]] = [
    (EntityKind.SYSTEM, {"departmentIds": [None]}),
    (EntityKind.SYSTEM, {"departmentIds": [None, "k-infra"]}),
    (EntityKind.SYSTEM, {"departmentIds": ["k-fin", "kl-ops"]}),
    (EntityKind.SYSTEM, {"departmentIds": []}),
    (EntityKind.SYSTEM, {"ours": [True]}),
    (EntityKind.SYSTEM, {"ours": [False], "departmentIds": [None]}),
    (EntityKind.SYSTEM, {"vendor": [None]}),
    (EntityKind.ORGANIZATION, {"parentId": [None]}),
    (EntityKind.ORGANIZATION, {"parentId": [None, "kaito"]}),
    (EntityKind.PERSON, {"seniority": [None]}),
    (EntityKind.PERSON, {"stance": ["BLOCKER", "CHAMPION"], "organizationId": ["kaito"]}),
    (EntityKind.PERSON, {"departmentId": [None, "k-it"]}),
]


@pytest.fixture
async def varied(store: GraphStore, workspace: str) -> str:
    """The Kaito group plus records with missing values: no departments, no seniority."""
    await store.apply(workspace, change_set(kaito_document()))
    await store.apply(
        workspace,
        changes(
            org("o-lone"),
            person("p-plain", "o-lone"),
            system("s-bare", "o-lone"),
            system("s-used", "o-lone", department_ids=["k-it"], ours=True),
        ),
    )
    return workspace


@pytest.mark.parametrize(("kind", "where"), FILTERS, ids=lambda v: str(v))
async def test_the_conflict_check_matches_what_find_returns(
    store: GraphStore, varied: str, kind: EntityKind, where: Mapping[str, Sequence[FilterValue]]
) -> None:
    # given every record of the kind, when the filter is run by the store and by _matches
    everything = await store.find(varied, kind, {})
    found = [r.id for r in await store.find(varied, kind, where)]
    matched = [r.id for r in everything if _matches(where, r)]

    # then they agree
    assert matched == found


async def test_a_system_without_departments_matches_none(store: GraphStore, varied: str) -> None:
    # the case that once disagreed: the store matched s-bare, the conflict check did not
    bare = (await store.get(varied, EntityKind.SYSTEM, ["s-bare"]))["s-bare"]
    assert _matches({"departmentIds": [None]}, bare)
    assert not _matches({"departmentIds": ["k-it"]}, bare)

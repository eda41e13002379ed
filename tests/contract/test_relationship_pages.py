"""Contract: every relationship read a page at a time, by key, and counted apart.

The list of all relationships grows with the workspace, so the listing reads it a page at
a time (``relationship_page``) instead of whole (``relationships``); each page must be the
same slice of the whole list, in the same key order, on both stores.
"""

from __future__ import annotations

import pytest

from graphsvc.domain.enums import RelationshipType
from graphsvc.domain.models import Relationship
from graphsvc.store.base import GraphStore
from tests.factories import change_set, changes, influences, kaito_document, knows, reports_to

KNOWS, INFLUENCES, REPORTS_TO = list(RelationshipType)[:3]


@pytest.fixture
async def linked(store: GraphStore, workspace: str) -> str:
    """The Kaito group, and links between ids of mixed scripts and cases (text order)."""
    await store.apply(workspace, change_set(kaito_document()))
    await store.apply(
        workspace,
        changes(
            knows("z-1", "a-1"),
            knows("海-2", "Z-3"),
            knows("a-1", "é-4"),
            influences("é-4", "a-1"),
            influences("Z-3", "海-2"),
            reports_to("a-1", "Z-3"),
        ),
    )
    return workspace


async def _walk(
    store: GraphStore, workspace: str, size: int, types: list[RelationshipType] | None = None
) -> list[list[Relationship]]:
    pages: list[list[Relationship]] = []
    after: tuple[str, str, str] | None = None
    while True:
        page = await store.relationship_page(workspace, after=after, first=size, types=types)
        if not page:
            return pages
        assert len(page) <= size
        pages.append(page)
        after = page[-1].key


@pytest.mark.parametrize("size", [1, 3, 7, 1000])
async def test_pages_walked_by_key_are_the_whole_list_in_order(
    store: GraphStore, linked: str, size: int
) -> None:
    # given the whole list, read at once
    whole = await store.relationships(linked)

    # when it is walked a page at a time, each after the last key of the one before
    pages = await _walk(store, linked, size)

    # then the pages are its consecutive slices, and the count is its length
    assert [r for page in pages for r in page] == whole
    assert all(len(page) == size for page in pages[:-1])
    assert await store.count_relationships(linked) == len(whole)


async def test_a_type_filter_pages_and_counts_that_type(store: GraphStore, linked: str) -> None:
    for types in ([KNOWS], [REPORTS_TO, INFLUENCES], []):
        whole = await store.relationships(linked, None, types)
        pages = await _walk(store, linked, 2, types)
        assert [r for page in pages for r in page] == whole
        assert await store.count_relationships(linked, types) == len(whole)


@pytest.mark.parametrize(
    "after",
    [
        ("KNOWS", "a-1", "z-1"),  # a key that exists
        ("KNOWS", "z-1", "a-1"),  # a KNOWS pair given the other way round: compared as given
        ("INFLUENCES", "Z-3", "\uffff"),  # between keys
        ("A", "", ""),  # before every type
        ("REPORTS_TO", "\uffff", ""),  # after every key
        ("KNOWS", "海-2", "Z-3"),
    ],
)
async def test_a_page_starts_after_any_position_as_tuples_compare(
    store: GraphStore, linked: str, after: tuple[str, str, str]
) -> None:
    whole = await store.relationships(linked)
    expected = [r for r in whole if r.key > after][:4]
    assert await store.relationship_page(linked, after=after, first=4) == expected


async def test_an_empty_workspace_has_no_page_and_counts_zero(
    store: GraphStore, workspace: str
) -> None:
    assert await store.relationship_page(workspace, after=None, first=10) == []
    assert await store.count_relationships(workspace) == 0

"""Contract: ``find``/``page``/``count`` filters, keyset pagination and search."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pytest

from graphsvc.domain.enums import EntityKind
from graphsvc.domain.listing import FilterValue, ListQuery
from graphsvc.errors import InvalidInput
from graphsvc.store.base import GraphStore
from tests.factories import changes, org, person, system


async def _ids(
    store: GraphStore, workspace: str, kind: EntityKind, where: Mapping[str, Sequence[FilterValue]]
) -> list[str]:
    return [r.id for r in await store.find(workspace, kind, where)]


async def test_find_matches_any_value_of_a_field(store: GraphStore, kaito: str) -> None:
    # when people are filtered on two stances
    found = await _ids(store, kaito, EntityKind.PERSON, {"stance": ["BLOCKER", "CHAMPION"]})

    # then both kinds come back, in id order
    assert found == ["p-eng", "p-hr"]


async def test_find_requires_every_field(store: GraphStore, kaito: str) -> None:
    # when people are filtered on organization and seniority together
    where = {"organizationId": ["kaito"], "seniority": ["EXECUTIVE"]}
    found = await _ids(store, kaito, EntityKind.PERSON, where)

    # then only kaito's executives match (not kaito-log's president)
    assert found == ["p-ceo", "p-cfo", "p-cio"]


async def test_none_matches_a_null_field(store: GraphStore, kaito: str) -> None:
    # when organizations are filtered on a missing parent
    top = await _ids(store, kaito, EntityKind.ORGANIZATION, {"parentId": [None]})
    # and on a missing parent or kaito
    both = await _ids(store, kaito, EntityKind.ORGANIZATION, {"parentId": [None, "kaito"]})

    # then the first lists the top-level organizations, the second all of them
    assert top == ["kaito", "rival", "us"]
    assert both == ["kaito", "kaito-fs", "kaito-log", "rival", "us"]


async def test_none_matches_a_person_without_seniority(store: GraphStore, workspace: str) -> None:
    # given one person with and one without a seniority
    await store.apply(
        workspace,
        changes(org("o"), person("p-1", "o", seniority="VP"), person("p-2", "o")),
    )

    # when filtered on a missing seniority
    found = await _ids(store, workspace, EntityKind.PERSON, {"seniority": [None]})

    # then only the one without matches
    assert found == ["p-2"]


async def test_ours_takes_booleans(store: GraphStore, kaito: str) -> None:
    # when systems are filtered on ours true and ours false
    ours = await _ids(store, kaito, EntityKind.SYSTEM, {"ours": [True]})
    theirs = await _ids(store, kaito, EntityKind.SYSTEM, {"ours": [False]})

    # then they split the systems
    assert ours == ["s-crm"]
    assert theirs == ["s-erp", "s-groupware", "s-hr", "s-wms"]


async def test_department_ids_match_any_department(store: GraphStore, kaito: str) -> None:
    # when systems are filtered on departments
    infra = await _ids(store, kaito, EntityKind.SYSTEM, {"departmentIds": ["k-infra"]})
    two = await _ids(store, kaito, EntityKind.SYSTEM, {"departmentIds": ["k-fin", "kl-ops"]})
    it = await _ids(store, kaito, EntityKind.SYSTEM, {"departmentIds": ["k-it", "k-infra"]})

    # then a system used by any of them matches, once
    assert infra == ["s-groupware"]
    assert two == ["s-erp", "s-wms"]
    assert it == ["s-crm", "s-groupware"]


async def test_department_ids_none_matches_a_system_without_departments(
    store: GraphStore, workspace: str
) -> None:
    # given a system with and one without departments
    await store.apply(
        workspace, changes(system("s-1", "o", department_ids=["d"]), system("s-2", "o"))
    )

    # when filtered on no department
    found = await _ids(store, workspace, EntityKind.SYSTEM, {"departmentIds": [None]})

    # then only the one without matches
    assert found == ["s-2"]


async def test_an_empty_value_list_matches_nothing(store: GraphStore, kaito: str) -> None:
    assert await _ids(store, kaito, EntityKind.PERSON, {"stance": []}) == []


async def test_an_unknown_filter_field_is_rejected(store: GraphStore, kaito: str) -> None:
    with pytest.raises(InvalidInput, match="salary"):
        await store.find(kaito, EntityKind.PERSON, {"salary": ["high"]})


@pytest.mark.parametrize(
    ("kind", "where", "message"),
    [
        (
            EntityKind.PERSON,
            {"salary": ["high"]},
            "cannot filter people on 'salary'; filterable fields: departmentId, organizationId, "
            "seniority, stance",
        ),
        (
            EntityKind.SYSTEM,
            {"ours": ["yes"]},
            "filter systems.ours takes true or false, not 'yes'",
        ),
        (EntityKind.PERSON, {"stance": [True]}, "filter people.stance takes a string, not True"),
        (
            EntityKind.SYSTEM,
            {"departmentIds": [None, False]},
            "filter systems.departmentIds takes a string, not False",
        ),
    ],
)
async def test_every_store_refuses_a_bad_filter_in_the_same_words(
    store: GraphStore,
    kaito: str,
    kind: EntityKind,
    where: Mapping[str, Sequence[FilterValue]],
    message: str,
) -> None:
    with pytest.raises(InvalidInput) as refused:
        await store.find(kaito, kind, where)
    assert refused.value.message == message


async def test_a_negative_page_limit_is_refused(store: GraphStore, kaito: str) -> None:
    # when a page of -1 records is asked for, then it is refused in words, in every store
    with pytest.raises(InvalidInput, match=r"a page limit cannot be negative \(got -1\)"):
        await store.page(kaito, EntityKind.PERSON, ListQuery(limit=-1))


async def test_a_page_of_zero_is_empty(store: GraphStore, kaito: str) -> None:
    query = ListQuery(where={"organizationId": ["kaito"]}, limit=0)
    assert await store.page(kaito, EntityKind.PERSON, query) == []


async def test_an_unknown_filter_field_is_rejected_even_for_a_page_of_zero(
    store: GraphStore, kaito: str
) -> None:
    # given a page that wants no rows, when it filters on a field people do not have
    query = ListQuery(where={"salary": ["high"]}, limit=0)
    # then the filter is still refused (a caller learns of the mistake before asking for rows)
    with pytest.raises(InvalidInput, match="salary"):
        await store.page(kaito, EntityKind.PERSON, query)


async def test_pages_walk_every_match_once_in_id_order(store: GraphStore, kaito: str) -> None:
    # given a filter matching the seven kaito people
    where = {"organizationId": ["kaito"]}

    # when read in pages of three, each after the last id of the previous
    pages: list[list[str]] = []
    after: str | None = None
    while page := await store.page(
        kaito, EntityKind.PERSON, ListQuery(where=where, after=after, limit=3)
    ):
        pages.append([p.id for p in page])
        after = page[-1].id

    # then the pages are full but the last, and together they are every match in order
    expected = ["p-ceo", "p-cfo", "p-cio", "p-eng", "p-hr", "p-itdir", "p-pm"]
    assert [len(p) for p in pages] == [3, 3, 1]
    assert [i for p in pages for i in p] == expected


async def test_count_ignores_after_and_limit(store: GraphStore, kaito: str) -> None:
    # when counting with a cursor and a small limit
    query = ListQuery(where={"organizationId": ["kaito"]}, after="p-eng", limit=1)

    # then it counts every match
    assert await store.count(kaito, EntityKind.PERSON, query) == 7


@pytest.mark.parametrize(
    ("needle", "expected"),
    [
        ("ken", ["ae-1"]),  # name, ASCII, other case
        ("DIRECTOR", ["p-hr", "p-itdir"]),  # title
        ("佐藤", ["p-cio"]),  # Japanese name
        ("  ", []),
    ],
)
async def test_search_is_a_case_insensitive_substring_of_name_or_title(
    store: GraphStore, kaito: str, needle: str, expected: list[str]
) -> None:
    found = await store.page(kaito, EntityKind.PERSON, ListQuery(search=needle))
    assert [p.id for p in found] == expected


async def test_search_folds_case_beyond_ascii(store: GraphStore, workspace: str) -> None:
    # given a person whose name has accented capitals
    await store.apply(workspace, changes(org("o"), person("p-1", "o", "ÉLODIE Ÿvon")))

    # when searched in lower case
    found = await store.page(workspace, EntityKind.PERSON, ListQuery(search="élodie ÿ"))

    # then she is found
    assert [p.id for p in found] == ["p-1"]


async def test_search_combines_with_filters_and_count(store: GraphStore, kaito: str) -> None:
    # when organizations are searched for 海塔 among kaito's children
    query = ListQuery(where={"parentId": ["kaito"]}, search="海塔")

    # then the children match and are counted
    found = await store.page(kaito, EntityKind.ORGANIZATION, query)
    assert [o.id for o in found] == ["kaito-fs", "kaito-log"]
    assert await store.count(kaito, EntityKind.ORGANIZATION, query) == 2

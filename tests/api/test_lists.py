"""Connections: paging with opaque cursors, totals, limits, and every filter."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import Api
from tests.factories import document, knows, org, person

PAGE = "edges { cursor node { id } } pageInfo { hasNextPage endCursor } totalCount"


def node_ids(connection: dict[str, Any]) -> list[str]:
    return [edge["node"]["id"] for edge in connection["edges"]]


async def test_paging_walks_every_person_once_in_id_order(kaito: Api) -> None:
    seen: list[str] = []
    after = None
    pages = 0
    while True:
        data = await kaito.data(
            "query($after: String) { people(first: 4, after: $after) { " + PAGE + " } }",
            after=after,
        )
        page = data["people"]
        assert page["totalCount"] == 10
        seen += node_ids(page)
        pages += 1
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
        assert after == page["edges"][-1]["cursor"]

    assert pages == 3
    assert seen == sorted(seen)
    assert len(set(seen)) == 10


async def test_an_empty_page_has_no_end_cursor(kaito: Api) -> None:
    data = await kaito.data("{ people(first: 0) { " + PAGE + " } }")

    assert data["people"] == {
        "edges": [],
        "pageInfo": {"hasNextPage": True, "endCursor": None},
        "totalCount": 10,
    }


async def test_first_defaults_to_fifty(kaito: Api) -> None:
    data = await kaito.data("{ people { edges { node { id } } pageInfo { hasNextPage } } }")

    assert len(data["people"]["edges"]) == 10
    assert data["people"]["pageInfo"]["hasNextPage"] is False


@pytest.mark.parametrize("first", [-1, 501])
async def test_first_outside_its_range_is_a_clear_error(kaito: Api, first: int) -> None:
    errors = await kaito.errors(
        "query($first: Int) { people(first: $first) { totalCount } }", first=first
    )

    assert "first" in errors[0]["message"]
    assert str(first) in errors[0]["message"]


async def test_organizations_filter_by_kind_parent_and_top_level(kaito: Api) -> None:
    data = await kaito.data(
        """{ customers: organizations(filter: {kind: [CUSTOMER]}) { edges { node { id } } }
             others: organizations(filter: {kind: [SELF, COMPETITOR]}) { edges { node { id } } }
             below: organizations(filter: {parentId: "kaito"}) { edges { node { id } } }
             top: organizations(filter: {topLevel: true}) { edges { node { id } } }
             named: organizations(filter: {search: "ロジ"}) { edges { node { id } } } }"""
    )

    assert node_ids(data["customers"]) == ["kaito", "kaito-fs", "kaito-log"]
    assert node_ids(data["others"]) == ["rival", "us"]
    assert node_ids(data["below"]) == ["kaito-fs", "kaito-log"]
    assert node_ids(data["top"]) == ["kaito", "rival", "us"]
    assert node_ids(data["named"]) == ["kaito-log"]


async def test_people_filter_by_organization_with_or_without_subsidiaries(kaito: Api) -> None:
    data = await kaito.data(
        """{ own: people(filter: {organizationId: "kaito"}) { totalCount }
             group: people(filter: {organizationId: "kaito", includeSubsidiaries: true}) {
               totalCount edges { node { id } } } }"""
    )

    assert data["own"]["totalCount"] == 7
    assert data["group"]["totalCount"] == 8
    assert "p-log" in node_ids(data["group"])


@pytest.mark.parametrize("kind", ["departments", "people", "systems", "opportunities"])
@pytest.mark.parametrize("group", [False, True])
async def test_an_unknown_organization_in_a_list_filter_is_not_found_like_in_the_analytics(
    kaito: Api, kind: str, group: bool
) -> None:
    # given the error an analytic query answers for an organization that does not exist
    [analytic] = await kaito.errors('{ powerMap(organizationId: "nope") { influence } }')

    # when a list is filtered on that organization, with or without its subsidiaries
    [listed] = await kaito.errors(
        f'{{ {kind}(filter: {{organizationId: "nope", includeSubsidiaries: {str(group).lower()}}})'
        " { totalCount } }"
    )

    # then it is the same NOT_FOUND, not an empty page
    assert listed["extensions"]["code"] == analytic["extensions"]["code"] == "NOT_FOUND"
    assert listed["message"] == analytic["message"]


async def test_people_filter_by_department_seniority_stance_and_search(kaito: Api) -> None:
    data = await kaito.data(
        """{ it: people(filter: {departmentId: "k-it"}) { edges { node { id } } }
             bosses: people(filter: {seniority: [EXECUTIVE], organizationId: "kaito"}) {
               edges { node { id } } }
             friendly: people(filter: {stance: [CHAMPION, SUPPORTER]}) { edges { node { id } } }
             directors: people(filter: {search: "director"}) { edges { node { id } } } }"""
    )

    assert node_ids(data["it"]) == ["p-cio", "p-itdir", "p-pm"]
    assert node_ids(data["bosses"]) == ["p-ceo", "p-cfo", "p-cio"]
    assert node_ids(data["friendly"]) == ["p-eng", "p-itdir"]
    assert node_ids(data["directors"]) == ["p-hr", "p-itdir"]


async def test_departments_filter_by_group_parent_and_function(kaito: Api) -> None:
    data = await kaito.data(
        """{ group: departments(filter: {organizationId: "kaito", includeSubsidiaries: true,
                                          topLevel: true}) { edges { node { id } } }
             inside: departments(filter: {parentId: "k-it"}) { edges { node { id } } }
             it: departments(filter: {function: "IT"}) { edges { node { id } } } }"""
    )

    assert node_ids(data["group"]) == ["k-fin", "k-hr", "k-it", "kl-ops"]
    assert node_ids(data["inside"]) == ["k-infra"]
    assert node_ids(data["it"]) == ["k-infra", "k-it"]


async def test_systems_filter_by_ours_category_status_department_and_group(kaito: Api) -> None:
    data = await kaito.data(
        """{ ours: systems(filter: {ours: true}) { edges { node { id } } }
             theirs: systems(filter: {ours: false, status: [ACTIVE]}) { edges { node { id } } }
             erp: systems(filter: {category: "ERP"}) { edges { node { id } } }
             hr: systems(filter: {departmentId: "k-hr"}) { edges { node { id } } }
             group: systems(filter: {organizationId: "kaito", includeSubsidiaries: true,
                                     vendor: "Rival Corp"}) { edges { node { id } } } }"""
    )

    assert node_ids(data["ours"]) == ["s-crm"]
    assert node_ids(data["theirs"]) == ["s-erp", "s-groupware", "s-wms"]
    assert node_ids(data["erp"]) == ["s-erp"]
    assert node_ids(data["hr"]) == ["s-groupware", "s-hr"]
    assert node_ids(data["group"]) == ["s-erp", "s-groupware", "s-wms"]


async def test_opportunities_filter_by_status_category_and_organization(kaito: Api) -> None:
    data = await kaito.data(
        """{ live: opportunities(filter: {status: [OPEN, WON]}) { edges { node { id } } }
             wms: opportunities(filter: {category: "WMS"}) { edges { node { id } } }
             log: opportunities(filter: {organizationId: "kaito-log"}) { edges { node { id } } }
             staged: opportunities(filter: {stage: "PROPOSAL"}) { edges { node { id } } } }"""
    )

    assert node_ids(data["live"]) == ["o-crm", "o-hr"]
    assert node_ids(data["wms"]) == ["o-wms"]
    assert node_ids(data["log"]) == ["o-wms"]
    assert node_ids(data["staged"]) == ["o-hr"]


async def test_relationships_page_in_key_order_and_filter(kaito: Api) -> None:
    first = await kaito.data(
        """{ relationships(first: 10) { totalCount pageInfo { hasNextPage endCursor }
               edges { node { type from { id } to { id } } } } }"""
    )
    page = first["relationships"]
    assert page["totalCount"] == 16
    assert page["pageInfo"]["hasNextPage"] is True
    rest = await kaito.data(
        "query($after: String) { relationships(after: $after) { edges { node { type } } "
        "pageInfo { hasNextPage } } }",
        after=page["pageInfo"]["endCursor"],
    )
    assert len(rest["relationships"]["edges"]) == 6
    assert rest["relationships"]["pageInfo"]["hasNextPage"] is False

    filtered = await kaito.data(
        """{ relationships(filter: {personId: "p-eng", type: [INFLUENCES]}) {
               edges { node { from { id } to { id } strength } } } }"""
    )
    assert [e["node"] for e in filtered["relationships"]["edges"]] == [
        {"from": {"id": "p-eng"}, "to": {"id": "p-cio"}, "strength": 0.95}
    ]


async def test_decision_rights_filter_by_area_in_any_case_and_spacing(kaito: Api) -> None:
    data = await kaito.data(
        """{ it: decisionRights(filter: {area: "it"}) { totalCount }
             spaced: decisionRights(filter: {area: " It "}) { totalCount }
             kaito: decisionRights(filter: {scopeId: "kaito", role: [ECONOMIC_BUYER]}) {
               edges { node { person { id } area } } }
             cfo: decisionRights(filter: {personId: "p-cfo"}) { totalCount } }"""
    )

    assert data["it"]["totalCount"] == 4
    assert data["spaced"]["totalCount"] == 4  # spaces ignored, as decisionMakers does
    assert [e["node"] for e in data["kaito"]["edges"]] == [
        {"person": {"id": "p-cfo"}, "area": "Finance"},
        {"person": {"id": "p-cio"}, "area": "IT"},
    ]
    assert data["cfo"]["totalCount"] == 2


async def test_relationship_pages_follow_key_order_where_json_text_order_differs(
    api: Api,
) -> None:
    # given people whose ids order differently as keys ("a" < "a b") and as JSON text
    # ('["KNOWS", "a b", …' < '["KNOWS", "a", …': a space sorts before a quote)
    await api.service.import_document(
        api.workspace,
        document(
            organizations=[org("o")],
            people=[person(p, "o") for p in ("a", "a b", "z")],
            relationships=[knows("a", "z"), knows("a b", "z")],
        ),
    )
    query = (
        "query($after: String) { relationships(first: 1, after: $after) { "
        "edges { node { from { id } } } pageInfo { endCursor } } }"
    )

    # when the relationships are paged one at a time
    first = (await api.data(query))["relationships"]
    second = (await api.data(query, after=first["pageInfo"]["endCursor"]))["relationships"]

    # then they come in key order, each once
    assert [e["node"]["from"]["id"] for e in first["edges"] + second["edges"]] == ["a", "a b"]


async def test_a_cursor_of_another_list_is_refused_by_the_key_ordered_lists(kaito: Api) -> None:
    people = await kaito.data("{ people(first: 1) { pageInfo { endCursor } } }")
    cursor = people["people"]["pageInfo"]["endCursor"]

    [relationships] = await kaito.errors(
        "query($after: String) { relationships(after: $after) { totalCount } }", after=cursor
    )
    [rights] = await kaito.errors(
        "query($after: String) { decisionRights(after: $after) { totalCount } }", after=cursor
    )

    for error in (relationships, rights):
        assert error["extensions"]["code"] == "INVALID"
        assert "is not a cursor returned by this API" in error["message"]

"""Routes a BDR can act on (issue 10), through the real server on the Kaito group: distinct
ways in, why a search is empty, the right a decision-area target holds, and explanations
that tell namesakes apart and follow the data's language."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import Api
from tests.factories import document, knows, org, person

ROUTES = """
query($to: ID, $area: DecisionAreaInput, $k: Int, $distinct: Boolean, $metric: RouteMetric) {
  contactRoutes(to: $to, decisionArea: $area, k: $k, distinctEntry: $distinct,
                metric: $metric) {
    score
    people { id }
    entryPoint { id }
    targetRight { role area scopeId scope { ... on Department { id } ... on Organization { id } } }
  }
}
"""

SEARCH = """
query($to: ID, $area: DecisionAreaInput, $avoid: [ID!], $maxHops: Int) {
  contactRouteSearch(to: $to, decisionArea: $area, avoid: $avoid, maxHops: $maxHops) {
    emptyReason
    routes { people { id } }
  }
}
"""

EXPLAIN = """
query($to: ID!) {
  contactRoutes(to: $to, k: 1) {
    explanation
    en: explanation(language: EN)
    ja: explanation(language: JA)
  }
}
"""


def _people(routes: list[dict[str, Any]]) -> list[list[str]]:
    return [[p["id"] for p in r["people"]] for r in routes]


# --- distinct ways in -------------------------------------------------------------------


async def test_distinct_entry_gives_one_route_per_way_into_the_account(kaito: Api) -> None:
    # Given Mika also knows the project manager, who reports to the IT director: a second
    # way in (p-pm) besides the IT director (p-itdir).
    await kaito.service.import_document(
        kaito.workspace, document(relationships=[knows("ae-2", "p-pm", 0.6)])
    )

    default = (await kaito.data(ROUTES, to="p-cio", k=3))["contactRoutes"]
    distinct = (await kaito.data(ROUTES, to="p-cio", k=3, distinct=True))["contactRoutes"]

    # By default the top three all enter through the IT director.
    assert {r["entryPoint"]["id"] for r in default} == {"p-itdir"}
    assert len(default) == 3
    # With distinctEntry: the best route through each way in (0.684; 0.6 × 0.7 × 0.8 × 0.95).
    assert _people(distinct) == [
        ["ae-1", "p-itdir", "p-eng", "p-cio"],
        ["ae-2", "p-pm", "p-itdir", "p-eng", "p-cio"],
    ]
    assert [r["entryPoint"]["id"] for r in distinct] == ["p-itdir", "p-pm"]
    assert [r["score"] for r in distinct] == [pytest.approx(0.684), pytest.approx(0.3192)]


async def test_distinct_entry_false_is_the_contract_default(kaito: Api) -> None:
    given = await kaito.data(ROUTES, to="p-cio", distinct=False)
    contract_query = ROUTES.replace("distinctEntry: $distinct,", "").replace(
        ", $distinct: Boolean", ""
    )
    omitted = await kaito.data(contract_query, to="p-cio")

    assert given == omitted
    assert _people(given["contactRoutes"]) == [
        ["ae-1", "p-itdir", "p-eng", "p-cio"],
        ["ae-1", "p-itdir", "p-cio"],
        ["ae-2", "ae-1", "p-itdir", "p-eng", "p-cio"],
    ]


# --- why a search is empty --------------------------------------------------------------


async def test_route_search_says_why_it_is_empty(kaito: Api) -> None:
    # Given an isolated person in the Kaito group, and one at a company we know no one at
    await kaito.service.import_document(
        kaito.workspace,
        document(
            organizations=[org("acme", "Acme")],
            people=[person("p-new", "kaito", "新人 一郎"), person("x-1", "acme", "Ann Lee")],
        ),
    )

    async def reason(**variables: Any) -> Any:
        found = (await kaito.data(SEARCH, **variables))["contactRouteSearch"]
        if found["emptyReason"] is not None:
            assert found["routes"] == []
        return found["emptyReason"]

    assert await reason(to="p-cio") is None
    assert await reason(to="p-cio", maxHops=1) == "TARGET_UNREACHABLE_WITHIN_MAX_HOPS"
    assert await reason(to="p-cio", avoid=["p-itdir"]) == "ALL_WAYS_BLOCKED"
    assert await reason(to="p-cio", avoid=["ae-1", "ae-2"]) == "NO_SOURCES"
    assert await reason(area={"organizationId": "kaito", "area": "Marketing"}) == "NO_TARGETS"
    assert await reason(to="x-1") == "NO_CONTACT_INTO_ORGANIZATION"
    assert await reason(to="p-new") == "NOT_CONNECTED"


async def test_route_search_returns_the_same_routes_as_contact_routes(kaito: Api) -> None:
    found = (await kaito.data(SEARCH, to="p-cio"))["contactRouteSearch"]
    routes = (await kaito.data(ROUTES, to="p-cio"))["contactRoutes"]

    assert found["routes"] == [{"people": r["people"]} for r in routes]


# --- the right a decision-area target holds ---------------------------------------------


async def test_decision_area_routes_name_the_targets_right(kaito: Api) -> None:
    area = {"organizationId": "kaito", "area": "it"}
    routes = (await kaito.data(ROUTES, area=area, k=4))["contactRoutes"]
    by_target = {r["people"][-1]["id"]: r["targetRight"] for r in routes}

    assert by_target["p-cio"] == {
        "role": "ECONOMIC_BUYER",
        "area": "IT",
        "scopeId": "kaito",
        "scope": {"id": "kaito"},
    }
    assert by_target["p-itdir"] == {
        "role": "DECISION_MAKER",
        "area": "IT",
        "scopeId": "k-it",
        "scope": {"id": "k-it"},
    }
    [to_cio] = (await kaito.data(ROUTES, to="p-cio", k=1))["contactRoutes"]
    assert to_cio["targetRight"] is None


# --- explanations -----------------------------------------------------------------------

ENGLISH = (
    "Ken Ueda (BDR, Nexa Systems) knows 高橋 誠 (0.90), who knows 伊藤 翔 (0.80), "
    "who influences 佐藤 健, CIO (0.95)"
)


async def test_explanation_follows_the_names_language(kaito: Api) -> None:
    [route] = (await kaito.data(EXPLAIN, to="p-cio"))["contactRoutes"]

    assert (
        route["explanation"]
        == route["ja"]
        == (
            "Ken Ueda（BDR、Nexa Systems）は高橋 誠を知っており（0.90）、"
            "高橋 誠は伊藤 翔を知っており（0.80）、"
            "伊藤 翔は佐藤 健（CIO）に影響を与えている（0.95）。"
        )
    )
    assert route["en"] == ENGLISH


async def test_explanation_tells_namesakes_apart(kaito: Api) -> None:
    # Given a second 高橋 誠, at the logistics subsidiary
    await kaito.service.import_document(
        kaito.workspace,
        document(people=[person("p-namesake", "kaito-log", "高橋 誠", title="Driver")]),
    )

    [route] = (await kaito.data(EXPLAIN, to="p-cio"))["contactRoutes"]

    assert route["ja"] == (
        "Ken Ueda（BDR、Nexa Systems）は高橋 誠（IT Director、海塔ホールディングス、支持者）を"
        "知っており（0.90）、高橋 誠は伊藤 翔を知っており（0.80）、"
        "伊藤 翔は佐藤 健（CIO）に影響を与えている（0.95）。"
    )
    assert route["en"] == (
        "Ken Ueda (BDR, Nexa Systems) knows 高橋 誠 (IT Director, 海塔ホールディングス, "
        "supporter) (0.90), who knows 伊藤 翔 (0.80), who influences 佐藤 健, CIO (0.95)"
    )

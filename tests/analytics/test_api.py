"""The six analytic queries over real HTTP into the ASGI app, on the Kaito group, with the
app's store each of SQLite and Neo4j in turn: the same requests must give the same answers."""

from __future__ import annotations

import pytest

from tests.api.conftest import Api
from tests.factories import knows

ROUTES = """
query($to: ID, $area: DecisionAreaInput, $k: Int, $metric: RouteMetric, $avoid: [ID!]) {
  contactRoutes(to: $to, decisionArea: $area, k: $k, metric: $metric, avoid: $avoid) {
    score explanation
    people { id name }
    hops { from { id } to { id } type strength }
    weakestLink { from { id } to { id } strength }
  }
}
"""


async def test_contact_routes_to_the_cio(kaito_api: Api) -> None:
    data = await kaito_api.data(ROUTES, to="p-cio", k=1)

    [route] = data["contactRoutes"]
    assert route["score"] == pytest.approx(0.684)
    assert [p["id"] for p in route["people"]] == ["ae-1", "p-itdir", "p-eng", "p-cio"]
    assert route["people"][3]["name"] == "佐藤 健"
    assert route["hops"][2] == {
        "from": {"id": "p-eng"},
        "to": {"id": "p-cio"},
        "type": "INFLUENCES",
        "strength": 0.95,
    }
    assert route["weakestLink"] == {
        "from": {"id": "p-itdir"},
        "to": {"id": "p-eng"},
        "strength": 0.8,
    }
    assert route["explanation"].startswith(
        "Ken Ueda（BDR、Nexa Systems）は高橋 誠を知っており（0.90）"
    )


async def test_contact_routes_by_decision_area_and_hops(kaito_api: Api) -> None:
    data = await kaito_api.data(
        ROUTES, area={"organizationId": "kaito", "area": "it"}, k=2, metric="HOPS"
    )

    assert [[p["id"] for p in r["people"]] for r in data["contactRoutes"]] == [
        ["ae-1", "p-itdir"],
        ["ae-2", "ae-1", "p-itdir"],
    ]


async def test_contact_routes_errors_carry_codes(kaito_api: Api) -> None:
    [both] = await kaito_api.errors(
        ROUTES, to="p-cio", area={"organizationId": "kaito", "area": "IT"}
    )
    [ghost] = await kaito_api.errors(ROUTES, to="ghost")
    [bad_k] = await kaito_api.errors(ROUTES, to="p-cio", k=0)

    assert both["extensions"]["code"] == "INVALID"
    assert ghost["extensions"]["code"] == "NOT_FOUND"
    assert "'ghost'" in ghost["message"]
    assert bad_k["extensions"]["code"] == "INVALID"


async def test_a_write_through_the_api_service_is_seen_by_the_next_route(
    kaito_api: Api,
) -> None:
    await kaito_api.data(ROUTES, to="p-cio", k=1)

    await kaito_api.service.link(kaito_api.workspace, knows("ae-2", "p-cio", 0.99))

    data = await kaito_api.data(ROUTES, to="p-cio", k=1)
    assert [p["id"] for p in data["contactRoutes"][0]["people"]] == ["ae-2", "p-cio"]


async def test_decision_makers_whitespace_power_map_coverage_displacement(
    kaito_api: Api,
) -> None:
    data = await kaito_api.data(
        """
        {
          decisionMakers(organizationId: "kaito", area: "IT") { person { id } role scopeId }
          whitespace(organizationId: "kaito") {
            department { id name } organization { id } hasContact priority reasons
            competitorSystems { id }
          }
          powerMap(organizationId: "kaito", includeSubsidiaries: false) {
            person { id } influence formalRank brokerage hiddenInfluencer
          }
          coverage(organizationId: "kaito", asOf: "2026-11-01") {
            singleThreaded staleRelationships
            decisionMakers { right { person { id } role } directContact bestRouteScore }
          }
          displacementWindows(organizationId: "kaito", asOf: "2026-01-01") { id contractEndsOn }
        }
        """
    )

    assert [(r["person"]["id"], r["role"]) for r in data["decisionMakers"]] == [
        ("p-cio", "ECONOMIC_BUYER"),
        ("p-itdir", "DECISION_MAKER"),
        ("p-cfo", "APPROVER"),
        ("p-eng", "TECHNICAL_EVALUATOR"),
    ]
    assert [w["department"]["id"] for w in data["whitespace"]] == ["kl-ops", "k-fin", "k-infra"]
    assert data["whitespace"][0]["organization"] == {"id": "kaito-log"}
    assert data["whitespace"][0]["hasContact"] is True
    assert data["whitespace"][0]["competitorSystems"] == [{"id": "s-wms"}]
    power = data["powerMap"]
    assert len(power) == 7  # kaito alone: p-log of kaito-log is out of scope
    assert power[0]["person"]["id"] == "p-ceo"
    assert power[0]["influence"] == 1.0
    assert data["coverage"]["singleThreaded"] is False
    assert data["coverage"]["staleRelationships"] == 2
    assert data["coverage"]["decisionMakers"][0] == {
        "right": {"person": {"id": "p-cio"}, "role": "ECONOMIC_BUYER"},
        "directContact": False,
        "bestRouteScore": pytest.approx(0.684),
    }
    assert data["displacementWindows"] == [
        {"id": "s-wms", "contractEndsOn": "2026-06-30"},
        {"id": "s-hr", "contractEndsOn": "2026-12-31"},
    ]


async def test_unknown_organization_is_not_found(kaito_api: Api) -> None:
    [error] = await kaito_api.errors('{ powerMap(organizationId: "nope") { influence } }')

    assert error["extensions"]["code"] == "NOT_FOUND"
    assert "'nope'" in error["message"]


async def test_scores_leave_the_api_without_float_noise(kaito_api: Api) -> None:
    # given the route ae-2 → ae-1 → p-itdir → p-cio, whose score the route search computes
    # in binary floating point as 0.5670000000000001

    # when the four best routes to the CIO are asked for over HTTP
    data = await kaito_api.data(ROUTES, to="p-cio", k=4)

    # then that route's score reads as a person would write it
    assert [r["score"] for r in data["contactRoutes"]] == [0.684, 0.63, 0.6156, 0.567]


WHITESPACE_AS_OF = """
query($asOf: Date) {
  whitespace(organizationId: "kaito-log", asOf: $asOf) { department { id } priority reasons }
}
"""


async def test_whitespace_counts_expiring_contracts_from_as_of(kaito_api: Api) -> None:
    # given kl-ops, whose competitor WMS contract ends on 2026-06-30
    # when whitespace is asked for as of 2026-01-01 (in the window) and as of 2027-01-01 (past it)
    within = await kaito_api.data(WHITESPACE_AS_OF, asOf="2026-01-01")
    after = await kaito_api.data(WHITESPACE_AS_OF, asOf="2027-01-01")

    # then only the first counts the contract, in words and in the priority
    [ops_within] = [w for w in within["whitespace"] if w["department"]["id"] == "kl-ops"]
    [ops_after] = [w for w in after["whitespace"] if w["department"]["id"] == "kl-ops"]
    assert any("ends 2026-06-30, in 180 days" in r for r in ops_within["reasons"])
    assert not any("ends 2026-06-30" in r for r in ops_after["reasons"])
    assert ops_within["priority"] > ops_after["priority"]

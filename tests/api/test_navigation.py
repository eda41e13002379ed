"""Entity lookups and navigation both ways, on the hand-checkable Kaito group."""

from __future__ import annotations

from tests.api.conftest import Api


def ids(nodes: list[dict[str, object]]) -> list[object]:
    return [n["id"] for n in nodes]


async def test_an_unknown_id_is_null_not_an_error(kaito: Api) -> None:
    data = await kaito.data(
        '{ organization(id: "nope") { id } department(id: "nope") { id } '
        'person(id: "nope") { id } system(id: "nope") { id } opportunity(id: "nope") { id } }'
    )

    assert data == dict.fromkeys(["organization", "department", "person", "system", "opportunity"])


async def test_an_organization_shows_its_fields_and_group(kaito: Api) -> None:
    data = await kaito.data(
        """{ organization(id: "kaito-log") {
              id name kind industry parentId parentRelation ownership
              parent { id subsidiaries { id parentRelation ownership } } } }"""
    )

    assert data["organization"] == {
        "id": "kaito-log",
        "name": "海塔ロジスティクス",
        "kind": "CUSTOMER",
        "industry": "Logistics",
        "parentId": "kaito",
        "parentRelation": "SUBSIDIARY",
        "ownership": 0.8,
        "parent": {
            "id": "kaito",
            "subsidiaries": [
                {"id": "kaito-fs", "parentRelation": "AFFILIATE", "ownership": 0.3},
                {"id": "kaito-log", "parentRelation": "SUBSIDIARY", "ownership": 0.8},
            ],
        },
    }


async def test_an_organization_lists_what_belongs_to_it(kaito: Api) -> None:
    data = await kaito.data(
        """{ organization(id: "kaito") {
              employees revenue
              top: departments { id } all: departments(all: true) { id }
              people { id } systems { id } opportunities { id }
              decisionRights { person { id } area role budgetLimit } } }"""
    )

    kaito_org = data["organization"]
    assert kaito_org["employees"] == 52000
    assert kaito_org["revenue"] == 1.2e12
    assert ids(kaito_org["top"]) == ["k-fin", "k-hr", "k-it"]
    assert ids(kaito_org["all"]) == ["k-fin", "k-hr", "k-infra", "k-it"]
    assert ids(kaito_org["people"]) == [
        "p-ceo",
        "p-cfo",
        "p-cio",
        "p-eng",
        "p-hr",
        "p-itdir",
        "p-pm",
    ]
    assert ids(kaito_org["systems"]) == ["s-crm", "s-erp", "s-groupware", "s-hr"]
    assert ids(kaito_org["opportunities"]) == ["o-crm", "o-hr"]
    assert {(r["person"]["id"], r["area"], r["role"]) for r in kaito_org["decisionRights"]} == {
        ("p-cio", "IT", "ECONOMIC_BUYER"),
        ("p-cfo", "IT", "APPROVER"),
        ("p-cfo", "Finance", "ECONOMIC_BUYER"),
    }


async def test_a_department_navigates_up_down_and_across(kaito: Api) -> None:
    data = await kaito.data(
        """{ it: department(id: "k-it") {
               name function headcount organization { id } parent { id }
               children { id parent { id } } people { id }
               systems { id } opportunities { id status } decisionRights { person { id } } }
             infra: department(id: "k-infra") { parentId parent { id } systems { id } } }"""
    )

    it = data["it"]
    assert (it["name"], it["function"], it["headcount"]) == ("情報システム部", "IT", 120)
    assert it["organization"] == {"id": "kaito"}
    assert it["parent"] is None
    assert it["children"] == [{"id": "k-infra", "parent": {"id": "k-it"}}]
    assert ids(it["people"]) == ["p-cio", "p-itdir", "p-pm"]
    assert ids(it["systems"]) == ["s-crm", "s-groupware"]
    assert it["opportunities"] == [{"id": "o-crm", "status": "WON"}]
    assert it["decisionRights"] == [{"person": {"id": "p-itdir"}}]
    assert data["infra"] == {
        "parentId": "k-it",
        "parent": {"id": "k-it"},
        "systems": [{"id": "s-groupware"}],
    }


async def test_a_person_shows_formal_lines_both_ways(kaito: Api) -> None:
    data = await kaito.data(
        """{ pm: person(id: "p-pm") { title seniority stance manager { id } dottedManagers { id }
                                       organization { id } department { id } }
             itdir: person(id: "p-itdir") { reports { id } manager { manager { id } } }
             ceo: person(id: "p-ceo") { manager { id } department { id } } }"""
    )

    assert data["pm"] == {
        "title": "Project Manager",
        "seniority": "MANAGER",
        "stance": "NEUTRAL",
        "manager": {"id": "p-itdir"},
        "dottedManagers": [{"id": "p-cfo"}],
        "organization": {"id": "kaito"},
        "department": {"id": "k-it"},
    }
    assert ids(data["itdir"]["reports"]) == ["p-eng", "p-pm"]
    assert data["itdir"]["manager"] == {"manager": {"id": "p-ceo"}}
    assert data["ceo"] == {"manager": None, "department": None}


async def test_a_person_lists_relationships_filtered_by_type(kaito: Api) -> None:
    data = await kaito.data(
        """{ person(id: "ae-1") {
              all: relationships { type }
              knows: relationships(type: KNOWS) {
                from { id } to { id } strength effectiveStrength lastContactOn dotted } } }"""
    )

    person = data["person"]
    assert sorted(r["type"] for r in person["all"]) == ["KNOWS", "KNOWS", "KNOWS", "REPORTS_TO"]
    knows = {(r["from"]["id"], r["to"]["id"]): r for r in person["knows"]}
    assert knows.keys() == {("ae-1", "ae-2"), ("ae-1", "p-hr"), ("ae-1", "p-itdir")}
    assert knows["ae-1", "p-itdir"] == {
        "from": {"id": "ae-1"},
        "to": {"id": "p-itdir"},
        "strength": 0.9,
        "effectiveStrength": 0.9,
        "lastContactOn": "2026-10-20",
        "dotted": False,
    }


async def test_a_relationship_without_strength_reports_the_default(kaito: Api) -> None:
    data = await kaito.data(
        '{ person(id: "p-pm") { relationships(type: REPORTS_TO) '
        "{ to { id } strength effectiveStrength dotted } } }"
    )

    lines = {r["to"]["id"]: r for r in data["person"]["relationships"]}
    assert lines["p-cfo"] == {
        "to": {"id": "p-cfo"},
        "strength": None,
        "effectiveStrength": 0.5,
        "dotted": True,
    }
    assert lines["p-itdir"]["effectiveStrength"] == 0.7


async def test_a_decision_right_names_its_scope_as_organization_or_department(
    kaito: Api,
) -> None:
    data = await kaito.data(
        """{ cio: person(id: "p-cio") { decisionRights { scopeId area role budgetLimit
               scope { __typename ... on Organization { name } } } }
             eng: person(id: "p-eng") { decisionRights { scopeId
               scope { __typename ... on Department { name } } } } }"""
    )

    assert data["cio"]["decisionRights"] == [
        {
            "scopeId": "kaito",
            "area": "IT",
            "role": "ECONOMIC_BUYER",
            "budgetLimit": 100_000_000,
            "scope": {"__typename": "Organization", "name": "海塔ホールディングス"},
        }
    ]
    assert data["eng"]["decisionRights"] == [
        {"scopeId": "k-infra", "scope": {"__typename": "Department", "name": "インフラ課"}}
    ]


async def test_systems_and_opportunities_navigate_to_where_they_run(kaito: Api) -> None:
    data = await kaito.data(
        """{ system(id: "s-groupware") { vendor ours status contractEndsOn annualValue
               departmentIds organization { id } departments { id } }
             erp: system(id: "s-erp") { contractEndsOn annualValue category }
             opportunity(id: "o-hr") { name category stage amount status
               organization { id } department { id } } }"""
    )

    assert data["system"] == {
        "vendor": "Rival Corp",
        "ours": False,
        "status": "ACTIVE",
        "contractEndsOn": None,
        "annualValue": None,
        "departmentIds": ["k-it", "k-infra", "k-hr"],
        "organization": {"id": "kaito"},
        "departments": [{"id": "k-it"}, {"id": "k-infra"}, {"id": "k-hr"}],
    }
    assert data["erp"] == {"contractEndsOn": "2027-03-31", "annualValue": 3e7, "category": "ERP"}
    assert data["opportunity"] == {
        "name": "HR suite",
        "category": "HR",
        "stage": "PROPOSAL",
        "amount": 5e6,
        "status": "OPEN",
        "organization": {"id": "kaito"},
        "department": {"id": "k-hr"},
    }

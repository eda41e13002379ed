"""Writes: every kind's create/update/delete, links, rights; each typed failure."""

from __future__ import annotations

from typing import Any

import pytest

from graphsvc.domain.enums import EntityKind
from tests.api.conftest import Api

FAILURE = (
    "... on Error { __typename code message } "
    "... on ValidationError { issues { path record message } }"
)


async def mutate(api: Api, mutation: str, **variables: Any) -> dict[str, Any]:
    """The one result of a single-field mutation."""
    data = await api.data(mutation, **variables)
    (result,) = data.values()
    assert isinstance(result, dict)
    return result


# --- create / update / delete of each kind ------------------------------------------------


@pytest.mark.parametrize(
    ("name", "input", "selection"),
    [
        (
            "Organization",
            {"id": "acme", "name": "Acme", "kind": "PROSPECT", "parentId": "kaito"},
            "organization { id kind parentRelation parent { id } }",
        ),
        (
            "Department",
            {"id": "k-sec", "organizationId": "kaito", "name": "Security", "parentId": "k-it"},
            "department { id parent { id } organization { id } }",
        ),
        (
            "Person",
            {"id": "p-new", "name": "New", "organizationId": "kaito", "reportsToId": "p-cio"},
            "person { id stance manager { id } }",
        ),
        (
            "System",
            {"id": "s-new", "name": "BI", "organizationId": "kaito", "category": "BI",
             "departmentIds": ["k-fin"], "contractEndsOn": "2028-01-31"},
            "system { id ours status contractEndsOn departments { id } }",
        ),
        (
            "Opportunity",
            {"id": "o-new", "name": "BI deal", "organizationId": "kaito", "category": "BI",
             "departmentId": "k-fin"},
            "opportunity { id status department { id } }",
        ),
    ],
)  # fmt: skip
async def test_create_returns_the_record_with_defaults_and_navigation(
    kaito: Api, name: str, input: dict[str, Any], selection: str
) -> None:
    result = await mutate(
        kaito,
        f"mutation($input: {name}CreateInput!) {{ create{name}(input: $input) "
        f"{{ __typename ... on {name}Payload {{ {selection} }} }} }}",
        input=input,
    )

    assert result["__typename"] == f"{name}Payload"
    expected = {
        "Organization": {"organization": {"id": "acme", "kind": "PROSPECT",
                                          "parentRelation": "SUBSIDIARY",
                                          "parent": {"id": "kaito"}}},
        "Department": {"department": {"id": "k-sec", "parent": {"id": "k-it"},
                                      "organization": {"id": "kaito"}}},
        "Person": {"person": {"id": "p-new", "stance": "UNKNOWN", "manager": {"id": "p-cio"}}},
        "System": {"system": {"id": "s-new", "ours": False, "status": "ACTIVE",
                              "contractEndsOn": "2028-01-31", "departments": [{"id": "k-fin"}]}},
        "Opportunity": {"opportunity": {"id": "o-new", "status": "OPEN",
                                        "department": {"id": "k-fin"}}},
    }[name]  # fmt: skip
    assert {k: v for k, v in result.items() if k != "__typename"} == expected


async def test_update_changes_only_the_given_fields_and_null_clears(kaito: Api) -> None:
    result = await mutate(
        kaito,
        """mutation { updatePerson(id: "p-cio", input: {stance: CHAMPION, title: null}) {
             ... on PersonPayload { person { name title stance seniority } } } }""",
    )

    assert result["person"] == {
        "name": "佐藤 健",
        "title": None,
        "stance": "CHAMPION",
        "seniority": "EXECUTIVE",
    }
    stored = await kaito.service.get(kaito.workspace, EntityKind.PERSON, ["p-cio"])
    assert stored["p-cio"].title is None


async def test_update_of_reports_to_moves_the_person_to_a_new_manager(kaito: Api) -> None:
    result = await mutate(
        kaito,
        """mutation { updatePerson(id: "p-pm", input: {reportsToId: "p-cio"}) {
             ... on PersonPayload { person { manager { id } dottedManagers { id } } } } }""",
    )

    assert result["person"] == {"manager": {"id": "p-cio"}, "dottedManagers": [{"id": "p-cfo"}]}


@pytest.mark.parametrize(
    ("name", "id"),
    [("Organization", "rival"), ("Department", "k-sec"), ("Person", "p-pm"),
     ("System", "s-hr"), ("Opportunity", "o-wms")],
)  # fmt: skip
async def test_delete_removes_the_record(kaito: Api, name: str, id: str) -> None:
    if name == "Department":
        await kaito.service.create(
            kaito.workspace,
            EntityKind.DEPARTMENT,
            {"id": id, "organizationId": "kaito", "name": "S"},
        )

    result = await mutate(
        kaito, f'mutation {{ delete{name}(id: "{id}") {{ __typename ... on Deleted {{ id }} }} }}'
    )

    assert result == {"__typename": "Deleted", "id": id}
    query = {"Organization": "organization", "Department": "department", "Person": "person",
             "System": "system", "Opportunity": "opportunity"}[name]  # fmt: skip
    assert await kaito.data(f'{{ {query}(id: "{id}") {{ id }} }}') == {query: None}


# --- typed failures ----------------------------------------------------------------------


async def test_updating_a_missing_record_is_not_found(kaito: Api) -> None:
    result = await mutate(
        kaito,
        'mutation { updateSystem(id: "s-ghost", input: {vendor: "X"}) { ' + FAILURE + " } }",
    )

    assert result == {
        "__typename": "NotFoundError",
        "code": "NOT_FOUND",
        "message": "no system with id 's-ghost'",
    }


async def test_deleting_a_missing_record_is_not_found(kaito: Api) -> None:
    result = await mutate(
        kaito, 'mutation { deleteOpportunity(id: "o-ghost") { ' + FAILURE + " } }"
    )

    assert (result["__typename"], result["code"]) == ("NotFoundError", "NOT_FOUND")
    assert "o-ghost" in result["message"]


async def test_an_invalid_record_is_refused_naming_it_and_nothing_changes(kaito: Api) -> None:
    result = await mutate(
        kaito,
        """mutation { createPerson(input: {id: "p-x", name: "X", organizationId: "kaito",
                                          departmentId: "kl-ops"}) { """
        + FAILURE
        + " } }",
    )

    assert result["__typename"] == "ValidationError"
    assert result["code"] == "INVALID"
    assert "p-x" in result["message"]
    assert result["issues"] == [
        {
            "path": "input.departmentId",
            "record": "p-x",
            "message": "department 'kl-ops' belongs to organization 'kaito-log', "
            "not to the person's organization 'kaito'",
        }
    ]
    assert await kaito.data('{ person(id: "p-x") { id } }') == {"person": None}


async def test_clearing_a_required_field_is_invalid(kaito: Api) -> None:
    result = await mutate(
        kaito, 'mutation { updateDepartment(id: "k-it", input: {name: null}) { ' + FAILURE + " } }"
    )

    assert result["__typename"] == "ValidationError"
    assert [i["record"] for i in result["issues"]] == ["k-it"]


async def test_a_cycle_of_departments_is_invalid(kaito: Api) -> None:
    result = await mutate(
        kaito,
        'mutation { updateDepartment(id: "k-it", input: {parentId: "k-infra"}) { '
        + FAILURE
        + " } }",
    )

    assert result["__typename"] == "ValidationError"
    assert "cycle" in result["message"]


async def test_creating_a_taken_id_is_a_conflict(kaito: Api) -> None:
    result = await mutate(
        kaito,
        'mutation { createOrganization(input: {id: "kaito", name: "Again", kind: OTHER}) { '
        + FAILURE
        + " } }",
    )

    assert result == {
        "__typename": "ConflictError",
        "code": "CONFLICT",
        "message": "organization 'kaito' already exists",
    }


async def test_deleting_a_referenced_record_is_a_conflict_naming_the_references(
    kaito: Api,
) -> None:
    result = await mutate(kaito, 'mutation { deleteDepartment(id: "k-it") { ' + FAILURE + " } }")

    assert result["__typename"] == "ConflictError"
    assert "k-infra" in result["message"]
    assert await kaito.data('{ department(id: "k-it") { id } }') == {"department": {"id": "k-it"}}


# --- relationships and decision rights ---------------------------------------------------


async def test_link_creates_then_updates_a_relationship(kaito: Api) -> None:
    link = """mutation($input: RelationshipInput!) { link(input: $input) {
                __typename ... on RelationshipPayload { relationship {
                  type from { id } to { id } strength lastContactOn } } } }"""
    created = await mutate(
        kaito, link, input={"type": "KNOWS", "from": "p-log", "to": "ae-1", "strength": 0.4}
    )
    updated = await mutate(
        kaito,
        link,
        input={"type": "KNOWS", "from": "ae-1", "to": "p-log", "lastContactOn": "2026-11-01"},
    )

    assert created["relationship"] == {
        "type": "KNOWS",
        "from": {"id": "p-log"},
        "to": {"id": "ae-1"},
        "strength": 0.4,
        "lastContactOn": None,
    }
    assert updated["relationship"]["lastContactOn"] == "2026-11-01"
    data = await kaito.data(
        '{ person(id: "p-log") { relationships(type: KNOWS) { from { id } } } }'
    )
    assert sorted(r["from"]["id"] for r in data["person"]["relationships"]) == ["ae-1", "ae-2"]


async def test_link_to_an_unknown_person_is_invalid_naming_the_relationship(kaito: Api) -> None:
    result = await mutate(
        kaito,
        'mutation { link(input: {type: KNOWS, from: "ae-1", to: "ghost"}) { ' + FAILURE + " } }",
    )

    assert result["__typename"] == "ValidationError"
    assert result["issues"][0]["record"] == "KNOWS ae-1→ghost"


async def test_link_with_an_out_of_range_strength_is_invalid_naming_the_input(kaito: Api) -> None:
    result = await mutate(
        kaito,
        'mutation { link(input: {type: INFLUENCES, from: "ae-1", to: "p-cio", strength: 1.5}) { '
        + FAILURE
        + " } }",
    )

    assert result["__typename"] == "ValidationError"
    assert [(i["path"], i["record"]) for i in result["issues"]] == [
        ("input.strength", "INFLUENCES ae-1→p-cio")
    ]


async def test_unlink_removes_and_then_reports_not_found(kaito: Api) -> None:
    unlink = (
        'mutation { unlink(type: KNOWS, from: "p-itdir", to: "ae-1") { __typename '
        + FAILURE
        + " } }"
    )

    first = await mutate(kaito, unlink)
    second = await mutate(kaito, unlink)

    assert first == {"__typename": "Unlinked"}
    assert (second["__typename"], second["code"]) == ("NotFoundError", "NOT_FOUND")


async def test_grant_and_revoke_a_decision_right(kaito: Api) -> None:
    granted = await mutate(
        kaito,
        """mutation { grantDecisionRight(input: {personId: "p-log", scopeId: "kl-ops",
                                                 area: "WMS", role: DECISION_MAKER}) {
             ... on DecisionRightPayload { decisionRight { person { id } scope {
               __typename } area role budgetLimit } } } }""",
    )
    revoked = await mutate(
        kaito,
        """mutation { revokeDecisionRight(personId: "p-log", scopeId: "kl-ops", area: "wms",
                                          role: DECISION_MAKER) { __typename ... on Revoked {
             personId area role } } }""",
    )
    again = await mutate(
        kaito,
        """mutation { revokeDecisionRight(personId: "p-log", scopeId: "kl-ops", area: "WMS",
                                          role: DECISION_MAKER) { __typename } }""",
    )

    assert granted["decisionRight"] == {
        "person": {"id": "p-log"},
        "scope": {"__typename": "Department"},
        "area": "WMS",
        "role": "DECISION_MAKER",
        "budgetLimit": None,
    }
    assert revoked == {
        "__typename": "Revoked",
        "personId": "p-log",
        "area": "wms",
        "role": "DECISION_MAKER",
    }
    assert again == {"__typename": "NotFoundError"}


async def test_a_read_after_a_write_in_one_request_sees_the_write(kaito: Api) -> None:
    data = await kaito.data(
        """mutation {
             before: updateDepartment(id: "k-hr", input: {headcount: 41}) {
               ... on DepartmentPayload { department { organization { departments { id } } } } }
             create: createDepartment(input: {id: "k-new", organizationId: "kaito", name: "N"}) {
               ... on DepartmentPayload { department { organization { departments { id } } } } }
           }"""
    )

    assert "k-new" not in [
        d["id"] for d in data["before"]["department"]["organization"]["departments"]
    ]
    assert "k-new" in [d["id"] for d in data["create"]["department"]["organization"]["departments"]]

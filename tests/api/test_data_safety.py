"""Data safety through the real server: partial relationship updates, identifier rules, every
problem of an import reported at once, uniform issue paths in the service's own words."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import Api

FAILURE = (
    "... on Error { __typename code message } "
    "... on ValidationError { issues { path record message } }"
)
IMPORT_FAILURE = "... on ImportFailed { code message issues { path record message } }"

LINK = (
    """mutation($input: RelationshipInput!) { link(input: $input) {
            __typename """
    + FAILURE
    + """
            ... on RelationshipPayload { relationship { strength lastContactOn dotted } } } }"""
)


async def mutate(api: Api, mutation: str, **variables: Any) -> dict[str, Any]:
    """The one result of a single-field mutation."""
    data = await api.data(mutation, **variables)
    (result,) = data.values()
    assert isinstance(result, dict)
    return result


async def stored_line(api: Api, person: str, other: str) -> dict[str, Any]:
    """The KNOWS relationship between ``person`` and ``other`` as the API reads it back."""
    data = await api.data(
        """query($id: ID!) { person(id: $id) { relationships(type: KNOWS) {
             from { id } to { id } strength lastContactOn } } }""",
        id=person,
    )
    (line,) = [
        r for r in data["person"]["relationships"] if other in (r["from"]["id"], r["to"]["id"])
    ]
    return {"strength": line["strength"], "lastContactOn": line["lastContactOn"]}


# --- link keeps what it is not given --------------------------------------------------------


async def test_link_with_only_a_strength_keeps_the_last_contact_date(kaito: Api) -> None:
    # given ae-1 – p-itdir with strength 0.9 and a last contact on 2026-10-20
    # when only the strength is changed (written in the other direction, as KNOWS allows)
    result = await mutate(
        kaito, LINK, input={"type": "KNOWS", "from": "p-itdir", "to": "ae-1", "strength": 0.3}
    )
    # then the date stays
    assert result["relationship"] == {
        "strength": 0.3,
        "lastContactOn": "2026-10-20",
        "dotted": False,
    }
    assert await stored_line(kaito, "ae-1", "p-itdir") == {
        "strength": 0.3,
        "lastContactOn": "2026-10-20",
    }


async def test_link_with_only_a_contact_date_keeps_the_strength(kaito: Api) -> None:
    await mutate(
        kaito,
        LINK,
        input={"type": "KNOWS", "from": "ae-1", "to": "p-itdir", "lastContactOn": "2026-11-25"},
    )
    assert await stored_line(kaito, "ae-1", "p-itdir") == {
        "strength": 0.9,
        "lastContactOn": "2026-11-25",
    }


async def test_link_with_an_explicit_null_clears_that_field_only(kaito: Api) -> None:
    await mutate(
        kaito, LINK, input={"type": "KNOWS", "from": "ae-1", "to": "p-itdir", "strength": None}
    )
    assert await stored_line(kaito, "ae-1", "p-itdir") == {
        "strength": None,
        "lastContactOn": "2026-10-20",
    }


async def test_link_of_a_new_relationship_takes_the_defaults(kaito: Api) -> None:
    result = await mutate(kaito, LINK, input={"type": "KNOWS", "from": "p-log", "to": "ae-1"})
    assert result["relationship"] == {"strength": None, "lastContactOn": None, "dotted": False}


async def test_link_changing_only_dotted_keeps_the_strength(kaito: Api) -> None:
    await mutate(
        kaito,
        LINK,
        input={"type": "REPORTS_TO", "from": "p-pm", "to": "p-cfo", "strength": 0.4},
    )
    result = await mutate(
        kaito, LINK, input={"type": "REPORTS_TO", "from": "p-pm", "to": "p-cfo", "dotted": False}
    )
    assert result["relationship"] == {"strength": 0.4, "lastContactOn": None, "dotted": False}


# --- identifiers and names ----------------------------------------------------------------------


CREATE_PERSON = (
    """mutation($input: PersonCreateInput!) { createPerson(input: $input) {
    __typename """
    + FAILURE
    + """ ... on PersonPayload { person { id name } } } }"""
)


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("id", "  ", "id must not be blank"),
        ("id", "p-new\n", "id must not contain control characters"),
        ("id", "p\tnew", "id must not contain control characters"),
        ("id", " p-new", "id must not begin or end with spaces"),
        ("name", "   ", "name must not be blank"),
        ("organizationId", "kaito ", "organizationId must not begin or end with spaces"),
    ],
)
async def test_blank_or_malformed_identifiers_are_refused(
    kaito: Api, field: str, value: str, says: str
) -> None:
    person = {"id": "p-new", "name": "New", "organizationId": "kaito"} | {field: value}

    result = await mutate(kaito, CREATE_PERSON, input=person)

    assert result["__typename"] == "ValidationError", result
    assert [(i["path"], i["message"]) for i in result["issues"]] == [(f"input.{field}", says)]
    assert await kaito.data('{ person(id: "p-new") { id } }') == {"person": None}


async def test_names_are_trimmed(kaito: Api) -> None:
    result = await mutate(
        kaito,
        CREATE_PERSON,
        input={"id": "p-new", "name": "  鈴木 一郎 ", "organizationId": "kaito"},
    )
    assert result["person"] == {"id": "p-new", "name": "鈴木 一郎"}


async def test_a_blank_id_in_a_document_is_refused_naming_the_path(api: Api) -> None:
    result = await import_graph(
        api, {"format": "graphsvc/v1", "organizations": [{"id": " ", "name": "A", "kind": "OTHER"}]}
    )
    assert [(i["path"], i["message"]) for i in result["issues"]] == [
        ("organizations[0].id", "id must not be blank")
    ]


async def test_a_relationship_end_with_a_newline_is_refused(kaito: Api) -> None:
    result = await mutate(kaito, LINK, input={"type": "KNOWS", "from": "ae-1\n", "to": "p-itdir"})
    assert result["__typename"] == "ValidationError"
    assert [(i["path"], i["message"]) for i in result["issues"]] == [
        ("input.from", "from must not contain control characters")
    ]


# --- an import reports every problem at once ---------------------------------------------------

IMPORT = (
    "mutation($doc: JSON!) { importGraph(document: $doc) { __typename " + IMPORT_FAILURE + " } }"
)


async def import_graph(api: Api, doc: Any) -> dict[str, Any]:
    return await mutate(api, IMPORT, doc=doc)


async def test_an_import_reports_reference_and_record_problems_together(kaito: Api) -> None:
    doc = {
        "format": "graphsvc/v1",
        "people": [
            {"id": "p-a", "name": "A", "organizationId": "kaito", "departmentId": "k-nowhere"},
            {"id": "p-b", "name": "B", "organizationId": "kaito", "stance": "FRIENDLY"},
        ],
        "relationships": [{"type": "KNOWS", "from": "ae-1", "to": "p-a", "strength": 1.5}],
    }

    result = await import_graph(kaito, doc)

    assert result["__typename"] == "ImportFailed"
    found = [(i["path"], i["record"], i["message"]) for i in result["issues"]]
    assert found == [
        (
            "people[0].departmentId",
            "p-a",
            "departmentId 'k-nowhere' names no department in the document or the workspace",
        ),
        (
            "people[1].stance",
            "p-b",
            'stance "FRIENDLY" is not one of CHAMPION, SUPPORTER, NEUTRAL, SKEPTIC, BLOCKER, '
            "UNKNOWN",
        ),
        ("relationships[0].strength", "KNOWS ae-1→p-a", "strength 1.5 is not in (0, 1]"),
    ]


async def test_a_record_that_fails_is_not_also_reported_as_missing(kaito: Api) -> None:
    # p-b is broken; the relationship naming it should not add "names no person"
    doc = {
        "format": "graphsvc/v1",
        "people": [{"id": "p-b", "name": "B", "organizationId": "kaito", "stance": "X"}],
        "relationships": [{"type": "KNOWS", "from": "ae-1", "to": "p-b"}],
    }
    result = await import_graph(kaito, doc)
    assert [i["path"] for i in result["issues"]] == ["people[0].stance"]


async def test_a_document_without_format_is_refused_naming_it(api: Api) -> None:
    result = await import_graph(api, {"organizations": [{"id": "a", "name": "A", "kind": "OTHER"}]})
    assert result["__typename"] == "ImportFailed"
    assert [(i["path"], i["message"]) for i in result["issues"]] == [
        ("format", 'format is required: write "format": "graphsvc/v1"')
    ]
    assert await api.data('{ organization(id: "a") { id } }') == {"organization": None}


# --- issues read the same everywhere ---------------------------------------------------------


async def test_issue_paths_and_messages_are_the_services_own(kaito: Api) -> None:
    strength = await mutate(
        kaito, LINK, input={"type": "KNOWS", "from": "ae-1", "to": "p-cio", "strength": 1.5}
    )
    loop = await mutate(kaito, LINK, input={"type": "KNOWS", "from": "ae-1", "to": "ae-1"})
    create = await mutate(
        kaito,
        CREATE_PERSON,
        input={"id": "p-new", "name": "", "organizationId": "kaito"},
    )
    update = await mutate(
        kaito,
        """mutation { updateOrganization(id: "kaito", input: {ownership: 0.5}) {
             __typename """
        + FAILURE
        + " } }",
    )

    issues = strength["issues"] + loop["issues"] + create["issues"] + update["issues"]
    assert [i["path"] for i in issues] == [
        "input.strength",
        "input.to",
        "input.name",
        "input.ownership",
    ]
    for issue in issues:
        assert "Value error" not in issue["message"]
        assert "Input should" not in issue["message"]
        assert "->" not in issue["record"]
    assert [i["record"] for i in strength["issues"] + loop["issues"]] == [
        "KNOWS ae-1→p-cio",
        "KNOWS ae-1→ae-1",
    ]
    assert strength["issues"][0]["message"] == "strength 1.5 is not in (0, 1]"

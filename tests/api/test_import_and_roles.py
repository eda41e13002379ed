"""importGraph (atomic, typed outcome) and the role check every write goes through."""

from __future__ import annotations

import pytest

from graphsvc.api.graphql.context import create_context
from graphsvc.api.graphql.schema import schema
from graphsvc.domain.auth import Role
from graphsvc.domain.enums import EntityKind
from graphsvc.services.container import Services
from graphsvc.store.base import GraphStore
from tests.api.conftest import Api
from tests.factories import kaito_document

IMPORT = """mutation($doc: JSON!) { importGraph(document: $doc) {
  __typename
  ... on ImportSuccess { organizations departments people systems opportunities
                         relationships decisionRights version }
  ... on ImportFailed { code message issues { path record message } } } }"""


async def test_importing_a_document_applies_it_and_reimporting_writes_nothing(api: Api) -> None:
    document = kaito_document().to_document()

    first = await api.data(IMPORT, doc=document)
    again = await api.data(IMPORT, doc=document)

    assert first["importGraph"] == {
        "__typename": "ImportSuccess",
        "organizations": 5,
        "departments": 6,
        "people": 10,
        "systems": 5,
        "opportunities": 3,
        "relationships": 16,
        "decisionRights": 7,
        "version": 1,
    }
    assert again["importGraph"]["__typename"] == "ImportSuccess"
    assert again["importGraph"]["people"] == 0
    people = await api.data("{ people { totalCount } }")
    assert people["people"]["totalCount"] == 10


async def test_an_invalid_import_lists_every_issue_and_changes_nothing(kaito: Api) -> None:
    before = await kaito.service.store.version(kaito.workspace)
    document = {
        "format": "graphsvc/v1",
        "people": [
            {"id": "p-new", "name": "New", "organizationId": "kaito"},
            {"id": "p-lost", "name": "Lost", "organizationId": "ghost"},
        ],
        "relationships": [{"type": "KNOWS", "from": "p-new", "to": "nobody"}],
    }

    result = (await kaito.data(IMPORT, doc=document))["importGraph"]

    assert result["__typename"] == "ImportFailed"
    assert result["code"] == "INVALID"
    assert {(i["path"], i["record"]) for i in result["issues"]} == {
        ("people[1].organizationId", "p-lost"),
        ("relationships[0].to", "KNOWS p-new→nobody"),
    }
    assert await kaito.service.store.version(kaito.workspace) == before
    assert await kaito.data('{ person(id: "p-new") { id } }') == {"person": None}


@pytest.mark.parametrize("document", [[1, 2], "people", {"format": "graphsvc/v1", "extra": []}])
async def test_an_import_that_is_not_a_graph_document_fails_typed(
    api: Api, document: object
) -> None:
    result = (await api.data(IMPORT, doc=document))["importGraph"]

    assert result["__typename"] == "ImportFailed"
    assert result["code"] == "INVALID"
    assert result["issues"]


async def test_a_viewer_may_read_but_every_write_is_forbidden(
    sqlite_store: GraphStore, workspace: str
) -> None:
    # given a workspace with data, and a caller whose role is viewer
    services = Services.over(sqlite_store)
    await services.graph.import_document(workspace, kaito_document())
    viewer = create_context(services, workspace, Role.VIEWER)

    # when the viewer reads, writes one record and imports a document
    read = await schema.execute('{ person(id: "p-cio") { name } }', context_value=viewer)
    write = await schema.execute(
        'mutation { updatePerson(id: "p-cio", input: {stance: BLOCKER}) '
        "{ __typename ... on Error { code message } } }",
        context_value=create_context(services, workspace, Role.VIEWER),
    )
    imported = await schema.execute(
        IMPORT,
        variable_values={"doc": {"format": "graphsvc/v1"}},
        context_value=create_context(services, workspace, Role.VIEWER),
    )

    # then the read works, and both writes come back FORBIDDEN with nothing changed
    assert read.errors is None
    assert read.data == {"person": {"name": "佐藤 健"}}
    assert write.data == {
        "updatePerson": {
            "__typename": "ForbiddenError",
            "code": "FORBIDDEN",
            "message": "writing p-cio needs the editor role; this caller is viewer",
        }
    }
    assert imported.data is not None
    assert imported.data["importGraph"]["code"] == "FORBIDDEN"
    stored = await services.graph.get(workspace, EntityKind.PERSON, ["p-cio"])
    assert stored["p-cio"].stance == "NEUTRAL"

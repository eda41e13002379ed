"""The GraphQL response media type over ASGI: request errors are 400 only for clients that ask."""

from __future__ import annotations

from tests.api.answers import without_cost
from tests.api.conftest import Served

NEW = "application/graphql-response+json"


async def test_a_validation_error_is_400_without_data_for_graphql_response_json(
    served: Served,
) -> None:
    token = await served.token("default")
    response = await served.graphql("{ noSuchField }", token=token, headers={"Accept": NEW})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith(NEW)
    assert "data" not in response.json()
    assert "noSuchField" in response.json()["errors"][0]["message"]


async def test_a_validation_error_stays_200_for_legacy_json_clients(served: Served) -> None:
    token = await served.token("default")
    response = await served.graphql(
        "{ noSuchField }", token=token, headers={"Accept": "application/json"}
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")


async def test_a_successful_result_is_200_in_the_new_media_type(served: Served) -> None:
    token = await served.token("default")
    response = await served.graphql("{ __typename }", token=token, headers={"Accept": NEW})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(NEW)
    assert without_cost(response.json()) == {"data": {"__typename": "Query"}}

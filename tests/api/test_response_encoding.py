"""Answers are encoded by orjson: the same JSON as before, text in UTF-8, faster.

Strawberry's ``json.dumps`` was 3 % of the event loop's time under ``bench/load.py``; the
router encodes with orjson instead (``GraphsvcRouter.encode_json``). These keep what a
client reads the same.
"""

from __future__ import annotations

import json

from graphsvc.api.graphql.context import get_context
from graphsvc.api.graphql.schema import schema
from graphsvc.api.router import GraphsvcRouter
from tests.api.conftest import Api

NAME = "ネクサシステムズ"


async def test_an_answer_is_compact_json_with_its_text_in_utf8(api: Api) -> None:
    # given an organization with a Japanese name
    await api.data(
        "mutation ($name: String!) { createOrganization("
        'input: {id: "nexa", name: $name, kind: CUSTOMER}) { __typename } }',
        name=NAME,
    )
    # when it is read over HTTP
    response = await api.client.post(
        "/graphql", json={"query": '{ organization(id: "nexa") { id name } }'}
    )
    # then the body is compact JSON carrying the name as UTF-8, not as \u escapes, and reads
    # back as the same data
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert NAME.encode() in response.content
    assert b"\\u" not in response.content
    assert response.json()["data"] == {"organization": {"id": "nexa", "name": NAME}}
    assert response.content.startswith(b'{"data":{"organization":{"id":"nexa","name":')


def test_a_value_orjson_refuses_is_encoded_as_json_dumps_did() -> None:
    # given the served router and a value beyond orjson's 64-bit integers (a JSON scalar
    # may hold one)
    router = GraphsvcRouter(schema, context_getter=get_context)
    data = {"data": {"changes": [{"after": {"employees": 2**70, "name": NAME}}]}}
    # when it is encoded, then it is the JSON json.dumps wrote, and text either way
    encoded = router.encode_json(data)
    assert isinstance(encoded, str)
    assert json.loads(encoded) == data
    assert isinstance(router.encode_json({"data": {"name": NAME}}), str)

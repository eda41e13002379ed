"""Validation is cached per query text, yet every check still holds on every request.

The same text asked again with other variables is costed anew (the cost rule depends on the
variables), and an invalid text stays refused however often it is sent.
"""

from __future__ import annotations

import pytest

from graphsvc.domain.auth import Role
from tests.api.conftest import Served
from tests.factories import document, org, person

pytestmark = pytest.mark.security

PAGE = "query ($n: Int) { people(first: $n) { edges { node { id } } } }"


async def _ready(served: Served) -> str:
    await served.seed("default", document(organizations=[org("o")], people=[person("p", "o")]))
    return await served.token("default", Role.VIEWER)


async def test_a_cached_text_with_a_page_above_the_limit_is_still_refused(
    served: Served,
) -> None:
    # given a query text that has been validated (and cached) with a small page
    token = await _ready(served)
    ok = await served.graphql(PAGE, {"n": 1}, token=token)
    assert ok.json()["data"]["people"]["edges"] == [{"node": {"id": "p"}}]
    # when the same text comes with a page above the maximum
    too_big = served.settings.max_page_size + 1
    refused = (await served.graphql(PAGE, {"n": too_big}, token=token)).json()
    # then it is refused by the cost rule, and the small page still runs afterwards
    assert refused.get("data") is None
    assert "asks for more than the maximum page size" in refused["errors"][0]["message"]
    again = await served.graphql(PAGE, {"n": 1}, token=token)
    assert again.json()["data"]["people"]["edges"] == [{"node": {"id": "p"}}]


async def test_an_invalid_text_is_refused_every_time(served: Served) -> None:
    # given a query naming a field that does not exist
    token = await _ready(served)
    query = '{ person(id: "p") { id shoeSize } }'
    # when it is sent twice, then both answers name the unknown field
    for _ in range(2):
        body = (await served.graphql(query, token=token)).json()
        assert body.get("data") is None
        assert "Cannot query field 'shoeSize'" in body["errors"][0]["message"]

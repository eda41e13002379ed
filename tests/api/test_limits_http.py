"""Request limits over real HTTP: each refusal happens before any data is read.

"Before" is shown by the app's store (a ``CountingStore`` around the real SQLite store)
recording no call while the refused request is handled, and "the server is fine" by a
normal request answering right after.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest

from graphsvc.domain.auth import Role
from tests.api.answers import without_cost
from tests.api.conftest import Served, ServeFactory
from tests.factories import document, org, person

pytestmark = pytest.mark.security

NORMAL = '{ person(id: "p") { id name } }'


async def _ready(served: Served) -> str:
    await served.seed("default", document(organizations=[org("o")], people=[person("p", "o")]))
    return await served.token("default", Role.EDITOR)


async def _assert_refused_before_work(
    served: Served,
    token: str,
    query: str,
    variables: dict[str, Any] | None,
    expected: str,
    code: str = "LIMIT_EXCEEDED",
) -> list[dict[str, Any]]:
    """The errors of refused ``query``: each has ``code``, one of them says ``expected``."""
    served.counting.calls.clear()
    response = await served.graphql(query, variables, token=token)
    body = response.json()
    assert response.status_code in (200, 400)
    assert body.get("data") is None
    messages = " | ".join(e["message"] for e in body["errors"])
    assert expected in messages
    assert [e.get("extensions", {}).get("code") for e in body["errors"]] == [code] * len(
        body["errors"]
    ), body["errors"]
    assert served.counting.calls == [], (
        f"store was called before the refusal: {served.counting.calls}"
    )
    # and the server answers normally right after
    ok = await served.graphql(NORMAL, token=token)
    assert without_cost(ok.json()) == {"data": {"person": {"id": "p", "name": "Person p"}}}
    errors: list[dict[str, Any]] = body["errors"]
    return errors


def _nested_parents(depth: int) -> str:
    return '{ organization(id: "o") ' + "{ parent " * depth + "{ id }" + " }" * depth + " }"


async def test_too_deep_a_query_is_refused(served: Served) -> None:
    token = await _ready(served)
    await _assert_refused_before_work(
        served,
        token,
        _nested_parents(served.settings.max_depth + 2),
        None,
        "exceeds maximum operation depth",
    )


async def test_a_query_within_the_depth_limit_runs(served: Served) -> None:
    token = await _ready(served)
    response = await served.graphql(_nested_parents(3), token=token)
    assert without_cost(response.json()) == {"data": {"organization": {"parent": None}}}


async def test_too_many_aliases_are_refused(served: Served) -> None:
    token = await _ready(served)
    aliases = " ".join(
        f'a{i}: person(id: "p") {{ id }}' for i in range(served.settings.max_aliases + 1)
    )
    await _assert_refused_before_work(served, token, "{ " + aliases + " }", None, "aliases found")


async def test_too_many_tokens_are_refused(served: Served) -> None:
    token = await _ready(served)
    query = "{ " + "__typename " * (served.settings.max_tokens + 10) + "}"
    await _assert_refused_before_work(served, token, query, None, "tokens")


async def test_a_page_larger_than_the_maximum_is_refused(served: Served) -> None:
    token = await _ready(served)
    too_big = served.settings.max_page_size + 1
    await _assert_refused_before_work(
        served,
        token,
        "query ($n: Int) { people(first: $n) { edges { node { id } } } }",
        {"n": too_big},
        f"people(first: {too_big}) asks for more than the maximum page size",
    )


COSTLY = """
query Costly($n: Int) {
  organizations(first: $n) {
    edges { node { id departments { id name } people { id name decisionRights { area } } } }
  }
}
"""


async def test_a_page_larger_than_the_maximum_is_refused_once(served: Served) -> None:
    # The page size is the refusal; the cost of that page is not a second one.
    token = await _ready(served)
    errors = await _assert_refused_before_work(
        served, token, "{ people(first: 100000) { totalCount } }", None, "maximum page size 500"
    )
    assert len(errors) == 1


ROUTES = """
query Routes($k: Int) {
  contactRoutes(to: "p", k: $k) {
    score hops { from { decisionRights { area } } to { decisionRights { area } } }
  }
}
"""


async def test_a_huge_k_is_refused_once_with_the_limit_named(served: Served) -> None:
    token = await _ready(served)
    errors = await _assert_refused_before_work(
        served, token, ROUTES, {"k": 100000000}, "contactRoutes(k: 100000000)"
    )
    assert len(errors) == 1
    assert "maximum k 50" in errors[0]["message"]
    assert "100000000" not in errors[0]["message"].split("contactRoutes(k: 100000000)")[1]


async def test_the_cost_hint_names_the_argument_the_query_can_lower(served: Served) -> None:
    token = await _ready(served)
    errors = await _assert_refused_before_work(
        served, token, ROUTES, {"k": 40}, "operation Routes has an estimated cost of"
    )
    assert "contactRoutes(k: 40)" in errors[0]["message"]
    assert "first" not in errors[0]["message"]


async def test_the_cost_hint_of_nested_pages_names_their_first(served: Served) -> None:
    token = await _ready(served)
    errors = await _assert_refused_before_work(
        served, token, COSTLY, {"n": 500}, "organizations(first: 500)"
    )
    assert len(errors) == 1


async def test_the_cost_hint_of_many_analytic_fields_says_so(served: Served) -> None:
    token = await _ready(served)
    count = served.settings.max_cost // served.settings.analytic_cost + 1
    fields = " ".join(f'p{i}: powerMap(organizationId: "o") {{ influence }}' for i in range(count))
    errors = await _assert_refused_before_work(
        served, token, "{ " + fields + " }", None, f"{count} analytic fields"
    )
    assert "first" not in errors[0]["message"]


async def test_nested_pages_multiply_into_a_cost_that_is_refused(served: Served) -> None:
    token = await _ready(served)
    await _assert_refused_before_work(
        served, token, COSTLY, {"n": 500}, "operation Costly has an estimated cost of"
    )


async def test_the_same_shape_with_a_small_page_runs(served: Served) -> None:
    token = await _ready(served)
    response = await served.graphql(COSTLY, {"n": 2}, token=token)
    assert "errors" not in response.json()
    assert response.json()["data"]["organizations"]["edges"][0]["node"]["id"] == "o"


async def test_many_analytic_fields_in_one_request_are_refused(served: Served) -> None:
    token = await _ready(served)
    count = served.settings.max_cost // served.settings.analytic_cost + 1
    fields = " ".join(f'p{i}: powerMap(organizationId: "o") {{ influence }}' for i in range(count))
    await _assert_refused_before_work(served, token, "{ " + fields + " }", None, "estimated cost")


@pytest.fixture
async def small_body(serve: ServeFactory) -> Served:
    served: Served = await serve(max_body_bytes=2000)
    return served


async def test_a_body_over_the_limit_gets_413(small_body: Served) -> None:
    token = await _ready(small_body)
    small_body.counting.calls.clear()
    padding = " " * 3000
    response = await small_body.graphql(NORMAL + padding, token=token)
    assert response.status_code == 413
    assert "larger than 2000 bytes" in response.json()["errors"][0]["message"]
    assert small_body.counting.calls == []
    assert (await small_body.graphql(NORMAL, token=token)).json()["data"]["person"]["id"] == "p"


async def test_a_chunked_body_over_the_limit_gets_413(small_body: Served) -> None:
    token = await _ready(small_body)
    small_body.counting.calls.clear()

    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"query": "' + NORMAL.replace('"', '\\"').encode()
        for _ in range(30):
            yield b" " * 100
        yield b'"}'

    response = await small_body.client.post(
        "/graphql",
        content=chunks(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert small_body.counting.calls == []


async def test_introspection_can_be_turned_off(serve: ServeFactory) -> None:
    served: Served = await serve(introspection=False)
    token = await _ready(served)
    await _assert_refused_before_work(
        served, token, "{ __schema { types { name } } }", None, "introspection", "FORBIDDEN"
    )


async def test_graphiql_can_be_turned_off(serve: ServeFactory) -> None:
    served: Served = await serve(graphiql=False)
    response = await served.client.get("/graphql", headers={"Accept": "text/html"})
    assert "graphiql" not in response.text.lower()
    assert response.status_code in (401, 404)


async def test_analytic_work_past_its_time_limit_is_stopped_with_a_clear_error(
    serve: ServeFactory,
) -> None:
    # given a time limit no analytic can meet
    served: Served = await serve(analytic_timeout_seconds=1e-9)
    token = await _ready(served)
    query = '{ powerMap(organizationId: "o") { influence } }'
    # when an analytic query is asked once the workspace's graph is built (the first
    # request's build goes on after its time limit stopped it)
    deadline = time.monotonic() + 30
    while True:
        response = await served.graphql(query, token=token)
        error = response.json()["errors"][0]
        if "still being built" not in error["message"] or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.05)
    # then it is stopped with a clear error advising a smaller query, and the server answers
    # normally after
    assert "powerMap took longer than" in error["message"]
    assert "narrow the organization scope" in error["message"], error["message"]
    assert error["extensions"]["code"] == "LIMIT_EXCEEDED"
    ok = await served.graphql(NORMAL, token=token)
    assert ok.json()["data"]["person"]["id"] == "p"


async def test_a_time_limit_spent_waiting_for_the_graph_build_says_so(
    serve: ServeFactory,
) -> None:
    # given a server that builds a workspace's graph on first use (no start-up build), and
    # a time limit no analytic can meet
    served: Served = await serve(analytic_timeout_seconds=1e-9, warm_start=False)
    token = await _ready(served)
    # when the first analytic query is asked, before the graph is built
    response = await served.graphql('{ powerMap(organizationId: "o") { influence } }', token=token)
    # then the error says the time went on the build, not that the query is too large
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "LIMIT_EXCEEDED"
    assert "powerMap took longer than" in error["message"]
    assert "still being built" in error["message"], error["message"]
    assert "narrow the organization scope" not in error["message"]

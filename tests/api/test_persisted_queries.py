"""Automatic Persisted Queries over real HTTP (CONTRACT §10): Apollo's protocol, POST and GET.

A client sends the SHA-256 of a query in ``extensions.persistedQuery``; the server answers
``PERSISTED_QUERY_NOT_FOUND`` until it has seen the text (sent once with its hash), then runs
the text by its hash alone, under every limit a sent query meets.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import httpx
import pytest

from graphsvc.domain.auth import Role
from tests.api.answers import without_cost
from tests.api.conftest import Served, ServeFactory
from tests.factories import document, org, person

PERSON = 'query Person { person(id: "p") { id name } }'
PERSON_DATA = {"person": {"id": "p", "name": "Person p"}}
APOLLO_ACCEPT = "application/graphql-response+json,application/json;q=0.9"


def sha(query: str) -> str:
    return hashlib.sha256(query.encode()).hexdigest()


def persisted(query: str) -> dict[str, Any]:
    return {"persistedQuery": {"version": 1, "sha256Hash": sha(query)}}


async def _ready(served: Served, role: Role = Role.EDITOR) -> dict[str, str]:
    await served.seed("default", document(organizations=[org("o")], people=[person("p", "o")]))
    return {"Authorization": f"Bearer {await served.token('default', role)}"}


async def post(served: Served, body: dict[str, Any], headers: dict[str, str]) -> httpx.Response:
    return await served.client.post("/graphql", json=body, headers=headers)


async def get(served: Served, headers: dict[str, str], **params: Any) -> httpx.Response:
    """A GET as Apollo's ``useGETForHashedQueries`` sends it: JSON params URL-encoded."""
    sent = {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}
    return await served.client.get("/graphql", params=sent, headers=headers)


def _not_found(response: httpx.Response) -> None:
    assert response.status_code == 200, response.text
    assert response.json() == {
        "data": None,
        "errors": [
            {
                "message": "PersistedQueryNotFound",
                "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"},
            }
        ],
    }


async def test_an_unknown_hash_asks_for_the_query_as_apollo_clients_expect(served: Served) -> None:
    headers = await _ready(served)
    # when a client sends only the hash of a query the server has not seen, by POST and GET,
    # accepting graphql-response+json as Apollo Client does
    by_post = await post(served, {"extensions": persisted(PERSON)}, headers)
    by_get = await get(served, {**headers, "Accept": APOLLO_ACCEPT}, extensions=persisted(PERSON))
    # then both answer 200 with the error Apollo's link retries on
    _not_found(by_post)
    _not_found(by_get)


async def test_a_query_sent_once_with_its_hash_then_runs_by_hash_over_post_and_get(
    served: Served,
) -> None:
    headers = await _ready(served)
    # given the query registered with its text and hash
    first = await post(served, {"query": PERSON, "extensions": persisted(PERSON)}, headers)
    assert without_cost(first.json()) == {"data": PERSON_DATA}
    served.counting.calls.clear()
    # when it is sent by hash alone, by POST and by GET (extensions as a URL-encoded JSON param)
    by_post = await post(served, {"extensions": persisted(PERSON)}, headers)
    by_get = await get(served, {**headers, "Accept": APOLLO_ACCEPT}, extensions=persisted(PERSON))
    # then both run it against the store
    assert by_post.status_code == 200
    assert without_cost(by_post.json()) == {"data": PERSON_DATA}
    assert by_get.status_code == 200
    assert without_cost(by_get.json()) == {"data": PERSON_DATA}
    assert served.counting.calls, "the persisted query did not read the store"


async def test_a_persisted_query_takes_this_requests_variables_and_operation_name(
    served: Served,
) -> None:
    headers = await _ready(served)
    query = "query A($id: ID!) { person(id: $id) { id } } query B { __typename }"
    await post(
        served,
        {"query": query, "operationName": "B", "extensions": persisted(query)},
        headers,
    )
    response = await get(
        served, headers, extensions=persisted(query), variables={"id": "p"}, operationName="A"
    )
    assert without_cost(response.json()) == {"data": {"person": {"id": "p"}}}


async def test_a_hash_that_is_not_the_querys_is_refused_and_not_stored(served: Served) -> None:
    headers = await _ready(served)
    other = '{ person(id: "p") { id } }'
    # when a request carries a query with the hash of another query
    response = await post(served, {"query": other, "extensions": persisted(PERSON)}, headers)
    # then it is refused with both hashes named, nothing runs, and nothing is stored
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "PERSISTED_QUERY_HASH_MISMATCH"
    assert sha(PERSON) in error["message"]
    assert sha(other) in error["message"]
    _not_found(await post(served, {"extensions": persisted(PERSON)}, headers))


@pytest.mark.parametrize(
    ("extension", "named"),
    [
        ({"version": 2, "sha256Hash": sha(PERSON)}, "version 2 is not supported"),
        ({"sha256Hash": sha(PERSON)}, "version None is not supported"),
        ({"version": 1, "sha256Hash": "abc"}, "sha256Hash 'abc' is not a SHA-256 hash"),
        ({"version": 1}, "sha256Hash None is not a SHA-256 hash"),
        ("v1", "extensions.persistedQuery must be an object"),
    ],
)
async def test_a_malformed_persisted_query_is_refused_naming_the_field(
    served: Served, extension: Any, named: str
) -> None:
    headers = await _ready(served)
    response = await post(served, {"extensions": {"persistedQuery": extension}}, headers)
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "INVALID"
    assert named in error["message"]


async def test_persisted_queries_need_a_token_like_any_request(served: Served) -> None:
    headers = await _ready(served)
    await post(served, {"query": PERSON, "extensions": persisted(PERSON)}, headers)
    # by POST, and by GET even with the Accept of a browser (which opens GraphiQL without one)
    assert (await post(served, {"extensions": persisted(PERSON)}, {})).status_code == 401
    for accept in ("*/*", "text/html", APOLLO_ACCEPT):
        response = await get(served, {"Accept": accept}, extensions=persisted(PERSON))
        assert response.status_code == 401, (accept, response.text)


def _refusal(response: httpx.Response) -> list[tuple[str, str]]:
    body = response.json()
    assert body.get("data") is None, body
    return [(e["extensions"]["code"], e["message"]) for e in body["errors"]]


async def test_a_too_deep_persisted_query_is_refused_as_a_sent_one_and_never_stored(
    served: Served,
) -> None:
    headers = await _ready(served)
    depth = served.settings.max_depth + 2
    deep = '{ organization(id: "o") ' + "{ parent " * depth + "{ id }" + " }" * depth + " }"
    sent = await post(served, {"query": deep}, headers)
    registered = await post(served, {"query": deep, "extensions": persisted(deep)}, headers)
    assert _refusal(registered) == _refusal(sent)
    assert _refusal(sent)[0][0] == "LIMIT_EXCEEDED"
    # the refused text is not stored: its hash alone still asks for the text
    _not_found(await post(served, {"extensions": persisted(deep)}, headers))


COSTLY = """
query Costly($n: Int) {
  organizations(first: $n) {
    edges { node { id departments { id name } people { id name decisionRights { area } } } }
  }
}
"""


async def test_a_persisted_query_is_costed_with_each_requests_variables(served: Served) -> None:
    headers = await _ready(served)
    # given a query registered with a small page
    small = await post(
        served, {"query": COSTLY, "variables": {"n": 2}, "extensions": persisted(COSTLY)}, headers
    )
    assert "errors" not in small.json()
    served.counting.calls.clear()
    # when its hash comes back with a page that makes it too costly
    by_hash = await post(
        served, {"extensions": persisted(COSTLY), "variables": {"n": 500}}, headers
    )
    # then it is refused before any work, exactly as the same text sent in full
    assert served.counting.calls == []
    sent = await post(served, {"query": COSTLY, "variables": {"n": 500}}, headers)
    assert _refusal(by_hash) == _refusal(sent)
    assert _refusal(by_hash)[0][0] == "LIMIT_EXCEEDED"
    assert "estimated cost" in _refusal(by_hash)[0][1]


async def test_a_persisted_mutation_over_get_stays_refused(served: Served) -> None:
    headers = await _ready(served)
    mutation = 'mutation { deletePerson(id: "p") { __typename } }'
    # given a mutation persisted by POST (which runs it, as Apollo's link would)
    await post(served, {"query": mutation, "extensions": persisted(mutation)}, headers)
    await served.seed("default", document(organizations=[org("o")], people=[person("p", "o")]))
    # when its hash is sent by GET
    by_hash = await get(served, headers, extensions=persisted(mutation))
    sent = await get(served, headers, query=mutation)
    # then it is refused as the same mutation sent in full over GET, and nothing was deleted
    assert by_hash.status_code == sent.status_code
    assert by_hash.status_code in (400, 405)
    assert by_hash.json() == sent.json()
    after = await post(served, {"query": PERSON}, headers)
    assert without_cost(after.json()) == {"data": PERSON_DATA}


async def test_the_cache_keeps_the_most_recently_used_queries_up_to_its_size(
    serve: ServeFactory,
) -> None:
    served: Served = await serve(persisted_query_cache_size=2)
    headers = await _ready(served)
    queries = [f"query Q{i} {{ __typename }}" for i in range(3)]
    for query in queries[:2]:
        await post(served, {"query": query, "extensions": persisted(query)}, headers)
    await post(served, {"extensions": persisted(queries[0])}, headers)  # Q0 used again
    await post(served, {"query": queries[2], "extensions": persisted(queries[2])}, headers)
    # Q1, the least recently used, made room for Q2
    _not_found(await post(served, {"extensions": persisted(queries[1])}, headers))
    for query in (queries[0], queries[2]):
        hit = await post(served, {"extensions": persisted(query)}, headers)
        assert without_cost(hit.json()) == {"data": {"__typename": "Query"}}


async def test_a_cache_size_of_zero_turns_persisted_queries_off(serve: ServeFactory) -> None:
    served: Served = await serve(persisted_query_cache_size=0)
    headers = await _ready(served)
    response = await post(served, {"extensions": persisted(PERSON)}, headers)
    assert response.status_code == 200
    assert response.json()["errors"] == [
        {
            "message": "PersistedQueryNotSupported",
            "extensions": {"code": "PERSISTED_QUERY_NOT_SUPPORTED"},
        }
    ]
    # and plain queries are unaffected
    assert without_cost((await post(served, {"query": PERSON}, headers)).json()) == {
        "data": PERSON_DATA
    }


async def test_a_browser_get_naming_a_persisted_query_is_not_sent_graphiql(served: Served) -> None:
    headers = await _ready(served)
    await post(served, {"query": PERSON, "extensions": persisted(PERSON)}, headers)
    response = await get(served, {**headers, "Accept": "*/*"}, extensions=persisted(PERSON))
    assert without_cost(response.json()) == {"data": PERSON_DATA}


async def test_a_persisted_analytic_query_meets_the_time_limit(serve: ServeFactory) -> None:
    # given a time limit no analytic can meet
    served: Served = await serve(analytic_timeout_seconds=1e-9)
    headers = await _ready(served)
    query = 'query Map { powerMap(organizationId: "o") { influence } }'
    # when the query is registered, then asked by its hash
    registered = await post(served, {"query": query, "extensions": persisted(query)}, headers)
    by_hash = await get(served, headers, extensions=persisted(query))
    # then both are stopped as the query sent in full is
    for response in (registered, by_hash):
        error = response.json()["errors"][0]
        assert error["extensions"]["code"] == "LIMIT_EXCEEDED"
        assert "powerMap took longer than" in error["message"]


async def test_a_registration_over_the_body_limit_gets_413_and_is_not_stored(
    serve: ServeFactory,
) -> None:
    served: Served = await serve(max_body_bytes=2000)
    headers = await _ready(served)
    padded = PERSON + " " * 3000
    response = await post(served, {"query": padded, "extensions": persisted(padded)}, headers)
    assert response.status_code == 413
    _not_found(await post(served, {"extensions": persisted(padded)}, headers))

"""Per-token cost budgets over real HTTP (CONTRACT §11): one token spending its budget gets
429 + ``Retry-After`` + ``RATE_LIMITED`` while another's requests keep succeeding, and every
GraphQL response reports ``extensions.cost``.

The budgets here are small (a few requests' worth), so that the refill during a test (the
budget / 60 each second) is a fraction of one request; the refill itself is shown without
waiting in ``test_budget_buckets`` with a clock of the test's own.
"""

from __future__ import annotations

import math
import time
from pathlib import Path
from typing import Any

import pytest

from tests.api.conftest import Served, ServeFactory, metric_value
from tests.api.live import live_server
from tests.factories import document, org, person

pytestmark = pytest.mark.security

PERSON = '{ person(id: "p") { id name } }'
"""Costs 3: the field, and its two fields below."""

THRICE = """{
  a: person(id: "p") { id name }
  b: person(id: "p") { id name }
  c: person(id: "p") { id name }
}"""
"""Costs 9."""

RATE_LIMITED_ERRORS = 'graphsvc_graphql_errors_total{code="RATE_LIMITED"}'


async def _seeded(served: Served) -> tuple[str, str]:
    await served.seed("default", document(organizations=[org("o")], people=[person("p", "o")]))
    return await served.token("default"), await served.token("default")


async def test_a_token_that_spent_its_budget_gets_429_while_another_keeps_going(
    serve: ServeFactory,
) -> None:
    # given a budget of 7 points a minute (two requests of 3) and two tokens
    served: Served = await serve(token_budget=7)
    spender, other = await _seeded(served)

    # when the first token asks three times
    first = await served.graphql(PERSON, token=spender)
    second = await served.graphql(PERSON, token=spender)
    served.counting.calls.clear()
    third = await served.graphql(PERSON, token=spender)

    # then the first two ran and said what was left, and the third was refused unrun
    assert first.status_code == 200
    assert first.json()["data"]["person"]["id"] == "p"
    assert first.json()["extensions"]["cost"] == {"requested": 3, "remaining": 4}
    assert second.json()["extensions"]["cost"] == {"requested": 3, "remaining": 1}
    assert third.status_code == 429, third.text
    body = third.json()
    assert body.get("data") is None
    [error] = body["errors"]
    assert error["extensions"]["code"] == "RATE_LIMITED"
    # (3 - 1) points at 7/60 a second: about 17 s
    assert 15 <= int(third.headers["Retry-After"]) <= 18
    assert "costs 3 points and 1 are left of 7 per minute" in error["message"]
    assert "GRAPHSVC_TOKEN_BUDGET" in error["message"]
    assert "retry in 1" in error["message"]  # 17 or 18 s: whole seconds, as the header
    assert body["extensions"]["cost"] == {"requested": 3, "remaining": 1}
    assert served.counting.calls == []

    # and the other token's requests keep succeeding
    for _ in range(2):
        answered = await served.graphql(PERSON, token=other)
        assert answered.status_code == 200, answered.text
        assert answered.json()["data"]["person"]["id"] == "p"
    assert answered.json()["extensions"]["cost"] == {"requested": 3, "remaining": 1}


async def test_every_response_reports_its_cost(serve: ServeFactory) -> None:
    # given a budget of 1200 points a minute (20 a second: the remaining figures are checked
    # against the refill of the time the test took)
    served: Served = await serve(token_budget=1200)
    token, _ = await _seeded(served)
    began = time.monotonic()

    def assert_cost(body: dict[str, Any], requested: int, spent: int) -> None:
        cost = body["extensions"]["cost"]
        refilled = math.ceil((time.monotonic() - began) * 20)
        assert cost["requested"] == requested, body
        assert 1200 - spent <= cost["remaining"] <= min(1200, 1200 - spent + refilled), body

    # a success
    ok = (await served.graphql(THRICE, token=token)).json()
    assert "errors" not in ok
    assert_cost(ok, requested=9, spent=9)

    # an invalid query: costed (its known fields), refused by validation, not charged
    invalid = (await served.graphql('{ person(id: "p") { nosuch } }', token=token)).json()
    assert invalid["errors"]
    assert_cost(invalid, requested=1, spent=9)

    # a field error: charged, as it ran
    field = await served.graphql(
        '{ coverage(organizationId: "nope") { singleThreaded } }', token=token
    )
    assert field.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert_cost(field.json(), requested=1001, spent=9 + 1001)

    # a request that does not parse: nothing to cost
    broken = (await served.graphql("{ person(id: ", token=token)).json()
    assert broken["errors"]
    assert_cost(broken, requested=0, spent=9 + 1001)


async def test_an_operation_costing_more_than_the_whole_budget_is_a_limit_not_a_wait(
    serve: ServeFactory,
) -> None:
    served: Served = await serve(token_budget=8)
    token, _ = await _seeded(served)
    response = await served.graphql(THRICE, token=token)
    assert response.status_code == 200  # a limit of the query, not of the caller's pace
    body = response.json()
    [error] = body["errors"]
    assert error["extensions"]["code"] == "LIMIT_EXCEEDED"
    assert "estimated cost of 9" in error["message"]
    assert "token budget of 8 points per minute" in error["message"]
    assert "Retry-After" not in response.headers
    assert body["extensions"]["cost"] == {"requested": 9, "remaining": 8}
    # nothing was charged: a cheaper operation still runs
    assert (await served.graphql(PERSON, token=token)).status_code == 200


async def test_a_budget_of_0_turns_budgets_off(serve: ServeFactory) -> None:
    served: Served = await serve(token_budget=0)
    token, _ = await _seeded(served)
    for _ in range(5):
        response = await served.graphql(THRICE, token=token)
        assert response.status_code == 200
        assert response.json()["extensions"]["cost"] == {"requested": 9, "remaining": None}


async def test_without_authentication_the_server_has_one_bucket(serve: ServeFactory) -> None:
    served: Served = await serve(token_budget=7, auth="off", host="127.0.0.1")
    await _seeded(served)
    assert (await served.graphql(PERSON)).status_code == 200
    assert (await served.graphql(PERSON)).status_code == 200
    refused = await served.graphql(PERSON)
    assert refused.status_code == 429
    assert refused.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"


async def test_a_304_spends_nothing(serve: ServeFactory) -> None:
    # given an answer the client keeps, tagged
    served: Served = await serve(token_budget=7)
    token, _ = await _seeded(served)
    auth = {"Authorization": f"Bearer {token}"}
    first = await served.client.get("/graphql", params={"query": PERSON}, headers=auth)
    assert first.json()["extensions"]["cost"] == {"requested": 3, "remaining": 4}
    tag = first.headers["ETag"]
    # when it asks again with the tag, more often than the budget would allow a run
    for _ in range(4):
        again = await served.client.get(
            "/graphql", params={"query": PERSON}, headers={**auth, "If-None-Match": tag}
        )
        assert again.status_code == 304
    # then the budget is as the first request left it
    after = await served.graphql(PERSON, token=token)
    assert after.json()["extensions"]["cost"] == {"requested": 3, "remaining": 1}


def test_the_error_codes_are_described_in_the_schema() -> None:
    from graphsvc.api.graphql.schema import sdl

    text = sdl()
    assert "RATE_LIMITED: the token's cost budget" in text
    assert "STORE_UNAVAILABLE:" in text


CHANGED = "subscription { changed { version kind key } }"
"""Costs 4, charged once when it starts."""


async def test_a_subscription_is_charged_when_it_starts(tmp_path: Path) -> None:
    # given a budget of 10 points a minute
    async with live_server(tmp_path, token_budget=10) as live:
        viewer = await live.token()
        async with live.socket() as ws:
            await ws.init({"Authorization": f"Bearer {viewer.secret}"})
            # when the token starts three subscriptions of 4 points
            await ws.subscribe("1", CHANGED)
            await ws.subscribe("2", CHANGED)
            await ws.subscribe("3", CHANGED)
            # then the third is refused, its budget spent by the first two
            refused = await ws.receive()
        assert refused["id"] == "3", refused
        errors = refused["payload"] if refused["type"] == "error" else refused["payload"]["errors"]
        assert [error["extensions"]["code"] for error in errors] == ["RATE_LIMITED"]
        # and the token's requests over HTTP see what the two left
        body = await live.graphql("{ __typename }", viewer.secret)
        assert body["extensions"]["cost"] == {"requested": 1, "remaining": 1}


async def test_refusals_are_counted_in_the_metrics_by_code(serve: ServeFactory) -> None:
    # given a budget of 7 points a minute (two requests of 3)
    served: Served = await serve(token_budget=7)
    spender, _ = await _seeded(served)
    before = metric_value((await served.client.get("/metrics")).text, RATE_LIMITED_ERRORS)

    # when the token asks four times, the last two refused
    statuses = [(await served.graphql(PERSON, token=spender)).status_code for _ in range(4)]

    # then /metrics counts the two refusals under their code
    assert statuses == [200, 200, 429, 429]
    after = metric_value((await served.client.get("/metrics")).text, RATE_LIMITED_ERRORS)
    assert after - before == 2

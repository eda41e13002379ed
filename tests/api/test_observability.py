"""Operations over real HTTP: request ids, metrics, readiness, and logs that hold no tokens."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from graphsvc.api.observability.log import JsonFormatter, redact
from graphsvc.domain.auth import Role
from tests.api.conftest import Served, metric_value
from tests.factories import kaito_document

pytestmark = pytest.mark.security


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    """Everything logged during the test, as the JSON lines a server would write."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


async def test_a_request_id_is_echoed_or_assigned(served: Served) -> None:
    given = await served.client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert given.headers["x-request-id"] == "abc-123"
    assigned = await served.client.get("/healthz")
    assert len(assigned.headers["x-request-id"]) == 32
    hostile = "a b\n{}" * 50  # spaces, braces, too long: never copied into logs
    replaced = await served.client.get(
        "/healthz", headers={"X-Request-ID": hostile.replace("\n", "")}
    )
    assert len(replaced.headers["x-request-id"]) == 32


async def test_logs_are_json_with_the_request_id_and_never_the_token(
    served: Served, json_log: io.StringIO
) -> None:
    # given a token, sent in a header and (as GraphiQL links do) in the query string
    token = await served.token("default", Role.VIEWER)
    await served.graphql("{ __typename }", token=token, headers={"X-Request-ID": "req-42"})
    await served.client.get(
        "/graphql", params={"headers": f'{{"Authorization": "Bearer {token}"}}'},
        headers={"Accept": "text/html"},
    )  # fmt: skip
    await served.graphql("{ __typename }", token=token[:-1] + "x")
    # then every line is JSON, the request is logged with its id, and no token appears
    lines = [json.loads(line) for line in json_log.getvalue().splitlines()]
    access = [entry for entry in lines if entry.get("logger") == "graphsvc.http"]
    assert any(e["request_id"] == "req-42" and e["status"] == 200 for e in access)
    assert all("?" not in e["path"] for e in access)
    assert token not in json_log.getvalue()
    assert token[:-1] not in json_log.getvalue()


def test_redaction_scrubs_tokens_and_bearer_credentials_anywhere() -> None:
    secret = "gsv_" + "Ab1_-" * 8 + "xyz"
    text = f'failed for Authorization: Bearer {secret}; headers={{"authorization": "bearer abc"}}'
    scrubbed = redact(text)
    assert secret not in scrubbed
    assert "abc" not in scrubbed
    assert "Bearer [REDACTED]" in scrubbed


async def test_metrics_count_operations_by_name_and_projection_builds(served: Served) -> None:
    # given the Kaito group and a viewer
    await served.seed("default", kaito_document())
    token = await served.token("default", Role.VIEWER)
    before = (await served.client.get("/metrics")).text
    # when a named analytic operation runs (building the workspace's projection)
    response = await served.graphql(
        'query PowerOfKaito { powerMap(organizationId: "kaito") { influence } }', token=token
    )
    assert "errors" not in response.json()
    # then the metrics show it
    metrics = await served.client.get("/metrics")
    assert metrics.status_code == 200
    assert metrics.headers["content-type"].startswith("text/plain")
    text = metrics.text
    assert (
        'graphsvc_graphql_operations_total{operation="PowerOfKaito",outcome="ok",type="query"}'
        in text
    )
    assert 'graphsvc_graphql_operation_seconds_count{operation="PowerOfKaito",type="query"}' in text
    assert metric_value(text, "graphsvc_projection_builds_total") > metric_value(
        before, "graphsvc_projection_builds_total"
    )


async def test_readiness_pings_the_store(served: Served) -> None:
    ready = await served.client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["status"] == "ready"
    # when the store is closed under the app, it is no longer ready (and says why)
    await served.counting.inner.close()
    unready = await served.client.get("/readyz")
    assert unready.status_code == 503
    assert unready.json()["status"] == "unavailable"
    assert (await served.client.get("/healthz")).status_code == 200

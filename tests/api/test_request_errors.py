"""Requests that GraphQL cannot even read (no body, not JSON, no query) are answered like every
other refusal: a JSON ``{"errors": [{"message", "extensions": {"code"}}]}`` envelope, with the
status the GraphQL-over-HTTP spec asks for (400), never a ``text/plain`` line."""

from __future__ import annotations

import pytest

from tests.api.conftest import Served

NEW = "application/graphql-response+json"


@pytest.mark.parametrize(
    ("body", "content_type", "says"),
    [
        (b"", "application/json", "empty"),
        (b"{nope", "application/json", "not JSON"),
        (b"[1, 2]", "application/json", "batch"),
        (b'{"variables": {}}', "application/json", "no query"),
        (b"hello", "text/plain", "content type"),
    ],
)
@pytest.mark.parametrize("accept", ["application/json", NEW])
async def test_an_unreadable_request_gets_a_json_error_envelope_with_a_code(
    served: Served, body: bytes, content_type: str, says: str, accept: str
) -> None:
    token = await served.token("default")
    response = await served.client.post(
        "/graphql",
        content=body,
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": content_type,
            "Accept": accept,
        },
    )
    assert response.status_code in (400, 415)
    assert response.headers["content-type"].startswith(accept)
    errors = response.json()["errors"]
    assert len(errors) == 1
    assert errors[0]["extensions"]["code"] == "INVALID"
    assert says in errors[0]["message"]
    assert "data" not in response.json()

"""``graphsvc serve`` and front-end tools: a CORS setting it cannot honour safely is refused in
one line (exit 2); a served process grants a listed origin, gzips and answers 304 through
uvicorn."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest

from graphsvc.domain.auth import Role
from tests.processes import cli, free_port, issue_token, serving

pytestmark = pytest.mark.security


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("*", "GRAPHSVC_CORS_ORIGINS may not contain a wildcard ('*')"),
        ("https://crm.example.com/panel", "'https://crm.example.com/panel' is not an origin"),
    ],
    ids=["wildcard", "path"],
)
def test_serve_refuses_a_cors_origin_it_cannot_honour(
    tmp_path: Path, value: str, said: str
) -> None:
    completed = cli(
        tmp_path / "graph.db", "serve", "--port", str(free_port()), GRAPHSVC_CORS_ORIGINS=value
    )
    message = completed.stderr.decode()
    assert completed.returncode == 2, message
    assert said in message
    assert "Traceback" not in message
    assert len(message.strip().splitlines()) == 1


def test_the_cors_origins_option_is_checked_like_the_variable(tmp_path: Path) -> None:
    # CONTRACT §2: each setting has an option of the same name
    completed = cli(
        tmp_path / "graph.db", "serve", "--port", str(free_port()), "--cors-origins", "*"
    )
    message = completed.stderr.decode()
    assert completed.returncode == 2, message
    assert "may not contain a wildcard ('*')" in message
    assert len(message.strip().splitlines()) == 1


@pytest.mark.slow
def test_a_served_process_grants_gzips_and_revalidates_for_a_listed_origin(
    tmp_path: Path,
) -> None:
    # given a server allowing one origin, and a viewer token
    db = tmp_path / "graph.db"
    token = asyncio.run(issue_token(db, Role.VIEWER))
    origin = "http://localhost:3000"
    with serving(db, tmp_path, env={"GRAPHSVC_CORS_ORIGINS": origin}) as server:
        # when the page's browser asks first, then sends a large read over GET, then again
        preflight = httpx.options(
            server.graphql_url,
            headers={
                "Origin": origin,
                "Access-Control-Request-Method": "GET",
                "Access-Control-Request-Headers": "authorization",
            },
        )
        headers = {"Origin": origin, "Authorization": f"Bearer {token}"}
        params = {"query": "{ __schema { types { name description } } }"}
        first = httpx.get(
            server.graphql_url, params=params, headers={**headers, "Accept-Encoding": "gzip"}
        )
        again = httpx.get(
            server.graphql_url,
            params=params,
            headers={**headers, "If-None-Match": first.headers["etag"]},
        )
        # then: granted, compressed and tagged, then not modified, each readable by the page
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == origin
        assert first.status_code == 200
        assert first.headers["content-encoding"] == "gzip"
        assert first.json()["data"]["__schema"]["types"]
        assert first.headers["access-control-allow-origin"] == origin
        assert again.status_code == 304
        assert again.content == b""
        assert again.headers["access-control-allow-origin"] == origin
        assert token not in server.log()

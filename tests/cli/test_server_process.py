"""The real server process: JSON logs without tokens, graceful shutdown, safe refusals."""

from __future__ import annotations

import asyncio
import json
import signal
from pathlib import Path

import httpx
import pytest

from graphsvc.domain.auth import Role
from tests.api.answers import without_cost
from tests.processes import cli, issue_token, serving

pytestmark = [pytest.mark.slow, pytest.mark.reliability]


def test_the_server_logs_json_lines_without_tokens_and_stops_cleanly_on_sigterm(
    tmp_path: Path,
) -> None:
    # given a running server and a viewer token
    db = tmp_path / "graph.db"
    token = asyncio.run(issue_token(db, Role.VIEWER))
    with serving(db, tmp_path) as server:
        # when it serves a request, a refused request and a GraphiQL link carrying the token
        headers = {"Authorization": f"Bearer {token}", "X-Request-ID": "trace-me"}
        ok = httpx.post(server.graphql_url, json={"query": "{ __typename }"}, headers=headers)
        assert without_cost(ok.json()) == {"data": {"__typename": "Query"}}
        refused = httpx.post(server.graphql_url, json={"query": "{ __typename }"})
        assert refused.status_code == 401
        link = f'{{"Authorization": "Bearer {token}"}}'
        page = httpx.get(
            server.graphql_url, params={"headers": link}, headers={"Accept": "text/html"}
        )
        assert page.status_code == 200
        # and is asked to stop
        server.process.send_signal(signal.SIGTERM)
        # uvicorn re-raises SIGTERM after its graceful shutdown, so -SIGTERM is a clean exit
        assert server.process.wait(timeout=15) in (0, -signal.SIGTERM)
    # then its log is JSON lines, names the request, and holds no token
    log = server.log()
    entries = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    assert any(e.get("request_id") == "trace-me" and e.get("status") == 200 for e in entries)
    assert any(e.get("status") == 401 for e in entries)
    assert any(e.get("message") == "Application shutdown complete." for e in entries)
    assert token not in log
    assert "Traceback" not in log


def test_serve_refuses_to_run_without_auth_on_a_network_address(tmp_path: Path) -> None:
    completed = cli(
        tmp_path / "graph.db", "serve", "--host", "0.0.0.0", "--port", "1", GRAPHSVC_AUTH="off"
    )
    assert completed.returncode == 2
    message = completed.stderr.decode()
    assert "GRAPHSVC_AUTH=off is only allowed when binding a loopback address" in message
    assert "Traceback" not in message
    assert len(message.strip().splitlines()) == 1

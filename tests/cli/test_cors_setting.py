"""``graphsvc serve`` refuses a CORS setting it cannot honour safely, in one line (exit 2)."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from tests.processes import cli

pytestmark = pytest.mark.security


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


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
        tmp_path / "graph.db", "serve", "--port", str(_free_port()), GRAPHSVC_CORS_ORIGINS=value
    )
    message = completed.stderr.decode()
    assert completed.returncode == 2, message
    assert said in message
    assert "Traceback" not in message
    assert len(message.strip().splitlines()) == 1

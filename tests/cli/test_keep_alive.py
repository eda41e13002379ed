"""Idle keep-alive connections outlive the clients' own idle expiry.

httpx (and Node's agent) drop an idle pooled connection after 5 s; uvicorn's default closed
it after 5 s too, so a client reusing a connection at that moment lost its request
(``bench/load.py`` saw ``ReadError`` under 50 clients). The server now keeps idle
connections for ``KEEP_ALIVE_SECONDS``: a request sent on a connection idle for longer than
5 s is answered, by one process and by workers alike.
"""

from __future__ import annotations

import socket
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from graphsvc.cli.workers import KEEP_ALIVE_SECONDS
from tests.processes import serving

IDLE_SECONDS = 6.0
"""Longer than uvicorn's default keep-alive (5 s), well under ours."""

pytestmark = pytest.mark.slow


def _ask_healthz(connection: socket.socket, host: str) -> bytes:
    """Send one keep-alive GET /healthz and read its whole answer (it has a Content-Length)."""
    connection.sendall(f"GET /healthz HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
    received = b""
    while b"\r\n\r\n" not in received:
        chunk = connection.recv(4096)
        if not chunk:
            return received  # the server closed the connection
        received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":", 1)[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    while len(body) < length:
        body += connection.recv(4096)
    return head


@pytest.mark.parametrize("args", [(), ("--workers", "2")], ids=["one-process", "two-workers"])
def test_a_connection_idle_longer_than_five_seconds_is_still_served(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    assert KEEP_ALIVE_SECONDS > IDLE_SECONDS
    with serving(tmp_path / "graph.db", tmp_path, args=args) as server:
        where = urlsplit(server.url)
        assert where.hostname is not None
        assert where.port is not None
        with socket.create_connection((where.hostname, where.port), timeout=10) as connection:
            assert _ask_healthz(connection, where.netloc).startswith(b"HTTP/1.1 200")
            # when the connection stays idle longer than uvicorn's default keep-alive
            time.sleep(IDLE_SECONDS)
            # then the next request on it is answered, not dropped
            assert _ask_healthz(connection, where.netloc).startswith(b"HTTP/1.1 200")

"""Real processes for end-to-end tests: the server under uvicorn, and CLI commands.

Servers bind a free loopback port and are started through the real command line
(``python -m graphsvc serve``), so the tests see exactly what a user runs.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from graphsvc.config import Settings
from graphsvc.domain.auth import Role
from graphsvc.services.tokens import TokenService
from graphsvc.store import create_store
from graphsvc.store.sqlite import SqliteStore

__all__ = [
    "Server",
    "cli",
    "cli_env",
    "free_port",
    "issue_token",
    "migrate",
    "neo4j_env",
    "serving",
    "settings_from_env",
]

STARTUP_SECONDS = 90.0
"""Generous: each worker of ``serve --workers N`` imports the whole app in a fresh
interpreter, and on this shared 2-core box that took 30 s at a load average of 20."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def cli_env(db: Path, **extra: str) -> dict[str, str]:
    """The environment of a CLI process using the SQLite file ``db``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRAPHSVC_")}
    env.update({"GRAPHSVC_STORE": f"sqlite:///{db}", "PYTHONUNBUFFERED": "1", **extra})
    return env


def neo4j_env() -> dict[str, str]:
    """``GRAPHSVC_*`` variables pointing a CLI process at the test Neo4j (skips without one)."""
    from tests.conftest import neo4j_settings

    settings = neo4j_settings()
    return {
        "GRAPHSVC_STORE": settings["store"],
        "GRAPHSVC_NEO4J_USER": settings["neo4j_user"],
        "GRAPHSVC_NEO4J_PASSWORD": settings["neo4j_password"],
        "GRAPHSVC_NEO4J_DATABASE": settings["neo4j_database"],
    }


def settings_from_env(env: Mapping[str, str]) -> Settings:
    """The ``Settings`` a CLI process gets from these ``GRAPHSVC_*`` variables."""
    return Settings(**{k.removeprefix("GRAPHSVC_").lower(): v for k, v in env.items()})


def migrate(settings: Settings) -> None:
    """Create the store's schema, as ``graphsvc migrate`` does (Neo4j refuses to open without)."""

    async def run() -> None:
        store = create_store(settings)
        try:
            await store.migrate()
        finally:
            await store.close()

    asyncio.run(run())


async def issue_token(db: Path, role: Role) -> str:
    """A fresh secret for the ``default`` workspace of the SQLite file ``db``, issued in the
    store itself, as ``graphsvc token create`` does."""
    store = SqliteStore(str(db))
    await store.open()
    try:
        return (await TokenService(store).create("default", role)).secret
    finally:
        await store.close()


async def load_kaito(db: Path, role: Role = Role.EDITOR) -> str:
    """Load the Kaito group into the SQLite file ``db``; a token of ``role`` for its
    ``default`` workspace."""
    from graphsvc.services.graph import GraphService
    from tests.factories import kaito_document

    store = SqliteStore(str(db))
    await store.open()
    try:
        await GraphService(store).import_document("default", kaito_document())
    finally:
        await store.close()
    return await issue_token(db, role)


def cli(
    db: Path, *args: str, stdin: bytes | None = None, timeout: float = 60, **env: str
) -> subprocess.CompletedProcess[bytes]:
    """Run ``python -m graphsvc ARGS`` on ``db`` to completion."""
    return subprocess.run(
        [sys.executable, "-m", "graphsvc", *args],
        input=stdin,
        capture_output=True,
        env=cli_env(db, **env),
        timeout=timeout,
        check=False,
    )


@dataclass
class Server:
    """A running ``graphsvc serve`` process."""

    process: subprocess.Popen[bytes]
    url: str
    stderr_path: Path

    @property
    def graphql_url(self) -> str:
        return self.url + "/graphql"

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, as in a crash or an OOM kill."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def log(self) -> str:
        return self.stderr_path.read_text(errors="replace")


def _wait_until_up(server: Server) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"server exited with {server.process.returncode}:\n{server.log()}")
        try:
            if httpx.get(server.url + "/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"server did not come up in {STARTUP_SECONDS} s:\n{server.log()}")


@contextmanager
def serving(
    db: Path,
    workdir: Path,
    command: str = "serve",
    env: Mapping[str, str] | None = None,
    args: Sequence[str] = (),
) -> Iterator[Server]:
    """Start ``graphsvc COMMAND [ARGS]`` on a free loopback port; stop it (SIGTERM) afterwards."""
    port = free_port()
    stderr_path = workdir / f"server-{port}.log"
    where = ["--host", "127.0.0.1", "--port", str(port)]
    with stderr_path.open("wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "graphsvc", command, *where, *args],
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            env=cli_env(db, **dict(env or {})),
        )
    server = Server(process=process, url=f"http://127.0.0.1:{port}", stderr_path=stderr_path)
    try:
        _wait_until_up(server)
        yield server
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)

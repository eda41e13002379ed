"""The servers benchmarks run: ``graphsvc demo`` on a fresh store, and a bench's bare baseline.

Each benchmark used to start, wait for and stop these with its own copy of the same lines;
here once. Both are real processes on free loopback ports, stopped (SIGTERM, then SIGKILL)
when the ``with`` block ends, whatever happened in it.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

START_SECONDS = 120.0
"""How long a server may take to answer after it is spawned (the demo loads ~2,000 people
and builds its projection first; a loaded box is slow)."""


def free_port() -> int:
    """A loopback port nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_until_answering(url: str, process: subprocess.Popen[Any], *, ready: bool = False) -> None:
    """Poll ``url`` until it answers below 500 (``ready``: exactly 200, as ``/readyz`` does
    once the start-up projection build is done); fail if ``process`` exits first."""
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited with {process.returncode} before {url} answered")
        try:
            status = httpx.get(url, timeout=1).status_code
            if status == 200 or (status < 500 and not ready):
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"{url} did not answer in {START_SECONDS:.0f} s")


@contextmanager
def stopped_at_exit(process: subprocess.Popen[Any]) -> Iterator[subprocess.Popen[Any]]:
    """``process``, sent SIGTERM when the block ends (SIGKILL if it lingers)."""
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=15)


@dataclass(frozen=True)
class Demo:
    """A running ``graphsvc demo``: where it listens, its editor token, its process id."""

    port: int
    token: str
    pid: int
    workdir: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def graphql(self) -> str:
        return f"{self.base}/graphql"

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


BENCH_BUDGET = {"GRAPHSVC_TOKEN_BUDGET": str(10**12)}
"""A token budget no bench run can spend: budgets stay on (every request is charged, so its
cost is measured) but never refuse, as the bench's one token stands for many users."""


CHECKOUT = Path(__file__).resolve().parents[1]
"""The checkout this bench belongs to: its graphsvc is the one served unless told otherwise."""


@contextmanager
def demo_server(
    env: Mapping[str, str] | None = None, *, code: Path | None = None
) -> Iterator[Demo]:
    """``graphsvc demo`` on a temporary SQLite store and a free loopback port, ready (its
    ``/readyz`` answered 200) when yielded, with the settings a user gets (INFO request logs
    included, as every request pays for them; the budget ``BENCH_BUDGET``) unless ``env``
    says otherwise. Its log is kept
    in ``workdir/server.log`` while it runs.

    ``code``: the folder whose ``graphsvc`` is served (default: this bench's checkout), e.g.
    a baseline commit exported with ``git archive``. The server runs in ``workdir``, not the
    caller's folder: ``python -m`` puts the working folder first on the path, so it would
    serve the caller's checkout whatever ``PYTHONPATH`` said."""
    with tempfile.TemporaryDirectory(prefix="graphsvc-bench-") as tmp:
        workdir = Path(tmp)
        port = free_port()
        path = os.pathsep.join(
            p for p in (str(code or CHECKOUT), os.environ.get("PYTHONPATH", "")) if p
        )
        served_env = {
            **os.environ,
            "PYTHONPATH": path,
            "GRAPHSVC_STORE": f"sqlite:///{workdir / 'demo.db'}",
            **BENCH_BUDGET,
            **(env or {}),
        }
        command = [sys.executable, "-m", "graphsvc", "demo", "--host", "127.0.0.1"]
        with (
            (workdir / "server.log").open("wb") as log,
            stopped_at_exit(
                subprocess.Popen(
                    [*command, "--port", str(port)],
                    stdout=subprocess.PIPE,
                    stderr=log,
                    env=served_env,
                    cwd=workdir,
                )
            ) as process,
        ):
            assert process.stdout is not None
            token = process.stdout.readline().decode().strip()  # the demo prints it on stdout
            if not token.startswith("gsv_"):
                raise SystemExit(f"demo did not print a token; see {workdir / 'server.log'}")
            wait_until_answering(f"http://127.0.0.1:{port}/readyz", process, ready=True)
            yield Demo(port=port, token=token, pid=process.pid, workdir=workdir)


@dataclass(frozen=True)
class Bare:
    """A running bare baseline: where it listens and its process id."""

    port: int
    pid: int

    @property
    def graphql(self) -> str:
        return f"http://127.0.0.1:{self.port}/graphql"


@contextmanager
def bare_server(module: str, data: Path) -> Iterator[Bare]:
    """A bench's bare baseline, ``python -m MODULE --serve-bare PORT DATA`` (which calls
    ``run_bare``), answering on a free port when yielded."""
    port = free_port()
    command = [sys.executable, "-m", module, "--serve-bare", str(port), str(data)]
    with stopped_at_exit(subprocess.Popen(command)) as process:
        wait_until_answering(f"http://127.0.0.1:{port}/healthz", process)
        yield Bare(port=port, pid=process.pid)


def run_bare(query: type, port: int) -> None:
    """Serve the root ``query`` type as every bare baseline is served: a Strawberry schema
    with ParserCache and ValidationCache only, its router at ``/graphql`` on FastAPI, a
    ``/healthz``, one uvicorn process without access logs. No store, auth, limits or logs."""
    import strawberry
    import uvicorn
    from fastapi import FastAPI
    from strawberry.extensions import ParserCache, ValidationCache
    from strawberry.fastapi import GraphQLRouter

    schema = strawberry.Schema(query, extensions=[ParserCache, ValidationCache])
    app = FastAPI()
    app.include_router(GraphQLRouter(schema), prefix="/graphql")
    app.get("/healthz")(lambda: {"status": "ok"})
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)

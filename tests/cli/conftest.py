"""Running the real ``graphsvc`` command in a subprocess, against a SQLite file in tmp_path.

Every test gets a ``cli`` whose environment has no ``GRAPHSVC_*`` variable of the caller
except ``GRAPHSVC_STORE`` pointing at a fresh file, so tests neither see nor touch any real
store.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parents[2]


@dataclass
class Cli:
    """``python -m graphsvc`` with a private store; ``run`` waits, ``start`` does not."""

    cwd: Path
    env: dict[str, str]

    @property
    def store_url(self) -> str:
        return self.env["GRAPHSVC_STORE"]

    def run(
        self, *args: str, input: bytes | None = None, timeout: float = 120
    ) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [sys.executable, "-m", "graphsvc", *args],
            cwd=self.cwd,
            env=self.env,
            input=input,
            capture_output=True,
            timeout=timeout,
            check=False,
        )

    def ok(self, *args: str, input: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
        """Run and require success, showing stderr when it fails."""
        done = self.run(*args, input=input)
        assert done.returncode == 0, done.stderr.decode()
        assert b"Traceback" not in done.stderr
        return done

    def start(self, *args: str, stdin: int | None = None) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [sys.executable, "-m", "graphsvc", *args],
            cwd=self.cwd,
            env=self.env,
            stdin=stdin,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRAPHSVC_")}
    env["GRAPHSVC_STORE"] = f"sqlite:///{tmp_path / 'graph.db'}"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return Cli(tmp_path, env)


def wait_healthy(process: subprocess.Popen[bytes], port: int, within: float) -> None:
    """Poll /healthz until it answers 200; fail with the server's stderr if it dies or stalls."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if process.poll() is not None:
            stderr = process.stderr.read().decode() if process.stderr else ""
            pytest.fail(f"server exited with {process.returncode}: {stderr}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    process.kill()
    pytest.fail(f"server did not answer /healthz within {within} s")


@pytest.fixture
def stop() -> Iterator[list[subprocess.Popen[bytes]]]:
    """Processes to kill if a test leaves them running (a failed assertion mid-test)."""
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)

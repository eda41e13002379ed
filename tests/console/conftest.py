"""One ``graphsvc demo`` for every browser test of the console, and the runner of its scripts.

The demo (about 2,000 people) takes a while to seed, so the session starts it once; each
test file drives its pages with its own script in ``console/e2e/`` (one Chromium launch per
script) and compares what the page showed with what the API returns. Tests that edit the
data read the API after their edits, so the order of the files does not matter.

Without chromium, node or the console's node_modules the tests skip, unless ``CI=true``.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from graphsvc.demo import DEMO_HOLDING
from tests.cli.conftest import REPO, Cli, wait_healthy
from tests.console_tools import CHROMIUM, CONSOLE, require_node
from tests.processes import free_port

ARTIFACTS = REPO / "test-artifacts" / "console"
"""Screenshots of every page, one folder per script."""


@dataclass
class ConsoleDemo:
    """The demo served on ``base`` with the token it printed; ``stderr`` fills as it runs."""

    process: subprocess.Popen[bytes]
    port: int
    token: str
    org_id: str = DEMO_HOLDING
    stderr: list[str] = field(default_factory=list)
    cli: Cli | None = None

    def new_token(self, role: str) -> str:
        """A new token of ``role`` on the demo's workspace, made as an administrator would
        (``graphsvc token create`` on the same store)."""
        assert self.cli is not None
        made = self.cli.ok("token", "create", "--workspace", "default", "--role", role)
        return made.stdout.decode().strip()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def graphql(self, query: str, **variables: Any) -> dict[str, Any]:
        """The API's answer to ``query`` (as the demo's token); fails on any error."""
        response = httpx.post(
            f"{self.base}/graphql",
            json={"query": query, "variables": variables},
            headers={"Authorization": f"Bearer {self.token}"},
            timeout=60,
        )
        body = response.json()
        assert "errors" not in body, body
        data: dict[str, Any] = body["data"]
        return data

    def browse(self, script: str, within: float = 120, **env: str) -> dict[str, Any]:
        """Run ``console/e2e/<script>`` in headless Chromium and return what it saw.

        Checks what every page must do: no request left the server, the CSP was never
        violated, axe found nothing serious or critical, no script error, and every
        screenshot was written. ``seen["seconds"]`` is the script's own time.
        """
        node = require_node(browser=True)
        artifacts = ARTIFACTS / Path(script).stem
        run = subprocess.run(
            [node, f"e2e/{script}"],
            cwd=CONSOLE,
            env={
                **os.environ,
                "BASE_URL": self.base,
                "TOKEN": self.token,
                "ORG_ID": self.org_id,
                "CHROMIUM": CHROMIUM,
                "ARTIFACTS": str(artifacts),
                **env,
            },
            capture_output=True,
            timeout=within,
            check=False,
        )
        assert run.returncode == 0, run.stderr.decode()
        seen: dict[str, Any] = json.loads(run.stdout)
        assert seen["requests"], "the script recorded no requests"
        assert [u for u in seen["requests"] if not u.startswith(self.base + "/")] == []
        assert seen["cspViolations"] == []
        assert seen["pageErrors"] == []
        serious = {
            page: [v for v in violations if v["impact"] in ("serious", "critical")]
            for page, violations in seen["axe"].items()
        }
        assert serious == {page: [] for page in seen["axe"]}, serious
        for path in seen["screenshots"]:
            assert os.path.getsize(path) > 0, path
        return seen


def _drain(stream: Any, into: list[str]) -> None:
    # The server's stderr is read all along: a full pipe would block it mid-request.
    for line in iter(stream.readline, b""):
        into.append(line.decode(errors="replace"))


@pytest.fixture(scope="session")
def console(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ConsoleDemo]:
    require_node(browser=True)
    home = tmp_path_factory.mktemp("console-demo")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRAPHSVC_")}
    env["GRAPHSVC_STORE"] = f"sqlite:///{home / 'graph.db'}"
    # One demo token drives every page of the session at machine speed, many users' worth of
    # analytic queries a minute: a budget it cannot spend (budgets: tests/api, tests/cli).
    env["GRAPHSVC_TOKEN_BUDGET"] = str(10**9)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    port = free_port()
    cli = Cli(home, env)
    process = cli.start("demo", "--port", str(port))
    try:
        assert process.stdout is not None
        assert process.stderr is not None
        stderr: list[str] = []
        threading.Thread(target=_drain, args=(process.stderr, stderr), daemon=True).start()
        wait_healthy(process, port, within=180)
        token = process.stdout.readline().decode().strip()
        demo = ConsoleDemo(process, port, token, stderr=stderr, cli=cli)
        yield demo
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=20) == 0, "".join(stderr)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)


def wait_for(condition: Any, within: float = 10) -> None:
    """Poll ``condition()`` until it is true (for output a thread is still reading)."""
    deadline = time.monotonic() + within
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.05)

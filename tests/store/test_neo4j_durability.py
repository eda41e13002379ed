"""Durability on Neo4j, with real processes killed by SIGKILL half-way through an import.

- ``graphsvc import`` into the test Neo4j is killed while its write transaction runs: the
  server rolls the transaction back, so the workspace's version and export are unchanged,
  and the same import then runs to the end.
- The Neo4j server itself (the launcher, data kept in ``NEO4J_DATA``) is killed while an
  import writes: after a restart on the same data the store opens, nothing of the import is
  there, the import fails with one line (no traceback), and rerunning it succeeds.

"Half-way" is observed, not timed: the test waits until ``SHOW TRANSACTIONS`` lists the
import's ``UNWIND`` batch as running.
"""

from __future__ import annotations

import io
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import neo4j
import pytest

from graphsvc.cli.run import with_services
from graphsvc.config import Settings
from graphsvc.domain.history import ChangeQuery
from graphsvc.generator import write_generated
from graphsvc.services.container import Services
from graphsvc.services.export import export_document
from graphsvc.services.parsing import parse_document
from tests.conftest import drop_workspaces
from tests.neo4j.server import PASSWORD, launch
from tests.processes import cli_env, migrate, neo4j_env, settings_from_env

pytestmark = [pytest.mark.slow, pytest.mark.neo4j, pytest.mark.reliability]

BIG_PEOPLE = 3000
WRITING = (
    "SHOW TRANSACTIONS YIELD currentQuery, status "
    "WHERE currentQuery CONTAINS 'UNWIND $rows' RETURN count(*) AS running"
)


def _generated(people: int, seed: int) -> bytes:
    out = io.BytesIO()
    write_generated(out, people=people, seed=seed)
    return out.getvalue()


def _import(settings: Settings, workspace: str, raw: bytes) -> None:
    migrate(settings)
    with_services(
        settings, lambda opened: opened.graph.import_document(workspace, parse_document(raw))
    )


def _snapshot(settings: Settings, workspace: str) -> tuple[int, dict[str, Any], int]:
    """The workspace's version, whole export and change count, from a freshly opened store."""

    async def read(opened: Services) -> tuple[int, dict[str, Any], int]:
        store = opened.store
        changes = await store.changes(workspace, ChangeQuery())
        return await store.version(workspace), await export_document(store, workspace), len(changes)

    return with_services(settings, read)


def _start_import(env: dict[str, str], workspace: str, document: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "graphsvc", "import", str(document), "--workspace", workspace],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=cli_env(Path("unused.db"), **env),
    )


def _wait_until_writing(env: dict[str, str], process: subprocess.Popen[bytes]) -> None:
    """Return once the import's write transaction is running on the server."""
    auth = (env["GRAPHSVC_NEO4J_USER"], env["GRAPHSVC_NEO4J_PASSWORD"])
    deadline = time.monotonic() + 120
    with neo4j.GraphDatabase.driver(env["GRAPHSVC_STORE"], auth=auth) as driver:
        while True:
            assert process.poll() is None, "the import ended before it could be killed"
            assert time.monotonic() < deadline, "the import never started writing"
            records, _, _ = driver.execute_query(WRITING, database_="neo4j")
            if records[0]["running"] > 0:
                return
            time.sleep(0.02)


@pytest.fixture
def big_document(tmp_path: Path) -> Path:
    path = tmp_path / "big.json"
    path.write_bytes(_generated(BIG_PEOPLE, seed=2))
    return path


def test_an_import_killed_half_way_leaves_neo4j_exactly_as_before(big_document: Path) -> None:
    # given a workspace in the test Neo4j holding a small group
    env = neo4j_env()
    settings = settings_from_env(env)
    workspace = f"killed-import-{uuid.uuid4().hex[:8]}"
    try:
        _import(settings, workspace, _generated(60, seed=1))
        before = _snapshot(settings, workspace)
        assert before[0] > 0

        # when `graphsvc import` is killed while its transaction writes
        process = _start_import(env, workspace, big_document)
        _wait_until_writing(env, process)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        assert process.returncode == -signal.SIGKILL

        # then version and export are exactly as before, and the import can run again
        assert _snapshot(settings, workspace) == before
        rerun = _start_import(env, workspace, big_document)
        _, stderr = rerun.communicate(timeout=300)
        assert rerun.returncode == 0, stderr.decode()
        assert _snapshot(settings, workspace)[0] == before[0] + 1
    finally:
        with_services(settings, lambda opened: drop_workspaces(opened.store, [workspace]))


@pytest.fixture
def own_neo4j(tmp_path: Path) -> Iterator[tuple[Path, list[Any]]]:
    """A folder for a Neo4j of this test's own, and the launchers started on it (stopped after)."""
    launched: list[Any] = []
    yield tmp_path / "neo4j-data", launched
    for server in launched:
        server.stop()


def test_neo4j_killed_during_an_import_restarts_with_nothing_partial(
    big_document: Path, own_neo4j: tuple[Path, list[Any]]
) -> None:
    data, launched = own_neo4j
    with tempfile.TemporaryFile() as log:
        # given a Neo4j of our own whose data is kept, holding a small group
        first = launch(log, data=data, timeout=120)
        launched.append(first)
        port = first.address.rsplit(":", 1)[1]
        env = {
            "GRAPHSVC_STORE": first.address,
            "GRAPHSVC_NEO4J_USER": "neo4j",
            "GRAPHSVC_NEO4J_PASSWORD": PASSWORD,
        }
        settings = settings_from_env(env)
        _import(settings, "default", _generated(60, seed=1))
        before = _snapshot(settings, "default")

        # when the server is killed while an import writes
        process = _start_import(env, "default", big_document)
        _wait_until_writing(env, process)
        first.kill()
        _, stderr = process.communicate(timeout=120)

        # then the import fails with one line naming the store, no traceback
        assert process.returncode == 1, stderr.decode()
        message = stderr.decode()
        assert "Traceback" not in message
        assert "Neo4j at bolt://127.0.0.1" in message

        # and after a restart on the same data nothing partial is there
        second = launch(log, port=int(port), data=data, timeout=120)
        launched.append(second)
        assert _snapshot(settings, "default") == before

        # and the import runs to the end
        rerun = _start_import(env, "default", big_document)
        _, stderr = rerun.communicate(timeout=300)
        assert rerun.returncode == 0, stderr.decode()
        after = _snapshot(settings, "default")
        assert after[0] == before[0] + 1
        assert after[2] > before[2]  # the import's changes are logged

        # and what was acknowledged, the change log included, survives a kill -9 of Neo4j
        second.kill()
        third = launch(log, port=int(port), data=data, timeout=120)
        launched.append(third)
        assert _snapshot(settings, "default") == after

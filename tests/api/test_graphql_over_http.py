"""GraphQL-over-HTTP conformance: graphql-http's ``auditServer`` against the live server.

The real server runs under uvicorn (``graphsvc serve``) with authentication on, once on a
SQLite file and once on the test Neo4j (``--store bolt://…``); the audit sends a valid
viewer token with every request. Any MUST audit that fails fails this test;
SHOULD audits are listed in the failure message of their own test.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graphsvc.cli.run import with_services
from graphsvc.config import Settings
from graphsvc.domain.auth import Role
from graphsvc.services.container import Services
from tests.conftest import STORES, drop_workspaces
from tests.processes import migrate, neo4j_env, serving, settings_from_env

NODE_DIR = Path(__file__).resolve().parents[1] / "node"
SCRIPT = NODE_DIR / "audit-graphql-http.mjs"

pytestmark = pytest.mark.slow


def _issue_token(settings: Settings, workspace: str) -> str:
    async def issue(opened: Services) -> str:
        return (await opened.tokens.create(workspace, Role.VIEWER)).secret

    migrate(settings)
    return with_services(settings, issue)


@pytest.fixture(scope="module", params=STORES)
def audit(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[list[dict[str, Any]]]:
    """The audit results of one live server per store (the audit takes a few seconds)."""
    node = shutil.which("node")
    if node is None or not (NODE_DIR / "node_modules" / "graphql-http").is_dir():
        pytest.fail("node and tests/node/node_modules are needed: run 'make test' (npm ci)")
    workdir = tmp_path_factory.mktemp("conformance")
    db = workdir / "graph.db"
    env = neo4j_env() if request.param == "neo4j" else {"GRAPHSVC_STORE": f"sqlite:///{db}"}
    settings = settings_from_env(env)
    workspace = f"audit-{uuid.uuid4().hex[:12]}"
    token = _issue_token(settings, workspace)
    try:
        yield _audit(db, workdir, env, token, node)
    finally:
        with_services(settings, lambda opened: drop_workspaces(opened.store, [workspace]))


def _audit(
    db: Path, workdir: Path, env: dict[str, str], token: str, node: str
) -> list[dict[str, Any]]:
    with serving(db, workdir, env=env) as server:
        completed = subprocess.run(
            [node, str(SCRIPT), server.graphql_url],
            capture_output=True,
            env={"PATH": "/usr/bin:/bin", "GRAPHSVC_AUDIT_TOKEN": token},
            cwd=NODE_DIR,
            timeout=120,
            check=False,
        )
        assert completed.returncode == 0, completed.stderr.decode()
        results: list[dict[str, Any]] = json.loads(completed.stdout)
        assert token not in server.log(), "the server log contains the token"
    return results


def _listing(results: list[dict[str, Any]]) -> str:
    return "\n".join(f"{r['id']} {r['name']}: {r.get('reason')}" for r in results)


def test_the_audit_ran_every_check(audit: list[dict[str, Any]]) -> None:
    assert len(audit) > 50
    assert sum(r["status"] == "ok" for r in audit) > 40


def test_every_must_audit_passes(audit: list[dict[str, Any]]) -> None:
    failed = [r for r in audit if r["status"] == "error"]
    assert failed == [], "MUST audits failed:\n" + _listing(failed)


def test_every_should_audit_passes(audit: list[dict[str, Any]]) -> None:
    warned = [r for r in audit if r["status"] == "warn"]
    assert warned == [], "SHOULD audits failed:\n" + _listing(warned)

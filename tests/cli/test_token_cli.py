"""``graphsvc token create|list|revoke`` as a user runs it: real subprocesses on a real file."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from graphsvc.errors import Unauthenticated
from graphsvc.services.tokens import TokenService, looks_like_token
from graphsvc.store.sqlite import SqliteStore
from tests.processes import cli

pytestmark = [pytest.mark.slow, pytest.mark.security]


async def _authenticate(db: Path, secret: str) -> str:
    store = SqliteStore(str(db))
    await store.open()
    try:
        token = await TokenService(store).authenticate(secret)
        return f"{token.workspace}/{token.role.value}"
    finally:
        await store.close()


def test_create_prints_only_the_secret_on_stdout_and_it_works(tmp_path: Path) -> None:
    db = tmp_path / "graph.db"
    created = cli(db, "token", "create", "--workspace", "acme", "--role", "editor", "--label", "ci")
    assert created.returncode == 0, created.stderr.decode()
    lines = created.stdout.decode().splitlines()
    assert len(lines) == 1
    assert looks_like_token(lines[-1])
    assert "not shown again" in created.stderr.decode()
    assert asyncio.run(_authenticate(db, lines[-1])) == "acme/editor"


def test_list_shows_tokens_without_secrets_and_revoke_disables_one(tmp_path: Path) -> None:
    # given a token
    db = tmp_path / "graph.db"
    secret = cli(db, "token", "create", "--workspace", "acme", "--role", "viewer").stdout.decode()
    secret = secret.strip()
    # when listed
    listed = cli(db, "token", "list", "--json")
    assert listed.returncode == 0, listed.stderr.decode()
    rows = json.loads(listed.stdout)
    assert [(r["workspace"], r["role"], r["revokedAt"]) for r in rows] == [("acme", "viewer", None)]
    assert secret not in listed.stdout.decode()
    # and revoked by id (with --store given before the sub-command, as for every command)
    revoked = cli(db, "--store", f"sqlite:///{db}", "token", "revoke", rows[0]["id"])
    assert revoked.returncode == 0, revoked.stderr.decode()
    # then it no longer authenticates, and the listing says so
    with pytest.raises(Unauthenticated):
        asyncio.run(_authenticate(db, secret))
    table = cli(db, "token", "list").stdout.decode()
    assert "revoked" in table
    assert rows[0]["id"] in table


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("create", "--workspace", "acme", "--role", "owner"), "owner"),
        (("create", "--workspace", "a b", "--role", "viewer"), "not a valid name"),
        (("revoke", "tok_missing"), "no token with id 'tok_missing'"),
    ],
)
def test_mistakes_are_one_line_on_stderr(
    tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    completed = cli(tmp_path / "graph.db", "token", *args)
    assert completed.returncode != 0
    stderr = completed.stderr.decode()
    assert message in stderr
    assert "Traceback" not in stderr
    assert completed.stdout == b""


def test_workspace_given_before_the_command_is_the_one_create_and_list_use(
    tmp_path: Path,
) -> None:
    # given tokens created with --workspace before 'token create' (CONTRACT §1)
    db = tmp_path / "graph.db"
    for workspace, role in (("acme", "viewer"), ("beta", "admin")):
        created = cli(db, "--workspace", workspace, "token", "create", "--role", role)
        assert created.returncode == 0, created.stderr.decode()
        assert f"workspace {workspace!r}" in created.stderr.decode()
    # when listed with --workspace before 'token list'
    listed = cli(db, "--workspace", "acme", "token", "list", "--json")
    assert listed.returncode == 0, listed.stderr.decode()
    # then only that workspace's tokens are shown
    assert [(r["workspace"], r["role"]) for r in json.loads(listed.stdout)] == [("acme", "viewer")]
    # and --workspace after the command wins over one before it
    after = cli(db, "--workspace", "acme", "token", "list", "--json", "--workspace", "beta")
    assert [r["workspace"] for r in json.loads(after.stdout)] == ["beta"]
    # and a bare 'token list' still lists every workspace
    everything = cli(db, "token", "list", "--json")
    assert sorted(r["workspace"] for r in json.loads(everything.stdout)) == ["acme", "beta"]


def test_create_without_a_workspace_anywhere_is_a_usage_error(tmp_path: Path) -> None:
    completed = cli(tmp_path / "graph.db", "token", "create", "--role", "viewer")
    assert completed.returncode == 2
    assert "'--workspace'" in completed.stderr.decode()
    assert "Traceback" not in completed.stderr.decode()
    assert completed.stdout == b""

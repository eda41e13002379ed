"""SQLite faults against a real ``graphsvc serve`` process (CONTRACT §11 for SQLite).

- Another process holds the file's write lock longer than the busy timeout: writes answer
  ``STORE_UNAVAILABLE`` after a bounded wait, reads keep answering, nothing is half-applied,
  and writes succeed again once the lock is released, without a restart.
- The file is made read-only: writes answer ``STORE_UNAVAILABLE`` naming the file and the
  fix, reads keep answering; writable again, writes succeed without a restart.
- A file-size limit on the server process (what a full disk does to SQLite: a write that does
  not fit fails): the write that does not fit is refused whole, nothing else changes, reads
  keep answering; the limit lifted, writes succeed, and after ``kill -9`` and a restart every
  acknowledged write is there.

The busy timeout is shortened through the store URL (``?timeout=1``) so that each fault takes
seconds.
"""

from __future__ import annotations

import asyncio
import fcntl
import resource
import sqlite3
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from graphsvc.domain.auth import Role
from graphsvc.generator import write_generated
from tests.processes import Server, cli, cli_env, issue_token, serving

pytestmark = [pytest.mark.reliability]

TIMEOUT = 1.0
"""The busy timeout the servers here run with (seconds)."""

CREATE = """
mutation Create($id: ID!, $name: String!) {
  createOrganization(input: {id: $id, name: $name, kind: CUSTOMER}) {
    __typename
    ... on OrganizationPayload { organization { id } }
    ... on Error { code message }
  }
}
"""
READ = "query Read($id: ID!) { organization(id: $id) { id name } }"
CREATE_PERSON = """
mutation Person($id: ID!) {
  createPerson(input: {id: $id, name: "Kaito", organizationId: "org-0"}) {
    __typename
  }
}
"""
POWER_MAP = 'query { powerMap(organizationId: "org-0") { person { id } } }'


def _env(db: Path) -> dict[str, str]:
    return {"GRAPHSVC_STORE": f"sqlite:///{db}?timeout={TIMEOUT:g}"}


def _post(server: Server, token: str, query: str, **variables: Any) -> httpx.Response:
    return httpx.post(
        server.graphql_url,
        json={"query": query, "variables": variables},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )


def _create(server: Server, token: str, org_id: str, name: str = "Acme") -> httpx.Response:
    return _post(server, token, CREATE, id=org_id, name=name)


def _created(response: httpx.Response) -> bool:
    body = response.json()
    result = (body.get("data") or {}).get("createOrganization")
    return result is not None and result["__typename"] == "OrganizationPayload"


def _unavailable(response: httpx.Response) -> str:
    """The message of a STORE_UNAVAILABLE answer (503, Retry-After); fails otherwise."""
    body = response.json()
    assert response.status_code == 503, body
    assert "retry-after" in response.headers
    [error] = body["errors"]
    assert error["extensions"]["code"] == "STORE_UNAVAILABLE", error
    message: str = error["message"]
    assert "Traceback" not in message
    return message


def _power_map(server: Server, token: str) -> list[str]:
    """The people of org-0's power map: an analytic answer, from the in-memory projection."""
    response = _post(server, token, POWER_MAP)
    body = response.json()
    assert "errors" not in body, body
    return sorted(score["person"]["id"] for score in body["data"]["powerMap"])


def _read_name(server: Server, token: str, org_id: str) -> str | None:
    response = _post(server, token, READ, id=org_id)
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    found = body["data"]["organization"]
    return None if found is None else str(found["name"])


def _state(db: Path) -> tuple[int, int, int]:
    """(version, organizations, logged changes) of the default workspace, read directly."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        row = connection.execute(
            "SELECT version FROM workspaces WHERE workspace = 'default'"
        ).fetchone()
        orgs = connection.execute("SELECT count(*) FROM organizations").fetchone()[0]
        log = connection.execute(
            "SELECT coalesce(sum(last - first + 1), 0) FROM change_blocks"
        ).fetchone()[0]
    return (int(row[0]) if row else 0, int(orgs), int(log))


@contextmanager
def _served(db: Path, workdir: Path) -> Iterator[tuple[Server, str]]:
    token = asyncio.run(issue_token(db, Role.EDITOR))
    with serving(db, workdir, env=_env(db)) as server:
        yield server, token


@contextmanager
def _sqlite_lock(db: Path, mode: str) -> Iterator[None]:
    """Another program holding SQLite's write lock: an open ``BEGIN IMMEDIATE``/``EXCLUSIVE``."""
    holder = sqlite3.connect(db, isolation_level=None, timeout=0)
    holder.execute(f"BEGIN {mode}")
    try:
        yield
    finally:
        holder.execute("ROLLBACK")
        holder.close()


@contextmanager
def _turn_lock(db: Path) -> Iterator[None]:
    """Another graphsvc holding the write turn (an import in progress): the ``flock``."""
    with Path(f"{db}-writer").open("a") as turn:
        fcntl.flock(turn, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(turn, fcntl.LOCK_UN)


async def _timed_creates(server: Server, token: str, ids: list[str]) -> list[tuple[float, Any]]:
    """Send creates of ``ids`` at once; (seconds until answered, response) of each."""

    async def one(client: httpx.AsyncClient, org_id: str) -> tuple[float, Any]:
        started = time.monotonic()
        response = await client.post(
            server.graphql_url,
            json={"query": CREATE, "variables": {"id": org_id, "name": "Acme"}},
            headers={"Authorization": f"Bearer {token}"},
        )
        return time.monotonic() - started, response

    async with httpx.AsyncClient(timeout=60) as client:
        return await asyncio.gather(*(one(client, org_id) for org_id in ids))


@pytest.mark.parametrize("holder", ["IMMEDIATE", "EXCLUSIVE", "write turn"])
def test_a_locked_file_refuses_writes_after_the_busy_timeout_and_recovers(
    tmp_path: Path, holder: str
) -> None:
    # given a server with a stored organization
    db = tmp_path / "graph.db"
    with _served(db, tmp_path) as (server, token):
        assert _created(_create(server, token, "org-1"))
        before = _state(db)

        # when another process holds the write lock longer than the busy timeout
        lock = _turn_lock(db) if holder == "write turn" else _sqlite_lock(db, holder)
        with lock:
            started = time.monotonic()
            first = _create(server, token, "org-2")
            waited = time.monotonic() - started
            queued = asyncio.run(_timed_creates(server, token, [f"org-q{n}" for n in range(4)]))

            # then writes answer STORE_UNAVAILABLE after a bounded wait, naming the file and
            # the other process; writes sent together do not wait one timeout each
            message = _unavailable(first)
            assert str(db) in message, message
            assert "another process" in message, message
            assert TIMEOUT * 0.9 <= waited < TIMEOUT * 2 + 3, waited
            for seconds, response in queued:
                _unavailable(response)
                assert seconds < TIMEOUT * 2 + 3, seconds
            # reads keep answering, /readyz too, and nothing of the refused writes was applied
            assert _read_name(server, token, "org-1") == "Acme"
            assert _read_name(server, token, "org-2") is None
            assert httpx.get(server.url + "/readyz", timeout=10).status_code == 200
        assert _state(db) == before

        # when the lock is released, writes succeed again without a restart
        assert _created(_create(server, token, "org-2"))
        assert _read_name(server, token, "org-2") == "Acme"


def test_a_read_only_file_refuses_writes_naming_it_and_recovers(tmp_path: Path) -> None:
    # given a server with a stored organization
    db = tmp_path / "graph.db"
    with _served(db, tmp_path) as (server, token):
        assert _created(_create(server, token, "org-1"))
        before = _state(db)
        files = [p for p in (db, Path(f"{db}-wal")) if p.exists()]
        modes = {p: stat.S_IMODE(p.stat().st_mode) for p in files}

        # when the database file is made read-only
        for path in files:
            path.chmod(0o444)
        try:
            refused = _create(server, token, "org-2")

            # then writes answer STORE_UNAVAILABLE naming the file and the fix; reads answer
            message = _unavailable(refused)
            assert str(db) in message, message
            assert "read-only" in message, message
            assert "permission" in message, message
            assert _read_name(server, token, "org-1") == "Acme"
            assert _read_name(server, token, "org-2") is None
            assert httpx.get(server.url + "/readyz", timeout=10).status_code == 200
        finally:
            for path, mode in modes.items():
                path.chmod(mode)
        assert _state(db) == before

        # when it is writable again, writes succeed without a restart
        assert _created(_create(server, token, "org-2"))
        assert _read_name(server, token, "org-2") == "Acme"


def test_a_server_started_on_a_read_only_file_serves_reads_and_takes_writes_once_writable(
    tmp_path: Path,
) -> None:
    # given a store holding an organization, made read-only while no server runs
    db = tmp_path / "graph.db"
    token = asyncio.run(issue_token(db, Role.EDITOR))
    with serving(db, tmp_path, env=_env(db)) as server:
        assert _created(_create(server, token, "org-1"))
    db.chmod(0o444)
    try:
        # when a server starts on it
        with serving(db, tmp_path, env=_env(db)) as server:
            # then it serves reads and refuses writes naming the file and the fix
            assert _read_name(server, token, "org-1") == "Acme"
            message = _unavailable(_create(server, token, "org-2"))
            assert str(db) in message, message
            assert "read-only" in message, message

            # and once the files are writable again, writes succeed without a restart
            for path in tmp_path.glob("graph.db*"):
                path.chmod(0o644)
            assert _created(_create(server, token, "org-2"))
            assert _read_name(server, token, "org-2") == "Acme"
    finally:
        for path in tmp_path.glob("graph.db*"):
            path.chmod(0o644)


def _limit_file_size(pid: int, size: int) -> None:
    resource.prlimit(pid, resource.RLIMIT_FSIZE, (size, resource.RLIM_INFINITY))


def _lift_file_size_limit(pid: int) -> None:
    resource.prlimit(pid, resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))


def test_a_write_that_does_not_fit_is_refused_whole_and_acknowledged_writes_survive(
    tmp_path: Path,
) -> None:
    # given a server that acknowledged some writes
    db = tmp_path / "graph.db"
    acknowledged: list[str] = []
    with _served(db, tmp_path) as (server, token):
        for n in range(5):
            assert _created(_create(server, token, f"org-{n}"))
            acknowledged.append(f"org-{n}")
        person = _post(server, token, CREATE_PERSON, id="p-1").json()
        assert person["data"]["createPerson"]["__typename"] == "PersonPayload", person
        assert _power_map(server, token) == ["p-1"]
        before = _state(db)
        wal = Path(f"{db}-wal")
        assert wal.stat().st_size > 0

        # when its files may not grow any more (a full disk, as SQLite sees it)
        _limit_file_size(server.process.pid, max(wal.stat().st_size, 1))
        try:
            refused = _create(server, token, "org-big", name="Big")

            # then the write is refused with STORE_UNAVAILABLE naming the file and the fix,
            # nothing of it is stored or logged, and reads keep answering
            message = _unavailable(refused)
            assert str(db) in message, message
            assert "space" in message, message
            assert _state(db) == before
            assert _read_name(server, token, "org-0") == "Acme"
            assert _read_name(server, token, "org-big") is None
            _unavailable(_post(server, token, CREATE_PERSON, id="p-2"))
            assert _state(db) == before
            assert _power_map(server, token) == ["p-1"]
            assert httpx.get(server.url + "/readyz", timeout=10).status_code == 200
        finally:
            _lift_file_size_limit(server.process.pid)

        # when the limit is lifted, writes succeed again
        for n in range(5, 10):
            assert _created(_create(server, token, f"org-{n}"))
            acknowledged.append(f"org-{n}")
        assert _created(_create(server, token, "org-big", name="Big"))
        acknowledged.append("org-big")
        assert _post(server, token, CREATE_PERSON, id="p-2").status_code == 200
        assert _power_map(server, token) == ["p-1", "p-2"]
        server.kill()

    # then after kill -9 and a restart, every acknowledged write is there
    with serving(db, tmp_path, env=_env(db)) as again:
        for org_id in acknowledged:
            assert _read_name(again, token, org_id) is not None, org_id
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_an_import_that_does_not_fit_is_refused_whole_in_one_line(tmp_path: Path) -> None:
    # given a store holding one organization, and a document larger than the room left
    db = tmp_path / "graph.db"
    seed = tmp_path / "seed.json"
    document = tmp_path / "document.json"
    with seed.open("wb") as out:
        write_generated(out, 50, 1)
    with document.open("wb") as out:
        write_generated(out, 2000, 2)
    assert cli(db, "import", str(seed)).returncode == 0
    before = _state(db)
    room = db.stat().st_size

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (room, resource.RLIM_INFINITY))

    # when it is imported by a process whose files may not grow beyond the store's size
    done = subprocess.run(
        [sys.executable, "-m", "graphsvc", "import", str(document)],
        capture_output=True,
        env=cli_env(db),
        preexec_fn=limited,  # setrlimit only: safe before exec
        timeout=120,
        check=False,
    )

    # then it is refused with one line naming the file and the fix, exit 1, nothing changed
    stderr = done.stderr.decode()
    assert done.returncode == 1, stderr
    [line] = [text for text in stderr.splitlines() if text.strip()]
    assert str(db) in line, line
    assert "space" in line, line
    assert "Traceback" not in stderr
    assert _state(db) == before
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

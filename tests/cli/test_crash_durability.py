"""Durability under faults, with real processes killed by SIGKILL.

- A server receiving a stream of create mutations is killed mid-stream: every write it
  acknowledged is in the store afterwards.
- An import killed while it writes leaves the store exactly as before (same export, same
  version, same change log).
- The change log holds a change for exactly the writes that landed.
- In both cases the store opens cleanly afterwards and SQLite's integrity check passes.

SIGKILL runs no shutdown code, so this is what a crash or an OOM kill does. It does not
simulate power loss: see ``docs`` in the report (WAL with ``synchronous=FULL``).
"""

from __future__ import annotations

import asyncio
import io
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from graphsvc.domain.auth import Role
from graphsvc.domain.enums import EntityKind
from graphsvc.domain.history import ChangeKind, ChangeQuery, Operation
from graphsvc.generator import write_generated
from graphsvc.services.export import export_document
from graphsvc.services.graph import GraphService
from graphsvc.services.parsing import parse_document
from graphsvc.store.sqlite import SqliteStore
from tests.processes import cli_env, issue_token, serving

pytestmark = [pytest.mark.slow, pytest.mark.reliability]

CREATE = """
mutation Create($id: ID!) {
  createOrganization(input: {id: $id, name: "Acme", kind: CUSTOMER}) {
    __typename
    ... on OrganizationPayload { organization { id } }
    ... on Error { code message }
  }
}
"""
WORKERS = 4
KILL_AFTER_ACKS = 60


async def _stored_ids(db: Path, ids: list[str]) -> tuple[set[str], set[str]]:
    """Which of ``ids`` are stored, and which the change log holds a creation of."""
    store = SqliteStore(str(db))
    await store.open()
    try:
        await store.ping()
        stored = set(await store.get("default", EntityKind.ORGANIZATION, ids))
        log = await store.changes(
            "default", ChangeQuery(kinds=frozenset({ChangeKind.ORGANIZATION}))
        )
        return stored, {c.key for c in log if c.operation is Operation.CREATED}
    finally:
        await store.close()


def _integrity(db: Path) -> str:
    with sqlite3.connect(db) as connection:
        result: str = connection.execute("PRAGMA integrity_check").fetchone()[0]
    return result


async def test_every_acknowledged_write_survives_a_server_killed_mid_stream(
    tmp_path: Path,
) -> None:
    # given a server on a SQLite file and an editor token
    db = tmp_path / "graph.db"
    token = await issue_token(db, Role.EDITOR)
    acknowledged: list[str] = []
    attempted: list[str] = []
    enough = asyncio.Event()
    with serving(db, tmp_path) as server:
        headers = {"Authorization": f"Bearer {token}"}

        async def writer(worker: int, client: httpx.AsyncClient) -> None:
            for n in range(100_000):
                org_id = f"org-{worker}-{n}"
                attempted.append(org_id)
                try:
                    response = await client.post(
                        server.graphql_url,
                        json={"query": CREATE, "variables": {"id": org_id}},
                        headers=headers,
                    )
                except httpx.TransportError:
                    return  # the server is gone
                result = response.json()["data"]["createOrganization"]
                assert result["__typename"] == "OrganizationPayload", result
                acknowledged.append(org_id)
                if len(acknowledged) >= KILL_AFTER_ACKS:
                    enough.set()

        async def killer() -> None:
            await enough.wait()
            server.process.send_signal(signal.SIGKILL)

        # when it is killed while several writers are streaming creates
        async with httpx.AsyncClient(timeout=10) as client:
            await asyncio.wait_for(
                asyncio.gather(killer(), *(writer(w, client) for w in range(WORKERS))),
                timeout=60,
            )
        server.process.wait(timeout=10)
        assert server.process.returncode == -signal.SIGKILL

    # then every acknowledged write is there, and the store opens cleanly
    assert len(acknowledged) >= KILL_AFTER_ACKS
    assert len(attempted) > len(acknowledged), "no write was in flight when the server died"
    stored, logged = await _stored_ids(db, attempted)
    missing = set(acknowledged) - stored
    assert not missing, f"{len(missing)} acknowledged writes lost: {sorted(missing)[:5]}"
    # and the change log holds exactly the writes that landed: no more, no fewer
    assert logged == stored
    assert _integrity(db) == "ok"


def _wal_bytes(db: Path) -> int:
    wal = db.with_name(db.name + "-wal")
    return wal.stat().st_size if wal.exists() else 0


def _generated(people: int, seed: int) -> bytes:
    out = io.BytesIO()
    write_generated(out, people=people, seed=seed)
    return out.getvalue()


async def _import(db: Path, raw: bytes) -> None:
    store = SqliteStore(str(db))
    await store.open()
    try:
        await GraphService(store).import_document("default", parse_document(raw))
    finally:
        await store.close()


async def _snapshot(db: Path) -> tuple[int, dict[str, Any], int]:
    """The workspace's version, its whole export and its change count, read from a freshly
    opened store."""
    store = SqliteStore(str(db))
    await store.open()
    try:
        await store.ping()
        changes = await store.changes("default", ChangeQuery())
        return (
            await store.version("default"),
            await export_document(store, "default"),
            len(changes),
        )
    finally:
        await store.close()


def test_an_import_killed_half_way_leaves_the_store_exactly_as_before(tmp_path: Path) -> None:
    # given a store holding a small workspace, and a big document to import
    db = tmp_path / "graph.db"
    big = tmp_path / "big.json"
    asyncio.run(_import(db, _generated(60, seed=1)))
    big.write_bytes(_generated(5000, seed=2))
    before = asyncio.run(_snapshot(db))
    assert before[0] > 0
    assert before[2] > 0
    wal_before = _wal_bytes(db)

    # when `graphsvc import` is killed while it writes
    process = subprocess.Popen(
        [sys.executable, "-m", "graphsvc", "import", str(big)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=cli_env(db),
    )
    deadline = time.monotonic() + 60
    while _wal_bytes(db) <= wal_before + 64 * 1024:  # its write transaction is under way
        assert process.poll() is None, "import finished before it could be killed"
        assert time.monotonic() < deadline, "import never started writing"
        time.sleep(0.001)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    assert process.returncode == -signal.SIGKILL

    # then the store opens cleanly and is exactly as before, its change log too
    assert _integrity(db) == "ok"
    assert asyncio.run(_snapshot(db)) == before

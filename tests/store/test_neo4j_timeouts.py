"""The Neo4j store against a server that accepts connections and never answers (what a
frozen server looks like to the driver, which has no read timeout of its own): every step
ends within ``timeout_seconds`` with ``STORE_UNAVAILABLE`` naming the server, never hangs.

The "server" is a plain TCP listener, so these run without Neo4j; the same against a real
frozen Neo4j (SIGSTOP) is ``tests/api/test_neo4j_outage.py``.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Awaitable, Iterator

import pytest

from graphsvc.domain.changes import ChangeSet
from graphsvc.domain.enums import EntityKind
from graphsvc.domain.models import Organization
from graphsvc.errors import ErrorCode, StoreUnavailable
from graphsvc.store.neo4j import Neo4jStore

pytestmark = pytest.mark.reliability

TIMEOUT_S = 0.5


@pytest.fixture
def silent_server() -> Iterator[str]:
    """``bolt://127.0.0.1:PORT`` of a listener that accepts and then says nothing."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"bolt://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join()
        for connection in accepted:
            connection.close()
        listener.close()


def _store(url: str) -> Neo4jStore:
    return Neo4jStore(url, user="neo4j", password="x", database="neo4j", timeout_seconds=TIMEOUT_S)


async def _fails_in_time(url: str, step: str, run: Awaitable[object]) -> StoreUnavailable:
    started = time.monotonic()
    with pytest.raises(StoreUnavailable) as raised:
        await run
    took = time.monotonic() - started
    assert took < 2 * TIMEOUT_S + 0.5, f"{step} took {took:.2f} s"
    assert raised.value.code is ErrorCode.STORE_UNAVAILABLE
    assert f"Neo4j at {url}" in raised.value.message
    return raised.value


async def test_reads_of_a_silent_server_end_within_the_timeout(silent_server: str) -> None:
    store = _store(silent_server)
    try:
        await _fails_in_time(silent_server, "ping", store.ping())
        await _fails_in_time(silent_server, "version", store.version("acme"))
        await _fails_in_time(
            silent_server, "get", store.get("acme", EntityKind.ORGANIZATION, ["org-1"])
        )
    finally:
        await store.close()


async def test_a_write_to_a_silent_server_ends_within_the_timeout(silent_server: str) -> None:
    store = _store(silent_server)
    organization = Organization(id="org-1", name="Acme", kind="CUSTOMER")
    changes = ChangeSet(upserts={EntityKind.ORGANIZATION: [organization]})
    try:
        await _fails_in_time(silent_server, "apply", store.apply("acme", changes))
    finally:
        started = time.monotonic()
        await store.close()
        assert time.monotonic() - started < 2 * TIMEOUT_S + 0.5


def test_a_row_deleted_while_the_read_ran_is_left_out() -> None:
    # Neo4j's read committed: a node matched before another transaction's delete committed
    # can read its data as null; the store then finds it absent, as a moment later.
    from graphsvc.store.neo4j.rows import present

    assert list(present([{"data": None}, {"data": '{"id": "p-1"}'}])) == ['{"id": "p-1"}']

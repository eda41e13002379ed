"""Units of ``store/sqlite/faults`` and the store URL's ``?timeout=``: what each fault is
called, how long a write waits, and that every message names the file and the fix."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from graphsvc.config import Settings
from graphsvc.errors import ErrorCode, GraphsvcError, InvalidInput
from graphsvc.store import create_store
from graphsvc.store.sqlite import SqliteStore
from graphsvc.store.sqlite.faults import (
    PROBE_SECONDS,
    LockWaits,
    read_only_problem,
    translate_error,
)


def _error(name: str, text: str) -> sqlite3.OperationalError:
    error = sqlite3.OperationalError(text)
    error.sqlite_errorname = name
    return error


@pytest.mark.parametrize(
    ("name", "text", "says"),
    [
        ("SQLITE_BUSY", "database is locked", "another process"),
        ("SQLITE_FULL", "database or disk is full", "Free space"),
        ("SQLITE_IOERR_WRITE", "disk I/O error", "lift the limit"),
        ("SQLITE_IOERR_FSYNC", "disk I/O error", "check the disk"),
        ("SQLITE_READONLY", "attempt to write a readonly database", "write permission"),
        ("SQLITE_CANTOPEN", "unable to open database file", "directory"),
    ],
)
def test_each_fault_is_store_unavailable_naming_the_file_and_the_fix(
    name: str, text: str, says: str
) -> None:
    error = translate_error(_error(name, text), "/data/graph.db", 30.0)
    assert isinstance(error, GraphsvcError)
    assert error.code is ErrorCode.STORE_UNAVAILABLE
    assert "/data/graph.db" in error.message
    assert says in error.message


def test_after_a_refused_wait_the_next_writes_only_probe_until_one_gets_the_lock() -> None:
    waits = LockWaits(5.0)
    assert waits.budget() == 5.0
    waits.refused()
    time.sleep(0.01)
    assert waits.budget() == PROBE_SECONDS
    assert waits.held_for() > 0
    waits.granted()
    assert waits.budget() == 5.0
    assert waits.held_for() == 0.0


def test_a_refusal_older_than_the_timeout_no_longer_shortens_the_wait() -> None:
    waits = LockWaits(0.3)
    waits.refused()
    assert waits.budget() == PROBE_SECONDS
    time.sleep(0.35)
    assert waits.budget() == 0.3


def test_a_file_without_write_bits_is_read_only_even_for_root(tmp_path: Path) -> None:
    db = tmp_path / "graph.db"
    db.write_bytes(b"")
    assert read_only_problem(str(db)) is None
    wal = tmp_path / "graph.db-wal"
    wal.write_bytes(b"")
    wal.chmod(0o444)
    problem = read_only_problem(str(db))
    assert problem is not None
    assert str(wal) in problem
    assert "r--r--r--" in problem
    assert read_only_problem(":memory:") is None


def test_the_store_url_sets_the_busy_timeout(tmp_path: Path) -> None:
    store = create_store(Settings(store=f"sqlite:///{tmp_path / 'g.db'}?timeout=2.5"))
    assert isinstance(store, SqliteStore)
    assert store.path == str(tmp_path / "g.db")
    assert store._engine.busy_timeout == 2.5


@pytest.mark.parametrize(
    ("query", "says"),
    [("timeout=abc", "timeout='abc'"), ("timeout=0", "timeout='0'"), ("wait=1", "'wait'")],
)
def test_a_bad_store_url_parameter_is_named(tmp_path: Path, query: str, says: str) -> None:
    with pytest.raises(InvalidInput, match=says):
        create_store(Settings(store=f"sqlite:///{tmp_path / 'g.db'}?{query}"))

"""Large SQLite writes (issue 14, item 3): rows made in a helper thread, thousands of rows
per statement, and still one transaction.

An import's rows and log blocks are made in a helper thread while the writer thread inserts
the previous ones in multi-row statements (``store/sqlite/bulk.py``). What is stored must
not depend on that: the same rows, indexes and log as one row per statement, documents
stored as text, and a failure on either side, after statements already ran, leaves the file
as it was and no thread behind.
"""

from __future__ import annotations

import io
import sqlite3
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from graphsvc.domain.changes import ChangeSet
from graphsvc.domain.enums import EntityKind
from graphsvc.domain.models import Department, Person
from graphsvc.errors import InvalidInput
from graphsvc.generator import write_generated
from graphsvc.services.parsing import parse_document
from graphsvc.services.writes.log import Before, change_log
from graphsvc.store.sqlite import SqliteStore, bulk, write
from graphsvc.store.sqlite.log import BLOCK_SIZE
from tests.factories import change_set, changes, org

WORKSPACE = "w"
T0 = datetime(2026, 3, 2, 9, 30, 15, 123456, tzinfo=UTC)
TABLES = (
    "organizations",
    "departments",
    "people",
    "systems",
    "opportunities",
    "system_departments",
    "relationships",
    "decision_rights",
    "change_blocks",
    "workspaces",
)


def _generated() -> ChangeSet:
    """A generated group of 200 people (every kind of record), as its store write."""
    out = io.BytesIO()
    write_generated(out, people=200, seed=3)
    return change_set(parse_document(out.getvalue()))


def _logged(changes: ChangeSet) -> ChangeSet:
    """``changes`` with the services' log of exactly it (written in one pass), at T0."""
    changes.log = change_log(changes, Before(), "cli", T0)
    return changes


def _dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, with the storage class of each value, in key order."""
    with sqlite3.connect(path) as connection:
        found = {}
        for table in TABLES:
            columns = [row[1] for row in connection.execute(f"PRAGMA table_info({table})")]
            typed = ", ".join(f"{c}, typeof({c})" for c in columns)
            order = ", ".join(str(2 * i + 1) for i in range(len(columns)))
            rows = connection.execute(f"SELECT {typed} FROM {table} ORDER BY {order}")
            found[table] = rows.fetchall()
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    return found


def _helpers() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name == "graphsvc-sqlite-rows"]


async def _apply(path: Path, changes: ChangeSet) -> None:
    store = SqliteStore(str(path))
    await store.open()
    try:
        await store.apply(WORKSPACE, changes)
    finally:
        await store.close()


def _statements(monkeypatch: pytest.MonkeyPatch, *, ahead: bool, values: int) -> None:
    """Writes of 100 changes or more made in the helper thread (``ahead``) or not, in
    statements of ``values`` bound values: small writes take the large writes' paths."""
    monkeypatch.setattr(write, "AHEAD_FROM", 100 if ahead else 10**9)
    monkeypatch.setattr(bulk, "CHUNK_PARAMETERS", values)


async def test_rows_made_ahead_store_what_one_row_per_statement_stores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given the same generated write applied twice: with its rows made in the helper thread
    # (statements of 40 values), and in the writer thread one row per statement
    _statements(monkeypatch, ahead=True, values=40)
    await _apply(tmp_path / "ahead.db", _logged(_generated()))
    assert not _helpers()
    _statements(monkeypatch, ahead=False, values=1)
    await _apply(tmp_path / "rows.db", _logged(_generated()))

    # then every table holds the same rows, documents stored as text, log blocks compressed
    ahead, rows = _dump(tmp_path / "ahead.db"), _dump(tmp_path / "rows.db")
    assert ahead == rows
    assert len(ahead["people"]) >= 200
    assert len(ahead["change_blocks"]) > 3
    for table in TABLES[:-2]:
        assert {row[-1] for row in ahead[table]} == {"text"}, table
    assert {row[-1] for row in ahead["change_blocks"]} == {"blob"}
    # and the people's indexes answer as their table does
    with sqlite3.connect(tmp_path / "ahead.db") as connection:
        by_organization = connection.execute(
            "SELECT id FROM people INDEXED BY ix_people_organization_id "
            "WHERE workspace = ? AND organization_id IS NOT NULL ORDER BY id",
            (WORKSPACE,),
        ).fetchall()
    assert by_organization == [(row[2],) for row in ahead["people"]]


async def _refused(path: Path, changes: ChangeSet) -> InvalidInput:
    """Apply ``changes`` over a store holding another workspace; the error it raised."""
    interval = sys.getswitchinterval()
    store = SqliteStore(str(path))
    await store.open()
    try:
        await store.apply("other", changes_of_other())
        before = _dump(path)
        with pytest.raises(InvalidInput) as refused:
            await store.apply(WORKSPACE, changes)
        assert await store.version(WORKSPACE) == 0
    finally:
        await store.close()
    # nothing of the write is left, the other workspace is as it was, no helper runs on
    assert _dump(path) == before
    assert not _helpers()
    assert sys.getswitchinterval() == interval
    return refused.value


def changes_of_other() -> ChangeSet:
    return _logged(changes(org("o-other", "Other")))


async def test_a_record_the_helper_cannot_encode_refuses_the_whole_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a large write whose last department cannot be stored (a headcount past 64 bits,
    # built unvalidated), after hundreds of rows already inserted in small statements
    _statements(monkeypatch, ahead=True, values=40)
    generated = _generated()
    departments = generated.upserts.pop(EntityKind.DEPARTMENT)
    a_department = departments[0]
    huge = Department.model_construct(
        id="d-huge", organization_id=a_department.organization_id, name="Huge", headcount=2**70
    )
    generated.upserts[EntityKind.DEPARTMENT] = [*departments, huge]

    # when it is applied, then it is refused naming the record, and nothing changed
    refused = await _refused(tmp_path / "g.db", _logged(generated))
    assert "d-huge" in str(refused)


async def test_a_row_sqlite_rejects_half_way_refuses_the_whole_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a large write with a person SQLite rejects (no organization, built unvalidated)
    # after the first statements of people
    _statements(monkeypatch, ahead=True, values=40)
    generated = _generated()
    people = generated.upserts[EntityKind.PERSON]
    orphan = Person.model_construct(id="p-orphan", name="Orphan", organization_id=None)
    people.insert(len(people) // 2, orphan)

    # when it is applied, then SQLite's refusal stops the helper and rolls everything back
    refused = await _refused(tmp_path / "g.db", _logged(generated))
    assert "organization_id" in str(refused)


def test_a_caller_that_stops_early_stops_the_helper() -> None:
    # given items made ahead, when the caller takes one and closes the generator
    interval = sys.getswitchinterval()
    made = bulk.made_ahead(lambda: iter(range(10_000)))
    assert next(made) == 0
    assert sys.getswitchinterval() == pytest.approx(bulk.SWITCH_INTERVAL)
    made.close()

    # then the helper has finished and the switch interval is the interpreter's again
    assert not _helpers()
    assert sys.getswitchinterval() == interval


def test_overlapping_runs_give_the_switch_interval_back_when_the_last_ends() -> None:
    # given two runs made ahead at once (two stores' writes in one process)
    interval = sys.getswitchinterval()
    first = bulk.made_ahead(lambda: iter(range(10_000)))
    second = bulk.made_ahead(lambda: iter(range(10_000)))
    assert next(first) == 0
    assert next(second) == 0

    # when the first to start ends first, the interval stays short for the other
    first.close()
    assert sys.getswitchinterval() == pytest.approx(bulk.SWITCH_INTERVAL)

    # and when the other ends it is the interpreter's again
    second.close()
    assert not _helpers()
    assert sys.getswitchinterval() == interval


def test_statements_fit_a_sqlite_built_with_fewer_bound_values() -> None:
    # given a connection whose SQLite takes at most 999 bound values a statement (the limit
    # of builds before SQLite 3.32)
    connection = sqlite3.connect(":memory:")
    connection.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 999)
    connection.execute("CREATE TABLE t (a, b, c)")
    most = bulk.statement_values(connection)
    assert most == 999

    # when 1,000 rows of three values are gathered into statements for it
    statements = list(
        bulk.RowStatements("INSERT INTO t (a, b, c)", "(?, ?, ?)", values=most).of(
            (i, str(i), None) for i in range(1000)
        )
    )

    # then every statement runs there, and they insert every row in order
    for sql, values in statements:
        assert len(values) <= 999
        connection.execute(sql, values)
    assert len(statements) == 4  # 333 rows a statement
    assert connection.execute("SELECT a FROM t").fetchall() == [(i,) for i in range(1000)]


@pytest.mark.parametrize("count", [99 * BLOCK_SIZE + 50, 100 * BLOCK_SIZE])
async def test_every_change_is_logged_when_the_last_block_fills_a_statement(
    tmp_path: Path, count: int
) -> None:
    # given a write whose log ends in the block that fills a statement of log blocks
    # (the 100th: its last block partial, or full)
    organizations = [org(f"o{i:05}", f"Org {i}") for i in range(count)]

    # when it is applied
    await _apply(tmp_path / "graph.db", _logged(changes(*organizations)))

    # then the log holds every change, in blocks numbered without a gap
    with sqlite3.connect(tmp_path / "graph.db") as connection:
        bounds = connection.execute(
            "SELECT first, last FROM change_blocks WHERE workspace = ? ORDER BY first",
            (WORKSPACE,),
        ).fetchall()
    assert len(bounds) == 100
    assert [first for first, _ in bounds] == [0, *(last + 1 for _, last in bounds[:-1])]
    assert bounds[-1][1] == count - 1

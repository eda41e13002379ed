"""``graphsvc import`` logs in blocks, and an existing store's per-change log keeps working
(issue 14, item 3), through the real command line."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from graphsvc.domain.history import ChangeQuery
from tests.cli.conftest import Cli
from tests.cli.test_compact import doc, in_store, summary, tomorrow
from tests.store.test_sqlite_log_blocks import WORKSPACE, _as_schema_2


def _path(cli: Cli) -> Path:
    return Path(cli.store_url.removeprefix("sqlite:///"))


def test_an_import_of_250_records_is_logged_in_three_rows(cli: Cli) -> None:
    # when 250 organizations are imported
    cli.ok("import", "-", input=doc(*(f"o-{i:03d}" for i in range(250))))

    # then the log holds them in blocks of 100, 100 and 50, read back one change each
    with sqlite3.connect(_path(cli)) as connection:
        blocks = connection.execute(
            "SELECT version, first, last FROM change_blocks ORDER BY first"
        ).fetchall()
    assert blocks == [(1, 0, 99), (1, 100, 199), (1, 200, 249)]
    logged = in_store(cli, lambda store: store.changes("default", ChangeQuery()))
    assert [(c.version, c.index, c.key) for c in logged] == [
        (1, i, f"o-{i:03d}") for i in range(250)
    ]


def test_a_store_with_the_per_change_log_is_upgraded_and_compacted(cli: Cli) -> None:
    # given a store written by a graphsvc that logged a row per change (schema 2)
    assert WORKSPACE != "default"
    cli.ok("import", "-", "--workspace", WORKSPACE, input=doc("a", "b"))
    logged = in_store(cli, lambda store: store.changes(WORKSPACE, ChangeQuery()))
    with sqlite3.connect(_path(cli)) as connection:
        connection.execute("DELETE FROM change_blocks")
    _as_schema_2(_path(cli), logged)

    # when the command line imports into it and compacts it
    cli.ok("import", "-", "--workspace", WORKSPACE, input=doc("c"))
    kept = in_store(cli, lambda store: store.changes(WORKSPACE, ChangeQuery()))
    done = cli.ok("compact", "--before", tomorrow(), "--workspace", WORKSPACE)

    # then the old changes were kept through the upgrade and are counted when dropped
    assert kept[:2] == logged
    assert [(c.version, c.key) for c in kept] == [(1, "a"), (1, "b"), (2, "c")]
    assert summary(done.stderr) == [
        f"workspace '{WORKSPACE}': dropped 3 changes through version 2; the change log "
        "starts after version 2"
    ]

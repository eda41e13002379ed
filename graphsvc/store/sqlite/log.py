"""The change log in SQLite: blocks of up to ``BLOCK_SIZE`` consecutive changes of one write.

``change_blocks`` is keyed by (workspace, version, first): ``first``/``last`` are the
indexes of the block's first and last change (those between are consecutive), ``data``
its changes as one JSON array of ``[at, actor, kind, key, operation, fields, before,
after]`` (a change's version and index are the block's and ``first`` + its place), and
``kinds``, ``at_min``, ``at_max`` let a read skip whole blocks. Reading the log in order
after a position is still a range scan of the key.

Blocks, not a row per change (schema 2, upgraded by ``blocks_from_changes``), because an
import logs one change per record: a 100k-person import inserted 328,708 log rows (1.45 s
of its CPU) plus an index of as many equal timestamps (16 MB), and encoded three JSON texts
per change; in blocks it is ~3,300 rows of one encoding each, as the Neo4j store already
does (``store/neo4j/log_rows``). Nobody reads the log by time alone (``accountChanges``
starts from a position), so no index on time: the block's bounds filter inside the scan.

``at`` is an ISO-8601 UTC timestamp with microseconds (``…Z``), which sorts as text in
time order, as the per-change rows stored it.

``data`` is stored compressed (zlib at level 1, a BLOB; schema 4): a block's JSON repeats
its time, actor, kind, operation and field names in every change, and an import's ``after``
repeats the record its row already holds, so the log was ~75 MB of a 100k-person import's
175 MB file. Compressed it is ~6 MB (12.5x): the import writes and syncs 40 % fewer bytes
(3.8 s → 3.3 s end to end, bench/README.md "Import, round six"), for ~0.3 s of compression
in the thread that makes the rows (zlib lets go of the GIL while it works) and ~0.1 s to
decompress a whole import's log when it is read. Blocks written before schema 4 are JSON
text and are read as they are: nothing is rewritten on upgrade.
"""

from __future__ import annotations

import sqlite3
import zlib
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

import orjson

from graphsvc.domain.history import (
    Change,
    ChangeKind,
    ChangeQuery,
    LogItem,
    LogItems,
    Operation,
)
from graphsvc.errors import InvalidInput

__all__ = [
    "BLOCK_COLUMNS",
    "BLOCK_INSERT",
    "BLOCK_MARKS",
    "BLOCK_SIZE",
    "LOG_DDL",
    "append_changes",
    "block_changes",
    "block_row",
    "blocks_from_changes",
    "changes_matching",
    "compact_log",
    "timestamp",
]

BLOCK_SIZE = 100
"""Changes per ``change_blocks`` row."""

LOG_DDL: list[tuple[str, str]] = [
    (
        "table change_blocks keyed by (workspace, version, first) (the change log)",
        "CREATE TABLE IF NOT EXISTS change_blocks (workspace TEXT NOT NULL, "
        "version INTEGER NOT NULL, first INTEGER NOT NULL, last INTEGER NOT NULL, "
        "kinds TEXT NOT NULL, at_min TEXT NOT NULL, at_max TEXT NOT NULL, data BLOB NOT NULL, "
        "PRIMARY KEY (workspace, version, first)) WITHOUT ROWID",
    ),
]

BLOCK_COLUMNS = "workspace, version, first, last, kinds, at_min, at_max, data"
BLOCK_INSERT = f"INSERT INTO change_blocks ({BLOCK_COLUMNS})"
"""The insert of blocks, without its ``VALUES`` (of ``BLOCK_MARKS``, once or many times)."""
BLOCK_MARKS = "(?, ?, ?, ?, ?, ?, ?, ?)"
"""One row's values; ``data`` is the compressed JSON's bytes (a BLOB; a file from before
schema 4 declares the column TEXT, whose affinity leaves a BLOB as it is)."""

LEVEL = 1
"""zlib's compression level for blocks: level 6 (its default) makes them 16 % smaller in
60 % more time (0.44 s against 0.28 s at 100k people), level 1 is where the import gains most."""


def block_changes(data: str | bytes) -> list[list[Any]]:
    """The changes of a block's ``data``: compressed JSON (schema 4), or JSON text (a block
    written before it)."""
    changes: list[list[Any]] = orjson.loads(
        zlib.decompress(data) if isinstance(data, bytes) else data
    )
    return changes


def timestamp(at: datetime) -> str:
    """``at`` in UTC as fixed-width ISO text (sorts in time order)."""
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _kinds_text(kinds: Iterable[str]) -> str:
    """``|kind|kind|``: a kind is in a block when ``|kind|`` is in its text."""
    # The distinct kinds first: a block of an import holds 100 changes of one or two kinds.
    return "|" + "|".join(sorted(str(kind) for kind in set(kinds))) + "|"


def block_row(workspace: str, version: int, first: int, items: list[list[Any]]) -> tuple[Any, ...]:
    """The ``change_blocks`` row of ``items`` (``[at, actor, kind, …]`` lists), for
    ``BLOCK_MARKS``: ``data`` is their JSON compressed."""
    try:
        data = zlib.compress(orjson.dumps(items), LEVEL)
    except TypeError as exc:
        for item in items:  # name the change that cannot be stored
            try:
                orjson.dumps(item)
            except TypeError:
                raise InvalidInput(
                    f"{item[2]} change {item[3]!r} cannot be stored: its records are not JSON "
                    f"({exc})"
                ) from exc
        raise
    ats = [item[0] for item in items]
    return (
        workspace,
        version,
        first,
        first + len(items) - 1,
        _kinds_text([item[2] for item in items]),
        min(ats),
        max(ats),
        data,
    )


def _blocks(
    workspace: str, version: int, log: Iterable[Change] | LogItems
) -> Iterator[tuple[Any, ...]]:
    # A ``LogItems`` log (services' ``ChangeLog``) gives its entries as tuples: no
    # ``Change`` built per entry only to be read back here.
    entries: Iterable[LogItem] = (
        log.items()
        if isinstance(log, LogItems)
        else ((c.kind, c.key, c.operation, c.fields, c.before, c.after, c.actor, c.at) for c in log)
    )
    # The changes of one write share their time: format it once per distinct value.
    stamps: dict[datetime, str] = {}
    items: list[list[Any]] = []
    first = 0
    for kind, key, operation, fields, before, after, actor, moment in entries:
        at = stamps.get(moment)
        if at is None:
            at = stamps[moment] = timestamp(moment)
        # ``kind`` and ``operation`` are ``StrEnum``s: orjson writes their values and
        # ``_kinds_text`` joins them as text, so no ``.value`` (a descriptor call) per change.
        items.append([at, actor, kind, key, operation, fields, before, after])
        if len(items) == BLOCK_SIZE:
            yield block_row(workspace, version, first, items)
            first += len(items)
            items = []
    if items:
        yield block_row(workspace, version, first, items)


def append_changes(
    c: sqlite3.Connection, workspace: str, version: int, log: Iterable[Change] | LogItems
) -> None:
    """Insert ``log`` as the changes of ``version`` (inside the write's transaction)."""
    c.executemany(
        f"{BLOCK_INSERT} VALUES {BLOCK_MARKS}",
        _blocks(workspace, version, log),
    )


_KINDS = {kind.value: kind for kind in ChangeKind}
_OPERATIONS = {operation.value: operation for operation in Operation}


def changes_matching(c: sqlite3.Connection, workspace: str, query: ChangeQuery) -> list[Change]:
    """``GraphStore.changes``: one range scan of the blocks' key, the query's filters
    skipping whole blocks in SQL and picking the changes of the others here."""
    version, index = query.after
    # ``version >= ?`` gives the key search its start (without it SQLite searched by
    # workspace alone and filtered the whole log); ``last > ?`` skips the blocks of the
    # position's own version that end at or before it.
    sql = [
        "SELECT version, first, data FROM change_blocks WHERE workspace = ? AND version >= ? "
        "AND (version > ? OR (version = ? AND last > ?))"
    ]
    params: list[Any] = [workspace, version, version, version, index]
    if query.until_version is not None:
        sql.append("AND version <= ?")
        params.append(query.until_version)
    kinds: set[str] | None = None
    if query.kinds is not None:
        kinds = {kind.value for kind in query.kinds}
        if not kinds:
            return []
        sql.append("AND (" + " OR ".join("instr(kinds, ?) > 0" for _ in kinds) + ")")
        params.extend(f"|{kind}|" for kind in sorted(kinds))
    at_after = None if query.at_after is None else timestamp(query.at_after)
    at_until = None if query.at_until is None else timestamp(query.at_until)
    if at_after is not None:
        sql.append("AND at_max > ?")
        params.append(at_after)
    if at_until is not None:
        sql.append("AND at_min <= ?")
        params.append(at_until)
    sql.append("ORDER BY version, first")
    limit = query.limit
    found: list[Change] = []
    if limit is not None and limit <= 0:
        return found
    for block_version, first, data in c.execute(" ".join(sql), params):
        for offset, item in enumerate(block_changes(data)):
            change_index = first + offset
            if block_version == version and change_index <= index:
                continue
            at, actor, kind, key, operation, fields, before, after = item
            if (
                (kinds is not None and kind not in kinds)
                or (at_after is not None and at <= at_after)
                or (at_until is not None and at > at_until)
            ):
                continue
            found.append(
                Change(
                    _KINDS[kind],
                    key,
                    _OPERATIONS[operation],
                    tuple(fields),
                    before,
                    after,
                    actor,
                    datetime.fromisoformat(at),
                    block_version,
                    change_index,
                )
            )
            if limit is not None and len(found) >= limit:
                return found
    return found


def compact_log(c: sqlite3.Connection, workspace: str, through_version: int) -> int:
    """Drop the changes up to ``through_version`` and move ``log_from``; how many dropped."""
    row = c.execute(
        "SELECT coalesce(sum(last - first + 1), 0) FROM change_blocks "
        "WHERE workspace = ? AND version <= ?",
        (workspace, through_version),
    ).fetchone()
    c.execute(
        "DELETE FROM change_blocks WHERE workspace = ? AND version <= ?",
        (workspace, through_version),
    )
    c.execute(
        "UPDATE workspaces SET log_from = max(log_from, ?) WHERE workspace = ?",
        (through_version, workspace),
    )
    return int(row[0])


def blocks_from_changes(c: sqlite3.Connection) -> None:
    """Schema 3's upgrade: the per-change rows of ``changes`` (schema 2) moved into blocks,
    same versions, indexes, times and texts, then the old table and its index dropped.

    Runs inside ``ensure_schema``'s transaction, so an interrupted upgrade leaves the file
    at schema 2 with its log whole. A block never spans two versions or a gap of indexes.
    """
    if not c.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'changes'"
    ).fetchone():
        return
    rows = c.execute(
        "SELECT workspace, version, idx, at, actor, kind, key, operation, fields, before, after "
        "FROM changes ORDER BY workspace, version, idx"
    )

    def blocks() -> Iterator[tuple[Any, ...]]:
        current: tuple[str, int] | None = None
        first = next_index = 0
        items: list[list[Any]] = []
        for workspace, version, idx, at, actor, kind, key, operation, fields, before, after in rows:
            if items and ((workspace, version) != current or idx != next_index):
                assert current is not None
                yield block_row(*current, first, items)
                items = []
            if not items:
                current, first = (workspace, version), idx
            items.append(
                [
                    at,
                    actor,
                    kind,
                    key,
                    operation,
                    orjson.loads(fields),
                    None if before is None else orjson.loads(before),
                    None if after is None else orjson.loads(after),
                ]
            )
            next_index = idx + 1
            if len(items) == BLOCK_SIZE:
                assert current is not None
                yield block_row(*current, first, items)
                items = []
        if items:
            assert current is not None
            yield block_row(*current, first, items)

    c.executemany(f"{BLOCK_INSERT} VALUES {BLOCK_MARKS}", blocks())
    c.execute("DROP INDEX IF EXISTS ix_changes_at")
    c.execute("DROP TABLE changes")

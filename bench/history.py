"""Benchmark of ``accountChanges`` over a long window (not run by the tests).

    .venv/bin/python -m bench.history [--people 10000] [--changes 10000]

Builds, in a fresh SQLite file, one customer organization of ``--people`` people, takes a
review, then writes ``--changes`` changes in its scope (stance and title updates, new KNOWS
relationships, strength changes) in writes of 100 records, and times:

- ``accountChanges(sinceReview:)`` cold (the first request reads the scope's changes from
  the store) and warm, median of 7 (target: at most 100 ms for 10k changes in a 10k-person
  scope, issue 11);
- the bare baseline in the same run: one SQL range scan of the same changes' log blocks,
  decoding their JSON, with no scope test and no summary.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from graphsvc.services.container import Services
from graphsvc.store.sqlite import SqliteStore

WORKSPACE = "bench"
BATCH = 100


def _document(people: int) -> dict[str, Any]:
    return {
        "format": "graphsvc/v1",
        "organizations": [
            {"id": "us", "name": "Us", "kind": "SELF"},
            {"id": "acme", "name": "Acme", "kind": "CUSTOMER"},
        ],
        "people": [{"id": "ae", "name": "AE", "organizationId": "us"}]
        + [
            {"id": f"p{i}", "name": f"Person {i}", "organizationId": "acme", "title": "Staff"}
            for i in range(people)
        ],
    }


def _writes(people: int, changes: int) -> list[dict[str, Any]]:
    """Documents of ``BATCH`` records each, ``changes`` records in all, cycling over kinds."""
    stances = ("SUPPORTER", "SKEPTIC", "CHAMPION", "NEUTRAL")
    records: list[tuple[str, dict[str, Any]]] = []
    for n in range(changes):
        i = n % people
        match n % 4:
            case 0:
                record = {"id": f"p{i}", "name": f"Person {i}", "organizationId": "acme",
                          "title": "Staff", "stance": stances[(n // people) % 4]}  # fmt: skip
                records.append(("people", record))
            case 1:
                record = {"id": f"p{i}", "name": f"Person {i}", "organizationId": "acme",
                          "title": f"Lead {n}"}  # fmt: skip
                records.append(("people", record))
            case 2:
                tie = {"type": "KNOWS", "from": "ae", "to": f"p{i}", "strength": 0.5}
                records.append(("relationships", tie))
            case _:
                tie = {"type": "KNOWS", "from": "ae", "to": f"p{i}", "strength": 0.9}
                records.append(("relationships", tie))
    documents = []
    for start in range(0, len(records), BATCH):
        doc: dict[str, Any] = {"format": "graphsvc/v1", "people": [], "relationships": []}
        seen: set[tuple[str, str]] = set()
        for kind, record in records[start : start + BATCH]:
            key = (kind, json.dumps({k: record[k] for k in ("id", "from", "to") if k in record}))
            if key not in seen:  # one record once per document
                seen.add(key)
                doc[kind].append(record)
        documents.append(doc)
    return documents


async def _median(fn: Callable[[], Awaitable[Any]], repeat: int = 7) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = await fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


async def main(people: int, changes: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "bench.db"
        store = SqliteStore(str(db))
        await store.open()
        services = Services.over(store)
        await services.graph.import_document(WORKSPACE, _document(people))
        review = await services.history.create_review(
            WORKSPACE, "acme", "baseline", None, actor="b"
        )
        start = time.perf_counter()
        for doc in _writes(people, changes):
            await services.graph.import_document(WORKSPACE, doc)
        written = time.perf_counter() - start
        logged = len(
            (
                await services.history.changes(WORKSPACE, after=(review.version, 2**62), first=500)
            ).changes
        )

        async def account() -> Any:
            return await services.history.account_changes(WORKSPACE, "acme", since_review=review.id)

        t_cold, _ = await _median(account, repeat=1)  # reads and keeps the scope's changes
        t_account, found = await _median(account)

        def bare() -> int:
            # The log is stored in blocks of changes (store/sqlite/log.py): one range scan
            # of the blocks after the review, each decoded whole.
            with sqlite3.connect(db) as c:
                rows = c.execute(
                    "SELECT data FROM change_blocks WHERE workspace = ? AND version > ? "
                    "ORDER BY version, first",
                    (WORKSPACE, review.version),
                ).fetchall()
            return sum(len(json.loads(data)) for (data,) in rows)

        bare_times = []
        for _ in range(7):
            t0 = time.perf_counter()
            count = bare()
            bare_times.append(time.perf_counter() - t0)
        t_bare = statistics.median(bare_times)
        await store.close()

    s = found.summary
    print(f"{people} people in scope; {s.change_count} changes in the window "
          f"(written in {written:.1f} s, first page {logged})")  # fmt: skip
    print(f"  stance {len(s.stance_changes)}, role {len(s.role_changes)}, "
          f"relationships {len(s.relationship_changes)}")  # fmt: skip
    print(f"accountChanges first request: {t_cold * 1000:.1f} ms")
    print(f"accountChanges warm, median of 7: {t_account * 1000:.1f} ms (target <= 100 ms)")
    print(f"bare: SQL range scan of the {count} changes + JSON decode: {t_bare * 1000:.1f} ms")
    print(f"ratio: {t_account / t_bare:.2f}x")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--changes", type=int, default=10_000)
    args = parser.parse_args()
    asyncio.run(main(args.people, args.changes))

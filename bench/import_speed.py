"""``graphsvc import`` end to end against a bare SQLite load of the same records (issue 14, item 3).

    .venv/bin/python -m bench.import_speed --people 100000              # 2 rounds, alternating
    .venv/bin/python -m bench.import_speed --people 1000000 --rounds 1  # minutes, GBs

1. ``graphsvc generate --people N --seed 7`` writes the graph document (not timed).
2. **Bare baseline** (``--bare FILE DB``, run as its own process): read the file, ``orjson``
   decode it, and write every record of every list as one JSON row ``(kind, key, doc)``
   into one SQLite table with ``executemany`` in one transaction (WAL, ``synchronous=FULL``
   like the store). No validation, no indexes but the key, no change log: what storing the
   records costs at the least.
3. **Import**: a real ``graphsvc import FILE`` process into a fresh SQLite file (parse,
   validate, look up, diff, apply with its change log, one commit).
4. **No-op re-import**: the same file imported again into that store (changes nothing).

Each is timed as a whole process from spawn to exit (start-up included), with its CPU time
and peak RSS (``wait4``), and the load average beside it; rounds alternate the order of
bare and import so that a busy machine slows both. Rates count *document records* (the
records of the document's lists, as the issue does: 228,772 at 100k people).
``--bare-page-size`` sets the bare file's page size (the store's files have 16 KiB pages,
``store.sqlite.engine.PAGE_SIZE``; the baseline keeps SQLite's default unless told).
``--compiled`` imports with a copy of graphsvc whose bytecode is compiled beforehand, as an
installed package has it (``bench.installed``; the bare baseline's libraries come compiled
from the venv either way).
Targets: ≥ 40k document records/s at 100k people and ≤ 3x the bare baseline; a million
people in ≤ 120 s with peak RSS ≤ 2 GB; a no-op re-import no slower than the import.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from bench.installed import compiled_copy

GRAPHSVC = [sys.executable, "-m", "graphsvc"]
BARE = [sys.executable, "-m", "bench.import_speed", "--bare"]


@dataclass
class Run:
    """One timed process: wall and CPU seconds, peak RSS, load average when it ended."""

    wall: float
    cpu: float
    rss_mib: int
    load: float
    output: str
    """What it printed (stdout and stderr)."""


def timed(command: list[str], code: str | None = None) -> Run:
    """Run ``command`` to its end; fails loudly on a non-zero exit. ``code``: a PYTHONPATH
    to run graphsvc from (``compiled_copy``), from a folder holding no other graphsvc."""
    started = time.perf_counter()
    extra: dict[str, Any] = {}
    if code is not None:
        extra = {"env": {**os.environ, "PYTHONPATH": code}, "cwd": code}
    # One pipe for both streams: reading two in turn could block on a full one.
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, **extra)
    assert process.stdout is not None
    output = process.stdout.read().decode()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{output}")
    return Run(
        wall,
        usage.ru_utime + usage.ru_stime,
        usage.ru_maxrss // 1024,
        os.getloadavg()[0],
        output,
    )


def bare(path: str, db: str, page_size: str = "0") -> None:
    """The baseline: every record of the document as a JSON row, one transaction
    (``page_size`` bytes a page; 0: SQLite's default)."""
    data: dict[str, Any] = orjson.loads(Path(path).read_bytes())
    connection = sqlite3.connect(db, isolation_level=None)
    if int(page_size):
        connection.execute(f"PRAGMA page_size={int(page_size)}")
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=FULL")
    connection.execute(
        "CREATE TABLE records (kind TEXT NOT NULL, key TEXT NOT NULL, doc TEXT NOT NULL, "
        "PRIMARY KEY (kind, key)) WITHOUT ROWID"
    )
    connection.execute("BEGIN IMMEDIATE")
    count = 0
    for name, records in data.items():
        if not isinstance(records, list):
            continue
        connection.executemany(
            "INSERT OR REPLACE INTO records VALUES (?, ?, ?)",
            ((name, _key(record), orjson.dumps(record).decode()) for record in records),
        )
        count += len(records)
    connection.execute("COMMIT")
    connection.close()
    print(count)


def _key(record: dict[str, Any]) -> str:
    """A record's id, or the identity of a relationship or decision right."""
    if "id" in record:
        return str(record["id"])
    if "personId" in record:
        return f"{record['personId']}:{record['scopeId']}:{record['area']}:{record['role']}"
    return f"{record.get('type')}:{record.get('from')}:{record.get('to')}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--document", help="an existing graph document instead of generating")
    parser.add_argument(
        "--compiled",
        action="store_true",
        help="import with a copy of graphsvc whose bytecode is compiled (as installed)",
    )
    parser.add_argument(
        "--bare-page-size",
        type=int,
        default=0,
        help="the bare baseline's page size in bytes (default: SQLite's, 4096; the store "
        "creates its files with 16384)",
    )
    parser.add_argument("--bare", nargs=3, metavar=("FILE", "DB", "PAGE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare:
        bare(*args.bare)
        return
    with tempfile.TemporaryDirectory(prefix="import-speed-") as folder:
        work = Path(folder)
        code = (
            compiled_copy(Path(__file__).resolve().parents[1] / "graphsvc", work)
            if args.compiled
            else None
        )
        print(
            f"bytecode compiled: {args.compiled}; bare page size: "
            f"{args.bare_page_size or 'SQLite default'}"
        )
        document = Path(args.document).resolve() if args.document else work / "graph.json"
        if not args.document:
            with document.open("wb") as out:
                subprocess.run(
                    [*GRAPHSVC, "generate", "--people", str(args.people), "--seed", "7"],
                    stdout=out,
                    stderr=subprocess.DEVNULL,
                    check=True,
                )
        print(
            "| round | bare baseline | `graphsvc import` | ratio | document records/s | "
            "no-op re-import | peak RSS import / re-import / bare | load (1 min) |"
        )
        print("| --- | --- | --- | --- | --- | --- | --- | --- |")
        for round_ in range(1, args.rounds + 1):
            for db in work.glob("*.db*"):
                db.unlink()
            runs: dict[str, Run] = {}
            order = ["bare", "import"] if round_ % 2 else ["import", "bare"]
            for what in order:
                if what == "bare":
                    runs["bare"] = timed(
                        [*BARE, str(document), str(work / "bare.db"), str(args.bare_page_size)]
                    )
                else:
                    target = f"sqlite:///{work / 'store.db'}"
                    command = [*GRAPHSVC, "import", "--store", target, str(document)]
                    runs["import"] = timed(command, code)
                    runs["again"] = timed(command, code)
            records = int(runs["bare"].output.strip().splitlines()[-1])
            b, i, a = runs["bare"], runs["import"], runs["again"]
            if "nothing to change" not in a.output:
                raise SystemExit(f"the re-import changed something:\n{a.output}")
            print(
                f"| {round_} | {b.wall:.1f} s (CPU {b.cpu:.1f} s) | {i.wall:.1f} s "
                f"(CPU {i.cpu:.1f} s) | {i.wall / b.wall:.2f}x | {records / i.wall:,.0f} "
                f"({records:,} records) | {a.wall:.1f} s (CPU {a.cpu:.1f} s) | "
                f"{i.rss_mib:,} / {a.rss_mib:,} / {b.rss_mib:,} MiB | "
                f"{b.load:.1f} / {i.load:.1f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()

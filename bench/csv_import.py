"""CSV bundle import against the JSON import of the same data, in the same run (issue 13).

    .venv/bin/python -m bench.csv_import --people 100000            # both, twice, alternating
    .venv/bin/python -m bench.csv_import --people 1000000 --rounds 1

1. ``graphsvc generate --people N`` writes a graph document; ``graphsvc import`` of it into a
   fresh SQLite file is the JSON import (a real CLI process: read, parse, validate, write).
2. The same document is written as a CSV bundle (not timed; each list's records as rows of
   its file, cells as ``services.bundle.columns`` writes them); ``graphsvc import`` of the
   bundle into another fresh file is the CSV import.
3. Each import is timed as a whole process (wall time, start-up included) with its peak
   RSS (``wait4``); the rounds alternate JSON and CSV so that a busy machine slows both.
   Records are counted as the import's summary counts them (a ``reportsToId`` is its
   REPORTS_TO line). Target: CSV records/s at least 0.8x the JSON import's.
4. Both stores are exported as JSON and compared: the same bytes, or the run fails.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson

from graphsvc.services.bundle.columns import LAYOUTS, cell_text

GRAPHSVC = [sys.executable, "-m", "graphsvc"]


def run(args: list[str], stdout: Path | None = None) -> tuple[float, int, str]:
    """Run ``graphsvc args``: (wall seconds, peak RSS in MiB, stderr); fails loudly."""
    env = {**os.environ}
    started = time.perf_counter()
    with open(stdout or os.devnull, "wb") as out:
        process = subprocess.Popen([*GRAPHSVC, *args], stdout=out, stderr=subprocess.PIPE, env=env)
        assert process.stderr is not None
        errors = process.stderr.read().decode()
        _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"graphsvc {' '.join(args)} failed:\n{errors}")
    return elapsed, usage.ru_maxrss // 1024, errors


def records_of(summary: str) -> int:
    """The record count of an import's summary line (``: 1,054 records (``)."""
    match = re.search(r": ([\d,]+) records \(", summary)
    if match is None:
        raise SystemExit(f"no record count in: {summary}")
    return int(match[1].replace(",", ""))


def write_bundle(document: Path, folder: Path) -> None:
    """The graph document at ``document`` as a CSV bundle in ``folder``."""
    data = orjson.loads(document.read_bytes())
    folder.mkdir()
    for name, layout in LAYOUTS.items():
        records = data.pop(name, None)
        if records is None:
            continue
        with (folder / layout.file_name).open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(layout.columns)
            writer.writerows([cell_text(r.get(c)) for c in layout.columns] for r in records)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="csv-bench-") as name:
        work = Path(name)
        document = work / "document.json"
        run(["generate", "--people", str(args.people), "--seed", str(args.seed)], document)
        bundle = work / "bundle"
        results: dict[str, list[tuple[float, int, int]]] = {"json": [], "csv": []}
        for round_ in range(args.rounds):
            stores: dict[str, str] = {}
            for kind, source in (("json", document), ("csv", bundle)):
                store = f"sqlite:///{work / f'{kind}-{round_}.db'}"
                stores[kind] = store
                if kind == "csv" and not bundle.exists():
                    write_bundle(document, bundle)
                seconds, rss, summary = run(["--store", store, "import", str(source)])
                results[kind].append((seconds, rss, records_of(summary)))
                print(
                    f"round {round_ + 1} {kind:>4}: {seconds:7.1f} s, peak RSS {rss:,} MiB, "
                    f"{records_of(summary) / seconds:,.0f} records/s",
                    flush=True,
                )
            exports = {}
            for kind, store in stores.items():
                exports[kind] = work / f"{kind}.json"
                run(["--store", store, "export"], exports[kind])
                Path(store.removeprefix("sqlite:///")).unlink()
            if digest(exports["json"]) != digest(exports["csv"]):
                raise SystemExit("the CSV import stored other data than the JSON import")
        size = sum(f.stat().st_size for f in bundle.iterdir())
        print(
            f"\n{args.people:,} people; document {document.stat().st_size / 2**20:,.0f} MiB, "
            f"bundle {size / 2**20:,.0f} MiB; both stores export the same JSON"
        )
        for round_ in range(args.rounds):
            (js, jr, n), (cs, cr, _) = results["json"][round_], results["csv"][round_]
            print(
                f"round {round_ + 1}: {n:,} records; JSON {n / js:,.0f}/s ({jr:,} MiB), "
                f"CSV {n / cs:,.0f}/s ({cr:,} MiB): CSV/JSON {js / cs:.2f}x"
            )


if __name__ == "__main__":
    main()

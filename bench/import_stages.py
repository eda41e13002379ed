"""Process CPU and memory of each stage of ``graphsvc import``, in process, as the command
runs it.

    PYTHONPATH=$PWD .venv/bin/python -m bench.import_stages g100k.json store.db   # twice: the
                                                        # second run is the no-op re-import

Runs the import command's path (read, records, then ``GraphService.import_document`` with
the cyclic collector paused) into the SQLite file given, and prints the process CPU and wall
time between the stages its progress callback reports (``lookup``, ``validate``, ``diff``,
``apply``), the resident memory (RSS) at each, and the peak. A tree without
``services.json_document`` (before "Import memory") is read as it read documents then.
Process CPU counts every thread: the store's reader threads during the lookups, its writer
thread during the apply. For an A/B comparison run it with ``PYTHONPATH`` set to each tree,
from a folder without a ``graphsvc/`` of its own (``bench/README.md``, "Import, round four").
"""

from __future__ import annotations

import argparse
import gc
import itertools
import resource
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import graphsvc
from graphsvc.cli.run import with_services
from graphsvc.config import Settings
from graphsvc.services.container import Services, build_services
from graphsvc.services.graph import ImportSummary
from graphsvc.services.parsing import ParsedDocument, decode_json, read_document


def _reader() -> tuple[Callable[[bytes], ParsedDocument | None], Callable[[], Any]]:
    """The command's fast reader and memory release, or stand-ins for a tree without them."""
    try:
        from graphsvc.cli.memory import release_freed_memory
        from graphsvc.services.json_document import read_valid_json
    except ImportError:
        return (lambda raw: None), (lambda: None)
    return read_valid_json, release_freed_memory


def _rss_mib() -> float:
    """This process's resident memory now (Linux)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * resource.getpagesize() / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("document")
    parser.add_argument("db", help="the SQLite file to import into (created when absent)")
    args = parser.parse_args()
    gc.disable()  # as the command does (graphsvc.cli.collector)
    marks: list[tuple[str, float, float, float]] = []

    def mark(name: str) -> None:
        marks.append((name, time.process_time(), time.perf_counter(), _rss_mib()))

    mark("start")
    services = build_services(Settings(store=f"sqlite:///{args.db}"))
    read_valid_json, release_freed_memory = _reader()
    raw = Path(args.document).read_bytes()
    document = read_valid_json(raw) or read_document(decode_json(raw))
    del raw
    release_freed_memory()
    mark("records")
    last: list[str] = []

    def progress(stage: str, done: int, total: int) -> None:
        if not last or last[-1] != stage:
            last.append(stage)
            mark(stage)

    async def work(opened: Services) -> ImportSummary:
        return await opened.graph.import_document("default", document, progress)

    summary = with_services(services, work)
    mark("end")
    print(f"{graphsvc.__file__}: applied={summary.applied}, version {summary.version}")
    for (name, cpu, wall, _), (following, cpu_next, wall_next, rss) in itertools.pairwise(marks):
        spent = f"CPU {cpu_next - cpu:6.2f} s   wall {wall_next - wall:6.2f} s"
        print(f"{name:>8} -> {following:<8} {spent}   RSS at {following} {rss:7.0f} MiB")
    cpu, wall = marks[-1][1] - marks[0][1], marks[-1][2] - marks[0][2]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'total':>20} CPU {cpu:6.2f} s   wall {wall:6.2f} s   peak RSS {peak:7.0f} MiB")


if __name__ == "__main__":
    main()

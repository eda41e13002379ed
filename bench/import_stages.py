"""Process CPU of each stage of ``graphsvc import``, in process, as the command runs it.

    PYTHONPATH=$PWD .venv/bin/python -m bench.import_stages g100k.json store.db   # twice: the
                                                        # second run is the no-op re-import

Runs the import command's path (read, decode, records, then ``GraphService.import_document``
with the cyclic collector paused) into the SQLite file given, and prints the process CPU
and wall time between the stages its progress callback reports (``lookup``, ``validate``,
``diff``, ``apply``). Process CPU counts every thread: the store's reader threads during
the lookups, its writer thread during the apply. For an A/B comparison run it with
``PYTHONPATH`` set to each tree, from a folder without a ``graphsvc/`` of its own
(``bench/README.md``, "Import, round four").
"""

from __future__ import annotations

import argparse
import gc
import itertools
import time
from pathlib import Path

import graphsvc
from graphsvc.cli.run import with_services
from graphsvc.config import Settings
from graphsvc.services.container import Services, build_services
from graphsvc.services.graph import ImportSummary
from graphsvc.services.parsing import decode_json, read_document


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("document")
    parser.add_argument("db", help="the SQLite file to import into (created when absent)")
    args = parser.parse_args()
    gc.disable()  # as the command does (graphsvc.cli.collector)
    marks: list[tuple[str, float, float]] = []

    def mark(name: str) -> None:
        marks.append((name, time.process_time(), time.perf_counter()))

    mark("start")
    services = build_services(Settings(store=f"sqlite:///{args.db}"))
    document = read_document(decode_json(Path(args.document).read_bytes()))
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
    for (name, cpu, wall), (following, cpu_next, wall_next) in itertools.pairwise(marks):
        spent = f"CPU {cpu_next - cpu:6.2f} s   wall {wall_next - wall:6.2f} s"
        print(f"{name:>8} -> {following:<8} {spent}")
    cpu, wall = marks[-1][1] - marks[0][1], marks[-1][2] - marks[0][2]
    print(f"{'total':>20} CPU {cpu:6.2f} s   wall {wall:6.2f} s")


if __name__ == "__main__":
    main()

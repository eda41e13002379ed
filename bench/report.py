"""``graphsvc report`` for the demo holding company: the issue-13 target is ≤ 2 s.

    .venv/bin/python -m bench.report            # --runs 5

The demo document (``graphsvc.demo``, about 2,000 people) is imported into a temporary
SQLite store with ``graphsvc import``; then, in the same run:

- the command as a user runs it, ``graphsvc report --organization org1 --as-of <demo
  today>`` (HTML, and ``--format md``), wall clock of the whole process, median of
  ``--runs``, and its CPU time (user + system, read from the child's rusage): this is the
  figure the target is about;
- the bare baseline: ``graphsvc --version`` (the interpreter and the CLI starting, nothing
  read), so the report's own share is the difference;
- in process, through ``Services``: the first plan (building the projection from the store,
  as the command does) and a warm plan (projection cached, as in the server), split from
  the facts' gathering.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from graphsvc.demo import DEMO_HOLDING, DEMO_TODAY, demo_document
from graphsvc.services.container import Services
from graphsvc.services.report import ReportFormat
from graphsvc.services.report.facts import gather
from graphsvc.store.sqlite import SqliteStore


def command(env: dict[str, str], *args: str) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one ``python -m graphsvc`` run (which must
    succeed): on a shared machine the CPU time is what the command itself costs."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "graphsvc", *args], env=env, check=True, capture_output=True
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu


def median_of(runs: int, env: dict[str, str], *args: str) -> tuple[float, float]:
    """Median wall and median CPU seconds of ``runs`` runs."""
    found = [command(env, *args) for _ in range(runs)]
    return statistics.median(w for w, _ in found), statistics.median(c for _, c in found)


async def in_process(db: Path) -> dict[str, float]:
    store = SqliteStore(str(db))
    await store.open()
    try:
        services = Services.over(store)
        figures: dict[str, float] = {}
        start = time.perf_counter()
        await services.report.account_plan("default", DEMO_HOLDING, as_of=DEMO_TODAY)
        figures["first plan (builds the projection)"] = time.perf_counter() - start
        start = time.perf_counter()
        await gather(services.analytics, services.history, "default", DEMO_HOLDING, DEMO_TODAY)
        figures["warm: facts only"] = time.perf_counter() - start
        for fmt in ReportFormat:
            start = time.perf_counter()
            await services.report.account_plan(
                "default", DEMO_HOLDING, format=fmt, as_of=DEMO_TODAY
            )
            figures[f"warm plan, {fmt.value}"] = time.perf_counter() - start
        return figures
    finally:
        await store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "demo.db"
        document = Path(folder) / "demo.json"
        document.write_bytes(demo_document())
        env = {**os.environ, "GRAPHSVC_STORE": f"sqlite:///{db}"}
        imported, _ = command(env, "import", str(document))
        print(f"demo imported in {imported:.1f} s; load average {os.getloadavg()[0]:.1f}")
        day = DEMO_TODAY.isoformat()
        report = ("report", "--organization", DEMO_HOLDING, "--as-of", day)
        html = median_of(args.runs, env, *report)
        markdown = median_of(args.runs, env, *report, "--format", "md")
        bare = median_of(args.runs, env, "--version")
        for name, (wall, cpu) in (
            ("graphsvc report (html)", html),
            ("graphsvc report --format md", markdown),
            ("graphsvc --version (bare start)", bare),
        ):
            print(f"{name}, median of {args.runs}: {wall:.2f} s wall, {cpu:.2f} s CPU")
        print(f"report's own share (html - bare): {html[0] - bare[0]:.2f} s wall")
        for name, seconds in asyncio.run(in_process(db)).items():
            print(f"in process, {name}: {seconds * 1000:.0f} ms")


if __name__ == "__main__":
    main()

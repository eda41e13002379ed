"""Cold start: the first ``contactRoutes`` answer after ``graphsvc serve`` is spawned, against
a bare ``networkx.Graph`` of the same edges read from the same SQLite file (issue 14, item 4).

Usage::

    .venv/bin/graphsvc generate --people 100000 --seed 7 > /tmp/g100k.json
    GRAPHSVC_STORE=sqlite:////tmp/g100k.db .venv/bin/graphsvc import /tmp/g100k.json
    .venv/bin/python -m bench.cold_start /tmp/g100k.db [--rounds 3]

Each round, alternating between the two so the box's load weighs on both alike:

- **serve** (a *first start*: the store's projection snapshot deleted beforehand, so the
  server builds its projection from the records, the figure of the earlier rounds): spawn
  ``python -m graphsvc serve`` (auth off, loopback) over the store; post a
  ``contactRoutes(to: T, k: 1)`` as soon as the port accepts (retrying only while it refuses
  connections), and time spawn → first answer. ``/readyz`` is polled beside it, to report
  when the server said its projections are ready.
- **restart**: the same again right after, now that the first start's shutdown saved the
  projection snapshot into the store (``GRAPHSVC_PROJECTION_SNAPSHOTS``): the server loads it
  instead of building (``--no-restart`` skips this).
- **bare**: spawn ``python -c`` that imports sqlite3 and networkx, reads every relationship's
  ``type, a, b, strength, dotted`` from the same file and builds the undirected graph of the
  strongest relationship per pair (CONTRACT §5's walkable graph, as ``Projection.walk``);
  time spawn → graph built (the child prints when), and the child's own read + build time.

``--compiled`` serves copies of the trees with their bytecode compiled beforehand (``compileall``
into ``__pycache__``), as an installed package has it: this box sets
``PYTHONDONTWRITEBYTECODE=1``, so otherwise every start compiles graphsvc's ~200 modules from
source (~0.15-0.2 s of CPU), while the bare baseline's networkx comes precompiled from the venv.

The figures printed per round: serve spawn → answer; bare spawn → built; bare read + build
in its process; and the two ratios (serve over each bare figure). Also the **CPU time** each
process had used by then (the server's from ``/proc/PID/stat`` when its answer arrived, the
bare child's from ``wait4``): on a shared box wall times swing with the load, CPU seconds
much less, so their ratio says what the server's start costs when the box is busy.
"""

from __future__ import annotations

import argparse
import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.installed import compiled_copy

ROUTES = "query R($to: ID!) { contactRoutes(to: $to, k: 1) { score people { id } } }"

BARE = r"""
import sys, time
started = time.perf_counter()
import sqlite3
import networkx as nx
DEFAULTS = {("KNOWS", 0): 0.5, ("KNOWS", 1): 0.5, ("INFLUENCES", 0): 0.5,
            ("INFLUENCES", 1): 0.5, ("REPORTS_TO", 0): 0.7, ("REPORTS_TO", 1): 0.5}
imported = time.perf_counter()
connection = sqlite3.connect(sys.argv[1])
rows = connection.execute(
    "SELECT type, a, b, doc ->> 'strength', doc ->> 'dotted' FROM relationships "
    "WHERE workspace = ?", (sys.argv[2],)
).fetchall()
people = [row[0] for row in connection.execute(
    "SELECT id FROM people WHERE workspace = ?", (sys.argv[2],))]
graph = nx.Graph()
graph.add_nodes_from(people)
adjacency = graph._adj
for type_, a, b, strength, dotted in rows:
    s = DEFAULTS[type_, dotted or 0] if strength is None else strength
    found = adjacency[a].get(b)
    if found is None or found["strength"] < s:
        graph.add_edge(a, b, strength=s)
built = time.perf_counter()
print(f"{built - imported:.4f} {graph.number_of_edges()}", flush=True)
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _target(db: Path, workspace: str) -> str:
    """A person of a customer organization (not our own), the route's destination."""
    with sqlite3.connect(db) as connection:
        row = connection.execute(
            "SELECT p.id FROM people p JOIN organizations o ON o.workspace = p.workspace "
            "AND o.id = p.organization_id WHERE p.workspace = ? AND o.doc ->> 'kind' != 'SELF' "
            "ORDER BY p.id LIMIT 1",
            (workspace,),
        ).fetchone()
    if row is None:
        raise SystemExit(f"no customer person in workspace {workspace!r} of {db}")
    return str(row[0])


@dataclass
class Served:
    """One serve round: spawn → first answer, → first HTTP answer, → /readyz 200."""

    first: float
    listening: float | None
    ready: float | None
    cpu: float | None = None
    """CPU seconds (user + system, every thread) the server had used when it answered."""


def serve_once(db: Path, workspace: str, target: str, log: Path, code: str | None = None) -> Served:
    """Spawn → first contactRoutes answer, → listening, → /readyz ready (None if not seen);
    ``code``: a PYTHONPATH to serve other code of graphsvc from (a baseline commit)."""
    port = _free_port()
    env = {
        **os.environ,
        **({"PYTHONPATH": code} if code else {}),
        "GRAPHSVC_STORE": f"sqlite:///{db}",
        "GRAPHSVC_WORKSPACE": workspace,
        "GRAPHSVC_AUTH": "off",
    }
    base = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "graphsvc", "serve", "--port", str(port)],
        # Not the caller's folder: ``python -m`` puts the working folder first on the path,
        # so run from a checkout it served that checkout's graphsvc whatever PYTHONPATH said
        # (``--also`` measured the caller's code twice).
        cwd=log.parent,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log.open("ab"),
    )
    ready: list[float] = []
    listening: list[float] = []
    answered = threading.Event()

    def poll_ready() -> None:
        with httpx.Client(base_url=base, timeout=60) as client:
            while not answered.is_set():
                try:
                    status = client.get("/readyz").status_code
                except httpx.TransportError:
                    time.sleep(0.02)
                    continue
                if not listening:
                    listening.append(time.perf_counter() - started)
                if status == 200:
                    ready.append(time.perf_counter() - started)
                    return
                time.sleep(0.02)

    poller = threading.Thread(target=poll_ready, daemon=True)
    poller.start()
    try:
        with httpx.Client(base_url=base, timeout=600) as client:
            while True:
                if process.poll() is not None:
                    raise SystemExit(f"the server exited during start-up; see {log}")
                try:
                    response = client.post(
                        "/graphql", json={"query": ROUTES, "variables": {"to": target}}
                    )
                except httpx.TransportError:
                    time.sleep(0.01)
                    continue
                body = response.json()
                if response.status_code != 200 or body.get("errors"):
                    raise SystemExit(f"contactRoutes failed: {response.status_code} {body}")
                first = time.perf_counter() - started
                cpu = _cpu_seconds(process.pid)
                break
    finally:
        answered.set()
        process.terminate()  # a graceful shutdown: this one saves the projection snapshot
        process.wait(60)
    poller.join(5)
    return Served(first, listening[0] if listening else None, ready[0] if ready else None, cpu)


def drop_snapshots(db: Path) -> int:
    """Delete the store's saved projections (a first start); how many there were."""
    with sqlite3.connect(db) as connection:
        try:
            return connection.execute("DELETE FROM projection_snapshots").rowcount
        except sqlite3.OperationalError:  # a store no snapshot-saving graphsvc has opened
            return 0


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of a running process so far (Linux), None elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def bare_once(db: Path, workspace: str) -> tuple[float, float, int, float]:
    """Spawn → bare graph built, the child's read + build seconds, its edge count, and the
    CPU seconds the child used in all (it exits once built)."""
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", BARE, str(db), workspace], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    line = child.stdout.readline()
    spawn_to_built = time.perf_counter() - started
    _, _, usage = os.wait4(child.pid, 0)
    child.returncode = 0  # reaped above
    inner, edges = line.split()
    return spawn_to_built, float(inner), int(edges), usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path, help="an SQLite store with the document imported")
    parser.add_argument("--workspace", default="default")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--compiled",
        action="store_true",
        help="serve copies of the trees with their bytecode compiled (as installed)",
    )
    parser.add_argument(
        "--no-restart",
        action="store_true",
        help="only first starts (no restart from the snapshot the first start saved)",
    )
    parser.add_argument(
        "--also",
        metavar="PYTHONPATH",
        help="also serve the graphsvc found on this path each round (a baseline commit, e.g. "
        "`git archive BASE graphsvc | tar -x -C /tmp/base`)",
    )
    args = parser.parse_args()
    db = args.db.resolve()
    target = _target(db, args.workspace)
    log = Path(tempfile.mkdtemp(prefix="graphsvc-coldstart-")) / "serve.log"
    code: str | None = None
    if args.compiled:
        here = Path(__file__).resolve().parents[1] / "graphsvc"
        code = compiled_copy(here, log.parent / "this")
        if args.also:
            args.also = compiled_copy(Path(args.also) / "graphsvc", log.parent / "also")
    print(f"store {db}, route to {target}; server log {log}; bytecode compiled: {args.compiled}")
    print(f"uptime: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} (1 and 5 min load)")
    serves, alsos, bares, inners, restarts = [], [], [], [], []
    cpu_ratios, also_cpu_ratios, restart_cpu_ratios = [], [], []
    for round_ in range(1, args.rounds + 1):
        drop_snapshots(db)
        served = serve_once(db, args.workspace, target, log, code)
        again = None if args.no_restart else serve_once(db, args.workspace, target, log, code)
        bare, inner, edges, bare_cpu = bare_once(db, args.workspace)
        serves.append(served.first)
        bares.append(bare)
        inners.append(inner)
        if served.cpu is not None:
            cpu_ratios.append(served.cpu / bare_cpu)
        print(
            f"round {round_} (load {os.getloadavg()[0]:.2f}): {_text(served)}; bare spawn→built "
            f"{bare:.2f} s, read+build {inner:.2f} s ({edges:,} edges), CPU {bare_cpu:.2f} s; "
            f"ratio {served.first / bare:.2f}× spawn-to-spawn, {served.first / inner:.2f}× to "
            f"the bare read+build{_cpu_ratio(served, bare_cpu)}"
        )
        if again is not None:
            label = "restart (snapshot saved by the first start)"
            _compared(label, again, bare, bare_cpu, restarts, restart_cpu_ratios)
        if args.also:
            other = serve_once(db, args.workspace, target, log, args.also)
            _compared(args.also, other, bare, bare_cpu, alsos, also_cpu_ratios)
    serve, bare, inner = (statistics.median(x) for x in (serves, bares, inners))
    print(
        f"median: serve {serve:.2f} s, bare spawn→built {bare:.2f} s, bare read+build "
        f"{inner:.2f} s; ratios {serve / bare:.2f}× and {serve / inner:.2f}×"
        + (f"; CPU ratio {statistics.median(cpu_ratios):.2f}×" if cpu_ratios else "")
    )
    if restarts:
        _median_of("restart", restarts, restart_cpu_ratios, bare)
    if alsos:
        _median_of(f"of {args.also}", alsos, also_cpu_ratios, bare)


def _compared(
    label: str,
    served: Served,
    bare: float,
    bare_cpu: float,
    firsts: list[float],
    cpu_ratios: list[float],
) -> None:
    """Note a serve beside the round's first start (a restart, another tree) and print it."""
    firsts.append(served.first)
    if served.cpu is not None:
        cpu_ratios.append(served.cpu / bare_cpu)
    print(
        f"  {label}: {_text(served)}; ratio {served.first / bare:.2f}× "
        f"spawn-to-spawn{_cpu_ratio(served, bare_cpu)}"
    )


def _median_of(label: str, firsts: list[float], cpu_ratios: list[float], bare: float) -> None:
    """Print the median of ``firsts`` against the bare median ``bare``."""
    median = statistics.median(firsts)
    print(
        f"median {label}: {median:.2f} s; ratio {median / bare:.2f}× spawn-to-spawn"
        + (f"; CPU ratio {statistics.median(cpu_ratios):.2f}×" if cpu_ratios else "")
    )


def _cpu_ratio(served: Served, bare_cpu: float) -> str:
    if served.cpu is None:
        return ""
    return f"; CPU {served.cpu:.2f} s, {served.cpu / bare_cpu:.2f}× the bare CPU"


def _text(served: Served) -> str:
    def at(seconds: float | None) -> str:
        return "—" if seconds is None else f"{seconds:.2f} s"

    return (
        f"serve spawn→answer {served.first:.2f} s (listening {at(served.listening)}, "
        f"/readyz 200 {at(served.ready)})"
    )


if __name__ == "__main__":
    main()

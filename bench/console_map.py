"""The console's power map in headless Chromium against a real server (issue 12's measure).

    .venv/bin/python -m bench.console_map                  # 10,000 generated people (seed 7)
    .venv/bin/python -m bench.console_map --people 2000
    .venv/bin/python -m bench.console_map --demo           # the demo's holding company, org1

Steps: ``graphsvc generate`` a group of ``--people`` people and ``graphsvc import`` it into a
fresh SQLite file (or, with ``--demo``, let ``graphsvc demo`` seed its group), serve it on a
free loopback port, then drive ``console/e2e/mapbench.mjs`` (the browser tests' harness) on
the power map of ``org1`` with its subsidiaries, ``--runs`` page loads. Per load it prints:

- **interactive**: ms from navigation start (the page's time origin) to the first frame of
  the drawn people, after which the map answers clicks; the lines follow in the next frame
  (**lines drawn at**); with the page's steps (data read, table built, drawing library
  loaded, graph built) and the wall time the driver saw until the lines were drawn;
- **a click at interactive**: the most influential person clicked as soon as the people are
  drawn, ms until the side panel shows them (and when that was, from navigation);
- **click**: the same once every line is drawn;
- **pan / zoom**: frames per second and the longest frame while dragging the map with the
  mouse (40 steps) and turning the wheel (10 ticks);
- **unfold** (a folded map, above 3,000 people): ms to draw one person's reports.

Targets: the demo's 1,978-person group interactive in ≤ 2,000 ms (issue 12); 10,000 people
"remain usable": interactive in ≤ 3,000 ms, click ≤ 500 ms, pan and zoom ≥ 20 frames/s.
The first load meets a cold server (powerMap computed, the drawing library not yet cached).
Needs node, console/node_modules (make console) and chromium, as the browser tests do.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from bench.servers import BENCH_BUDGET

REPO = Path(__file__).resolve().parents[1]
CONSOLE = REPO / "console"
CHROMIUM = os.environ.get("GRAPHSVC_TEST_CHROMIUM", "/usr/bin/chromium")

TARGETS = {"demo": 2000, "people": 3000}
"""Milliseconds from navigation to interactive: the demo's group, a generated one."""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _graphsvc(*args: str, env: dict[str, str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "graphsvc", *args], env=env, check=True, text=True, **kwargs
    )


def _wait_healthy(process: subprocess.Popen[str], port: int, within: float) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited with {process.returncode}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("the server did not become healthy")


def _serve(home: Path, args: argparse.Namespace) -> tuple[subprocess.Popen[str], int, str]:
    """A served store: the demo (its printed token) or a generated group (auth off)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRAPHSVC_")}
    env["GRAPHSVC_STORE"] = f"sqlite:///{home / 'graph.db'}"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env["GRAPHSVC_LOG_LEVEL"] = "WARNING"
    env.update(BENCH_BUDGET)  # one token, many page loads a minute: charged, never refused
    port = _free_port()
    if args.demo:
        command = ["demo", "--port", str(port)]
    else:
        document = home / "group.json"
        with document.open("w") as out:
            _graphsvc(
                "generate",
                "--people",
                str(args.people),
                "--seed",
                str(args.seed),
                env=env,
                stdout=out,
            )
        _graphsvc("import", str(document), env=env, stderr=subprocess.DEVNULL)
        env["GRAPHSVC_AUTH"] = "off"  # allowed on loopback: any token is served as admin
        command = ["serve", "--port", str(port)]
    process = subprocess.Popen(
        [sys.executable, "-m", "graphsvc", *command],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    _wait_healthy(process, port, within=300)
    token = process.stdout.readline().strip() if args.demo and process.stdout else "bench"
    return process, port, token


def _report(runs: list[dict[str, Any]], target: int) -> None:
    for i, r in enumerate(runs):
        steps = ", ".join(f"{k} {r[k]}" for k in ("data", "table", "library", "built"))
        unfold = r.get("unfold")
        print(
            f"load {i + 1}{' (cold server)' if i == 0 else ''}: {r['people']:,} people, "
            f"{r['nodes']:,} nodes and {r['edges']:,} lines drawn; "
            f"interactive {r['interactive']} ms from navigation, lines drawn at {r['complete']} ms "
            f"({steps}; driver's wall {r['wall']} ms); a click at interactive answered in "
            f"{r['earlyClickMillis']} ms (panel at {r['earlyClickAt']} ms from navigation); "
            f"click {r['clickMillis']} ms; "
            f"pan {r['pan']['fps']} fps (longest frame {r['pan']['longestFrameMs']} ms); "
            f"zoom {r['zoom']['fps']} fps (longest {r['zoom']['longestFrameMs']} ms)"
            + (
                f"; unfold {unfold['millis']} ms to {unfold['nodesAfter']:,} nodes"
                if unfold
                else ""
            )
        )
    warm = sorted(r["interactive"] for r in runs[1:]) or [runs[0]["interactive"]]
    median = warm[len(warm) // 2]
    verdict = "met" if median <= target else "NOT met"
    print(f"interactive, median of the warm loads: {median} ms (target ≤ {target} ms: {verdict})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--demo", action="store_true", help="the demo's holding company instead")
    parser.add_argument("--runs", type=int, default=4)
    args = parser.parse_args()
    node = shutil.which("node")
    if node is None or not (CONSOLE / "node_modules").is_dir() or not os.access(CHROMIUM, os.X_OK):
        raise SystemExit("needs node, console/node_modules (make console) and chromium")
    with tempfile.TemporaryDirectory(prefix="console-map-") as tmp:
        home = Path(tmp)
        process, port, token = _serve(home, args)
        try:
            run = subprocess.run(
                [node, "e2e/mapbench.mjs"],
                cwd=CONSOLE,
                env={
                    **os.environ,
                    "BASE_URL": f"http://127.0.0.1:{port}",
                    "TOKEN": token,
                    "ORG_ID": "org1",
                    "CHROMIUM": CHROMIUM,
                    "ARTIFACTS": str(REPO / "test-artifacts" / "bench-console-map"),
                    "RUNS": str(args.runs),
                },
                capture_output=True,
                text=True,
                check=False,
                timeout=1800,
            )
            if run.returncode != 0:
                raise SystemExit(run.stderr)
            seen = json.loads(run.stdout)
            if seen["pageErrors"]:
                raise SystemExit(f"page errors: {seen['pageErrors']}")
            _report(seen["runs"], TARGETS["demo" if args.demo else "people"])
        finally:
            process.terminate()
            process.wait(timeout=30)


if __name__ == "__main__":
    main()

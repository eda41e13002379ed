"""person(id) latency while a power map of a large scope computes (issue 14, item 5).

Usage::

    .venv/bin/graphsvc generate --people 10000 --seed 7 > /tmp/g10k.json
    .venv/bin/python -m bench.offloop /tmp/g10k.json [--rounds 5]

Imports the document into a fresh SQLite file, serves it (``graphsvc serve``, auth off), builds
the projection, then measures ``person(id)`` alone (the baseline, same server, same run), and
again while a cold ``powerMap`` of the largest organization computes: each round first
changes a person's stance (a write, so the power map's per-version memo cannot answer) and
then asks ``person(id)`` back to back until the power map has answered. Then the same with
stance writes (of another person) back to back instead of ``person(id)``, against writes
alone (issue 14, item 5, part two: a write no longer waits for a running analytic).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench.routes_http import Server

PERSON = "query P($id: ID!) { person(id: $id) { id name title } }"
POWER = "query M($org: ID!) { powerMap(organizationId: $org) { person { id } influence } }"
STANCE = (
    "mutation S($id: ID!, $stance: Stance!) { updatePerson(id: $id, input: {stance: $stance})"
    " { __typename } }"
)


def _ms(values: list[float]) -> str:
    cuts = statistics.quantiles(values, n=100) if len(values) > 1 else values * 99
    return (
        f"median {statistics.median(values) * 1000:6.1f} ms  p95 {cuts[94] * 1000:6.1f} ms  "
        f"max {max(values) * 1000:6.1f} ms  ({len(values)} requests)"
    )


def _timed(server: Server, query: str, **variables: Any) -> float:
    started = time.perf_counter()
    server.graphql(query, **variables)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("document", help="a generated graph document (JSON)")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="graphsvc-offloop-"))
    store_env = {"GRAPHSVC_STORE": f"sqlite:///{workdir / 'bench.db'}"}
    subprocess.run(
        [sys.executable, "-m", "graphsvc", "import", args.document],
        env={**os.environ, **store_env},
        check=True,
        stdout=subprocess.DEVNULL,
    )
    doc = json.loads(Path(args.document).read_text(encoding="utf-8"))
    sizes = Counter(p["organizationId"] for p in doc["people"])
    organization = sizes.most_common(1)[0][0]
    person = next(p["id"] for p in doc["people"] if p["organizationId"] == organization)
    print(f"{len(doc['people'])} people; powerMap of {organization!r} ({sizes[organization]} own)")

    server = Server(store_env, workdir / "server.log")
    try:
        server.wait_ready()
        server.graphql(POWER, retry_limits=True, org=organization)  # builds the projection
        alone = [_timed(server, PERSON, id=person) for _ in range(50)]
        during: list[float] = []
        maps: list[float] = []
        stances = ["CHAMPION", "SKEPTIC"]
        for round_ in range(args.rounds):
            server.graphql(STANCE, id=person, stance=stances[round_ % 2])
            done = threading.Event()
            took: list[float] = []

            def power_map(took: list[float], done: threading.Event) -> None:
                took.append(_timed(server, POWER, org=organization))
                done.set()

            thread = threading.Thread(target=power_map, args=(took, done))
            thread.start()
            time.sleep(0.02)  # the power map's request is in
            while not done.is_set():
                during.append(_timed(server, PERSON, id=person))
            thread.join()
            maps.extend(took)
        print(f"person(id) alone:                {_ms(alone)}")
        print(f"person(id) during a cold powerMap: {_ms(during)}")
        print(f"cold powerMap (after a write):   {_ms(maps)}")
        other = next(p["id"] for p in doc["people"] if p["id"] != person)
        writes_alone = [_timed(server, STANCE, id=other, stance=stances[i % 2]) for i in range(20)]
        writes_during: list[float] = []
        firsts: list[float] = []
        for round_ in range(args.rounds):
            server.graphql(STANCE, id=person, stance=stances[round_ % 2])
            done = threading.Event()
            thread = threading.Thread(target=power_map, args=([], done))
            thread.start()
            time.sleep(0.02)
            i = 0
            while not done.is_set():
                writes_during.append(_timed(server, STANCE, id=other, stance=stances[i % 2]))
                i += 1
            firsts.append(writes_during[-i])
            thread.join()
        print(f"a write alone:                   {_ms(writes_alone)}")
        print(f"a write during a cold powerMap:  {_ms(writes_during)}")
        print(
            "  the first of each round (sent 20 ms after the powerMap, while it computes): "
            + ", ".join(f"{t * 1000:.0f} ms" for t in firsts)
        )
    finally:
        server.stop()


if __name__ == "__main__":
    main()

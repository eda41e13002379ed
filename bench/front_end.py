"""Front-end tools (issue 15): bytes on the wire with gzip, and a 304 against the full answer.

Usage::

    python -m bench.front_end [--repeat 21]

1. ``graphsvc demo`` on a free loopback port with a fresh SQLite file (the demo group: org1's
   power map has 1,978 rows); its editor token is read from its stdout.
2. **Compression.** ``POWER_MAP`` (every row with the person's id, name, title, department
   and organization) is fetched with ``Accept-Encoding: identity`` and with ``gzip``; the
   bytes that crossed the wire are counted (before httpx decodes them) and the decoded
   answers compared. Latency of both, alternating, medians (on loopback, compression only
   costs time; it pays on a real network, see the bytes). In process, the same body is
   compressed at zlib levels 1, 6 and 9 (why ``api.compression`` uses 6).
3. **HTTP caching.** The same query over GET: the full answer (200), the same GET with the
   tag of that answer in ``If-None-Match`` (304, nothing executed), and the floor of any
   authenticated request, ``GET ?query={ __typename }`` (the bare baseline), alternating
   between the three, medians of warm requests.
"""

from __future__ import annotations

import argparse
import gzip
import os
import statistics
import time
import zlib
from collections.abc import Callable
from typing import Any

import httpx

from bench.servers import demo_server

POWER_MAP = (
    '{ powerMap(organizationId: "org1") { person { id name title department { id name } '
    "organization { id name } } influence formalRank brokerage hiddenInfluencer } }"
)
TRIVIAL = "{ __typename }"


def _fetch(
    client: httpx.Client, method: str, url: str, **kwargs: Any
) -> tuple[float, httpx.Response, bytes]:
    """Milliseconds of one exchange, the response and the bytes on the wire."""
    started = time.perf_counter()
    with client.stream(method, url, **kwargs) as response:
        wire = b"".join(response.iter_raw())
    elapsed = (time.perf_counter() - started) * 1e3
    if response.status_code not in (200, 304):
        raise SystemExit(f"{method} {url}: {response.status_code} {wire[:300]!r}")
    return elapsed, response, wire


def _alternate(runs: dict[str, Callable[[], float]], repeat: int) -> dict[str, float]:
    """Median ms of each run over ``repeat`` rounds (after 3 warm-ups), alternating."""
    times: dict[str, list[float]] = {name: [] for name in runs}
    for i in range(repeat + 3):
        for name, run in runs.items():
            elapsed = run()
            if i >= 3:
                times[name].append(elapsed)
    return {name: statistics.median(values) for name, values in times.items()}


def _compression_levels(body: bytes) -> None:
    for level in (1, 6, 9):
        started = time.perf_counter()
        for _ in range(5):
            size = len(zlib.compress(body, level))
        ms = (time.perf_counter() - started) / 5 * 1e3
        print(f"  zlib level {level}: {size:,} bytes in {ms:.1f} ms (in process)")


def measure(client: httpx.Client, url: str, repeat: int) -> None:
    post = {"json": {"query": POWER_MAP}}
    _, _, plain_wire = _fetch(client, "POST", url, headers={"Accept-Encoding": "identity"}, **post)
    _, zipped, zipped_wire = _fetch(
        client, "POST", url, headers={"Accept-Encoding": "gzip"}, **post
    )
    assert zipped.headers.get("content-encoding") == "gzip", zipped.headers
    assert gzip.decompress(zipped_wire) == plain_wire, "the gzipped answer differs"
    rows = len(httpx.Response(200, content=plain_wire).json()["data"]["powerMap"])
    print(
        f"powerMap of {rows:,} rows: {len(plain_wire):,} bytes plain, {len(zipped_wire):,} "
        f"gzipped ({len(zipped_wire) / len(plain_wire):.1%})"
    )
    _compression_levels(plain_wire)
    medians = _alternate(
        {
            "POST identity": lambda: _fetch(
                client, "POST", url, headers={"Accept-Encoding": "identity"}, **post
            )[0],
            "POST gzip": lambda: _fetch(
                client, "POST", url, headers={"Accept-Encoding": "gzip"}, **post
            )[0],
        },
        repeat,
    )
    print("  latency on loopback: " + ", ".join(f"{k} {v:.1f} ms" for k, v in medians.items()))

    params = {"query": POWER_MAP}
    _, full, _ = _fetch(client, "GET", url, params=params, headers={"Accept-Encoding": "gzip"})
    tag = full.headers["etag"]
    _, again, _ = _fetch(
        client, "GET", url, params=params, headers={"If-None-Match": tag, "Accept-Encoding": "gzip"}
    )
    assert again.status_code == 304, again.status_code
    medians = _alternate(
        {
            "full GET (200)": lambda: _fetch(
                client, "GET", url, params=params, headers={"Accept-Encoding": "gzip"}
            )[0],
            "conditional GET (304)": lambda: _fetch(
                client,
                "GET",
                url,
                params=params,
                headers={"If-None-Match": tag, "Accept-Encoding": "gzip"},
            )[0],
            "bare: GET { __typename }": lambda: _fetch(
                client, "GET", url, params={"query": TRIVIAL}, headers={"Accept-Encoding": "gzip"}
            )[0],
        },
        repeat,
    )
    full_ms, cond_ms, bare_ms = medians.values()
    print(
        "GET of the same powerMap: "
        + ", ".join(f"{k} {v:.1f} ms" for k, v in medians.items())
        + f"; 304 is {full_ms / cond_ms:.1f}x faster than the full answer, "
        f"{cond_ms / bare_ms:.2f}x the bare request"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=21)
    args = parser.parse_args()
    with demo_server() as demo:
        print(f"load: {os.getloadavg()[0]:.2f} (1 min)")
        with httpx.Client(headers=demo.headers, timeout=120) as client:
            measure(client, demo.graphql, args.repeat)
        print(f"load: {os.getloadavg()[0]:.2f} (1 min)")


if __name__ == "__main__":
    main()

"""A flood of analytic requests, in a process of its own (``tests/cli/test_overload_flood``).

    python -m tests.cli.flood URL TOKEN SECONDS CLIENTS < work.json

``work.json`` is a list of GraphQL request bodies; ``CLIENTS`` concurrent clients send them
round-robin, back to back, ignoring ``Retry-After`` (the impolite case), for ``SECONDS``
after the line ``flooding`` is printed. Then one JSON line: how many were answered, every
refusal's status, ``Retry-After`` and code, and anything else (which the test forbids).

Its own process so that the flood's client work does not slow down the test's
``person(id)`` probes: the probes measure the server, not a shared client event loop.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import sys
import time
from typing import Any

import httpx


async def flood(url: str, token: str, seconds: float, clients: int, work: list[Any]) -> None:
    answered = 0
    refused: list[dict[str, Any]] = []
    other: list[str] = []
    bodies = itertools.cycle(work)
    headers = {"Authorization": f"Bearer {token}"}
    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(headers=headers, timeout=60, limits=limits) as http:

        async def client(until: float) -> None:
            nonlocal answered
            while time.monotonic() < until:
                response = await http.post(url, json=next(bodies))
                body = response.json()
                if response.status_code == 200 and "errors" not in body:
                    answered += 1
                elif response.status_code == 503:
                    errors = body.get("errors") or [{}]
                    refused.append(
                        {
                            "retry_after": response.headers.get("retry-after"),
                            "code": errors[0].get("extensions", {}).get("code"),
                            "message": errors[0].get("message"),
                        }
                    )
                else:
                    other.append(f"{response.status_code} {response.text[:300]}")

        print("flooding", flush=True)
        until = time.monotonic() + seconds
        await asyncio.gather(*(client(until) for _ in range(clients)))
    print(json.dumps({"answered": answered, "refused": refused, "other": other}), flush=True)


if __name__ == "__main__":
    url, token, seconds, clients = sys.argv[1:5]
    asyncio.run(flood(url, token, float(seconds), int(clients), json.load(sys.stdin)))

"""Token budgets of a real ``graphsvc serve`` (CONTRACT §11): the worker processes of
``--workers 2`` draw from one bucket per token, and ``--token-budget`` is checked like the
variable.

A fresh connection per request lets the kernel hand requests to either worker
(``X-Graphsvc-Worker`` says which answered). With a bucket per worker, both workers would
refuse only after two budgets' worth of requests; with one shared bucket, after one.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import httpx
import pytest

from graphsvc.domain.auth import Role
from tests.processes import cli, free_port, load_kaito, serving

BUDGET = 600
"""Points a minute: 10 a second of refill."""

QUERY = "{ " + " ".join(f'p{n}: person(id: "p-cfo") {{ id title }}' for n in range(10)) + " }"
"""Costs 30: twenty of them spend the budget."""

ASKS = 200


def _until_both_workers_answer(url: str) -> None:
    """Ask ``url`` on fresh connections until two workers have answered (the second may
    still be starting when the first answers)."""
    seen: set[str] = set()
    for _ in range(ASKS * 2):
        seen.add(httpx.get(url, timeout=30).headers["x-graphsvc-worker"])
        if len(seen) == 2:
            return
        time.sleep(0.05)
    pytest.fail(f"only worker {seen} answered")


@pytest.mark.slow
@pytest.mark.reliability
def test_two_workers_draw_from_one_bucket_per_token(tmp_path: Path) -> None:
    # given two workers with a budget of twenty requests a minute, their temporary files in
    # a directory of the test's own
    db = tmp_path / "graph.db"
    token = asyncio.run(load_kaito(db, Role.VIEWER))
    temp = tmp_path / "tmp"
    temp.mkdir()
    args = ("--workers", "2", "--token-budget", str(BUDGET))
    with serving(db, tmp_path, env={"TMPDIR": str(temp)}, args=args) as server:
        assert len(list(temp.glob("graphsvc-budgets-*"))) == 1  # the shared table's
        _until_both_workers_answer(server.url + "/healthz")  # free: not GraphQL

        # when one token asks on fresh connections until both workers have refused it
        began = time.monotonic()
        answered: list[tuple[int, int]] = []  # (worker, remaining)
        refused_by: set[int] = set()
        for _ in range(ASKS):
            response = httpx.post(
                server.graphql_url,
                json={"query": QUERY},
                headers={"Authorization": f"Bearer {token}"},
                timeout=30,
            )
            worker = int(response.headers["x-graphsvc-worker"])
            body = response.json()
            if response.status_code == 429:
                assert body["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
                assert int(response.headers["Retry-After"]) >= 1
                refused_by.add(worker)
                if len(refused_by) == 2:
                    break
                continue
            assert response.status_code == 200, response.text
            assert body["extensions"]["cost"]["requested"] == 30
            answered.append((worker, body["extensions"]["cost"]["remaining"]))
        elapsed = time.monotonic() - began

        # then both workers answered and both refused, after one budget's worth of requests
        # (and what refilled meanwhile), not two
        assert len(refused_by) == 2, f"only {refused_by} refused after {ASKS} requests"
        assert len({worker for worker, _ in answered}) == 2, answered
        refilled = elapsed * BUDGET / 60
        assert BUDGET // 30 <= len(answered) <= (BUDGET + refilled) // 30 + 1, (answered, elapsed)
        assert len(answered) < 2 * BUDGET // 30

    # the table's directory is gone with the command
    assert list(temp.glob("graphsvc-budgets-*")) == []


def test_the_token_budget_option_is_checked_like_the_variable(tmp_path: Path) -> None:
    completed = cli(
        tmp_path / "graph.db", "serve", "--port", str(free_port()), "--token-budget", "-5"
    )
    message = completed.stderr.decode()
    assert completed.returncode == 2, message
    assert "--token-budget -5: must be 0 (budgets off) or a positive" in message
    assert len(message.strip().splitlines()) == 1

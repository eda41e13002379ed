"""``graphsvc serve --workers N``: real worker processes over one SQLite file.

Each response names the worker process that answered (``X-Graphsvc-Worker``); a fresh
connection per request lets the kernel hand requests to either worker, so a test asks until
both have answered. What must hold: a write through one worker is seen by the other on its
next request (plain reads, analytic answers from its own projection, subscriptions), writes
through both at once all land, and SIGTERM to the command stops every worker.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import connect

from graphsvc.cli.run import with_services
from graphsvc.domain.auth import Role
from graphsvc.services.container import Services
from tests.conftest import STORES, drop_workspaces
from tests.factories import kaito_document
from tests.processes import (
    Server,
    cli,
    load_kaito,
    migrate,
    neo4j_env,
    serving,
    settings_from_env,
)

pytestmark = [pytest.mark.slow, pytest.mark.reliability]

WORKERS = ("--workers", "2", "--token-budget", str(10**9))
"""Two workers, sharing token budgets no test here spends: these tests ask hundreds of
routes with one token until both workers have answered (budgets: test_token_budget_serving)."""
ASKS = 400
"""Fresh connections tried before giving up on hearing from every worker."""

ROUTES_AND_CFO = """{
  contactRoutes(to: "p-cfo", k: 1) { people { id } }
  person(id: "p-cfo") { title }
}"""

LINK = """mutation {
  link(input: {type: KNOWS, from: "ae-2", to: "p-cfo", strength: 1.0}) { __typename }
}"""

RETITLE = """mutation ($title: String!) {
  updatePerson(id: "p-cfo", input: {title: $title}) { __typename }
}"""

CREATE = """mutation ($id: ID!, $name: String!) {
  createPerson(input: {id: $id, name: $name, organizationId: "kaito", departmentId: "k-it"}) {
    __typename ... on ConflictError { message } ... on ValidationError { message }
  }
}"""


def _kaito(db: Path) -> str:
    return asyncio.run(load_kaito(db))


def _ask(server: Server, token: str, query: str, **variables: Any) -> tuple[int, dict[str, Any]]:
    """One request on a fresh connection: the answering worker's pid and the body."""
    response = httpx.post(
        server.graphql_url,
        json={"query": query, "variables": variables},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    return int(response.headers["x-graphsvc-worker"]), body


def _from_every_worker(
    server: Server, token: str, query: str, workers: int = 2
) -> list[tuple[int, dict[str, Any]]]:
    """Every answer to ``query`` until ``workers`` distinct workers have answered."""
    answers: list[tuple[int, dict[str, Any]]] = []
    for _ in range(ASKS):
        answers.append(_ask(server, token, query))
        if len({pid for pid, _ in answers}) == workers:
            return answers
    pytest.fail(f"only workers {sorted({pid for pid, _ in answers})} answered {ASKS} requests")


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


@pytest.fixture(params=STORES)
def kaito_on_two_workers(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[Server, str]]:
    """The Kaito group in a fresh workspace of each store, served by two workers; an editor
    token of the workspace."""
    db = tmp_path / "graph.db"
    env = neo4j_env() if request.param == "neo4j" else {"GRAPHSVC_STORE": f"sqlite:///{db}"}
    settings = settings_from_env(env)
    workspace = f"workers-{uuid.uuid4().hex[:10]}"
    migrate(settings)

    async def load(opened: Services) -> str:
        await opened.graph.import_document(workspace, kaito_document())
        return (await opened.tokens.create(workspace, Role.EDITOR)).secret

    token = with_services(settings, load)
    try:
        with serving(db, tmp_path, env=env, args=WORKERS) as server:
            yield server, token
    finally:
        with_services(settings, lambda opened: drop_workspaces(opened.store, [workspace]))


def test_a_write_through_one_worker_is_seen_by_the_other_on_its_next_request(
    kaito_on_two_workers: tuple[Server, str],
) -> None:
    # given the Kaito group served by two workers, each having answered a route from its own
    # projection (built before the write: the other worker must catch up, not build afresh)
    server, token = kaito_on_two_workers
    before = _from_every_worker(server, token, ROUTES_AND_CFO)
    for _pid, body in before:
        assert body["data"]["contactRoutes"][0]["people"] != [{"id": "ae-2"}, {"id": "p-cfo"}]
        assert body["data"]["person"]["title"] == "CFO"

    # when one request links our AE straight to the CFO and another retitles the CFO
    writer, _ = _ask(server, token, LINK)
    _ask(server, token, RETITLE, title="CFO & COO")

    # then every answer afterwards, from either worker, has the new route and title
    after = _from_every_worker(server, token, ROUTES_AND_CFO)
    assert {pid for pid, _ in after} == {pid for pid, _ in before}
    for pid, body in after:
        assert body["data"]["contactRoutes"] == [{"people": [{"id": "ae-2"}, {"id": "p-cfo"}]}], (
            pid,
            writer,
        )
        assert body["data"]["person"]["title"] == "CFO & COO", (pid, writer)
    # and the worker that did not write caught its projection up from the change log
    assert "projection caught up from version" in server.log()


def test_concurrent_writes_through_both_workers_all_land(tmp_path: Path) -> None:
    # given two workers over one SQLite file
    db = tmp_path / "graph.db"
    token = _kaito(db)
    ids: list[str] = []
    answers: list[tuple[int, dict[str, Any]]] = []
    with serving(db, tmp_path, args=WORKERS) as server:
        # when people are created 8 at a time on fresh connections, at least 40 and until
        # both workers have taken some
        with ThreadPoolExecutor(max_workers=8) as pool:
            while len(ids) < 40 or len({pid for pid, _ in answers}) < 2:
                assert len(ids) < ASKS, f"every write went to worker {answers[0][0]}"
                batch = [f"p-new-{n:03d}" for n in range(len(ids), len(ids) + 8)]
                ids += batch
                answers += pool.map(lambda i: _ask(server, token, CREATE, id=i, name=i), batch)

        # then none was refused or lost, and both workers read every person
        assert [body["data"]["createPerson"] for _pid, body in answers] == [
            {"__typename": "PersonPayload"}
        ] * len(ids)
        people = (
            '{ people(first: 500, filter: {organizationId: "kaito"}) { edges { node { id } } } }'
        )
        for _pid, body in _from_every_worker(server, token, people):
            found = {edge["node"]["id"] for edge in body["data"]["people"]["edges"]}
            assert found >= set(ids)
    assert "database is locked" not in server.log()


async def test_a_subscriber_on_one_worker_receives_a_write_through_the_other(
    tmp_path: Path,
) -> None:
    # given a subscription to the Kaito group's changes, held by one worker
    db = tmp_path / "graph.db"
    token = await load_kaito(db)
    changed = 'subscription { changed(organizationId: "kaito") { kind key fields } }'
    with serving(db, tmp_path, args=WORKERS) as server:
        async with connect(
            server.url.replace("http", "ws") + "/graphql",
            subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
            additional_headers={"Authorization": f"Bearer {token}"},
            proxy=None,
        ) as ws:
            assert ws.response is not None
            subscriber = int(ws.response.headers["x-graphsvc-worker"])
            await ws.send(json.dumps({"type": "connection_init"}))
            assert json.loads(await asyncio.wait_for(ws.recv(), 10))["type"] == "connection_ack"
            await ws.send(
                json.dumps({"id": "1", "type": "subscribe", "payload": {"query": changed}})
            )
            await asyncio.sleep(0.5)  # the subscription starts at "now" once it is held

            # when the CFO is retitled through the other worker
            titles = iter(range(ASKS))
            writer = await _until_another(
                lambda: _ask(server, token, RETITLE, title=f"CFO {next(titles)}")[0], subscriber
            )

            # then the subscriber hears of it (from the change log, within about a second)
            heard: list[dict[str, Any]] = []
            while not any(c["key"] == "p-cfo" for c in heard):
                message = json.loads(await asyncio.wait_for(ws.recv(), 10))
                assert message["type"] == "next", message
                heard.append(message["payload"]["data"]["changed"])
            assert writer != subscriber


async def _until_another(write: Callable[[], int], worker: int) -> int:
    """Call ``write`` (off the loop) until a worker other than ``worker`` answered it."""
    for _ in range(ASKS):
        pid = await asyncio.to_thread(write)
        if pid != worker:
            return pid
    pytest.fail(f"every write of {ASKS} went to worker {worker}")


def test_a_revoked_token_is_refused_by_every_worker_on_its_next_request(
    tmp_path: Path,
) -> None:
    # given a token both workers have accepted
    db = tmp_path / "graph.db"
    token = _kaito(db)
    with serving(db, tmp_path, args=WORKERS) as server:
        _from_every_worker(server, token, "{ __typename }")

        # when it is revoked (by another process: graphsvc token revoke)
        listed = json.loads(cli(db, "token", "list", "--json").stdout)
        assert cli(db, "token", "revoke", listed[0]["id"]).returncode == 0

        # then every worker refuses it from the next request on
        refused_by: set[str] = set()
        for _ in range(ASKS):
            response = httpx.post(
                server.graphql_url,
                json={"query": "{ __typename }"},
                headers={"Authorization": f"Bearer {token}"},
            )
            assert response.status_code == 401, response.text
            refused_by.add(response.headers["x-graphsvc-worker"])
            if len(refused_by) == 2:
                break
        assert len(refused_by) == 2


def test_sigterm_stops_every_worker(tmp_path: Path) -> None:
    # given two workers that have answered
    db = tmp_path / "graph.db"
    token = _kaito(db)
    with serving(db, tmp_path, args=WORKERS) as server:
        pids = {pid for pid, _ in _from_every_worker(server, token, "{ __typename }")}

        # when the command is asked to stop
        server.process.send_signal(signal.SIGTERM)

        # then it ends as a single-process server does, and no worker is left
        assert server.process.wait(timeout=60) in (0, -signal.SIGTERM)
        deadline = time.monotonic() + 60
        while not all(_gone(pid) for pid in pids) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert all(_gone(pid) for pid in pids)
    log = server.log()
    assert log.count("Application shutdown complete.") == 2
    assert "Traceback" not in log


def test_a_workers_variable_out_of_range_is_one_line_naming_it(tmp_path: Path) -> None:
    # when GRAPHSVC_WORKERS asks for no worker at all
    done = cli(tmp_path / "graph.db", "serve", GRAPHSVC_WORKERS="0")

    # then the command says which variable, its value and the rule, without a traceback
    assert done.returncode == 2
    message = done.stderr.decode()
    assert message == (
        "error: GRAPHSVC_WORKERS='0': input should be greater than or equal to 1\n"
    ), message


def test_the_workers_option_refuses_zero_as_a_usage_error(tmp_path: Path) -> None:
    done = cli(tmp_path / "graph.db", "serve", "--workers", "0")
    assert done.returncode == 2
    assert (
        "Invalid value for '--workers': Input should be greater than or equal to 1"
        in done.stderr.decode()
    )
    assert b"Traceback" not in done.stderr


def test_workers_stop_when_the_command_is_killed(tmp_path: Path) -> None:
    # given two workers that have answered
    db = tmp_path / "graph.db"
    token = _kaito(db)
    with serving(db, tmp_path, args=WORKERS) as server:
        pids = {pid for pid, _ in _from_every_worker(server, token, "{ __typename }")}

        # when the command itself is killed, with no chance to stop them
        server.kill()

        # then the workers stop anyway, gracefully
        deadline = time.monotonic() + 60
        while not all(_gone(pid) for pid in pids) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert all(_gone(pid) for pid in pids)
    assert server.log().count("Application shutdown complete.") == 2


def _snapshot_savers(log: str) -> set[int]:
    """The workers whose log says they saved a projection snapshot."""
    lines = (json.loads(line) for line in log.splitlines() if line.startswith("{"))
    return {
        line["worker"]
        for line in lines
        if "projection snapshot saved" in line.get("message", "") and "worker" in line
    }


def test_one_worker_saves_the_projection_snapshots_and_every_worker_loads_them(
    tmp_path: Path,
) -> None:
    # given the Kaito group served by two workers over one SQLite file: both build at start
    db = tmp_path / "graph.db"
    token = _kaito(db)
    with serving(db, tmp_path, args=WORKERS) as first:
        _from_every_worker(first, token, ROUTES_AND_CFO)
        deadline = time.monotonic() + 60
        while not _snapshot_savers(first.log()):
            assert time.monotonic() < deadline, first.log()
            time.sleep(0.2)
        # and a write through one of them, which both then answer from their projections
        _ask(first, token, RETITLE, title="CFO & COO")
        _from_every_worker(first, token, ROUTES_AND_CFO)
    log = first.log()

    # then one worker saved the snapshot, at start-up and after the write at shutdown
    assert len(_snapshot_savers(log)) == 1, log
    assert log.count("projection snapshot saved") == 2, log

    # and when served again, every worker starts from it instead of building
    with serving(db, tmp_path, args=WORKERS) as again:
        answers = _from_every_worker(again, token, ROUTES_AND_CFO)
        log = again.log()
    assert log.count("projection loaded from its snapshot") == 2, log
    assert all(body["data"]["person"]["title"] == "CFO & COO" for _pid, body in answers)
    assert "Traceback" not in log

"""serve, demo and interruption through the real command line, in bounded time."""

from __future__ import annotations

import platform
import re
import signal
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest

from graphsvc.demo import DEMO_HOLDING, DEMO_TODAY, EXAMPLE_QUERIES
from tests.cli.conftest import REPO, Cli, wait_healthy
from tests.processes import free_port

pytestmark = pytest.mark.slow


def interrupt(process: subprocess.Popen[bytes], within: float = 20) -> tuple[int, str]:
    """Send Ctrl-C and wait for the exit; return the exit code and everything on stderr.

    Stdin stays open until the process has exited: closing it right after the signal (as
    ``communicate`` does) raced with the signal on a loaded machine, and a command reading
    stdin could see the end of its input, an empty document, before its Ctrl-C.
    """
    process.send_signal(signal.SIGINT)
    process.wait(timeout=within)
    _, stderr = process.communicate(timeout=within)
    return process.returncode, stderr.decode()


def test_serve_answers_healthz_and_stops_cleanly_on_ctrl_c(
    cli: Cli, stop: list[subprocess.Popen[bytes]]
) -> None:
    # given a server on a free port
    port = free_port()
    server = cli.start("serve", "--port", str(port))
    stop.append(server)
    # when it is up, then /healthz answers
    wait_healthy(server, port, within=60)
    assert httpx.get(f"http://127.0.0.1:{port}/healthz").json() == {"status": "ok"}
    # and Ctrl-C stops it without a traceback
    code, stderr = interrupt(server)
    assert code == 0, stderr
    assert "Traceback" not in stderr
    assert f"127.0.0.1:{port}/graphql" in stderr


def test_serve_gives_a_browser_graphiql_with_every_file_it_loads(
    cli: Cli, stop: list[subprocess.Popen[bytes]]
) -> None:
    # given a server (as installed: the page and its files come from the package)
    port = free_port()
    server = cli.start("serve", "--port", str(port))
    stop.append(server)
    wait_healthy(server, port, within=60)
    base = f"http://127.0.0.1:{port}"
    # when a browser opens GraphiQL
    page = httpx.get(f"{base}/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "script-src 'self'" in page.headers["content-security-policy"]
    # then every script and stylesheet it names is on this server and served
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert len(assets) >= 6, assets
    for asset in assets:
        assert asset.startswith("/static/graphiql/"), asset
        assert httpx.get(f"{base}{asset}").status_code == 200, asset
    interrupt(server)


def test_serve_refuses_an_unsupported_store_before_starting(cli: Cli) -> None:
    done = cli.run("serve", "--store", "mysql://x/y", "--port", str(free_port()))
    assert done.returncode == 2
    assert done.stderr.decode().startswith("error: unsupported store URL")


def _demo(cli: Cli, stop: list[subprocess.Popen[bytes]]) -> tuple[int, str, str]:
    """Run the demo until it serves; return its port, the token it printed, and its stderr."""
    port = free_port()
    demo = cli.start("demo", "--port", str(port))
    stop.append(demo)
    wait_healthy(demo, port, within=120)
    assert demo.stdout is not None
    token = demo.stdout.readline().decode().strip()
    code, stderr = interrupt(demo)
    assert code == 0, stderr
    assert "Traceback" not in stderr
    return port, token, stderr


def test_demo_serves_the_group_and_every_example_query_returns_data(
    cli: Cli, stop: list[subprocess.Popen[bytes]]
) -> None:
    # given the demo, started on a free port
    port = free_port()
    demo = cli.start("demo", "--port", str(port))
    stop.append(demo)
    wait_healthy(demo, port, within=120)
    assert demo.stdout is not None
    token = demo.stdout.readline().decode().strip()
    # when every example query it suggests is sent with the token it printed
    for example in EXAMPLE_QUERIES:
        response = httpx.post(
            f"http://127.0.0.1:{port}/graphql",
            json={"query": example.query},
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )
        # then each answers with data and no errors
        body = response.json()
        assert response.status_code == 200, body
        assert "errors" not in body, (example.title, body)
        assert body["data"][example.field], example.title
    code, stderr = interrupt(demo)
    assert code == 0, stderr
    assert "loaded the demo group" in stderr
    assert f"today is {DEMO_TODAY.isoformat()}" in stderr
    for example in EXAMPLE_QUERIES:
        assert example.title in stderr


def test_demo_twice_changes_nothing(cli: Cli, stop: list[subprocess.Popen[bytes]]) -> None:
    _demo(cli, stop)
    first = cli.ok("export").stdout
    _, _, stderr = _demo(cli, stop)
    assert "the demo group is already loaded" in stderr
    assert "(version 1)" in stderr
    assert cli.ok("export").stdout == first


def test_the_demo_prints_a_console_link_that_signs_in_with_its_token(
    cli: Cli, stop: list[subprocess.Popen[bytes]]
) -> None:
    port, token, stderr = _demo(cli, stop)

    link = (
        f"http://127.0.0.1:{port}/app/organizations/{DEMO_HOLDING}"
        f"?asOf={DEMO_TODAY.isoformat()}#token={quote(token, safe='')}"
    )
    assert link in stderr
    assert stderr.index("GraphiQL with the demo token preset") < stderr.index(link)


def _blocked_reading_stdin(pid: int, within: float) -> None:
    """Wait until the process sits in read(0, …): past start-up, waiting for input."""
    syscall = Path(f"/proc/{pid}/syscall")
    if platform.machine() != "x86_64" or not syscall.exists():
        time.sleep(3)  # read is syscall 0 only on x86-64: give start-up generous time instead
        return
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if syscall.read_text().split()[:2] == ["0", "0x0"]:
            return
        time.sleep(0.1)
    pytest.fail("the command never started reading stdin")


def test_ctrl_c_exits_130_quietly(cli: Cli, stop: list[subprocess.Popen[bytes]]) -> None:
    # given an import waiting for a document on stdin
    process = cli.start("import", "-", stdin=subprocess.PIPE)
    stop.append(process)
    _blocked_reading_stdin(process.pid, within=60)
    # when the user presses Ctrl-C
    code, stderr = interrupt(process)
    # then it exits 130 without a traceback
    assert code == 130
    assert "Traceback" not in stderr


def _importing(pid: int, within: float) -> None:
    """Wait until the process is loading graphsvc's dependencies (pydantic's core is mapped)."""
    maps = Path(f"/proc/{pid}/maps")
    if not maps.exists():
        pytest.skip("needs /proc/<pid>/maps")
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if "_pydantic_core" in maps.read_text():
            return
        time.sleep(0.005)
    pytest.fail("the command never loaded pydantic")


def test_ctrl_c_during_start_up_exits_130_quietly(
    cli: Cli, stop: list[subprocess.Popen[bytes]]
) -> None:
    # given a command still importing its modules (seconds on a loaded machine)
    process = cli.start("import", "-", stdin=subprocess.PIPE)
    stop.append(process)
    _importing(process.pid, within=60)
    # when the user presses Ctrl-C then, then it exits 130 without a traceback
    code, stderr = interrupt(process)
    assert code == 130, stderr
    assert "Traceback" not in stderr
    assert "KeyboardInterrupt" not in stderr


@pytest.mark.parametrize("command", ["serve", "demo"])
def test_serving_on_a_busy_port_is_one_error_line_and_exit_1(cli: Cli, command: str) -> None:
    # given a port another process listens on
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        # when graphsvc is asked to serve on it
        done = cli.run(command, "--port", str(port), timeout=60)
    # then it says so in one line, before loading anything, and exits 1 (documented)
    assert done.returncode == 1
    assert done.stderr.decode().splitlines() == [
        f"error: port {port} on 127.0.0.1 is in use (another graphsvc serve?); "
        "choose another with --port"
    ]


def test_the_readme_counts_the_example_queries_the_demo_prints() -> None:
    # The demo prints every EXAMPLE_QUERIES entry (test above); the README says how many.
    words = {3: "three", 4: "four", 5: "five", 6: "six", 7: "seven"}
    readme = " ".join((REPO / "README.md").read_text("utf-8").split())
    assert (
        f"a ready API token already filled in, {words[len(EXAMPLE_QUERIES)]} example queries"
        in readme
    )

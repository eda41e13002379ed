"""The pytest side of the in-process Neo4j: start it for the run, count its cases, stop it.

``tests/conftest.py`` imports the hooks below. Unless ``GRAPHSVC_TEST_NEO4J_URI`` already
names a server, ``pytest_configure`` starts ``tests/neo4j/run`` on a free loopback port
(when ``java`` and ``mvn`` are on PATH), waits for its one ``neo4j ready at …`` line and
sets ``GRAPHSVC_TEST_NEO4J_*`` for every fixture; ``pytest_unconfigure`` stops it, whatever
the tests did. With ``CI=true`` a Neo4j that cannot start, or a Neo4j case that skipped,
fails the run: CI is where the contract over both stores is enforced.
"""

from __future__ import annotations

import os
import re
import select
import shutil
import signal
import subprocess
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import pytest

from tests.processes import free_port

__all__ = [
    "PASSWORD",
    "LaunchFailed",
    "Launched",
    "launch",
    "pytest_collection_modifyitems",
    "pytest_configure",
    "pytest_runtest_logreport",
    "pytest_sessionfinish",
    "pytest_terminal_summary",
    "pytest_unconfigure",
    "stop_process",
]

RUN = Path(__file__).with_name("run")
PASSWORD = "graphsvc-test"
START_TIMEOUT_S = 900.0
"""Long enough for the first run's Maven download on a slow mirror; a cached start takes ~10 s."""
STOP_TIMEOUT_S = 60.0
HOW_TO = (
    "install Java 17+ and Maven (make test then starts Neo4j itself), or point "
    "GRAPHSVC_TEST_NEO4J_URI/_USER/_PASSWORD at a running Neo4j 5"
)


@dataclass
class _Run:
    """What this run knows about its Neo4j: the process we started, or why there is none."""

    process: subprocess.Popen[bytes] | None = None
    log: IO[bytes] | None = None
    unavailable: str | None = None
    not_run: int = 0
    outcomes: Counter[tuple[str, str]] = field(default_factory=Counter)


_State = _Run()


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _log_tail(log: IO[bytes], lines: int = 15) -> str:
    log.flush()
    log.seek(0)
    return "\n".join(log.read().decode(errors="replace").splitlines()[-lines:])


@dataclass
class Launched:
    """A running ``tests/neo4j/run`` process and its Bolt address."""

    process: subprocess.Popen[bytes]
    address: str
    log: IO[bytes]

    def stop(self) -> None:
        """SIGTERM (the launcher's shutdown hook closes the database), SIGKILL after a wait."""
        stop_process(self.process)

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, as in a crash or an OOM kill of the server."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def pause(self) -> None:
        """SIGSTOP: the server keeps its sockets open and answers nothing, as a server
        frozen by a long GC pause, a hung disk or a paused VM does."""
        os.killpg(self.process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        """SIGCONT: a paused server carries on where it stopped."""
        os.killpg(self.process.pid, signal.SIGCONT)


class LaunchFailed(RuntimeError):
    """The launcher exited or timed out before its ready line."""


def launch(
    log: IO[bytes],
    *,
    port: int | None = None,
    data: Path | None = None,
    timeout: float = START_TIMEOUT_S,
) -> Launched:
    """Start ``tests/neo4j/run`` (data kept in ``data`` when given) and wait until it is ready."""
    env = {**os.environ, "NEO4J_PORT": str(port or free_port()), "NEO4J_PASSWORD": PASSWORD}
    env.pop("NEO4J_DATA", None)
    if data is not None:
        env["NEO4J_DATA"] = str(data)
    process = subprocess.Popen(
        [str(RUN)], stdout=subprocess.PIPE, stderr=log, env=env, start_new_session=True
    )
    address = _await_ready(process, timeout)
    if address is None:
        stop_process(process)
        raise LaunchFailed(f"tests/neo4j/run did not become ready:\n{_log_tail(log)}")
    return Launched(process, address, log)


def _start() -> str | None:
    """Start the run's Neo4j and export its address; the reason it could not start otherwise."""
    missing = [tool for tool in ("java", "mvn") if shutil.which(tool) is None]
    if missing:
        return f"{' and '.join(missing)} not on PATH"
    log = tempfile.TemporaryFile(prefix="graphsvc-neo4j-")  # noqa: SIM115 (closed at unconfigure)
    _State.log = log
    try:
        launched = launch(log)
    except LaunchFailed as exc:
        return str(exc)
    _State.process = launched.process
    os.environ["GRAPHSVC_TEST_NEO4J_URI"] = launched.address
    os.environ["GRAPHSVC_TEST_NEO4J_USER"] = "neo4j"
    os.environ["GRAPHSVC_TEST_NEO4J_PASSWORD"] = PASSWORD
    return None


def _await_ready(process: subprocess.Popen[bytes], timeout: float) -> str | None:
    """The Bolt address from the launcher's ready line; None if it exits or times out."""
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    pending = b""
    while time.monotonic() < deadline:
        readable, _, _ = select.select([process.stdout], [], [], 1.0)
        if readable:
            chunk = os.read(process.stdout.fileno(), 4096)
            if not chunk:
                return None
            pending += chunk
            for line in pending.splitlines():
                if line.startswith(b"neo4j ready at "):
                    return line.decode().removeprefix("neo4j ready at ").strip()
        elif process.poll() is not None:
            return None
    return None


def stop_process(process: subprocess.Popen[bytes]) -> None:
    """Stop a launcher: SIGTERM to its process group, SIGKILL if it has not ended in time."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    if process.stdout is not None:
        process.stdout.close()


def _stop() -> None:
    process, _State.process = _State.process, None
    if process is not None:
        stop_process(process)


def pytest_configure(config: pytest.Config) -> None:
    """Start Neo4j for this run unless one is named already (or this is a worker/--collect)."""
    if os.environ.get("GRAPHSVC_TEST_NEO4J_URI") or config.option.collectonly:
        return
    reason = _start()
    if reason is None:
        return
    _State.unavailable = reason
    if _in_ci():
        pytest.exit(f"CI needs the in-process Neo4j, which could not start: {reason}", 3)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Without a server (and outside CI), leave the Neo4j cases out with one summary line
    instead of a skip line for each of them."""
    if _State.unavailable is None or _in_ci():
        return
    kept = [item for item in items if item.get_closest_marker("neo4j") is None]
    left_out = [item for item in items if item.get_closest_marker("neo4j") is not None]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept
        _State.not_run = len(left_out)


def pytest_unconfigure(config: pytest.Config) -> None:
    """Stop the Neo4j this run started, even after failures or an interrupt."""
    _stop()
    if _State.log is not None:
        _State.log.close()
        _State.log = None


_SQLITE_CASE = re.compile(r"\[(?:.*-)?sqlite(?:-.*)?\]$")


def _store_of(report: pytest.TestReport) -> str | None:
    if "neo4j" in report.keywords:
        return "neo4j"
    return "sqlite" if _SQLITE_CASE.search(report.nodeid) else None


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Count each store case once: failed if any phase failed, else skipped or passed."""
    store = _store_of(report)
    if store is None:
        return
    key = (store, report.nodeid)
    if report.failed:
        _State.outcomes[key] = 3
    elif report.skipped:
        _State.outcomes[key] = max(_State.outcomes[key], 2)
    elif report.when == "call":
        _State.outcomes[key] = max(_State.outcomes[key], 1)


def _counts(store: str = "neo4j") -> tuple[int, int, int]:
    """(passed, failed, skipped) cases of one store."""
    values = [outcome for (of, _), outcome in _State.outcomes.items() if of == store]
    return values.count(1), values.count(3), values.count(2)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """In CI a skipped Neo4j case fails the run: the contract must hold on both stores."""
    _passed, _failed, skipped = _counts()
    if _in_ci() and skipped and session.exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """A line per store with its cases that ran, passed, failed and skipped."""
    if not _State.outcomes:
        return
    for store, where in (
        ("sqlite", "a file per test"),
        ("neo4j", os.environ.get("GRAPHSVC_TEST_NEO4J_URI", "no server")),
    ):
        passed, failed, skipped = _counts(store)
        terminalreporter.write_line(
            f"{store} store cases: {passed + failed} ran, {passed} passed, {failed} failed, "
            f"{skipped} skipped ({where})"
        )
    if _State.not_run:
        terminalreporter.write_line(
            f"{_State.not_run} neo4j cases not run ({_State.unavailable}): {HOW_TO}", yellow=True
        )
    if _counts()[2] and _in_ci():
        terminalreporter.write_line("CI fails on a skipped Neo4j case", red=True)

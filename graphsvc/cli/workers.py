"""``graphsvc serve --workers N``: N uvicorn worker processes over one store.

The parent has already checked the port and the store (and, on SQLite, created or upgraded
the schema once, before any worker starts). It hands its settings to the workers through the
environment (``config.SERVED_SETTINGS_ENV``) and runs uvicorn's supervisor: each worker
imports ``graphsvc.api.workers:worker_app`` in a fresh interpreter. A worker that dies is
replaced; a worker that fails to start stops them all (exit 1, as a single process would).

**Each worker listens on a socket of its own** (``SO_REUSEPORT``; the kernel spreads new
connections over them evenly), not on one socket shared by all as uvicorn does by default:
with a shared socket, the worker that wakes first accepts every connection waiting, so 16
keep-alive connections opened at once all went to one worker in a measured run, and the
second worker idled (``bench/workers.py``). Another program cannot join the group: the kernel
admits only sockets of the same user that set the option, and the port check binds without
it, so a second ``graphsvc serve`` on the port is still refused.

SIGTERM or SIGINT (Ctrl-C) to the parent stops every worker gracefully (each finishes its
requests, up to ``GRACEFUL_SECONDS``) and then ends the parent the way the signal would end
a single-process server, so scripts see the same exit status whatever ``--workers`` says.
If the parent itself is killed (``kill -9``), the kernel sends each worker SIGTERM (Linux).

The workers share one table of token budgets (``api.limits.buckets``): a file the parent
creates in a private temporary directory and names in ``BUDGET_FILE_ENV``, so a token spends
one budget whichever worker answers.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import sys
from typing import Any

from uvicorn import Config
from uvicorn.config import STARTUP_FAILURE
from uvicorn.supervisors.multiprocess import Multiprocess, Process

from graphsvc.api.limits.buckets import shared_table_file
from graphsvc.api.limits.budget import BUDGET_FILE_ENV
from graphsvc.cli.ports import ListenProblem
from graphsvc.config import SERVED_SETTINGS_ENV, SNAPSHOT_SAVER_ENV, Settings, settings_to_json

__all__ = [
    "GRACEFUL_SECONDS",
    "KEEP_ALIVE_SECONDS",
    "SERVER_OPTIONS",
    "WORKER_APP",
    "serve_workers",
]

log = logging.getLogger("uvicorn.error")

WORKER_APP = "graphsvc.api.workers:worker_app"
"""The factory each worker process calls to build its app."""

GRACEFUL_SECONDS = 10
"""How long a stopping worker waits for its open requests, as the single process does."""

KEEP_ALIVE_SECONDS = 75
"""How long an idle keep-alive connection stays open. Longer than the clients' own idle
expiry (httpx and Node close theirs after 5 s or less), so the client closes first: at
uvicorn's default of 5 s, a client reusing a connection just as the server closed it got a
dropped request (``bench/load.py`` saw ``ReadError`` under 50 clients). 75 s is nginx's."""

SERVER_OPTIONS: dict[str, Any] = {
    # JSON request logs come from the app (with request ids, scrubbed of tokens); uvicorn's
    # own config would replace them and print query strings, which may carry a token.
    "log_config": None,
    "access_log": False,
    "timeout_graceful_shutdown": GRACEFUL_SECONDS,
    "timeout_keep_alive": KEEP_ALIVE_SECONDS,
}
"""uvicorn's options for one process and for workers alike (``cli.serving``)."""


def serve_workers(settings: Settings) -> None:
    """Serve with ``settings.workers`` processes until a signal stops them; see the module."""
    if settings.token_budget > 0:
        # One table of token budgets for all the workers (``api.limits.buckets``), in a
        # private directory that lives as long as this command (removed before the signal
        # that stopped the workers ends the command).
        with shared_table_file() as budgets:
            os.environ[BUDGET_FILE_ENV] = budgets
            try:
                stopped_by = _supervise(settings)
            finally:
                del os.environ[BUDGET_FILE_ENV]
    else:
        stopped_by = _supervise(settings)
    if stopped_by is not None:
        # End as the signal ends a single-process server: SIGINT is Ctrl-C (exit 130 in
        # ``main``), SIGTERM the default action.
        handler = signal.default_int_handler if stopped_by == signal.SIGINT else signal.SIG_DFL
        signal.signal(stopped_by, handler)
        signal.raise_signal(stopped_by)


def _supervise(settings: Settings) -> int | None:
    """Run the workers until they stop; the signal that stopped them, if one did."""
    os.environ[SERVED_SETTINGS_ENV] = settings_to_json(settings)
    config = Config(
        WORKER_APP,
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        **SERVER_OPTIONS,
    )
    supervisor = _Supervisor(config, sockets=[])
    supervisor.run()
    if any(worker.exitcode == STARTUP_FAILURE for worker in supervisor.processes):
        raise _start_failed(settings)
    return supervisor.stopped_by


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port`` with ``SO_REUSEPORT``, one per worker."""
    family, kind, proto, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind(address)
    except OSError:
        sock.close()
        raise
    return sock


class _Worker(Process):
    """A uvicorn worker process that listens on a socket of its own (``listening_socket``).

    ``saves_snapshots``: whether it saves the projection snapshots (the first worker and its
    replacements; ``api.workers.SNAPSHOT_SAVER_ENV``).
    """

    def __init__(self, config: Config, *, saves_snapshots: bool) -> None:
        self.saves_snapshots = saves_snapshots
        super().__init__(config, [])

    def target(self, sockets: list[socket.socket] | None = None) -> None:  # pragma: no cover
        _stop_with_parent()
        os.environ[SNAPSHOT_SAVER_ENV] = "1" if self.saves_snapshots else "0"
        try:
            sock = listening_socket(self.config.host, self.config.port)
        except OSError as error:
            log.error("worker %d cannot listen: %s", os.getpid(), error)
            sys.exit(STARTUP_FAILURE)
        super().target([sock])


def _stop_with_parent() -> None:
    """Have the kernel send this worker SIGTERM when the supervisor dies (Linux).

    Without it, ``kill -9`` of ``graphsvc serve`` left its workers serving on the port with
    nobody to stop them; with it they stop gracefully as on a SIGTERM to the command.
    """
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    pr_set_pdeathsig = 1
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(pr_set_pdeathsig, signal.SIGTERM)
    if os.getppid() == 1:  # the supervisor died before the request took effect
        os.kill(os.getpid(), signal.SIGTERM)


class _Supervisor(Multiprocess):
    """uvicorn's supervisor of ``_Worker`` processes, remembering which signal stopped it.

    SIGHUP (restart every worker) and SIGTTIN/SIGTTOU (one more or fewer) are not offered:
    restart the command, or start it with another ``--workers``.
    """

    stopped_by: int | None = None

    def init_processes(self) -> None:
        for index in range(self.processes_num):
            worker = _Worker(self.config, saves_snapshots=index == 0)
            worker.start()
            self.processes.append(worker)

    def keep_subprocess_alive(self) -> None:
        if self.should_exit.is_set():
            return
        for index, worker in enumerate(self.processes):
            if worker.is_alive(timeout=self.config.timeout_worker_healthcheck):
                continue
            worker.kill()  # hung: end it
            worker.join()
            if worker.exitcode == STARTUP_FAILURE:
                # It failed before serving (the app, the store, the socket): a replacement
                # would fail alike, so stop them all.
                log.error("worker %s failed to start; stopping", worker.pid)
                self.should_exit.set()
                return
            if self.should_exit.is_set():
                return
            log.info("worker %s died; starting another", worker.pid)
            saves = isinstance(worker, _Worker) and worker.saves_snapshots
            replacement = _Worker(self.config, saves_snapshots=saves)
            replacement.start()
            self.processes[index] = replacement

    def handle_int(self) -> None:
        self.stopped_by = signal.SIGINT
        super().handle_int()

    def handle_term(self) -> None:
        self.stopped_by = signal.SIGTERM
        super().handle_term()

    def handle_hup(self) -> None:
        log.info("SIGHUP ignored: restart graphsvc serve to restart its workers")

    def handle_ttin(self) -> None:
        log.info("SIGTTIN ignored: start graphsvc serve with another --workers")

    def handle_ttou(self) -> None:
        log.info("SIGTTOU ignored: start graphsvc serve with another --workers")


def _start_failed(settings: Settings) -> ListenProblem:
    return ListenProblem(
        f"could not start serving on port {settings.port} of {settings.host} with "
        f"{settings.workers} worker processes (the log above says why)"
    )

"""``graphsvc serve --workers N``: N uvicorn worker processes over one store.

The parent has already checked the port and the store (and, on SQLite, created or upgraded
the schema once, before any worker starts). It binds the socket once, hands its settings to
the workers through the environment (``config.SERVED_SETTINGS_ENV``) and runs uvicorn's
supervisor: each worker imports ``graphsvc.api.workers:worker_app`` in a fresh interpreter,
and the kernel spreads the connections over them. A worker that dies is replaced; a worker
that fails to start stops them all (exit 1, as a single process would).

SIGTERM or SIGINT (Ctrl-C) to the parent stops every worker gracefully (each finishes its
requests, up to ``GRACEFUL_SECONDS``) and then ends the parent the way the signal would end
a single-process server, so scripts see the same exit status whatever ``--workers`` says.
"""

from __future__ import annotations

import os
import signal

from graphsvc.cli.ports import ListenProblem
from graphsvc.config import SERVED_SETTINGS_ENV, Settings, settings_to_json

__all__ = ["GRACEFUL_SECONDS", "WORKER_APP", "serve_workers"]

WORKER_APP = "graphsvc.api.workers:worker_app"
"""The factory each worker process calls to build its app."""

GRACEFUL_SECONDS = 10
"""How long a stopping worker waits for its open requests, as the single process does."""


def serve_workers(settings: Settings) -> None:
    """Serve with ``settings.workers`` processes until a signal stops them; see the module."""
    import uvicorn
    from uvicorn.config import STARTUP_FAILURE
    from uvicorn.supervisors import Multiprocess

    class Supervisor(Multiprocess):
        """uvicorn's supervisor, remembering which signal stopped it."""

        stopped_by: int | None = None

        def handle_int(self) -> None:
            self.stopped_by = signal.SIGINT
            super().handle_int()

        def handle_term(self) -> None:
            self.stopped_by = signal.SIGTERM
            super().handle_term()

    os.environ[SERVED_SETTINGS_ENV] = settings_to_json(settings)
    config = uvicorn.Config(
        WORKER_APP,
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=GRACEFUL_SECONDS,
    )
    try:
        sock = config.bind_socket()
    except SystemExit:  # the port was taken since the check (uvicorn logged why)
        raise _start_failed(settings) from None
    supervisor = Supervisor(config, sockets=[sock])
    try:
        supervisor.run()
    finally:
        sock.close()
    if any(worker.exitcode == STARTUP_FAILURE for worker in supervisor.processes):
        raise _start_failed(settings)
    if supervisor.stopped_by is not None:
        # End as the signal ends a single-process server: SIGINT is Ctrl-C (exit 130 in
        # ``main``), SIGTERM the default action.
        signal.signal(
            supervisor.stopped_by,
            signal.default_int_handler
            if supervisor.stopped_by == signal.SIGINT
            else signal.SIG_DFL,
        )
        signal.raise_signal(supervisor.stopped_by)


def _start_failed(settings: Settings) -> ListenProblem:
    return ListenProblem(
        f"could not start serving on port {settings.port} of {settings.host} with "
        f"{settings.workers} worker processes (the log above says why)"
    )

"""Can the server listen where it was asked to? Checked before anything is loaded or served.

uvicorn finds a busy port only once the app has started, then logs the failure (as JSON lines,
through our logging) and exits 3. ``check_listenable`` binds the address briefly first (with
``SO_REUSEADDR``, as uvicorn does), so the usual mistakes — another ``graphsvc serve`` on the
port, a privileged port, a host that is not this machine's — are one ``error:`` line and exit
1 (``failures``). ``ListenProblem`` is also what a start-up failure of uvicorn becomes, for
the rare port taken between the check and the start.
"""

from __future__ import annotations

import errno
import socket

__all__ = ["ListenProblem", "check_listenable"]


class ListenProblem(Exception):
    """The server cannot listen on the configured host and port."""


def _where(host: str, port: int) -> str:
    return f"port {port} on {host}"


def check_listenable(host: str, port: int) -> None:
    """Raise ``ListenProblem`` saying why the server could not listen on ``host:port``."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except socket.gaierror as error:
        raise ListenProblem(
            f"cannot listen on host {host!r}: {error.strerror}; choose another with --host"
        ) from None
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as error:
            raise ListenProblem(_reason(error, host, port)) from None


def _reason(error: OSError, host: str, port: int) -> str:
    if error.errno == errno.EADDRINUSE:
        return (
            f"{_where(host, port)} is in use (another graphsvc serve?); choose another with --port"
        )
    if error.errno == errno.EACCES:
        return (
            f"{_where(host, port)} needs privileges to listen on; choose a port above 1023 "
            "with --port"
        )
    if error.errno == errno.EADDRNOTAVAIL:
        return f"{host} is not an address of this machine; choose another with --host"
    return f"cannot listen on {_where(host, port)}: {error.strerror or error}"

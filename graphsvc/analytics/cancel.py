"""Cooperative cancellation of analytic work running in a worker thread.

A thread cannot be interrupted from outside, so the analytic time limit (``api.limits``)
only really stops the work if the work looks: ``checkpoint()`` is called inside the long
loops (Brandes' batches, path searches), and raises ``AnalyticCancelled`` once the caller
has given up (``Cancellation.cancel``). Outside ``cancellable`` (tests, the CLI, reference
computations) ``checkpoint`` costs one context-variable read and never raises.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

__all__ = ["AnalyticCancelled", "Cancellation", "cancellable", "checkpoint"]


class AnalyticCancelled(Exception):
    """The analytic work was stopped because its caller gave up (the time limit)."""


class Cancellation:
    """A flag the event loop sets and the worker thread reads: stop at the next checkpoint."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        """Ask the work to stop at its next ``checkpoint``."""
        self._event.set()

    @property
    def cancelled(self) -> bool:
        """Whether ``cancel`` was called."""
        return self._event.is_set()


_current: ContextVar[Cancellation | None] = ContextVar("analytic_cancellation", default=None)


@contextmanager
def cancellable(cancellation: Cancellation) -> Iterator[None]:
    """Run the enclosed work under ``cancellation``: its ``checkpoint`` calls may raise."""
    token = _current.set(cancellation)
    try:
        yield
    finally:
        _current.reset(token)


def checkpoint() -> None:
    """Raise ``AnalyticCancelled`` if the work running here has been cancelled."""
    cancellation = _current.get()
    if cancellation is not None and cancellation.cancelled:
        raise AnalyticCancelled("analytic work cancelled")

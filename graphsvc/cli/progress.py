"""Progress on stderr: rich bars when a person watches a terminal, silence otherwise.

Commands report ``(stage, done, total)`` through a ``Reporter``, the same callback shape as
``GraphService.import_document`` and ``write_document`` take; a total of 0 means unknown
(a spinner). Whatever happens, a command ends with one summary line (``say``), so that logs
of scripted runs still show what was done.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Mapping
from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # rich is imported when a bar is drawn: ~25 ms of every scripted run
    from rich.progress import Progress, TaskID

__all__ = ["Reporter", "counts_text", "say"]


def say(message: str) -> None:
    """One line for the user on stderr (stdout carries only data)."""
    print(message, file=sys.stderr, flush=True)


def counts_text(counts: Mapping[str, int]) -> str:
    """``people 10,000, relationships 25,000`` for the non-zero counts, in the given order."""
    return ", ".join(f"{name} {n:,}" for name, n in counts.items() if n)


class Reporter:
    """A ``progress(stage, done, total)`` callback drawing one bar per stage on a TTY.

    Use as a context manager; ``elapsed`` is the seconds since it was entered.
    """

    def __init__(self, *, enabled: bool | None = None) -> None:
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self._progress: Progress | None = None
        self._tasks: dict[str, TaskID] = {}
        self._started = time.perf_counter()

    def __enter__(self) -> Reporter:
        self._started = time.perf_counter()
        if self.enabled:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                SpinnerColumn,
                TextColumn,
                TimeElapsedColumn,
            )

            self._progress = Progress(
                SpinnerColumn(),
                TextColumn("{task.description:<16}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._progress.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    @property
    def elapsed(self) -> float:
        """Seconds since the reporter was entered."""
        return time.perf_counter() - self._started

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self._progress is None:
            return
        task = self._tasks.get(stage)
        if task is None:
            task = self._progress.add_task(stage, total=total or None)
            self._tasks[stage] = task
        self._progress.update(task, completed=done, total=total or None)

"""Analytic answers kept per projection version, each computed once however many ask for it.

Why: the whole-scope queries (power map, whitespace, coverage, category footprint) are
asked again and again between writes, and under load the same question often arrives again
while its first computation still waits for the analytic worker or runs there. Each such
request used to queue a computation of its own, so the worker did the same work several
times over and every request behind them waited for all of it. Here the later requests
*join* the computation under way and get its answer (single flight), and the answer is
kept for the requests that come after it (``MEMO_SIZE`` answers, least recently used out).

What it is not: a cache across writes. An answer is kept under a *generation*: the
projection's identity and the version it stands at once every write announced before the
request is applied (``ProjectionCache.served``). A request asked after a write has a later
generation, so it never joins nor reuses a computation asked for before that write; it
queues its own, which sees the write. A computation runs after the writes announced before
it started (the worker applies them first), so an answer kept under a generation includes
at least that version's writes. Only the newest generation's answers are kept.

Cancellation: a computation stops (``AnalyticWorker.run``'s cancellation, at its next
checkpoint) only when *every* request waiting for it has given up (each request's time
limit); one caller's time limit no longer cancels the answer others wait for. A computation
abandoned that way is forgotten at once, so a later request starts afresh instead of
joining it.
"""

from __future__ import annotations

import asyncio
import functools
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, TypeVar

__all__ = ["MEMO_SIZE", "AnswerMemo"]

T = TypeVar("T")

MEMO_SIZE = 128
"""Answers kept per workspace (of its newest generation); each is one query's answer."""


class AnswerMemo:
    """Answers by question, per workspace, for its newest generation only: kept once
    computed, shared while being computed."""

    def __init__(self, size: int = MEMO_SIZE) -> None:
        self.size = size
        self._latest: dict[str, Hashable] = {}
        """Per workspace, the generation (projection and version) of the newest request."""
        self._answers: dict[str, OrderedDict[Hashable, Any]] = {}
        """Per workspace, the answers kept for that generation."""
        self._flights: dict[tuple[str, Hashable, Hashable], _Flight] = {}
        self.computed = 0
        """How many computations were started (tests and benchmarks read it)."""
        self.shared = 0
        """How many requests joined a computation already under way instead of starting one."""

    async def answer(
        self,
        workspace: str,
        generation: Hashable,
        question: Hashable,
        compute: Callable[[], Awaitable[T]],
    ) -> T:
        """The answer to ``question`` kept for the workspace's ``generation``; else that of
        the computation of it under way; else ``compute()``'s, kept once it succeeds (a
        failure is not kept: every waiting request gets the same error, the next computes).

        Requests come in generation order (a request reads its generation and asks at
        once), so a new generation means no request will ask for an older one again: the
        older answers are dropped then, not left to age out. Under a steady stream of
        writes they were most of the answers kept, and a whole-group power map is 2,000
        objects that every full collection of the garbage collector walked.
        """
        if self._latest.get(workspace) != generation:
            self._latest[workspace] = generation
            self._answers.pop(workspace, None)
        kept = self._answers.get(workspace)
        if kept is not None and question in kept:
            kept.move_to_end(question)
            found: T = kept[question]
            return found
        key = (workspace, generation, question)
        flight = self._flights.get(key)
        if flight is None:
            flight = _Flight(asyncio.ensure_future(compute()))
            self._flights[key] = flight
            flight.task.add_done_callback(functools.partial(self._landed, key, flight))
            self.computed += 1
        else:
            self.shared += 1
        answer: T = await self._join(key, flight)
        return answer

    async def _join(self, key: tuple[str, Hashable, Hashable], flight: _Flight) -> Any:
        flight.waiting += 1
        try:
            # Shielded: one caller's cancellation (its time limit) must not cancel the
            # computation the others wait for.
            return await asyncio.shield(flight.task)
        finally:
            flight.waiting -= 1
            if flight.waiting == 0 and not flight.task.done():
                # Nobody waits for it any more: stop the work, and let a later request
                # start afresh rather than join a computation being cancelled.
                flight.task.cancel()
                self._forget(key, flight)

    def _landed(
        self, key: tuple[str, Hashable, Hashable], flight: _Flight, task: asyncio.Future[Any]
    ) -> None:
        self._forget(key, flight)
        if task.cancelled() or task.exception() is not None:
            return
        workspace, generation, question = key
        if self._latest.get(workspace) != generation:
            return  # a newer generation was asked for meanwhile: nobody asks for this one
        kept = self._answers.setdefault(workspace, OrderedDict())
        kept[question] = task.result()
        while len(kept) > self.size:
            kept.popitem(last=False)

    def _forget(self, key: tuple[str, Hashable, Hashable], flight: _Flight) -> None:
        if self._flights.get(key) is flight:
            del self._flights[key]


class _Flight:
    """One computation under way and how many requests wait for it."""

    __slots__ = ("task", "waiting")

    def __init__(self, task: asyncio.Future[Any]) -> None:
        self.task = task
        self.waiting = 0

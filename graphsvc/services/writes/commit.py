"""Committing prepared writes as if one at a time: ``WriteCommitter`` and what it is given.

A write reaches the committer as a ``Prepare``: a function that plans it through the
``GraphReader`` it is handed and returns a ``Plan`` (or raises to refuse it). The committer
runs it outside its batch through a ``RecordingReader``, then applies the plan in a batch,
grouped with others or alone, or prepares it again there; the package docstring tells when
and why.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from asyncio import FIRST_COMPLETED
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from graphsvc.domain.changes import ChangeSet
from graphsvc.errors import Conflict, GraphsvcError, VersionMoved
from graphsvc.services.writes.group import Candidate, grouped, merged
from graphsvc.services.writes.log import Before, change_log
from graphsvc.services.writes.read_set import RecordingReader
from graphsvc.store.base import GraphReader, GraphStore

__all__ = [
    "MAX_ATTEMPTS",
    "ChangeListener",
    "Outcome",
    "Plan",
    "Prepare",
    "ProgressCallback",
    "WriteCommitter",
    "no_progress",
]

log = logging.getLogger(__name__)

ChangeListener = Callable[[str, ChangeSet, int], Awaitable[None]]
"""Called as ``listener(workspace, applied_changes, new_version)`` after every write."""

ProgressCallback = Callable[[str, int, int], None]
"""Called as ``progress(stage, done, total)`` during long work (CLI progress bars).

Import stages, in order: ``parse``, ``lookup`` (total 0: unknown in advance), ``validate``,
``diff``, ``apply``. Each stage reports at least its start and its end. A write that a
concurrent one invalidated is prepared again, reporting ``lookup`` to ``diff`` once more.
"""


def no_progress(stage: str, done: int, total: int) -> None:
    """The progress callback of writes nobody watches."""


RECENT_WRITES = 256
"""Applied change sets remembered for checking optimistic writes; a write prepared while more
than this many others were applied is prepared again in the batch."""

MAX_ATTEMPTS = 5
"""Serial preparations of one write before another process's writes make it give up."""


@dataclass
class Plan:
    """A prepared write: the change set to apply, what it counts for the caller, and the
    stored versions of what it touches (for its change log entries)."""

    changes: ChangeSet
    counts: dict[str, int]
    removed: int
    before: Before = field(default_factory=Before)


Prepare = Callable[[GraphReader], Awaitable[Plan]]
"""Prepares one write, reading only through the reader it is given; raises to refuse it."""


@dataclass(frozen=True)
class _Applied:
    """One change set this committer applied: its number, workspace and resulting version."""

    number: int
    workspace: str
    changes: ChangeSet
    version: int


@dataclass(frozen=True)
class _Early:
    """A preparation made outside the batch, and where it started from."""

    started: int
    """How many change sets the committer had applied when it began."""
    base: int
    """The workspace version read before its first lookup."""
    recorder: RecordingReader
    plan: Plan | None
    refusal: GraphsvcError | None


Outcome = tuple[Plan, int, bool]
"""A committed write: its plan, the workspace version after it, and whether it applied."""


@dataclass(eq=False)
class _Write:
    """One write waiting to be committed, and the future its caller awaits."""

    workspace: str
    prepare: Prepare
    report: ProgressCallback
    actor: str
    """Who writes: the token's id, or ``cli`` (recorded in the change log)."""
    early: _Early | None
    """Its preparation without exclusivity, or None to prepare it in the batch (serial)."""
    done: asyncio.Future[Outcome]


class WriteCommitter:
    """Applies prepared writes to ``store`` as if one at a time (see the package docstring)."""

    def __init__(
        self, store: GraphStore, listeners: list[ChangeListener], *, log_changes: bool = True
    ) -> None:
        """``listeners`` is shared, not copied: listeners added to it later are called too.

        ``log_changes=False`` applies writes without change log entries. It exists only for
        ``bench/change_log.py``, to measure the log's cost against the same write path
        without it; a store written that way has versions missing from its log.
        """
        self.store = store
        self.listeners = listeners
        self.log_changes = log_changes
        self._queue: list[_Write] = []
        self._batch: asyncio.Task[None] | None = None
        """The one task committing writes (at most one at a time: it is the write lock)."""
        self._applied = 0
        """How many change sets this committer has applied (numbers ``_recent``)."""
        self._recent: deque[_Applied] = deque(maxlen=RECENT_WRITES)
        self._applying: str | None = None

    async def commit(
        self,
        workspace: str,
        prepare: Prepare,
        report: ProgressCallback,
        *,
        actor: str,
        serial: bool = False,
    ) -> Outcome:
        """Prepare and apply one write; its plan, the version after it, and whether it applied.

        ``actor`` is recorded in the change log entries of the write.

        ``serial`` prepares it in the batch from the start (rare writes whose reads a read set
        would not describe well, such as deletes). Raises the preparation's refusal, or
        ``Conflict`` when other processes kept changing the workspace.
        """
        early = None if serial else await self._prepare_unlocked(workspace, prepare)
        loop = asyncio.get_running_loop()
        write = _Write(workspace, prepare, report, actor, early, loop.create_future())
        self._queue.append(write)
        try:
            while not write.done.done():
                if self._batch is None or self._batch.done():
                    batch, self._queue = self._queue, []
                    self._batch = asyncio.ensure_future(self._run(batch))
                # Waiting never cancels the batch: a caller that goes away leaves the others'
                # writes (and its own, if already taken) to finish.
                await asyncio.wait((self._batch, write.done), return_when=FIRST_COMPLETED)
        except asyncio.CancelledError:
            if write in self._queue:  # not taken by a batch yet: it is not applied at all
                self._queue.remove(write)
            write.done.add_done_callback(_retrieve)
            raise
        return write.done.result()

    async def _run(self, batch: list[_Write]) -> None:
        """Commit ``batch``: a group of independent writes at once, then the rest one by one.

        Every write of the batch has its future resolved when this returns.
        """
        try:
            rest = await self._commit_group(batch)
            for write in rest:
                try:
                    write.done.set_result(await self._commit_one(write))
                except Exception as error:  # the caller's to see
                    write.done.set_exception(error)
        except BaseException as error:
            for write in batch:
                if not write.done.done():
                    write.done.set_exception(error)
            if not isinstance(error, Exception):
                raise

    async def _commit_group(self, batch: list[_Write]) -> list[_Write]:
        """Apply the batch's independent writes in one transaction; the writes left over."""
        candidates: list[tuple[_Write, Candidate, Plan]] = []
        for write in batch:
            early = write.early
            if early is None or early.plan is None or early.plan.changes.is_empty():
                continue
            if self._changed_since(early, write.workspace):
                continue
            expected = early.base + self._own_applies_since(write.workspace, early.base)
            candidate = Candidate(
                write.workspace, expected, early.recorder.reads, early.plan.changes
            )
            candidates.append((write, candidate, early.plan))
        chosen = [candidates[i] for i in grouped([c for _w, c, _p in candidates])]
        if not chosen:
            return batch
        workspace, expected = chosen[0][1].workspace, chosen[0][1].expected_version
        for write, _candidate, plan in chosen:
            write.report("apply", 0, plan.changes.size())
        at = datetime.now(UTC)
        try:
            version = await self.apply(
                workspace,
                merged([self._to_apply(p, w.actor, at) for w, _c, p in chosen]),
                expected,
            )
        except Exception:  # VersionMoved, or one write failing the store: each on its own
            log.info("group of %d writes to %r committed one by one", len(chosen), workspace)
            return batch
        for write, _candidate, plan in chosen:
            size = plan.changes.size()
            write.report("apply", size, size)
            write.done.set_result((plan, version, True))
        return [write for write in batch if not write.done.done()]

    async def _commit_one(self, write: _Write) -> Outcome:
        """Commit one write: as prepared if nothing it read changed, else prepared again."""
        workspace, early = write.workspace, write.early
        if early is not None and not self._changed_since(early, workspace):
            expected = early.base + self._own_applies_since(workspace, early.base)
            try:
                return await self._settle(write, early.plan, early.refusal, expected)
            except VersionMoved:
                log.info("write to %r prepared again: another process wrote", workspace)
        for _attempt in range(MAX_ATTEMPTS):
            # Inside the batch no write of ours lands between this read and the apply, and
            # with the store's write turn held no other process's does either (SQLite).
            async with self.store.write_turn():
                base = await self.store.version(workspace)
                plan, refusal = await _prepared(write.prepare, self.store)
                try:
                    return await self._settle(write, plan, refusal, base)
                except VersionMoved:
                    log.info("write to %r prepared again: another process wrote", workspace)
        raise Conflict(
            f"workspace {workspace!r} kept changing in another process while this write was "
            f"validated ({MAX_ATTEMPTS} attempts); nothing was applied: try again"
        )

    async def apply(self, workspace: str, changes: ChangeSet, expected: int) -> int:
        """Apply, remember and announce; a failing listener is logged (the write happened).

        Called by the batch task only. ``VersionMoved`` from the store propagates, nothing
        applied.
        """
        self._applying = workspace
        try:
            version = await self.store.apply(workspace, changes, expected_version=expected)
            self._applied += 1
            self._recent.append(_Applied(self._applied, workspace, changes, version))
            for listener in self.listeners:
                try:
                    await listener(workspace, changes, version)
                except Exception:
                    log.exception(
                        "change listener %r failed after a write to %r", listener, workspace
                    )
        finally:
            self._applying = None
        return version

    def _to_apply(self, plan: Plan, actor: str, at: datetime) -> ChangeSet:
        """The change set to apply for ``plan``: with its log entries unless told otherwise."""
        return _logged(plan, actor, at) if self.log_changes else plan.changes

    def applying(self, workspace: str) -> bool:
        """True while a write of this committer to ``workspace`` may be stored but not announced.

        At most one write (or group) is in that state at a time (the batch task). A cache
        comparing its version with ``store.version`` may see that write's version one step
        ahead of what listeners were told: this says the step is ours, not another process's.
        """
        return self._applying == workspace

    async def _settle(
        self, write: _Write, plan: Plan | None, refusal: GraphsvcError | None, expected: int
    ) -> Outcome:
        """Apply ``write``'s ``plan`` at version ``expected``, or answer its refusal or no-op
        if still current; ``VersionMoved`` otherwise."""
        workspace, report = write.workspace, write.report
        if refusal is not None or plan is None or plan.changes.is_empty():
            version = await self.store.version(workspace)
            if version != expected:
                raise VersionMoved(f"workspace {workspace!r} moved from {expected} to {version}")
            if refusal is not None:
                raise refusal
            assert plan is not None  # _prepared returns a plan or a refusal
            report("apply", 0, 0)
            return plan, version, False
        size = plan.changes.size()
        report("apply", 0, size)
        version = await self.apply(
            workspace, self._to_apply(plan, write.actor, datetime.now(UTC)), expected
        )
        report("apply", size, size)
        return plan, version, True

    async def _prepare_unlocked(self, workspace: str, prepare: Prepare) -> _Early:
        """Prepare outside the batch, noting the version and apply count it started from."""
        started = self._applied
        base = await self.store.version(workspace)
        recorder = RecordingReader(self.store)
        plan, refusal = await _prepared(prepare, recorder)
        return _Early(started, base, recorder, plan, refusal)

    def _changed_since(self, early: _Early, workspace: str) -> bool:
        """Whether a write of ours applied after ``early`` began may change what it read."""
        missed = self._applied - early.started
        if missed == 0:
            return False
        if missed > len(self._recent):
            return True  # some of them are forgotten: assume the worst
        return any(
            applied.number > early.started
            and applied.workspace == workspace
            and early.recorder.reads.conflicts_with(applied.changes)
            for applied in self._recent
        )

    def _own_applies_since(self, workspace: str, version: int) -> int:
        """How many of our applies to ``workspace`` made versions after ``version``.

        Only called when every apply since the preparation began is still in ``_recent``.
        """
        return sum(1 for a in self._recent if a.workspace == workspace and a.version > version)


def _logged(plan: Plan, actor: str, at: datetime) -> ChangeSet:
    """The plan's change set with its change log entries (``services.writes.log``)."""
    return dataclasses.replace(plan.changes, log=change_log(plan.changes, plan.before, actor, at))


def _retrieve(future: asyncio.Future[Outcome]) -> None:
    """Mark the outcome of a write whose caller went away as seen (no "never retrieved")."""
    if not future.cancelled():
        future.exception()


async def _prepared(
    prepare: Prepare, reader: GraphReader
) -> tuple[Plan | None, GraphsvcError | None]:
    """Run ``prepare``: its plan, or the graphsvc error it refused the write with."""
    try:
        return await prepare(reader), None
    except GraphsvcError as error:
        return None, error

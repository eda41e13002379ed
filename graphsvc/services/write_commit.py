"""Committing prepared writes: optimistic within this process, version-checked across processes.

A write is *prepared* (store lookups, validation, diff into a ``ChangeSet``) and then
*applied*. Between the two, other writers may change what the preparation read, and a write
validated against a state that is gone must not land (two SELF organizations, a REPORTS_TO
cycle, a reference to a record deleted meanwhile). Two mechanisms close that gap:

- **Within this process**, writes are arbitrated by ``WriteCommitter``'s lock and the read
  sets of ``write_conflicts``: a write is prepared without the lock, through a
  ``RecordingStore``, and under the lock it is applied only if no write this committer
  applied since its preparation began touched what it read. Otherwise it is prepared again
  under the lock, as a serial write. The lock is held for one store round trip (the apply
  and its fsync) instead of every lookup.
- **Across processes** (the CLI importing while the server runs, a second server replica on
  one Neo4j), the committer cannot see the other writer's change sets, only the workspace
  version they advance. Each preparation starts by reading the version ``v`` it is based
  on; the apply passes ``expected_version`` = ``v`` plus the number of this committer's own
  applies to the workspace since ``v`` (those the read-set check already arbitrated), and
  the store compares it inside its write transaction. A mismatch means another process
  wrote meanwhile: the store raises ``VersionMoved`` having changed nothing, and the write
  is prepared again under the lock against the fresh state, up to ``MAX_ATTEMPTS`` times,
  then refused with a ``Conflict`` that says why.

Refusals and no-op writes are held to the same rule: a preparation that raised (say
``InvalidDocument``) or found nothing to change is answered only if the version shows that
nothing but this committer's own, arbitrated writes happened since it began, so no answer
rests on a mix of states.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from graphsvc.errors import Conflict, GraphsvcError, VersionMoved
from graphsvc.services.write_conflicts import RecordingStore
from graphsvc.store.base import ChangeSet, GraphStore

__all__ = [
    "MAX_ATTEMPTS",
    "ChangeListener",
    "Plan",
    "Prepare",
    "ProgressCallback",
    "WriteCommitter",
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

RECENT_WRITES = 256
"""Applied change sets remembered for checking optimistic writes; a write prepared while more
than this many others were applied is prepared again under the lock."""

MAX_ATTEMPTS = 5
"""Serial preparations of one write before another process's writes make it give up."""


@dataclass
class Plan:
    """A prepared write: the change set to apply and what it counts for the caller."""

    changes: ChangeSet
    counts: dict[str, int]
    removed: int


Prepare = Callable[[GraphStore], Awaitable[Plan]]
"""Prepares one write, reading only through the store it is given; raises to refuse it."""


@dataclass(frozen=True)
class _Applied:
    """One change set this committer applied: its number, workspace and resulting version."""

    number: int
    workspace: str
    changes: ChangeSet
    version: int


@dataclass(frozen=True)
class _Early:
    """A preparation made without the lock, and where it started from."""

    started: int
    """How many change sets the committer had applied when it began."""
    base: int
    """The workspace version read before its first lookup."""
    recorder: RecordingStore
    plan: Plan | None
    refusal: GraphsvcError | None


class WriteCommitter:
    """Applies prepared writes to ``store`` as if one at a time (see the module docstring)."""

    def __init__(self, store: GraphStore, listeners: list[ChangeListener]) -> None:
        """``listeners`` is shared, not copied: listeners added to it later are called too."""
        self.store = store
        self.listeners = listeners
        self._lock = asyncio.Lock()
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
        serial: bool = False,
    ) -> tuple[Plan, int, bool]:
        """Prepare and apply one write; its plan, the version after it, and whether it applied.

        ``serial`` prepares under the lock from the start (rare writes whose reads a read set
        would not describe well, such as deletes). Raises the preparation's refusal, or
        ``Conflict`` when other processes kept changing the workspace.
        """
        early = None if serial else await self._prepare_unlocked(workspace, prepare)
        async with self._lock:
            if early is not None and not self._changed_since(early, workspace):
                expected = early.base + self._own_applies_since(workspace, early.base)
                try:
                    return await self._settle(
                        workspace, early.plan, early.refusal, expected, report
                    )
                except VersionMoved:
                    log.info("write to %r prepared again: another process wrote", workspace)
            for _attempt in range(MAX_ATTEMPTS):
                # Under the lock no write of ours lands between this read and the apply.
                base = await self.store.version(workspace)
                plan, refusal = await _prepared(prepare, self.store)
                try:
                    return await self._settle(workspace, plan, refusal, base, report)
                except VersionMoved:
                    log.info("write to %r prepared again: another process wrote", workspace)
        raise Conflict(
            f"workspace {workspace!r} kept changing in another process while this write was "
            f"validated ({MAX_ATTEMPTS} attempts); nothing was applied: try again"
        )

    async def apply(self, workspace: str, changes: ChangeSet, expected: int) -> int:
        """Apply, remember and announce; a failing listener is logged (the write happened).

        Called with the lock held. ``VersionMoved`` from the store propagates, nothing applied.
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

    def applying(self, workspace: str) -> bool:
        """True while a write of this committer to ``workspace`` may be stored but not announced.

        At most one write is in that state at a time (the lock). A cache comparing its
        version with ``store.version`` may see that write's version one step ahead of what
        listeners were told: this says the step is ours, not another process's.
        """
        return self._applying == workspace

    async def _settle(
        self,
        workspace: str,
        plan: Plan | None,
        refusal: GraphsvcError | None,
        expected: int,
        report: ProgressCallback,
    ) -> tuple[Plan, int, bool]:
        """Apply ``plan`` at version ``expected``, or answer its refusal or no-op if still
        current; ``VersionMoved`` otherwise."""
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
        version = await self.apply(workspace, plan.changes, expected)
        report("apply", size, size)
        return plan, version, True

    async def _prepare_unlocked(self, workspace: str, prepare: Prepare) -> _Early:
        """Prepare without the lock, noting the version and apply count it started from."""
        started = self._applied
        base = await self.store.version(workspace)
        recorder = RecordingStore(self.store)
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


async def _prepared(
    prepare: Prepare, store: GraphStore
) -> tuple[Plan | None, GraphsvcError | None]:
    """Run ``prepare``: its plan, or the graphsvc error it refused the write with."""
    try:
        return await prepare(store), None
    except GraphsvcError as error:
        return None, error

"""Writes read back from the change log: each version's changes as the ``ChangeSet`` it was.

A process whose projection is behind the store (another process or host wrote) catches up
by applying the changes after its version (``services.projection_cache``), the same way it
applies its own writes: ``Projection.apply`` of a ``ChangeSet``. This module turns logged
changes back into those change sets:

- a change with an ``after`` document upserts the record parsed from it (the models of
  ``domain.models``; a ``pipelineStages`` change sets the stage model);
- a change without one deletes the record: an id-keyed record by its key (the id), a
  relationship or decision right by the key of its ``before`` document (a composite key's
  text cannot be split back: ids may contain ``:``).

``logged_writes`` reads the changes after a version from the store and returns them so, or
None when the log cannot give every version (compacted, a version missing, too many);
``catch_up`` applies them to a projection in the analytic worker.

Within a version the changes are folded in log order, each key keeping its last state, so
the change set's "deletes first, then upserts" gives the same result as applying the
changes one by one, whatever their order.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from pydantic import ValidationError

from graphsvc.analytics.projection import Projection
from graphsvc.domain.changes import ChangeSet
from graphsvc.domain.history import CHANGE_ENTITY_KIND, Change, ChangeKind, ChangeQuery
from graphsvc.domain.models import ENTITY_MODELS, DecisionRight, Relationship
from graphsvc.domain.pipeline import PipelineStage
from graphsvc.services.worker import AnalyticWorker
from graphsvc.store.base import GraphStore

__all__ = ["CATCH_UP_LIMIT", "UnreadableChange", "catch_up", "change_sets", "logged_writes"]

log = logging.getLogger(__name__)

CATCH_UP_LIMIT = 500_000
"""Most changes a projection catches up from the log; behind by more, it is rebuilt.

Replaying a change costs about what streaming a record costs in a build (a record parsed
and put), so beyond a workspace's size replaying is no cheaper than rebuilding; this bound
keeps the changes read into memory for one catch-up bounded too."""

_CATCH_UP_PAGE = 10_000
"""Changes read from the log per query while catching up."""


class UnreadableChange(ValueError):
    """A logged change whose document no longer parses as its record (the caller rebuilds)."""


def change_sets(changes: Iterable[Change]) -> Iterator[tuple[int, ChangeSet]]:
    """``(version, change set)`` per version of ``changes`` (in log order), in that order.

    Raises ``UnreadableChange`` naming the change whose document does not parse.
    """
    version: int | None = None
    group: list[Change] = []
    for change in changes:
        if change.version != version and group:
            assert version is not None
            yield version, change_set(group)
            group = []
        version = change.version
        group.append(change)
    if group:
        assert version is not None
        yield version, change_set(group)


def change_set(changes: Sequence[Change]) -> ChangeSet:
    """The change set the changes of one write made (see the module docstring)."""
    last: dict[tuple[ChangeKind, str], Change] = {}
    for change in changes:
        last[change.kind, change.key] = change
    result = ChangeSet()
    for (kind, key), change in last.items():
        try:
            _fold(result, kind, key, change)
        except ValidationError as error:
            raise UnreadableChange(
                f"change {change.kind.value} {change.key!r} of version {change.version} "
                f"does not parse: {error.errors()[0]['msg']}"
            ) from None
    return result


def _fold(into: ChangeSet, kind: ChangeKind, key: str, change: Change) -> None:
    """Add one record's last state in the write to ``into``."""
    after, before = change.after, change.before
    if kind is ChangeKind.PIPELINE_STAGES:
        into.pipeline_stages = _stages(after)
        return
    if kind in CHANGE_ENTITY_KIND:
        entity = CHANGE_ENTITY_KIND[kind]
        if after is None:
            into.deletes.setdefault(entity, []).append(key)
        else:
            record = ENTITY_MODELS[entity].model_validate(after)
            into.upserts.setdefault(entity, []).append(record)
        return
    if kind is ChangeKind.RELATIONSHIP:
        if after is not None:
            into.relationships.append(Relationship.model_validate(after))
        elif before is not None:  # without one, nothing was stored under the key
            into.relationship_deletes.append(Relationship.model_validate(before).key)
        return
    if after is not None:
        into.decision_rights.append(DecisionRight.model_validate(after))
    elif before is not None:
        into.decision_right_deletes.append(DecisionRight.model_validate(before).key)


def _stages(after: dict[str, Any] | None) -> list[PipelineStage] | None:
    """The stage model a ``pipelineStages`` change set (None: back to the default)."""
    if after is None:
        return None
    return [PipelineStage.model_validate(stage) for stage in after["stages"]]


async def logged_writes(
    store: GraphStore, workspace: str, behind: int, current: int
) -> list[tuple[int, ChangeSet]] | None:
    """The writes after ``behind`` up to ``current`` as change sets, every version
    present; None (logged why) when the log cannot give them all."""
    changes = []
    position = (behind + 1, -1)  # every change of the versions after ``behind``
    while True:
        query = ChangeQuery(after=position, until_version=current, limit=_CATCH_UP_PAGE)
        page = await store.changes(workspace, query)
        changes += page
        if len(changes) > CATCH_UP_LIMIT:
            log.info(
                "workspace %r: projection at version %d rebuilt: more than %d changes "
                "behind version %d",
                workspace,
                behind,
                CATCH_UP_LIMIT,
                current,
            )
            return None
        if len(page) < _CATCH_UP_PAGE:
            break
        position = page[-1].position
    writes = await asyncio.to_thread(lambda: list(change_sets(changes)))
    if [version for version, _ in writes] != list(range(behind + 1, current + 1)):
        log_from = await store.log_from(workspace)
        why = (
            f"the change log starts after version {log_from}"
            if log_from > behind
            else f"the change log lacks some versions up to {current}"
        )
        log.info("workspace %r: projection at version %d rebuilt: %s", workspace, behind, why)
        return None
    return writes


async def catch_up(
    store: GraphStore, worker: AnalyticWorker, workspace: str, found: Projection, current: int
) -> bool:
    """Bring ``found`` from its version to ``current`` with the logged changes between.

    False (``found`` untouched) when the log cannot: it starts after ``found``'s version
    (compacted), a version is missing, a change does not parse, or there are more than
    ``CATCH_UP_LIMIT``. Every change is read and parsed (in a thread) before the first is
    applied, and all are applied in one job of ``worker``, under its lock: a request
    cancelled meanwhile leaves ``found`` as it was, no request sees it half caught up, and
    the event loop serves other requests meanwhile.
    """
    behind = found.version
    if behind < 0 or behind >= current:
        return False
    started = time.perf_counter()
    # No ``log_from`` read first: a log that starts after ``behind`` lacks the version
    # after it, which ``logged_writes`` finds (compaction drops whole versions).
    try:
        writes = await logged_writes(store, workspace, behind, current)
    except UnreadableChange as error:
        log.warning("workspace %r: projection rebuilt: %s", workspace, error)
        return False
    if writes is None:
        return False

    def apply_all() -> None:
        if found.version != behind:
            return  # changed meanwhile (cannot happen under the cache's workspace lock)
        for version, changes in writes:
            found.apply(changes, version)

    await worker.run(apply_all, bounded=False)
    if found.version != current:
        return False
    log.info(
        "workspace %r: projection caught up from version %d to %d from the change log "
        "(%d writes, %.3f s)",
        workspace,
        behind,
        current,
        len(writes),
        time.perf_counter() - started,
    )
    return True

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

Within a version the changes are folded in log order, each key keeping its last state, so
the change set's "deletes first, then upserts" gives the same result as applying the
changes one by one, whatever their order.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from pydantic import ValidationError

from graphsvc.domain.changes import ChangeSet
from graphsvc.domain.history import CHANGE_ENTITY_KIND, Change, ChangeKind
from graphsvc.domain.models import ENTITY_MODELS, DecisionRight, Relationship
from graphsvc.domain.pipeline import PipelineStage

__all__ = ["UnreadableChange", "change_sets"]


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

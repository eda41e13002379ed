"""Change log, reviews and stage model to Neo4j parameters and back (pure: no driver, no I/O).

A change is a ``(:Change {workspace, version, index, at, actor, kind, key, operation,
fields, before, after})`` node: ``before``/``after`` are the records' JSON (absent when
``None``), ``fields`` a list of names. Times (``at`` of changes and reviews) are stored as
fixed-width UTC ISO strings with microseconds (``2026-11-28T08:18:39.000000+00:00``): they
sort and compare as text exactly as the instants do, and decoding one is a C call, where a
driver ``DateTime`` costs tens of microseconds of Python per value on every read.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import orjson

from graphsvc.domain.history import Change, ChangeKind, Operation, Review
from graphsvc.domain.pipeline import PipelineStage
from graphsvc.errors import InvalidInput

__all__ = [
    "change_from",
    "change_rows",
    "review_from",
    "review_props",
    "stages_from",
    "stages_json",
    "utc_text",
]


def utc_text(moment: datetime) -> str:
    """``moment`` as the stored time text (a naive datetime is taken to be UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _json(value: dict[str, Any] | None, change: Change, side: str) -> str | None:
    if value is None:
        return None
    try:
        return orjson.dumps(value).decode()
    except TypeError as exc:
        raise InvalidInput(
            f"{change.kind} change {change.key!r}: its {side} record cannot be stored as "
            f"JSON ({exc})"
        ) from exc


def change_rows(changes: Sequence[Change]) -> list[dict[str, Any]]:
    """One ``append_changes`` row per change, ``index`` its place in ``changes``.

    The version and workspace are the statement's parameters (shared by the whole write).
    Changes of one write usually share their time, so it is formatted once per value.
    """
    times: dict[datetime, str] = {}
    rows = []
    for index, change in enumerate(changes):
        at = times.get(change.at)
        if at is None:
            at = times[change.at] = utc_text(change.at)
        rows.append(
            {
                "index": index,
                "at": at,
                "actor": change.actor,
                "kind": str(change.kind),
                "key": change.key,
                "operation": str(change.operation),
                "fields": list(change.fields),
                "before": _json(change.before, change, "before"),
                "after": _json(change.after, change, "after"),
            }
        )
    return rows


def change_from(row: Sequence[Any]) -> Change:
    """The ``Change`` of one row ``[version, index, at, actor, kind, key, operation, fields,
    before, after]`` as ``find_changes`` returns it."""
    version, index, at, actor, kind, key, operation, fields, before, after = row
    return Change(
        kind=ChangeKind(kind),
        key=key,
        operation=Operation(operation),
        fields=tuple(fields or ()),
        before=None if before is None else orjson.loads(before),
        after=None if after is None else orjson.loads(after),
        actor=actor,
        at=datetime.fromisoformat(at),
        version=int(version),
        index=int(index),
    )


def review_props(workspace: str, review: Review) -> dict[str, Any]:
    """Properties of a ``:Review`` node (``notes`` absent when ``None``)."""
    return {
        "workspace": workspace,
        "id": review.id,
        "organizationId": review.organization_id,
        "title": review.title,
        "notes": review.notes,
        "version": review.version,
        "at": utc_text(review.at),
        "actor": review.actor,
    }


def review_from(props: dict[str, Any]) -> Review:
    """The ``Review`` stored as ``props``."""
    return Review(
        id=props["id"],
        organization_id=props["organizationId"],
        title=props["title"],
        notes=props.get("notes"),
        version=int(props["version"]),
        at=datetime.fromisoformat(props["at"]),
        actor=props["actor"],
    )


def stages_json(stages: Sequence[PipelineStage]) -> str:
    """The stage model as stored on the ``:Workspace`` node: ``[{name, probability}]``."""
    return orjson.dumps([stage.model_dump(mode="json", by_alias=True) for stage in stages]).decode()


def stages_from(text: str) -> list[PipelineStage]:
    """The stage model stored as ``text``."""
    return [PipelineStage.model_validate(stage) for stage in orjson.loads(text)]

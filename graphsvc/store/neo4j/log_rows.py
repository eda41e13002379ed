"""Change log, reviews and stage model to Neo4j parameters and back (pure: no driver, no I/O).

Changes are stored in ``(:ChangeBlock {workspace, version, first, last, kinds, atMin,
atMax, data})`` nodes of up to ``BLOCK_SIZE`` consecutive changes of one write
(``change_blocks`` says why). Times (``at`` of changes and reviews) are stored as
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
    "BLOCK_SIZE",
    "INDEX_BITS",
    "change_blocks",
    "change_from",
    "position",
    "review_from",
    "review_props",
    "stages_from",
    "stages_json",
    "utc_text",
]


INDEX_BITS = 32
"""A change's stored ``position`` is ``version << INDEX_BITS | index``: one integer in log
order, so that "after (version, index)" is a single range of one index (a predicate over
two properties made Neo4j's planner sort every change after the position to find a page)."""


_LAST_INDEX = (1 << INDEX_BITS) - 1
_LAST_VERSION = (1 << (63 - INDEX_BITS)) - 2
"""Beyond any version a workspace reaches, with positions still 64-bit integers."""


def position(version: int, index: int) -> int:
    """The stored position of ``(version, index)``, for a change or a query's bound.

    A bound's index may lie outside a write's range: ``(v, -1)`` is before version ``v``'s
    first change, ``(v, 2**62)`` after its last (as services write "all of version v");
    each is clamped into the version's own range so it never reaches into another version.
    """
    version = min(max(version, -1), _LAST_VERSION)
    return (version << INDEX_BITS) + min(max(index, -1), _LAST_INDEX)


def utc_text(moment: datetime) -> str:
    """``moment`` as the stored time text (a naive datetime is taken to be UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


BLOCK_SIZE = 100
"""Changes per ``:ChangeBlock`` node."""


def change_blocks(changes: Sequence[Change], version: int) -> list[dict[str, Any]]:
    """The ``append_changes`` rows of the write that produced ``version``: its changes in
    blocks of ``BLOCK_SIZE``, each ``{first, last, kinds, atMin, atMax, data}``.

    ``data`` lists the block's changes as JSON texts (each the whole change, decoded in one
    call), ``first``/``last`` are the positions of its first and last change (those between
    are consecutive), and ``kinds``, ``atMin``, ``atMax`` let a read skip whole blocks.
    Blocks, not a node per change, because the server's cost is per node and property:
    100k changes took 4.8-5.0 s as nodes with indexed properties, 2.7 s as nodes with one
    index, 0.4-0.7 s as blocks of 100 (same run, 2-core box), against ~15 s for the
    100k-person import they log. Changes of one write usually share their time, so it is
    formatted once per value.
    """
    if len(changes) > _LAST_INDEX:
        raise InvalidInput(f"a write may log at most {_LAST_INDEX} changes")
    times: dict[datetime, str] = {}
    texts: list[str] = []
    kinds: list[str] = []
    ats: list[str] = []
    for index, change in enumerate(changes):
        at = times.get(change.at)
        if at is None:
            at = times[change.at] = utc_text(change.at)
        kind = str(change.kind)
        data = {
            "version": version,
            "index": index,
            "at": at,
            "actor": change.actor,
            "kind": kind,
            "key": change.key,
            "operation": str(change.operation),
            "fields": change.fields,
            "before": change.before,
            "after": change.after,
        }
        try:
            texts.append(orjson.dumps(data).decode())
        except TypeError as exc:
            raise InvalidInput(
                f"{kind} change {change.key!r} cannot be stored: its records are not JSON ({exc})"
            ) from exc
        kinds.append(kind)
        ats.append(at)
    return [
        {
            "first": position(version, start),
            "last": position(version, min(start + BLOCK_SIZE, len(texts)) - 1),
            "kinds": sorted(set(kinds[start : start + BLOCK_SIZE])),
            "atMin": min(ats[start : start + BLOCK_SIZE]),
            "atMax": max(ats[start : start + BLOCK_SIZE]),
            "data": texts[start : start + BLOCK_SIZE],
        }
        for start in range(0, len(texts), BLOCK_SIZE)
    ]


def change_from(fields: dict[str, Any]) -> Change:
    """The ``Change`` of one decoded JSON text of a block's ``data`` (``change_blocks``)."""
    return Change(
        kind=ChangeKind(fields["kind"]),
        key=fields["key"],
        operation=Operation(fields["operation"]),
        fields=tuple(fields["fields"]),
        before=fields["before"],
        after=fields["after"],
        actor=fields["actor"],
        at=datetime.fromisoformat(fields["at"]),
        version=fields["version"],
        index=fields["index"],
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

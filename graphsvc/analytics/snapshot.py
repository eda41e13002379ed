"""A projection as bytes and back, for a server to start from instead of a full build.

Why this shape (issue 14, item 4, measured in ``bench/README.md``, "Cold start, round
three"): building a 100k-person projection from the store is ~1.5 s of Python per record
(SQL reads with JSON extraction, row conversion, inserts). Loading it back has to avoid that:

- The bulky parts are written as **plain columns** (lists of strings, floats, ordinals) and
  the walkable graph and person indexes as the dicts and sets they are, with ``marshal``,
  whose loads builds them in C. Every person id is written as one string object, so marshal
  writes it once and the loaded projection shares it (a third faster to load, less memory).
- Named tuples and keys are rebuilt with C-level ``map``/``zip`` over those columns
  (``tuple.__new__`` of ``PersonNode`` and ``Link``, enums and dates by dict lookup): no
  Python function call per record.
- The few pydantic records (organizations, departments, systems, opportunities, decision
  rights: about 13k at 100k people) are written as JSON and **validated** again on load.
- The whole is compressed (zlib, level 1), whose checksum refuses a damaged snapshot.

``pickle`` of the projection loaded in about the same time but runs whatever a damaged or
forged file names; a marshal stream can only yield plain values. The format names the
Python and marshal versions and the default strengths a ``Link`` bakes in: a snapshot
written by other code is refused (``SnapshotUnreadable``) and the caller builds instead.

Example:
    >>> from graphsvc.domain.models import Organization, Person
    >>> built = Projection.build(
    ...     organizations=[Organization(id="us", name="Nexa", kind="SELF")],
    ...     people=[Person(id="a", name="A", organization_id="us")],
    ...     version=3,
    ... )
    >>> loaded = decode(encode(built))
    >>> loaded.version, loaded.people["a"].name, loaded.self_organization
    (3, 'A', 'us')
"""

from __future__ import annotations

import hashlib
import marshal
import sys
import zlib
from collections import defaultdict
from datetime import date
from itertools import repeat
from typing import Any

from pydantic import TypeAdapter

from graphsvc.analytics.projection import Link, PersonNode, Projection
from graphsvc.domain.enums import RelationshipType, Seniority, Stance
from graphsvc.domain.models import (
    DEFAULT_STRENGTH,
    DecisionRight,
    Department,
    InstalledSystem,
    Opportunity,
    Organization,
)

__all__ = ["SNAPSHOT_FORMAT", "SnapshotUnreadable", "decode", "encode"]


def _format() -> str:
    strengths = repr(sorted((str(t), d, s) for (t, d), s in DEFAULT_STRENGTH.items()))
    digest = hashlib.sha256(strengths.encode()).hexdigest()[:12]
    python = f"{sys.version_info[0]}.{sys.version_info[1]}"
    return f"graphsvc-projection/1 python/{python} marshal/{marshal.version} strengths/{digest}"


SNAPSHOT_FORMAT = _format()
"""The encoding this code writes and reads; a snapshot of any other format is not loaded."""


class SnapshotUnreadable(ValueError):
    """The bytes are not a snapshot this code wrote (damaged, truncated or another format)."""


_SENIORITY: dict[str | None, Seniority | None] = {s.value: s for s in Seniority} | {None: None}
_STANCE = {s.value: s for s in Stance}
_TYPE = {t.value: t for t in RelationshipType}

_RECORDS: tuple[tuple[str, TypeAdapter[Any]], ...] = (
    ("organizations", TypeAdapter(list[Organization])),
    ("departments", TypeAdapter(list[Department])),
    ("systems", TypeAdapter(list[InstalledSystem])),
    ("opportunities", TypeAdapter(list[Opportunity])),
    ("decision_rights", TypeAdapter(list[DecisionRight])),
)


def encode(projection: Projection) -> bytes:
    """The projection as compressed bytes (``decode`` reads them back).

    Reads ``projection`` only; the caller keeps it from changing meanwhile (the projection
    cache runs this under its ``mutation`` lock).
    """
    canonical = {id_: id_ for id_ in projection.people}

    def one(id_: str) -> str:
        found = canonical.get(id_)
        if found is None:
            found = canonical[id_] = id_
        return found

    nodes = list(projection.people.values())
    keys = list(projection.relationships)
    links = list(projection.relationships.values())
    body: dict[str, Any] = {
        "version": projection.version,
        "self_organization": projection.self_organization,
        "people": (
            [one(n.id) for n in nodes],
            [n.name for n in nodes],
            [n.organization_id for n in nodes],
            [n.title for n in nodes],
            [n.department_id for n in nodes],
            [None if n.seniority is None else n.seniority.value for n in nodes],
            [n.stance.value for n in nodes],
        ),
        "relationships": (
            [k[0].value for k in keys],
            [one(k[1]) for k in keys],
            [one(k[2]) for k in keys],
            [link.strength for link in links],
            [
                None if link.last_contact_on is None else link.last_contact_on.toordinal()
                for link in links
            ],
            [link.dotted for link in links],
        ),
        "walk": {
            one(a): {one(b): s for b, s in around.items()} for a, around in projection.walk.items()
        },
        "org_people": {o: {one(p) for p in ps} for o, ps in projection.org_people.items()},
        "dept_people": {d: {one(p) for p in ps} for d, ps in projection.dept_people.items()},
        "blockers": {one(p) for p in projection.blockers},
    }
    for name, adapter in _RECORDS:
        body[name] = adapter.dump_json(list(getattr(projection, name).values()))
    return zlib.compress(marshal.dumps(body), 1)


def decode(data: bytes) -> Projection:
    """The projection ``encode`` wrote; ``SnapshotUnreadable`` when ``data`` is not one."""
    try:
        # Only plain values come out of marshal (no code runs, unlike pickle), and each part
        # is checked as it is rebuilt; the compressed stream's checksum catches damage first.
        body = marshal.loads(zlib.decompress(data))  # noqa: S302
        return _projection(body)
    except SnapshotUnreadable:
        raise
    except (zlib.error, EOFError, ValueError, TypeError, KeyError, IndexError) as error:
        raise SnapshotUnreadable(f"not a readable projection snapshot: {error}") from error


def _projection(body: dict[str, Any]) -> Projection:
    # The few pydantic records are validated again and indexed as every write indexes them.
    records = {name: adapter.validate_json(body[name]) for name, adapter in _RECORDS}
    projection = Projection.build(version=int(body["version"]), **records)
    if projection.self_organization != body["self_organization"]:
        raise SnapshotUnreadable("not a readable projection snapshot: the SELF organization")
    ids, names, orgs, titles, departments, seniorities, stances = _columns(body["people"], 7)
    nodes = zip(
        ids,
        names,
        orgs,
        titles,
        departments,
        map(_SENIORITY.__getitem__, seniorities),
        map(_STANCE.__getitem__, stances),
        strict=True,
    )
    projection.people = dict(zip(ids, map(tuple.__new__, repeat(PersonNode), nodes), strict=True))
    types, froms, tos, strengths, contacts, dotted = _columns(body["relationships"], 6)
    days: dict[int | None, date | None] = {o: date.fromordinal(o) for o in set(contacts) if o}
    days[None] = None
    keys = zip(map(_TYPE.__getitem__, types), froms, tos, strict=True)
    links = zip(strengths, map(days.__getitem__, contacts), dotted, strict=True)
    projection.relationships = dict(zip(keys, map(tuple.__new__, repeat(Link), links), strict=True))
    projection.walk = _mapping(body["walk"])
    projection.org_people = defaultdict(set, _mapping(body["org_people"]))
    projection.dept_people = defaultdict(set, _mapping(body["dept_people"]))
    blockers = body["blockers"]
    if not isinstance(blockers, set):
        raise SnapshotUnreadable("not a readable projection snapshot: blockers")
    projection.blockers = blockers
    return projection


def _columns(value: Any, width: int) -> tuple[list[Any], ...]:
    """``width`` lists of one length (a truncated column would shift every record after it)."""
    if not isinstance(value, tuple) or len(value) != width:
        raise SnapshotUnreadable("not a readable projection snapshot: columns")
    if any(not isinstance(c, list) or len(c) != len(value[0]) for c in value):
        raise SnapshotUnreadable("not a readable projection snapshot: column lengths")
    return value


def _mapping(value: Any) -> dict[Any, Any]:
    if not isinstance(value, dict):
        raise SnapshotUnreadable("not a readable projection snapshot: a mapping")
    return value

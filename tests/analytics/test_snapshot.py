"""Projection snapshots: what ``encode`` writes, ``decode`` reads back as the same projection,
one that later writes change exactly as they change the original; anything else is refused."""

from __future__ import annotations

import marshal
import sys
import zlib

import pytest

from graphsvc.analytics.projection import Link, PersonNode, Projection
from graphsvc.analytics.snapshot import SNAPSHOT_FORMAT, SnapshotUnreadable, decode, encode
from graphsvc.domain.changes import ChangeSet
from graphsvc.domain.enums import EntityKind, RelationshipType, Seniority, Stance
from graphsvc.domain.models import DecisionRight
from tests.analytics.test_projection import snapshot
from tests.factories import knows, person, reports_to, right


def later_writes() -> ChangeSet:
    """Writes of several kinds after the snapshot: a new person, a stance, links, a right."""
    return ChangeSet(
        upserts={
            EntityKind.PERSON: [
                person("p-late", "kaito", "遅 一", stance="BLOCKER"),
                person("p-cfo", "kaito", "財務 太郎", title="CFO", stance="SKEPTIC"),
            ]
        },
        relationships=[knows("ae-1", "p-late", 0.9), reports_to("p-late", "p-cio")],
        decision_rights=[right("p-late", "kaito", "IT", "APPROVER")],
        deletes={EntityKind.SYSTEM: ["s-wms"]},
    )


def test_a_decoded_snapshot_is_the_projection_it_was_encoded_from(kaito: Projection) -> None:
    # given the Kaito group's projection at some version
    kaito.version = 17

    # when it is encoded and decoded
    loaded = decode(encode(kaito))

    # then every record, index and the walkable graph are equal, at the same version
    assert snapshot(loaded) == snapshot(kaito)
    assert loaded.version == 17
    # and of the same types (enum members, the named tuples), not look-alike plain values
    node = loaded.people["p-cio"]
    assert type(node) is PersonNode
    assert type(node.stance) is Stance
    assert node.seniority is None or type(node.seniority) is Seniority
    key, link = next(iter(loaded.relationships.items()))
    assert type(key[0]) is RelationshipType
    assert type(link) is Link
    assert all(type(r) is DecisionRight for r in loaded.decision_rights.values())


def test_a_decoded_snapshot_takes_later_writes_as_the_original_does(kaito: Projection) -> None:
    # given a snapshot of the Kaito projection
    loaded = decode(encode(kaito))

    # when the same later writes are applied to both
    kaito.apply(later_writes(), version=2)
    loaded.apply(later_writes(), version=2)

    # then they are still equal (the catch-up from the change log relies on it)
    assert snapshot(loaded) == snapshot(kaito)
    assert "p-late" in loaded.blockers
    assert loaded.walk["ae-1"]["p-late"] == 0.9


def test_an_empty_projection_round_trips() -> None:
    empty = Projection()
    assert snapshot(decode(encode(empty))) == snapshot(empty)


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: data[: len(data) // 2], id="truncated"),
        pytest.param(
            lambda data: data[:100] + bytes([data[100] ^ 0xFF]) + data[101:], id="flipped byte"
        ),
        pytest.param(lambda data: b"", id="empty"),
        pytest.param(lambda data: b"not a snapshot at all", id="other bytes"),
        pytest.param(lambda data: zlib.compress(marshal.dumps({"version": 3})), id="other body"),
        pytest.param(
            lambda data: zlib.compress(
                marshal.dumps(
                    {**marshal.loads(zlib.decompress(data)), "people": ([], [], [], [], [], [])}
                )
            ),
            id="a column missing",
        ),
        pytest.param(
            lambda data: zlib.compress(
                marshal.dumps(
                    {**marshal.loads(zlib.decompress(data)), "organizations": b'[{"id": 1}]'}
                )
            ),
            id="an invalid record",
        ),
    ],
)
def test_anything_but_an_encoded_projection_is_refused(kaito: Projection, damage: object) -> None:
    data = encode(kaito)
    assert callable(damage)
    with pytest.raises(SnapshotUnreadable):
        decode(damage(data))


def test_the_format_names_the_python_and_marshal_versions() -> None:
    # a marshal stream is only guaranteed readable by the Python version that wrote it
    assert f"python/{sys.version_info[0]}.{sys.version_info[1]}" in SNAPSHOT_FORMAT
    assert f"marshal/{marshal.version}" in SNAPSHOT_FORMAT

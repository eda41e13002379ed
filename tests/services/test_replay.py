"""services.replay: logged changes back into the change sets of their writes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from graphsvc.domain.enums import EntityKind, RelationshipType
from graphsvc.domain.history import Change, ChangeKind, Operation
from graphsvc.domain.pipeline import PipelineStage
from graphsvc.services.replay import UnreadableChange, change_sets
from tests.factories import knows, person

AT = datetime(2026, 11, 1, tzinfo=UTC)


def logged(
    kind: ChangeKind,
    key: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    version: int,
    index: int = 0,
) -> Change:
    operation = (
        Operation.CREATED
        if before is None
        else Operation.DELETED
        if after is None
        else Operation.UPDATED
    )
    return Change(kind, key, operation, (), before, after, "cli", AT, version, index)


def test_each_version_becomes_one_change_set_in_log_order() -> None:
    a = person("a", "org").to_document()
    tie = knows("b", "a", 0.4).to_document()
    changes = [
        logged(ChangeKind.PERSON, "a", None, a, 3),
        logged(ChangeKind.RELATIONSHIP, "KNOWS:a:b", None, tie, 3, 1),
        logged(ChangeKind.RELATIONSHIP, "KNOWS:a:b", tie, None, 4),
        logged(ChangeKind.PERSON, "a", a, None, 4, 1),
        logged(
            ChangeKind.PIPELINE_STAGES,
            "pipelineStages",
            {"stages": []},
            {"stages": [{"name": "ONE", "probability": 0.5}]},
            5,
        ),
    ]

    [(v3, created), (v4, deleted), (v5, stages)] = list(change_sets(changes))

    assert (v3, v4, v5) == (3, 4, 5)
    assert created.upserts == {EntityKind.PERSON: [person("a", "org")]}
    assert created.relationships == [knows("b", "a", 0.4)]
    assert deleted.deletes == {EntityKind.PERSON: ["a"]}
    assert deleted.relationship_deletes == [(RelationshipType.KNOWS, "a", "b")]
    assert stages.pipeline_stages == [PipelineStage(name="ONE", probability=0.5)]


def test_a_key_written_twice_in_one_version_keeps_its_last_state() -> None:
    a = person("a", "org").to_document()
    changes = [
        logged(ChangeKind.PERSON, "a", None, a, 7),
        logged(ChangeKind.PERSON, "a", a, None, 7, 1),
    ]

    [(_version, change_set)] = list(change_sets(changes))

    assert change_set.upserts == {}
    assert change_set.deletes == {EntityKind.PERSON: ["a"]}


def test_a_change_that_does_not_parse_is_named() -> None:
    broken = logged(ChangeKind.PERSON, "a", None, {"id": "a", "name": "A"}, 9)

    with pytest.raises(UnreadableChange, match="person 'a' of version 9"):
        list(change_sets([broken]))

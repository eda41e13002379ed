"""The change log entries of a write are built while the store reads them (``ChangeLog``).

An import's entries are not held all at once (a million-person import would hold a
gigabyte of them): the store iterates them as it inserts the rows, and may iterate again
(Neo4j retries a transaction). Every iteration must give the same entries, as many as the
change set writes, in the order the contract numbers them (deletions first).
"""

from __future__ import annotations

from datetime import UTC, datetime

from graphsvc.domain.enums import EntityKind
from graphsvc.domain.history import Change, ChangeKind, LogItems, Operation
from graphsvc.services.writes.log import Before, change_log
from tests.factories import changes, knows, org, person

AT = datetime(2026, 11, 28, 9, 30, tzinfo=UTC)


def test_every_iteration_gives_the_same_entries_one_per_record() -> None:
    # given a change set creating two people and a relationship, updating an organization
    # and deleting a person
    stored_org = org("kaito", "海東")
    written = changes(org("kaito", "海東 HD"), person("p-a", "kaito"), person("p-b", "kaito"))
    written.relationships.append(knows("p-a", "p-b", 0.8))
    written.deletes[EntityKind.PERSON] = ["p-gone"]
    before = Before(
        records={
            EntityKind.ORGANIZATION: {"kaito": stored_org},
            EntityKind.PERSON: {"p-gone": person("p-gone", "kaito")},
        }
    )
    # when its log is read twice
    log = change_log(written, before, "cli", AT)
    first, second = list(log), list(log)
    # then both readings are the same entries, one per record, deletions first
    assert first == second
    assert len(log) == written.size() == len(first) == 5
    assert [(c.kind, c.key, c.operation) for c in first] == [
        (ChangeKind.PERSON, "p-gone", Operation.DELETED),
        (ChangeKind.ORGANIZATION, "kaito", Operation.UPDATED),
        (ChangeKind.PERSON, "p-a", Operation.CREATED),
        (ChangeKind.PERSON, "p-b", Operation.CREATED),
        (ChangeKind.RELATIONSHIP, "KNOWS:p-a:p-b", Operation.CREATED),
    ]
    assert first[1].fields == ("name",)
    assert first[1].before == stored_org.to_document()
    assert first[2].after == person("p-a", "kaito").to_document()
    assert all(c.actor == "cli" and c.at == AT for c in first)
    # and a store reading them as tuples (``LogItems``, SQLite's blocks) gets the same
    assert isinstance(log, LogItems)
    assert [Change(*item) for item in log.items()] == first
    log[0]  # built and kept once indexed: the tuples still say the same
    assert [Change(*item) for item in log.items()] == first


def test_entries_can_be_indexed_and_sliced_like_a_list() -> None:
    written = changes(person("p-a", "kaito"), person("p-b", "kaito"), person("p-c", "kaito"))
    log = change_log(written, Before(), "token-1", AT)

    assert log[0].key == "p-a"
    assert log[-1].key == "p-c"
    assert [c.key for c in log[1:]] == ["p-b", "p-c"]
    assert list(log) == [log[0], log[1], log[2]]

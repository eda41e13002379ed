"""The SQLite store's ``compare``: records stored as given are told apart by their texts, in SQL,
without being read back as models; a text that differs for the same record is settled by the
models (the contract, ``tests/contract/test_compare.py``, holds the answers on both stores)."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from graphsvc.domain.enums import EntityKind, RelationshipType
from graphsvc.store.sqlite import SqliteStore, lookups
from tests.factories import changes, knows, org, person

PEOPLE = [person(f"p-{n:03}", "acme", f"Person {n}", title="Buyer") for n in range(40)]
TIES = [knows(f"p-{n:03}", f"p-{n + 1:03}", 0.5) for n in range(39)]


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SqliteStore]:
    opened = SqliteStore(str(tmp_path / "graph.db"))
    await opened.open()
    await opened.apply("w", changes(org("acme"), *PEOPLE, *TIES))
    yield opened
    await opened.close()


@pytest.fixture
def decoded(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many stored records each comparison read back as models."""
    counts: list[int] = []
    real = lookups.records_in

    def counting(model: Any, array: str | None) -> Any:
        records = real(model, array)
        counts.append(len(records))
        return records

    monkeypatch.setattr(lookups, "records_in", counting)
    return counts


async def test_records_stored_as_given_are_not_read_back(
    store: SqliteStore, decoded: list[int]
) -> None:
    retitled = PEOPLE[3].model_copy(update={"title": "CIO"})

    # when the people are compared, one retitled, and the ties as stored
    compared = await store.compare("w", EntityKind.PERSON, [*PEOPLE[:3], retitled, *PEOPLE[4:]])
    ties = await store.compare_relationships("w", TIES)

    # then only the retitled person was read back, and no tie
    assert compared.stored == {"p-003": PEOPLE[3]}
    assert len(compared.same) == 39
    assert len(ties.same) == 39
    assert decoded == [1, 0]


async def test_a_row_written_otherwise_is_compared_as_a_model(
    store: SqliteStore, tmp_path: Path
) -> None:
    # given a person's and a tie's rows rewritten with their keys in another order (the same
    # records, other texts)
    with sqlite3.connect(tmp_path / "graph.db") as connection:
        for table, where in (("people", "id = 'p-001'"), ("relationships", "a = 'p-001'")):
            (doc,) = connection.execute(f"SELECT doc FROM {table} WHERE {where}").fetchone()
            shuffled = dict(reversed(list(orjson.loads(doc).items())))
            connection.execute(
                f"UPDATE {table} SET doc = ? WHERE {where}",
                (orjson.dumps(shuffled).decode(),),
            )

    # when they are compared as the records they are
    compared = await store.compare("w", EntityKind.PERSON, PEOPLE[:3])
    ties = await store.compare_relationships("w", TIES[:3])

    # then they are still the same
    assert compared.same == {"p-000", "p-001", "p-002"}
    assert ties.same == {tie.key for tie in TIES[:3]}
    assert (RelationshipType.KNOWS, "p-001", "p-002") in ties.same

"""``GraphReader.compare`` over SQLite: the JSON a record would be stored as, compared with the
JSON stored, in SQL (``graphsvc.store.compare`` says why a re-import asks).

A row's ``doc`` is the record's ``to_document()`` encoded by orjson (``rows.entity_row``), a
deterministic text, which SQLite's JSON functions give back as it was written (3.40 keeps a
value's text): equal texts are equal records, so a record stored as given is told in
the reader thread, by SQLite, without reading it back as a model. Only the records whose
texts differ come back (their stored texts, in one array, as ``get`` reads them), to be
compared as models: a text may differ for a record that is the same (a KNOWS pair written
in the other order, a row written by pydantic's serializer), so the answer is always the
models' (``compared_records``), as the Neo4j store gives it.

Measured on a no-op re-import of 100k people, in batches of 10,000: making the texts
0.06 s of Python, SQLite's comparison 0.13 s (in the reader, beside the next batch's texts),
where reading the people back as models took 0.47 s.
"""

# Table names in f-strings come only from ENTITY_TABLES; every value is a bound parameter.
# ruff: noqa: S608

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

import orjson

from graphsvc.domain.enums import RelationshipType
from graphsvc.domain.models import Entity, Relationship, RelationshipKey
from graphsvc.store.sqlite.rows import DOCS_ARRAY
from graphsvc.store.sqlite.schema import EntityTable

__all__ = ["Texts", "entity_texts", "relationship_texts", "texts_compared"]

Texts = tuple[list[Any], str | None]
"""What SQLite tells of the given texts: the ids (records) or positions (relationships) of
those stored as given, and the stored texts of the others it holds, as one JSON array."""


def entity_texts(table: EntityTable, records: Sequence[Entity]) -> str | None:
    """``{id: document}`` of ``records`` as JSON, or None when a record cannot be compared as
    text (not of the table's own model, or an id given twice: ``compare`` then reads them).

    A document is encoded inside the one JSON text (SQLite's ``json_each`` gives it back as
    it is), not as a string of its own: half the Python time of encoding each and escaping it.
    """
    model = table.model
    if any(type(record) is not model for record in records):
        return None
    given = {record.id: record.to_document() for record in records}
    return orjson.dumps(given).decode() if len(given) == len(records) else None


def relationship_texts(
    relationships: Sequence[Relationship],
) -> tuple[str, list[RelationshipKey]] | None:
    """``[[type, a, b, document], …]`` (the stored key: a KNOWS pair sorted) as JSON and the
    relationships' keys, or None as ``entity_texts``."""
    knows = RelationshipType.KNOWS
    given: list[list[Any]] = []
    keys: list[RelationshipKey] = []
    for relationship in relationships:
        if type(relationship) is not Relationship:
            return None
        type_, a, b = relationship.type, relationship.from_id, relationship.to_id
        if type_ is knows and b < a:
            a, b = b, a
        keys.append((type_, a, b))
        given.append([type_._value_, a, b, relationship.to_document()])
    if len(set(keys)) != len(keys):
        return None
    return orjson.dumps(given).decode(), keys


def _compared_sql(join: str) -> str:
    """The query over ``json_each(?1) AS g`` joined by ``join`` to the stored rows ``t``:
    which given texts are stored as they are (``g.n``), and the stored texts of the others.
    CROSS JOIN keeps the given texts the outer loop: one primary key search each."""
    return (
        "SELECT '[' || group_concat(CASE WHEN t.doc = g.doc THEN g.n END, ',') || ']', "
        f"{DOCS_ARRAY.format('CASE WHEN t.doc = g.doc THEN NULL ELSE t.doc END')} "
        f"FROM {join}"
    )


def texts_compared(c: sqlite3.Connection, workspace: str, table: str | None, given: str) -> Texts:
    """Compare ``given`` (``entity_texts`` of ``table``'s records, or ``relationship_texts``
    when ``table`` is None) with the rows of ``workspace`` (run in a reader thread)."""
    if table is None:
        join = (
            "(SELECT key AS n, value ->> 0 AS type, value ->> 1 AS a, value ->> 2 AS b, "
            "value -> 3 AS doc FROM json_each(?1)) AS g CROSS JOIN relationships AS t "
            "ON t.workspace = ?2 AND t.type = g.type AND t.a = g.a AND t.b = g.b"
        )
    else:
        join = (
            "(SELECT json_quote(key) AS n, key AS id, value AS doc FROM json_each(?1)) AS g "
            f"CROSS JOIN {table} AS t ON t.workspace = ?2 AND t.id = g.id"
        )
    same, stored = c.execute(_compared_sql(join), (given, workspace)).fetchone()
    return (orjson.loads(same) if same is not None else []), stored

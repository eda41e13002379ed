"""``stream_relationship_rows``: the lean read a projection builds from, equal to the records.

Every store must give, for every relationship, the row its full record implies: the key's
ends (a KNOWS pair sorted), the recorded strength (None when absent), dotted, last contact.
"""

from __future__ import annotations

from datetime import date

from graphsvc.domain.changes import ChangeSet
from graphsvc.domain.enums import EntityKind, RelationshipType
from graphsvc.domain.models import Relationship
from graphsvc.domain.rows import RelationshipRow
from graphsvc.store.base import GraphStore
from tests.factories import org, person

RELATIONSHIPS = [
    Relationship(
        type="KNOWS", from_id="p-b", to_id="p-a", strength=0.8, last_contact_on=date(2026, 3, 1)
    ),
    Relationship(type="KNOWS", from_id="p-a", to_id="p-c"),
    Relationship(type="INFLUENCES", from_id="p-c", to_id="p-a", strength=0.95),
    Relationship(type="REPORTS_TO", from_id="p-b", to_id="p-c", dotted=True),
    Relationship(type="REPORTS_TO", from_id="p-a", to_id="p-c", strength=1.0),
]


async def test_rows_equal_the_stored_records_in_key_order(
    store: GraphStore, workspace: str
) -> None:
    # given relationships of every type, with and without strength, dotted, last contact
    people = [person(p, "o") for p in ("p-a", "p-b", "p-c")]
    await store.apply(
        workspace,
        ChangeSet(
            upserts={EntityKind.ORGANIZATION: [org("o")], EntityKind.PERSON: people},
            relationships=RELATIONSHIPS,
        ),
    )
    # when they are streamed as rows
    rows = [row async for batch in store.stream_relationship_rows(workspace) for row in batch]
    # then each row is what its record says, in key order
    records = [r async for batch in store.stream_relationships(workspace) for r in batch]
    expected = [
        RelationshipRow(r.type, *r.key[1:], r.strength, r.dotted, r.last_contact_on)
        for r in sorted(records, key=lambda r: r.key)
    ]
    assert rows == expected
    assert rows[0] == RelationshipRow(RelationshipType.INFLUENCES, "p-c", "p-a", 0.95, False, None)
    assert (
        RelationshipRow(RelationshipType.KNOWS, "p-a", "p-b", 0.8, False, date(2026, 3, 1)) in rows
    )


async def test_an_empty_workspace_streams_no_rows(store: GraphStore, workspace: str) -> None:
    assert [b async for b in store.stream_relationship_rows(workspace)] == []

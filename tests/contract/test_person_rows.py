"""``stream_person_rows``: the lean read of people a projection builds from.

Every store must give, for every person, the row its full record implies (optional fields
absent as None, the default stance as UNKNOWN), in id order, like ``stream`` of people.
"""

from __future__ import annotations

from graphsvc.domain.changes import ChangeSet
from graphsvc.domain.enums import EntityKind, Seniority, Stance
from graphsvc.domain.models import Entity, Person
from graphsvc.domain.rows import PersonRow
from graphsvc.store.base import GraphStore
from tests.factories import dept, org, person


async def test_rows_equal_the_stored_people_in_id_order(store: GraphStore, workspace: str) -> None:
    # given people with every optional field set, and with none of them set
    people: list[Entity] = [
        person(
            "p-b",
            "o",
            "伊藤 翔",
            title="CIO",
            department_id="d",
            seniority=Seniority.EXECUTIVE,
            stance=Stance.BLOCKER,
        ),
        person("p-a", "o", "Ken Ueda"),
        person("p-c", "o", "Mia", stance=Stance.CHAMPION, seniority=Seniority.VP),
    ]
    await store.apply(
        workspace,
        ChangeSet(
            upserts={
                EntityKind.ORGANIZATION: [org("o")],
                EntityKind.DEPARTMENT: [dept("d", "o")],
                EntityKind.PERSON: people,
            }
        ),
    )
    # when they are streamed as rows
    rows = [row async for batch in store.stream_person_rows(workspace) for row in batch]
    # then each row is what its record says, in id order, as the full stream gives them
    records = [
        r
        async for batch in store.stream(workspace, EntityKind.PERSON)
        for r in batch
        if isinstance(r, Person)
    ]
    assert len(records) == 3
    assert rows == [
        PersonRow(
            r.id,
            r.name,
            r.organization_id,
            r.title,
            r.department_id,
            r.seniority,
            r.stance,
        )
        for r in records
    ]
    assert rows[0] == PersonRow("p-a", "Ken Ueda", "o", None, None, None, Stance.UNKNOWN)
    assert rows[1] == PersonRow(
        "p-b", "伊藤 翔", "o", "CIO", "d", Seniority.EXECUTIVE, Stance.BLOCKER
    )
    assert rows[1].seniority is Seniority.EXECUTIVE
    assert rows[1].stance is Stance.BLOCKER


async def test_an_empty_workspace_streams_no_person_rows(store: GraphStore, workspace: str) -> None:
    assert [b async for b in store.stream_person_rows(workspace)] == []

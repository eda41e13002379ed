"""How fast the SQLite store imports a large workspace: records per second of ``apply``.

Builds N people in organizations of 1,000 with 20 departments each, one solid REPORTS_TO
line per person (a tree per organization) and one KNOWS per person, then applies it all
as one change set (as an import does) to a fresh file and reports the rate. Building the
records is timed separately: it is the caller's cost, not the store's.

    .venv/bin/python -m bench.sqlite_import --people 100000
"""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
import time
from pathlib import Path

from graphsvc.domain.changes import ChangeSet
from graphsvc.domain.enums import EntityKind, OrganizationKind, RelationshipType, Seniority
from graphsvc.domain.models import Department, Entity, Organization, Person, Relationship
from graphsvc.store.sqlite import SqliteStore

PEOPLE_PER_ORG = 1000
DEPARTMENTS_PER_ORG = 20


def build(people: int, seed: int) -> ChangeSet:
    """A change set of about ``people`` people with their organizations and departments."""
    rng = random.Random(seed)
    orgs: list[Entity] = []
    departments: list[Entity] = []
    persons: list[Entity] = []
    relationships: list[Relationship] = []
    levels = list(Seniority)
    for i in range(people):
        o, position = divmod(i, PEOPLE_PER_ORG)
        org_id = f"org-{o:05d}"
        if position == 0:
            orgs.append(
                Organization(id=org_id, name=f"株式会社 {o}", kind=OrganizationKind.CUSTOMER)
            )
            departments += [
                Department(id=f"{org_id}-d{d:02d}", organization_id=org_id, name=f"部署 {d}")
                for d in range(DEPARTMENTS_PER_ORG)
            ]
        person_id = f"p-{i:07d}"
        persons.append(
            Person(
                id=person_id,
                name=f"社員 {i}",
                title="Manager" if position % 10 == 0 else "Staff",
                organization_id=org_id,
                department_id=f"{org_id}-d{position % DEPARTMENTS_PER_ORG:02d}",
                seniority=levels[min(4, position.bit_length() // 2)],
            )
        )
        if position:
            manager = o * PEOPLE_PER_ORG + (position - 1) // 4
            relationships.append(
                Relationship(
                    type=RelationshipType.REPORTS_TO, from_id=person_id, to_id=f"p-{manager:07d}"
                )
            )
        friend = rng.randrange(people)
        if friend != i:
            relationships.append(
                Relationship(
                    type=RelationshipType.KNOWS,
                    from_id=person_id,
                    to_id=f"p-{friend:07d}",
                    strength=round(rng.uniform(0.1, 1.0), 2),
                )
            )
    return ChangeSet(
        upserts={
            EntityKind.ORGANIZATION: orgs,
            EntityKind.DEPARTMENT: departments,
            EntityKind.PERSON: persons,
        },
        relationships=relationships,
    )


async def run(people: int, seed: int, directory: Path) -> None:
    """Build, apply into a fresh store, and print the rates."""
    started = time.perf_counter()
    changes = build(people, seed)
    built = time.perf_counter() - started
    store = SqliteStore(str(directory / "bench.db"))
    await store.open()
    try:
        started = time.perf_counter()
        await store.apply("bench", changes)
        applied = time.perf_counter() - started
        started = time.perf_counter()
        streamed = 0
        async for batch in store.stream("bench", EntityKind.PERSON):
            streamed += len(batch)
        read = time.perf_counter() - started
    finally:
        await store.close()
    records = changes.size()
    print(f"records: {records:,} ({people:,} people + orgs, departments, relationships)")
    print(f"build (pydantic, not the store): {built:.2f}s")
    print(f"apply: {applied:.2f}s = {records / applied:,.0f} records/s")
    print(f"stream people: {read:.2f}s = {streamed / read:,.0f} records/s")


def main() -> None:
    """Parse arguments and run once in a temporary directory."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dir", type=Path, default=None, help="where to put the file")
    args = parser.parse_args()
    if args.dir is not None:
        asyncio.run(run(args.people, args.seed, args.dir))
        return
    with tempfile.TemporaryDirectory() as directory:
        asyncio.run(run(args.people, args.seed, Path(directory)))


if __name__ == "__main__":
    main()

"""Concurrent writes through one GraphService: prepared optimistically, applied as if serial.

Each write is prepared (lookups, validation, diff) without the write lock and applied under
it only if no write applied meanwhile touched what it read; otherwise it is prepared again
under the lock. These specs start writes together with ``asyncio.gather``, so that their
preparations interleave, and check that the outcome is one a serial order would give.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable

import pytest

from graphsvc.domain.changes import ChangeSet
from graphsvc.domain.enums import EntityKind, OrganizationKind
from graphsvc.domain.models import Organization
from graphsvc.errors import Conflict, GraphsvcError, InvalidDocument
from graphsvc.services.graph import GraphService
from graphsvc.services.writes import RecordingReader
from graphsvc.store.base import GraphStore
from tests.factories import document, kaito_document, org, person


async def _outcomes(*writes: Awaitable[object]) -> list[object]:
    """Run writes together; each one's result, or the error it raised."""
    return list(await asyncio.gather(*writes, return_exceptions=True))


async def test_concurrent_creates_of_one_id_let_exactly_one_succeed(
    service: GraphService, workspace: str
) -> None:
    # given an empty workspace
    # when eight clients create the same organization at once
    results = await _outcomes(
        *(
            service.create(
                workspace,
                EntityKind.ORGANIZATION,
                {"id": "acme", "name": f"A{i}", "kind": "PROSPECT"},
            )
            for i in range(8)
        )
    )

    # then one create wins and every other one is refused with Conflict
    assert sum(not isinstance(r, BaseException) for r in results) == 1
    assert all(isinstance(r, Conflict) for r in results if isinstance(r, BaseException))
    assert await service.store.version(workspace) == 1


async def test_two_reporting_lines_that_together_close_a_cycle_are_not_both_applied(
    service: GraphService, workspace: str
) -> None:
    # given two people with no manager
    await service.import_document(
        workspace, document(organizations=[org("a")], people=[person("x", "a"), person("y", "a")])
    )

    # when x is put under y and y under x at the same time (each fine on its own)
    results = await _outcomes(
        service.update(workspace, EntityKind.PERSON, "x", {"reportsToId": "y"}),
        service.update(workspace, EntityKind.PERSON, "y", {"reportsToId": "x"}),
    )

    # then one is applied and the other refused as a cycle, as in any serial order
    refused = [r for r in results if isinstance(r, BaseException)]
    assert len(refused) == 1
    assert isinstance(refused[0], InvalidDocument)
    assert "cycle" in str(refused[0])
    lines = await service.store.relationships(workspace, ["x", "y"])
    assert len(lines) == 1


async def test_a_person_created_while_their_organization_is_deleted_never_dangles(
    service: GraphService, workspace: str
) -> None:
    # given an organization with nobody in it
    await service.import_document(workspace, document(organizations=[org("a")]))

    # when its deletion and the creation of a person in it race
    results = await _outcomes(
        service.create(
            workspace, EntityKind.PERSON, {"id": "p", "name": "P", "organizationId": "a"}
        ),
        service.delete(workspace, EntityKind.ORGANIZATION, "a"),
    )

    # then exactly one of them happened, and no person points at a missing organization
    assert sum(isinstance(r, GraphsvcError) for r in results) == 1
    orgs = await service.store.get(workspace, EntityKind.ORGANIZATION, ["a"])
    people = await service.store.get(workspace, EntityKind.PERSON, ["p"])
    assert bool(orgs) == bool(people)


async def test_concurrent_self_organizations_are_refused_but_one(
    service: GraphService, workspace: str
) -> None:
    # given a workspace without a SELF organization
    # when three clients each create a different SELF organization at once
    results = await _outcomes(
        *(
            service.create(
                workspace, EntityKind.ORGANIZATION, {"id": f"us{i}", "name": "Us", "kind": "SELF"}
            )
            for i in range(3)
        )
    )

    # then the rule "at most one SELF organization" holds
    assert sum(not isinstance(r, BaseException) for r in results) == 1
    found = await service.store.find(workspace, EntityKind.ORGANIZATION, {"kind": ["SELF"]})
    assert len(found) == 1


async def test_unrelated_concurrent_writes_are_applied_in_groups_announced_in_version_order(
    service: GraphService, workspace: str, caplog: pytest.LogCaptureFixture
) -> None:
    # given the Kaito group and a listener noting the versions and records it is told about
    await service.import_document(workspace, kaito_document())
    start = await service.store.version(workspace)
    announced: list[int] = []
    written: list[str] = []

    async def listener(_workspace: str, changes: ChangeSet, version: int) -> None:
        announced.append(version)
        written.extend(r.id for records in changes.upserts.values() for r in records)

    service.listeners.append(listener)

    caplog.set_level(logging.INFO, logger="graphsvc.services.writes.commit")

    # when twenty prospects are created and eight stances changed at once
    stances = {"p-ceo": "CHAMPION", "p-cio": "SUPPORTER", "p-cfo": "NEUTRAL", "p-itdir": "SKEPTIC"}
    stances |= {"p-eng": "BLOCKER", "p-pm": "CHAMPION", "p-hr": "NEUTRAL", "p-log": "SUPPORTER"}
    results = await _outcomes(
        *(
            service.create(
                workspace,
                EntityKind.ORGANIZATION,
                {"id": f"pr{i}", "name": f"P{i}", "kind": "PROSPECT"},
            )
            for i in range(20)
        ),
        *(
            service.update(workspace, EntityKind.PERSON, p, {"stance": stance})
            for p, stance in stances.items()
        ),
    )

    # then every write succeeded and was announced once, in consecutive versions
    assert not [r for r in results if isinstance(r, BaseException)]
    assert sorted(written) == sorted([f"pr{i}" for i in range(20)] + list(stances))
    assert announced == list(range(start + 1, start + 1 + len(announced)))
    # and writes that queued together were committed together: fewer transactions than writes
    assert len(announced) < 28
    assert await service.store.version(workspace) == announced[-1]
    # and the version check counted the service's own writes: none was taken for another
    # process's and prepared again
    assert "another process wrote" not in caplog.text
    stored = await service.store.get(workspace, EntityKind.PERSON, list(stances))
    assert {p: getattr(record, "stance", None) for p, record in stored.items()} == stances


@pytest.mark.parametrize(
    ("written", "conflicts"),
    [
        (org("new-prospect", kind=OrganizationKind.PROSPECT), False),
        (org("new-self", kind=OrganizationKind.SELF), True),
        (org("us", name="Nexa renamed", kind=OrganizationKind.SELF), True),
    ],
    ids=["other-kind", "joins-the-answer", "changes-a-found-record"],
)
async def test_a_filtered_lookup_conflicts_only_with_writes_that_change_its_answer(
    service: GraphService, workspace: str, written: Organization, conflicts: bool
) -> None:
    # given the Kaito group, and a preparation that looked up the SELF organization
    await service.import_document(workspace, kaito_document())
    recorder = RecordingReader(service.store)
    await recorder.find(workspace, EntityKind.ORGANIZATION, {"kind": ["SELF"]})

    # when an organization is written
    changes = ChangeSet(upserts={EntityKind.ORGANIZATION: [written]})

    # then only a write that adds to or alters the answer conflicts
    assert recorder.reads.conflicts_with(changes) is conflicts


def test_a_preparation_cannot_write_through_its_recording_reader() -> None:
    # given what a preparation reads through, and every write a store offers
    writes = ("apply", "drop_workspace", "migrate", "save_token", "revoke_token")

    # then the recording reader offers none of them: a preparation has no way to write
    assert not [name for name in writes if hasattr(RecordingReader, name)]
    assert all(hasattr(GraphStore, name) for name in writes)

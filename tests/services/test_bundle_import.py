"""Importing and exporting CSV bundles behaves the same on every store (CONTRACT §8)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from graphsvc.errors import InvalidDocument
from graphsvc.services.bundle import import_bundle, read_source, write_bundle
from graphsvc.services.graph import GraphService
from graphsvc.store.base import GraphStore

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


async def test_an_example_bundle_round_trips_through_the_store(
    service: GraphService,
    store: GraphStore,
    new_workspace: Callable[[], str],
    tmp_path: Path,
) -> None:
    # given the Japanese example bundle imported into one workspace
    first, second = new_workspace(), new_workspace()
    bundle = read_source(str(EXAMPLES / "bundle-ja"))
    await import_bundle(service, first, bundle)
    # when it is exported, imported into an empty workspace and exported again
    await write_bundle(store, first, tmp_path / "one")
    again = read_source(str(tmp_path / "one"))
    done = await import_bundle(service, second, again)
    await write_bundle(store, second, tmp_path / "two")
    # then both exports are the same bytes
    assert done.summary.applied
    for path in sorted((tmp_path / "one").iterdir()):
        assert path.read_bytes() == (tmp_path / "two" / path.name).read_bytes(), path.name


async def test_a_cross_record_problem_is_located_in_the_files(
    service: GraphService, workspace: str, tmp_path: Path
) -> None:
    folder = tmp_path / "b"
    folder.mkdir()
    (folder / "organizations.csv").write_text("id,name,kind\nk,K,CUSTOMER\n")
    (folder / "people.csv").write_text("id,name,organizationId,reportsToId\na,A,k,b\nb,B,k,a\n")
    bundle = read_source(str(folder))

    with pytest.raises(InvalidDocument) as refused:
        await import_bundle(service, workspace, bundle)

    assert [issue.path for issue in refused.value.issues] == ["people.csv:2 column reportsToId"]
    assert refused.value.issues[0].message == "solid REPORTS_TO lines form a cycle: a → b → a"


async def test_salesforce_departments_join_stored_ones_of_the_same_name(
    service: GraphService, workspace: str, tmp_path: Path
) -> None:
    # given a workspace holding the account with a department "IT" under an id of its own
    await service.import_document(
        workspace,
        {
            "format": "graphsvc/v1",
            "organizations": [{"id": "001A", "name": "Acme", "kind": "CUSTOMER"}],
            "departments": [{"id": "acme-it", "organizationId": "001A", "name": "IT"}],
        },
    )
    folder = tmp_path / "sf"
    folder.mkdir()
    (folder / "Contact.csv").write_text(
        "Id,AccountId,FirstName,LastName,Department\n003A,001A,Ann,Lee,it\n003B,001A,Bo,Kim,Sales\n"
    )
    # when Salesforce contacts of that account in departments "it" and "Sales" are imported
    done = await import_bundle(service, workspace, read_source(str(folder), mapping="salesforce"))
    # then "it" joins the stored department, and "Sales" is made under its derived id
    assert [p.department_id for p in done.document.people] == ["acme-it", "001A/Sales"]
    assert [d.id for d in done.document.departments] == ["001A/Sales"]

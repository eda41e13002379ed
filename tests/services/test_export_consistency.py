"""Exports are one version of the workspace, or say loudly that they are not."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator

import pytest

from graphsvc.domain.enums import EntityKind
from graphsvc.domain.models import Entity
from graphsvc.services.export import ExportInterleaved, export_document, write_document
from graphsvc.services.graph import GraphService
from graphsvc.store.sqlite import SqliteStore
from tests.factories import kaito_document


class WritesWhileStreaming(SqliteStore):
    """The real SQLite store, plus a real write landing right after the first departments batch.

    It stands for another client writing while an export is under way.
    """

    def __init__(self, path: str, writes: int) -> None:
        super().__init__(path)
        self.writes_left = writes

    async def stream(self, workspace: str, kind: EntityKind) -> AsyncIterator[list[Entity]]:
        async for batch in super().stream(workspace, kind):
            yield batch
            if kind is EntityKind.DEPARTMENT and self.writes_left > 0:
                self.writes_left -= 1
                n = self.writes_left
                await GraphService(self).create(
                    workspace,
                    EntityKind.ORGANIZATION,
                    {"id": f"late-{n}", "name": f"Late {n}", "kind": "PROSPECT"},
                )


@pytest.fixture
async def racing_store(
    tmp_path: object, request: pytest.FixtureRequest
) -> AsyncIterator[WritesWhileStreaming]:
    store = WritesWhileStreaming(f"{tmp_path}/race.db", writes=request.param)
    await store.open()
    yield store
    await store.close()


@pytest.mark.parametrize("racing_store", [1], indirect=True)
async def test_a_streamed_export_interleaved_with_a_write_is_refused_naming_the_versions(
    racing_store: WritesWhileStreaming,
) -> None:
    # given the Kaito group, and a write that lands while the export streams departments
    await GraphService(racing_store).import_document("w", kaito_document())
    before = await racing_store.version("w")

    # when the workspace is exported as text
    with pytest.raises(ExportInterleaved) as refused:
        await write_document(racing_store, "w", io.StringIO())

    # then the caller learns that the text mixes two versions, and which
    assert f"version {before} → {before + 1}" in refused.value.message


@pytest.mark.parametrize("racing_store", [1], indirect=True)
async def test_an_in_memory_export_reads_again_after_an_interleaved_write(
    racing_store: WritesWhileStreaming,
) -> None:
    # given the Kaito group, and one write that lands during the first export attempt
    await GraphService(racing_store).import_document("w", kaito_document())

    # when the workspace is exported as a dict
    doc = await export_document(racing_store, "w")

    # then the second attempt sees one consistent version, including the late organization
    assert "late-0" in {o["id"] for o in doc["organizations"]}


@pytest.mark.parametrize("racing_store", [5], indirect=True)
async def test_an_in_memory_export_gives_up_when_writes_keep_landing(
    racing_store: WritesWhileStreaming,
) -> None:
    # given writes landing during every export attempt
    await GraphService(racing_store).import_document("w", kaito_document())

    # when / then the export refuses rather than return a mixed state
    with pytest.raises(ExportInterleaved):
        await export_document(racing_store, "w")

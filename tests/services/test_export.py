"""Export: deterministic text, streamed and in-memory forms agree, and export → import → export
reproduces the same text (CONTRACT §3)."""

from __future__ import annotations

import io
from collections.abc import Callable

import orjson

from graphsvc.domain.enums import RelationshipType
from graphsvc.domain.pipeline import PipelineStage
from graphsvc.services.export import export_document, format_document, write_document
from graphsvc.services.graph import GraphService
from graphsvc.store.sqlite.streams import STREAM_BATCH
from tests.factories import document, kaito_document, org, person, reports_to
from tests.pipeline_case import pipeline_document
from tests.services.support import snapshot


async def _text(service: GraphService, workspace: str) -> str:
    out = io.StringIO()
    await write_document(service.store, workspace, out)
    return out.getvalue()


async def test_export_then_import_into_an_empty_workspace_reproduces_the_export(
    service: GraphService, new_workspace: Callable[[], str]
) -> None:
    first, second = new_workspace(), new_workspace()
    # given the Kaito group imported into an empty workspace and exported
    await service.import_document(first, kaito_document())
    e1 = await _text(service, first)

    # when that export is imported into another empty workspace and exported again
    await service.import_document(second, orjson.loads(e1))
    e2 = await _text(service, second)

    # then both exports are the same text
    assert e1 == e2


async def test_importing_an_export_over_its_own_workspace_changes_nothing(
    service: GraphService, workspace: str
) -> None:
    await service.import_document(workspace, kaito_document())
    before = await snapshot(service.store, workspace)

    summary = await service.import_document(workspace, orjson.loads(before[0]))

    assert not summary.applied
    assert await snapshot(service.store, workspace) == before


async def test_streamed_and_in_memory_exports_are_the_same_text(
    service: GraphService, workspace: str
) -> None:
    await service.import_document(workspace, kaito_document())

    streamed = await _text(service, workspace)
    built = format_document(await export_document(service.store, workspace))

    assert streamed == built


async def test_japanese_text_survives_unescaped(service: GraphService, workspace: str) -> None:
    await service.import_document(workspace, kaito_document())

    text = await _text(service, workspace)

    assert '"name":"海塔ホールディングス"' in text
    assert "\\u" not in text


async def test_only_a_single_plain_solid_line_becomes_reportsToId(
    service: GraphService, workspace: str
) -> None:
    # given p-a with one plain solid line, p-b with two, p-c with one carrying a strength
    doc = document(
        organizations=[org("o")],
        people=[person(p, "o") for p in ("boss", "boss2", "p-a", "p-b", "p-c")],
        relationships=[
            reports_to("p-a", "boss"),
            reports_to("p-b", "boss"),
            reports_to("p-b", "boss2"),
            reports_to("p-c", "boss", 0.9),
        ],
    )
    await service.import_document(workspace, doc)

    exported = await export_document(service.store, workspace)

    managers = {p["id"]: p.get("reportsToId") for p in exported["people"]}
    assert managers == {"boss": None, "boss2": None, "p-a": "boss", "p-b": None, "p-c": None}
    assert [(r["from"], r["to"]) for r in exported["relationships"]] == [
        ("p-b", "boss"),
        ("p-b", "boss2"),
        ("p-c", "boss"),
    ]


async def test_a_persons_lines_split_across_stream_batches_are_judged_together(
    service: GraphService, new_workspace: Callable[[], str]
) -> None:
    first, second = new_workspace(), new_workspace()
    # given people with two solid lines and a dotted one between them, so that one person's
    # three lines straddle the store's stream batch boundary
    count = STREAM_BATCH // 3 + 1
    people = [person(f"p{i:05d}", "o") for i in range(count)]
    lines = []
    for p in people:
        lines += [
            reports_to(p.id, "m-a"),
            reports_to(p.id, "m-b", dotted=True),
            reports_to(p.id, "m-c"),
        ]
    managers = [person(m, "o") for m in ("m-a", "m-b", "m-c")]
    await service.import_document(
        first,
        document(organizations=[org("o")], people=[*managers, *people], relationships=lines),
    )

    # when exported
    exported = await export_document(service.store, first)

    # then no line is folded into a reportsToId and the export round-trips
    assert not any("reportsToId" in p for p in exported["people"])
    solid = [r for r in exported["relationships"] if "dotted" not in r]
    assert len(solid) == 2 * count
    assert all(r["type"] == RelationshipType.REPORTS_TO.value for r in solid)
    await service.import_document(second, exported)
    assert await _text(service, first) == await _text(service, second)


async def test_export_reports_progress_per_list(service: GraphService, workspace: str) -> None:
    await service.import_document(workspace, kaito_document())
    calls: list[tuple[str, int, int]] = []

    await write_document(service.store, workspace, io.StringIO(), lambda *c: calls.append(c))

    assert ("people", 10, 10) in calls
    assert ("organizations", 5, 5) in calls
    assert [c for c in calls if c[0] == "relationships"][-1][1] == 9


async def test_pipeline_fields_and_an_own_stage_model_survive_export_and_import(
    service: GraphService, new_workspace: Callable[[], str]
) -> None:
    first, second = new_workspace(), new_workspace()
    # given the hand-worked pipeline, exported while it uses the default model
    await service.import_document(first, pipeline_document())
    assert "pipelineStages" not in orjson.loads(await _text(service, first))
    # when the workspace gets a model of its own
    model = [
        PipelineStage(name=s.name, probability=s.probability / 2)
        for s in await service.pipeline_stages(first)
    ]
    await service.set_pipeline_stages(first, model)
    e1 = await _text(service, first)
    exported = orjson.loads(e1)
    # then the export carries it, last, and the deals' pipeline fields
    assert list(exported)[-1] == "pipelineStages"
    assert exported["pipelineStages"] == [s.to_document() for s in model]
    o2 = next(o for o in exported["opportunities"] if o["id"] == "o2")
    assert o2["ownerId"] == "s1"
    assert o2["probability"] == 0.8
    assert o2["stageHistory"][-1] == {"stage": "PROPOSAL", "enteredOn": "2026-03-11"}
    assert format_document(await export_document(service.store, first)) == e1
    # and export → import into an empty workspace → export gives the same text
    await service.import_document(second, exported)
    assert await _text(service, second) == e1
    assert await service.pipeline_stages(second) == model

"""A re-import's plan is the same whether the store compares the document's records or they
are all read back and compared as models, as the lookups did before ``GraphReader.compare``.

Property test over generated groups stored on SQLite (whose comparison works on JSON texts)
and documents changed from them at random: titles, stances, strengths, a KNOWS pair written
the other way round, a person moved up to their manager's manager, a new person, records
given twice, over stored reporting lines with a strength or dotted. The reference reader
answers every comparison with "nothing is known to be the
same, here is everything stored", so the diff compares every record itself.
"""

from __future__ import annotations

import asyncio
import copy
import io
import random
import tempfile
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from graphsvc.domain.enums import EntityKind, RelationshipType
from graphsvc.domain.models import Entity, Relationship, RelationshipKey
from graphsvc.domain.rows import RelationshipRow
from graphsvc.errors import InvalidDocument
from graphsvc.generator import write_generated
from graphsvc.services.graph import GraphService
from graphsvc.services.parsing import parse_document
from graphsvc.services.writes import document_plan
from graphsvc.services.writes.commit import Plan
from graphsvc.store.compare import Compared
from graphsvc.store.sqlite import SqliteStore

REPORTS_TO = RelationshipType.REPORTS_TO


class ReadingBack:
    """A reader over ``store`` whose comparisons know nothing to be the same: they hand back
    every stored record, as the lookups read them before the store compared."""

    def __init__(self, store: SqliteStore) -> None:
        self.store = store

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)

    async def compare(
        self, workspace: str, kind: EntityKind, records: Sequence[Entity]
    ) -> Compared[str, Entity]:
        stored = await self.store.get(workspace, kind, [r.id for r in records])
        return Compared(stored=stored)

    async def compare_relationships(
        self, workspace: str, relationships: Sequence[Relationship]
    ) -> Compared[RelationshipKey, Relationship]:
        keys = [r.key for r in relationships]
        return Compared(stored=await self.store.get_relationships(workspace, keys))

    async def reporting_lines(self, workspace: str, people: Sequence[str]) -> list[RelationshipRow]:
        members = set(people)
        lines = await self.store.relationships(workspace, people, [REPORTS_TO])
        return [
            RelationshipRow(r.type, r.from_id, r.to_id, r.strength, r.dotted, r.last_contact_on)
            for r in lines
            if r.from_id in members
        ]


@cache
def _generated(seed: int) -> bytes:
    out = io.BytesIO()
    write_generated(out, 60, seed)
    return out.getvalue()


def _changed(data: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """``data`` with a few records changed, moved, added or repeated (still a valid document
    but for the repeats, which validation refuses)."""
    doc = copy.deepcopy(data)
    people, relationships = doc["people"], doc["relationships"]
    for p in rng.sample(people, 3):
        p["title"] = rng.choice([None, "Buyer", p.get("title")])
        p["stance"] = rng.choice(["CHAMPION", "SKEPTIC", p.get("stance", "UNKNOWN")])
        if p.get("title") is None:
            p.pop("title")
    for r in rng.sample(relationships, min(6, len(relationships))):
        choice = rng.randrange(3)
        if choice == 0 and r["type"] == "KNOWS":
            r["from"], r["to"] = r["to"], r["from"]
        elif choice == 1 and r["type"] != "REPORTS_TO":
            r["strength"] = rng.choice([0.1, 0.5, 0.95])
    managers = {p["id"]: p.get("reportsToId") for p in people}
    for p in rng.sample(people, 3):
        boss = managers.get(p.get("reportsToId") or "")
        if boss is not None:
            p["reportsToId"] = boss  # up to the manager's manager: no cycle
    if rng.random() < 0.5:
        first = people[0]
        people.append(
            {"id": "p-new-hire", "name": "新人", "organizationId": first["organizationId"]}
        )
    if rng.random() < 0.2:
        people.append(dict(rng.choice(people), title="Twice"))
    return doc


def _plan_facts(plan: Plan) -> dict[str, Any]:
    """What a plan writes and the stored versions its log entries start from."""
    changes, before = plan.changes, plan.before
    upserts = {
        kind: [(r, before.records.get(kind, {}).get(r.id)) for r in records]
        for kind, records in changes.upserts.items()
    }
    return {
        "upserts": upserts,
        "relationships": [(r, before.relationships.get(r.key)) for r in changes.relationships],
        "deletes": [(k, before.relationships.get(k)) for k in changes.relationship_deletes],
        "rights": changes.decision_rights,
        "counts": plan.counts,
        "removed": plan.removed,
    }


def _unusual_lines(data: dict[str, Any], rng: random.Random) -> list[dict[str, Any]]:
    """Reporting lines beside the plain ones: a solid line given a strength and a contact date
    (stored over its ``reportsToId`` line), and a dotted line."""
    people = [p for p in data["people"] if p.get("reportsToId")]
    first, second = rng.sample(people, 2)
    other = rng.choice([p["id"] for p in data["people"] if p["id"] != second["id"]])
    return [
        {
            "type": "REPORTS_TO",
            "from": first["id"],
            "to": first["reportsToId"],
            "strength": 0.7,
            "lastContactOn": "2026-05-01",
        },
        {"type": "REPORTS_TO", "from": second["id"], "to": other, "dotted": True},
    ]


async def _both_plans(seed: int, rng: random.Random) -> tuple[Any, Any]:
    raw = _generated(seed)
    data = orjson.loads(raw)
    unusual = _unusual_lines(data, rng)
    changed = _changed(data, rng)
    if rng.random() < 0.5:  # the dotted line given again, as stored or with a strength
        line = dict(unusual[1], strength=0.4) if rng.random() < 0.5 else unusual[1]
        changed["relationships"].append(line)
    with tempfile.TemporaryDirectory() as folder:
        store = SqliteStore(str(Path(folder) / "graph.db"))
        await store.open()
        try:
            service = GraphService(store)
            await service.import_document("w", parse_document(raw))
            extra = {"format": "graphsvc/v1", "relationships": unusual}
            await service.import_document("w", parse_document(extra))
            doc = parse_document(changed)
            results = []
            for reader in (store, ReadingBack(store)):
                try:
                    results.append(_plan_facts(await document_plan(reader, "w", doc)))
                except InvalidDocument as refused:
                    results.append([(i.path, i.message) for i in refused.issues])
            if isinstance(results[0], dict):
                await _imported_as_written(service, store, doc)
            return results[0], results[1]
        finally:
            await store.close()


async def _imported_as_written(service: GraphService, store: SqliteStore, doc: Any) -> None:
    """Once imported, the document's reporting lines are stored as it writes them (its
    ``reportsToId`` a solid line of the key alone, the only solid one unless the document
    writes another) and importing it again changes nothing."""
    await service.import_document("w", doc)
    own = {r.key for r in doc.relationships if r.type is REPORTS_TO and not r.dotted}
    for p in doc.people:
        if p.reports_to_id is None:
            continue
        lines = await store.relationships("w", [p.id], [REPORTS_TO])
        solid = {
            (r.type, r.from_id, r.to_id): r for r in lines if r.from_id == p.id and not r.dotted
        }
        line = solid[(REPORTS_TO, p.id, p.reports_to_id)]
        assert (line.strength, line.last_contact_on) == (None, None), p.id
        assert solid.keys() - own == {(REPORTS_TO, p.id, p.reports_to_id)}, p.id
    again = await document_plan(store, "w", doc)
    assert again.changes.is_empty()


@settings(max_examples=12, deadline=None)
@given(seed=st.integers(0, 2), rng=st.randoms(use_true_random=False))
def test_comparing_in_the_store_changes_no_plan(seed: int, rng: random.Random) -> None:
    compared, read_back = asyncio.run(_both_plans(seed, rng))
    assert compared == read_back

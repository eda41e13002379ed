"""Import into Neo4j: ``graphsvc import`` against the same records written bare with the driver.

    make neo4j   # or: NEO4J_HEAP=4g NEO4J_PAGECACHE=1g NEO4J_PORT=7687 tests/neo4j/run
    .venv/bin/graphsvc generate --people 100000 --seed 7 > /tmp/g100k.json
    GRAPHSVC_NEO4J_PASSWORD=graphsvc-test .venv/bin/python -m bench.neo4j_import \\
        /tmp/g100k.json --store bolt://127.0.0.1:7687

Both in this same run, against the same server:

1. The bare baseline: every record of the document (all seven lists) as one row
   ``{kind, id, data}`` (``data`` the record's JSON), written by the official driver as
   ``UNWIND $rows AS row CREATE (n:BenchRecord) SET n = row`` in batches of 5,000 inside one
   write transaction (an import is atomic, so the baseline is too). No validation, no
   indexes, no edges: the least a store could do with these records.
2. The bare same graph: the node and relationship rows graphsvc's Neo4j store builds for
   this document (same properties, built before the clock starts), written with plain
   ``CREATE`` (nodes) and ``MATCH … MATCH … CREATE`` (relationships, endpoints found through
   an index), one transaction: what writing this graph costs without validation, upserts
   or structural edges.
3. ``graphsvc import`` (a real CLI process, into a fresh workspace): parse, validate every
   rule, diff against what is stored, write nodes, structural edges and relationships in
   one transaction. Target: at least 0.5x the first baseline's records/s.

The baseline's rows are deleted afterwards; the workspace is dropped unless ``--keep``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import neo4j

from graphsvc.cli.run import with_services
from graphsvc.config import Settings
from graphsvc.domain.enums import EntityKind

BATCH = 5_000
CREATE = "UNWIND $rows AS row CREATE (n:BenchRecord) SET n = row"
DELETE = (
    "MATCH (n:BenchRecord|BenchPerson {run: $run}) WITH n LIMIT 10000 DETACH DELETE n "
    "RETURN count(*) AS deleted"
)
INDEX = "CREATE INDEX bench_person IF NOT EXISTS FOR (n:BenchPerson) ON (n.run, n.id)"
CREATE_REF = "UNWIND $rows AS row CREATE (n:BenchPerson) SET n = row"
CREATE_EDGE = (
    "UNWIND $rows AS row "
    "MATCH (a:BenchPerson {run: $run, id: row.from}) MATCH (b:BenchPerson {run: $run, id: row.to}) "
    "CREATE (a)-[r:BENCH_LINK]->(b) SET r = row.props"
)
LISTS = (
    "organizations",
    "departments",
    "people",
    "systems",
    "opportunities",
    "relationships",
    "decisionRights",
)


def rows(doc: dict[str, Any], run: str) -> list[dict[str, str]]:
    """One ``{run, kind, id, data}`` row per record of the document."""
    found = []
    for kind in LISTS:
        for n, record in enumerate(doc.get(kind, [])):
            found.append(
                {
                    "run": run,
                    "kind": kind,
                    "id": str(record.get("id", n)),
                    "data": json.dumps(record, ensure_ascii=False),
                }
            )
    return found


def _batched(tx: neo4j.ManagedTransaction, query: str, rows: list[Any], **params: Any) -> None:
    """Run ``query`` over ``rows`` in ``UNWIND`` batches of ``BATCH`` inside ``tx``."""
    for start in range(0, len(rows), BATCH):
        tx.run(query, rows=rows[start : start + BATCH], **params).consume()


def bare(driver: neo4j.Driver, batch_rows: list[dict[str, str]]) -> float:
    """Seconds to write ``batch_rows`` in one transaction of UNWIND … CREATE batches."""

    def work(tx: neo4j.ManagedTransaction) -> None:
        _batched(tx, CREATE, batch_rows)

    started = time.perf_counter()
    with driver.session(database="neo4j") as session:
        session.execute_write(work)
    return time.perf_counter() - started


def same_graph(driver: neo4j.Driver, document: Path, run: str) -> float:
    """Seconds to CREATE the store's own rows for ``document`` in one transaction."""
    from graphsvc.services.parsing import parse_document
    from graphsvc.store.neo4j.rows import entity_row, relationship_row
    from tests.factories import change_set

    changes = change_set(parse_document(document.read_bytes()))
    nodes = [
        {**entity_row(run, kind, record)["props"], "run": run}
        for kind, records in changes.upserts.items()
        for record in records
    ]
    people = [{"id": r.id, "run": run} for r in changes.upserts.get(EntityKind.PERSON, [])]
    edges = [relationship_row(run, r) for r in changes.relationships]
    driver.execute_query(INDEX, database_="neo4j")
    driver.execute_query("CALL db.awaitIndexes(300)", database_="neo4j")

    def work(tx: neo4j.ManagedTransaction) -> None:
        _batched(tx, CREATE, nodes)
        _batched(tx, CREATE_REF, people)
        _batched(tx, CREATE_EDGE, edges, run=run)

    started = time.perf_counter()
    with driver.session(database="neo4j") as session:
        session.execute_write(work)
    return time.perf_counter() - started


def cleanup(driver: neo4j.Driver, run: str) -> None:
    while True:
        records, _, _ = driver.execute_query(DELETE, run=run, database_="neo4j")
        if records[0]["deleted"] == 0:
            return


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("document", type=Path, help="a generated graph document (JSON)")
    parser.add_argument("--store", default="bolt://127.0.0.1:7687", help="the Neo4j Bolt URL")
    parser.add_argument("--keep", action="store_true", help="keep the imported workspace")
    args = parser.parse_args()
    user = os.environ.get("GRAPHSVC_NEO4J_USER", "neo4j")
    password = os.environ.get("GRAPHSVC_NEO4J_PASSWORD", "graphsvc-test")
    env = {
        **os.environ,
        "GRAPHSVC_STORE": args.store,
        "GRAPHSVC_NEO4J_USER": user,
        "GRAPHSVC_NEO4J_PASSWORD": password,
    }

    doc = json.loads(args.document.read_text(encoding="utf-8"))
    run = uuid.uuid4().hex[:8]
    records = rows(doc, run)
    count, people = len(records), len(doc["people"])
    del doc
    print(f"{people:,} people, {count:,} document records")

    with neo4j.GraphDatabase.driver(args.store, auth=(user, password)) as driver:
        t_bare = bare(driver, records)
        cleanup(driver, run)
        del records
        print(f"bare records, UNWIND … CREATE: {t_bare:.1f} s ({count / t_bare:,.0f} records/s)")
        t_graph = same_graph(driver, args.document, run)
        cleanup(driver, run)
        print(f"bare same graph, CREATE: {t_graph:.1f} s ({count / t_graph:,.0f} records/s)")

    subprocess.run(
        [sys.executable, "-m", "graphsvc", "migrate"], env=env, check=True, capture_output=True
    )
    workspace = f"bench-{run}"
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "graphsvc", "import", str(args.document), "--workspace", workspace],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    t_ours = time.perf_counter() - started
    print(
        f"graphsvc import: {t_ours:.1f} s ({count / t_ours:,.0f} records/s); "
        f"ratio to bare records {t_bare / t_ours:.2f}x (target >= 0.5x), "
        f"to bare same graph {t_graph / t_ours:.2f}x"
    )
    if not args.keep:
        settings = Settings(store=args.store, neo4j_user=user, neo4j_password=password)
        with_services(settings, lambda opened: opened.store.drop_workspace(workspace))


if __name__ == "__main__":
    main()

"""The typed client kit (clients/typescript): graphql-codegen over schema.graphql generates the
types of the example documents, and TypeScript type-checks the code using them; a schema
change that breaks a document's use fails that build, so the kit cannot rot unnoticed."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.clients.conftest import KIT, REPO, require_node

pytestmark = pytest.mark.slow

SCHEMA = REPO / "schema.graphql"


def _kit_copy(tmp_path: Path) -> Path:
    """The kit's sources in ``tmp_path`` (its packages linked), so tests write nothing in it."""
    copy = tmp_path / "kit"
    copy.mkdir()
    for name in ("codegen.ts", "tsconfig.json", "package.json"):
        shutil.copy(KIT / name, copy / name)
    shutil.copytree(KIT / "src", copy / "src", ignore=shutil.ignore_patterns("gql"))
    (copy / "node_modules").symlink_to(KIT / "node_modules")
    return copy


def _build(kit: Path, node: str, schema: Path) -> subprocess.CompletedProcess[str]:
    """``npm run check`` of the kit: codegen against ``schema``, then ``tsc --noEmit``."""
    env = {**os.environ, "GRAPHSVC_SCHEMA": str(schema), "NO_COLOR": "1"}
    bins = kit / "node_modules" / ".bin"
    codegen = subprocess.run(
        [node, str(bins / "graphql-codegen"), "--config", "codegen.ts"],
        cwd=kit,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    if codegen.returncode != 0:
        return codegen
    return subprocess.run(
        [node, str(bins / "tsc"), "-p", "."],
        cwd=kit,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def test_the_example_documents_generate_types_that_type_check(tmp_path: Path) -> None:
    node = require_node(KIT)
    kit = _kit_copy(tmp_path)
    built = _build(kit, node, SCHEMA)
    assert built.returncode == 0, built.stdout + built.stderr
    generated = (kit / "src" / "gql" / "graphql.ts").read_text()
    # the documents' result and variables types, from the schema's own types
    assert "export type PowerMapOfAccountQuery" in generated
    assert "export type RoutesToPersonQueryVariables" in generated
    assert re.search(r"export type RouteMetric =\s*\| 'HOPS'\s*\| 'STRENGTH'", generated)


def test_a_schema_change_that_breaks_a_document_fails_the_build(tmp_path: Path) -> None:
    node = require_node(KIT)
    kit = _kit_copy(tmp_path)
    # given a schema whose PowerScore.influence became a string
    changed = tmp_path / "schema.graphql"
    text = SCHEMA.read_text()
    block = re.search(r"type PowerScore \{.*?\n\}", text, re.DOTALL)
    assert block is not None
    assert "influence: Float!" in block.group()
    changed.write_text(
        text.replace(
            block.group(), block.group().replace("influence: Float!", "influence: String!")
        )
    )
    # when the kit is built against it
    built = _build(kit, node, changed)
    # then TypeScript refuses the example code that computes with influence
    assert built.returncode != 0
    assert "src/example.ts" in built.stdout
    assert "toFixed" in built.stdout or "arithmetic" in built.stdout, built.stdout

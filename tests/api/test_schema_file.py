"""The committed ``schema.graphql`` is the served schema, and valid for graphql-js."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from graphsvc.api.graphql.schema import sdl

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_FILE = ROOT / "schema.graphql"
VALIDATOR = ROOT / "tests" / "node" / "validate-schema.mjs"


def test_schema_graphql_is_the_served_schema() -> None:
    committed = SCHEMA_FILE.read_text(encoding="utf-8")

    assert committed == sdl(), (
        "schema.graphql differs from the served schema: run `graphsvc schema > schema.graphql` "
        "and commit it (review the diff: it is the public API)"
    )


def test_schema_graphql_is_valid_for_graphql_js() -> None:
    node = shutil.which("node")
    assert node is not None, "node is required (make test installs tests/node)"

    result = subprocess.run(
        [node, str(VALIDATOR), str(SCHEMA_FILE)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert "valid" in result.stdout


def test_the_validator_rejects_a_broken_schema(tmp_path: Path) -> None:
    node = shutil.which("node")
    assert node is not None, "node is required (make test installs tests/node)"
    broken = tmp_path / "broken.graphql"
    broken.write_text("type Query { person: Persn }\ntype Mutation { x: Int }\n")

    result = subprocess.run(
        [node, str(VALIDATOR), str(broken)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 1
    assert "Persn" in result.stderr

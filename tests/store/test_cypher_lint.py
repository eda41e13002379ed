"""The Cypher quality gate: every statement the Neo4j store can run passes Neo4j's own linter.

``tests/node/lint-cypher.mjs`` runs ``lintCypherQuery`` of ``@neo4j-cypher/language-support``
(parser plus semantic analysis, as Cypher 5) over every file in ``cypher/``, once per
allowed value of each placeholder. Any diagnostic fails: errors, and warnings too, since a
deprecation warning on 5.26 is an error on the next major version and a "not present in
the database" warning is a misspelt label, type or property.
"""

from __future__ import annotations

import ast
import json
import math
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from graphsvc.store.neo4j.catalog import COMBINATIONS, PLACEHOLDERS, cypher_dir

ROOT = Path(__file__).resolve().parents[2]
NODE_DIR = ROOT / "tests" / "node"
STORE_DIR = ROOT / "graphsvc" / "store" / "neo4j"


def _node_tools() -> str:
    """The node binary, with the pinned packages installed (``npm ci`` when missing)."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("the Cypher gate needs Node.js (node) on PATH")
    if not (NODE_DIR / "node_modules" / "@neo4j-cypher" / "language-support").is_dir():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("run `cd tests/node && npm ci` (npm is not on PATH)")
        subprocess.run([npm, "ci", "--silent", "--no-audit", "--no-fund"], cwd=NODE_DIR, check=True)
    return node


def lint(directory: Path, tmp_path: Path) -> dict[str, Any]:
    """Run the linter over ``directory``; its JSON report."""
    allowlist = tmp_path / "placeholders.json"
    combinations = [{"names": n, "values": v} for n, v in COMBINATIONS.items()]
    allowlist.write_text(json.dumps({"placeholders": PLACEHOLDERS, "combinations": combinations}))
    completed = subprocess.run(
        [_node_tools(), str(NODE_DIR / "lint-cypher.mjs"), str(directory), str(allowlist)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    report: dict[str, Any] = json.loads(completed.stdout)
    return report


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The linter's report on the repository's cypher/ (run once for the module)."""
    return lint(cypher_dir(), tmp_path_factory.mktemp("lint"))


def _findings(report: dict[str, Any]) -> list[str]:
    return [
        f"{r['file']} {r['values']} {d['line']}:{d['column']} {d['severity']}: {d['message']}"
        for r in report["results"]
        for d in r["diagnostics"]
    ]


def test_every_statement_passes_neo4j_linter(report: dict[str, Any]) -> None:
    # given every statement variant the store can run
    # when Neo4j's linter analyses them as Cypher 5
    findings = _findings(report)
    # then it reports nothing at all: no error, no warning (deprecations included)
    assert not findings, "\n".join(findings)
    print(f"\nCypher gate: {report['files']} statements, {report['variants']} variants linted")


def test_no_statement_or_variant_is_skipped(report: dict[str, Any]) -> None:
    # given the files in cypher/ and the allowlist of each placeholder
    files = sorted(cypher_dir().glob("*.cypher"))
    # then every file was linted once per combination of its placeholders' values
    assert report["files"] == len(files)
    linted: dict[str, int] = {}
    for result in report["results"]:
        linted[result["file"]] = linted.get(result["file"], 0) + 1
    for path in files:
        used = set(re.findall(r"<<(\w+)>>", path.read_text()))
        coupled = [v for n, v in COMBINATIONS.items() if set(n) == used]
        expected = len(coupled[0]) if coupled else math.prod(len(PLACEHOLDERS[n]) for n in used)
        assert linted.get(path.name) == expected, path.name
    assert report["variants"] == sum(linted.values())


def test_gate_reports_broken_cypher(tmp_path: Path) -> None:
    # given statements with a syntax error, an undefined variable, a deprecated function,
    # an undeclared parameter and a misspelt label
    broken = tmp_path / "cypher"
    broken.mkdir()
    (broken / "syntax.cypher").write_text("MATCH (n:Person) RETRUN n")
    (broken / "variable.cypher").write_text("MATCH (n:Person {workspace: $workspace}) RETURN m")
    (broken / "deprecated.cypher").write_text("MATCH (n:Person) WHERE id(n) = 1 RETURN n")
    (broken / "parameter.cypher").write_text("MATCH (n:Person {id: $nobody}) RETURN n")
    (broken / "label.cypher").write_text("MATCH (n:<<label>>), (m:Persn) RETURN n, m")
    # when the gate lints them
    result = lint(broken, tmp_path)
    # then each is reported, and the placeholder file is linted once per allowed label
    flagged = {r["file"] for r in result["results"] if r["diagnostics"]}
    assert flagged == {p.name for p in broken.iterdir()}
    assert result["variants"] == 4 + len(PLACEHOLDERS["label"])


# --- every statement file is used, every catalog call has a file ------------------------


def _catalog_calls() -> set[str]:
    """Statement names the store modules pass to ``statement(...)`` or ``SchemaItem(...)``."""
    names: set[str] = set()
    for path in STORE_DIR.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in {"statement", "SchemaItem", "_per_label"}
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                names.add(node.args[0].value)
    return names


def test_every_statement_file_is_run_by_the_store_and_every_call_has_a_file() -> None:
    files = {path.stem for path in cypher_dir().glob("*.cypher")}
    calls = _catalog_calls()
    assert calls - files == set(), "catalog calls without a cypher/ file"
    assert files - calls == set(), "cypher/ files the store never runs"

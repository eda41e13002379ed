"""The Cypher catalog formats nothing but allowlisted labels, and every statement is scoped.

These specify the Neo4j store's safety by construction: no value reaches Cypher text, and
every statement over workspace data matches on ``workspace``.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from graphsvc.store.neo4j.catalog import (
    PLACEHOLDERS,
    cypher_dir,
    expand,
    statement,
    statement_names,
)

STORE_DIR = Path(__file__).resolve().parents[2] / "graphsvc" / "store" / "neo4j"
QUERY_ARGUMENT = {
    "run": 0,
    "execute_query": 0,
    "read": 0,
    "run_write": 0,
    "keyset": 0,
    "_run": 1,
}
"""Calls that send Cypher, and the position of the query among their arguments."""

GLOBAL_STATEMENTS = {
    # tokens live outside workspaces (looked up by hash across the store)
    "create_token",
    "get_token",
    "get_token_by_hash",
    "list_tokens",
    "update_token",
    # lists every workspace, each checked for records on its own workspace value
    "list_workspaces",
}


def test_a_placeholder_is_filled_from_its_allowlist() -> None:
    text = statement("get_entities", label="Person")
    assert "(n:Person {workspace: $workspace, id: id})" in text
    assert "<<" not in text


@pytest.mark.parametrize(
    "value", ["Person) DETACH DELETE n //", "person", "Person`", "Workspace", "ApiToken"]
)
def test_a_value_outside_the_allowlist_is_refused(value: str) -> None:
    with pytest.raises(ValueError, match="not an allowed <<label>>"):
        statement("get_entities", label=value)


def test_a_missing_or_unknown_placeholder_is_refused() -> None:
    with pytest.raises(ValueError, match="no value for Cypher placeholder <<label>>"):
        statement("get_entities")
    with pytest.raises(ValueError, match="has no placeholder"):
        statement("ping", label="Person")
    with pytest.raises(ValueError, match="unknown Cypher placeholder <<evil>>"):
        expand("MATCH (n:<<evil>>) RETURN n", {"evil": "Person"})


def test_coupled_placeholders_take_only_their_combinations() -> None:
    statement("link_entities", label="Department", rel="PART_OF", target="Organization")
    with pytest.raises(ValueError, match="not an allowed combination"):
        statement("link_entities", label="Person", rel="PART_OF", target="Department")


def test_an_unknown_statement_names_the_file_it_expected() -> None:
    with pytest.raises(LookupError, match=r"no Cypher statement 'drop_everything'.*\.cypher"):
        statement("drop_everything")
    with pytest.raises(LookupError, match="invalid Cypher statement name"):
        statement("../secrets")


def test_statement_files_are_single_statements_with_parameters_only() -> None:
    for name in statement_names():
        text = (cypher_dir() / f"{name}.cypher").read_text()
        code = "\n".join(line.split("//")[0] for line in text.splitlines())
        assert ";" not in code, f"{name}: one statement per file"
        # no string literals: every value arrives as a $parameter
        assert not re.search(r"'[^']*'|\"[^\"]*\"", code), f"{name} embeds a literal"


def test_every_statement_over_workspace_data_matches_on_its_workspace() -> None:
    labelled = re.compile(r"\((\w*):([\w|<>]+)(\s*\{[^}]*\})?\)")
    for name in sorted(set(statement_names()) - GLOBAL_STATEMENTS):
        text = (cypher_dir() / f"{name}.cypher").read_text()
        code = "\n".join(line.split("//")[0] for line in text.splitlines()).strip()
        if code.startswith(("CREATE CONSTRAINT", "CREATE INDEX", "SHOW ", "RETURN ")):
            continue  # schema and liveness statements touch no workspace data
        patterns = labelled.findall(code)
        assert patterns, f"{name}: no labelled node pattern at all"
        for variable, labels, properties in patterns:
            assert "workspace:" in (properties or ""), (
                f"{name}: ({variable}:{labels}) is not matched on its workspace"
            )


Scope = list[ast.FunctionDef | ast.AsyncFunctionDef]


def _query_arguments(tree: ast.AST) -> list[tuple[ast.expr, Scope]]:
    found: list[tuple[ast.expr, Scope]] = []

    def visit(node: ast.AST, scope: Scope) -> None:
        for child in ast.iter_child_nodes(node):
            inner = (
                [*scope, child]
                if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
                else scope
            )
            if isinstance(child, ast.Call) and isinstance(child.func, ast.Attribute | ast.Name):
                name = child.func.attr if isinstance(child.func, ast.Attribute) else child.func.id
                position = QUERY_ARGUMENT.get(name)
                if position is not None and len(child.args) > position:
                    found.append((child.args[position], scope))
            visit(child, inner)

    visit(tree, [])
    return found


def _is_catalog_text(expr: ast.expr, scope: Scope) -> bool:
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name):
        return expr.func.id == "statement"
    if isinstance(expr, ast.Attribute):  # SchemaItem.text, itself statement(...)
        return expr.attr == "text"
    if not isinstance(expr, ast.Name):
        return False
    for function in reversed(scope):  # the innermost function binding the name decides
        if any(arg.arg == expr.id for arg in function.args.args):
            return True  # a helper's parameter: its callers are checked themselves
        assignments = [
            node.value
            for node in ast.walk(function)
            if isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == expr.id for t in node.targets)
        ]
        if assignments:
            return all(_is_catalog_text(a, scope) for a in assignments)
    return False


def test_the_store_sends_only_catalog_text_to_the_driver() -> None:
    checked = 0
    for path in sorted(STORE_DIR.glob("*.py")):
        for argument, scope in _query_arguments(ast.parse(path.read_text())):
            assert _is_catalog_text(argument, scope), (
                f"{path.name}:{argument.lineno} sends Cypher not taken from the catalog: "
                f"{ast.unparse(argument)}"
            )
            checked += 1
    assert checked >= 10  # the check saw the store's calls, not an empty set


def test_the_driver_check_catches_formatted_cypher() -> None:
    # given a store helper that formats a value into Cypher
    source = (
        "async def leak(tx, name):\n"
        "    query = f\"MATCH (n {{id: '{name}'}}) RETURN n\"\n"
        "    await tx.run(query)\n"
    )
    # then the check rejects it
    [(argument, scope)] = _query_arguments(ast.parse(source))
    assert not _is_catalog_text(argument, scope)


def test_every_placeholder_value_is_a_plain_identifier() -> None:
    for values in PLACEHOLDERS.values():
        for value in values:
            assert re.fullmatch(r"[A-Z][A-Za-z_]*", value)

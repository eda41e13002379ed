"""SQL for ``where`` filters and searches over an entity table (the semantics of base.py).

Values are always bound parameters; lists of any length travel as one JSON array
parameter (``json_each``), so a filter on 50,000 ids needs no chunking and no SQL text of
that size. Only column names from ``EntityTable`` are ever formatted into the SQL.
"""

# Table and column names in f-strings come only from ENTITY_TABLES and constants of this
# package; every value is a bound parameter, so S608 (SQL injection) does not apply.
# ruff: noqa: S608

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import orjson

from graphsvc.domain.enums import EntityKind
from graphsvc.domain.listing import FieldFilter, FilterValue, field_filters
from graphsvc.errors import InvalidInput
from graphsvc.store.sqlite.schema import EntityTable

__all__ = ["json_list", "matching"]

_DEPARTMENT_IDS = "departmentIds"


def json_list(values: Iterable[Any]) -> str:
    """One parameter standing for a list, read in SQL as ``SELECT value FROM json_each(?)``.

    orjson: an import's lookups pass every id and relationship key of the document this way
    (``json.dumps`` of 215k keys took ~0.3 s of a 100k-person import).
    """
    return orjson.dumps(list(values)).decode()


def matching(
    table: EntityTable,
    workspace: str,
    where: Mapping[str, Sequence[FilterValue]],
    search: str | None = None,
) -> tuple[str, list[Any]]:
    """The ``WHERE`` condition (over alias ``t``) and its parameters for ``where``/``search``.

    OR within a field, AND across fields; ``None`` among the values matches null; ``ours``
    takes booleans; ``departmentIds`` matches a system used by any of the departments (and
    ``None`` one used by none). ``field_filters`` refuses unknown fields and wrong types.
    """
    clauses = ["t.workspace = ?"]
    params: list[Any] = [workspace]
    for checked in field_filters(table.kind, where):
        if checked.field == _DEPARTMENT_IDS and table.kind is EntityKind.SYSTEM:
            clause, extra = _department_ids(workspace, checked)
        else:
            column = table.field_column(checked.field)
            if column is None:  # pragma: no cover - FILTER_FIELDS and the schema disagree
                raise InvalidInput(
                    f"the SQLite store cannot filter {table.kind} on {checked.field!r}"
                )
            clause, extra = _column(column, checked)
        clauses.append(clause)
        params.extend(extra)
    if search is not None:
        clauses.append("instr(t.search, ?) > 0")
        params.append(search.casefold())
    return " AND ".join(clauses), params


def _column(column: str, checked: FieldFilter) -> tuple[str, list[Any]]:
    boolean = column == "ours"
    alternatives = []
    params: list[Any] = []
    if checked.values:
        alternatives.append(f"t.{column} IN (SELECT value FROM json_each(?))")
        params.append(json_list(int(v) if boolean else v for v in checked.values))
    if checked.match_null:
        alternatives.append(f"t.{column} IS NULL")
    return _any(alternatives), params


def _department_ids(workspace: str, checked: FieldFilter) -> tuple[str, list[Any]]:
    alternatives = []
    params: list[Any] = []
    if checked.values:
        alternatives.append(
            "t.id IN (SELECT system_id FROM system_departments WHERE workspace = ? "
            "AND department_id IN (SELECT value FROM json_each(?)))"
        )
        params += [workspace, json_list(checked.values)]
    if checked.match_null:
        alternatives.append(
            "t.id NOT IN (SELECT system_id FROM system_departments WHERE workspace = ?)"
        )
        params.append(workspace)
    return _any(alternatives), params


def _any(alternatives: list[str]) -> str:
    if not alternatives:
        return "0"  # an empty list of allowed values matches nothing
    return "(" + " OR ".join(alternatives) + ")"

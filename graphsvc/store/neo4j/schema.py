"""The constraints and indexes the Neo4j store relies on, and the check that they exist.

``graphsvc migrate`` runs every ``create_*`` statement (each ``IF NOT EXISTS``, so running
it again changes nothing); ``Neo4jStore.open`` compares the names it declares with what
``SHOW CONSTRAINTS`` / ``SHOW INDEXES`` report and refuses to start without them, because
without the uniqueness constraints concurrent ``MERGE``s could create duplicate records.

All of these work on Neo4j 5 Community: node property uniqueness constraints (also on
several properties) and range indexes; no key or existence constraints (Enterprise only).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from graphsvc.store.neo4j.catalog import ENTITY_LABELS, statement

__all__ = ["SCHEMA", "SchemaItem", "missing_items"]

_DECLARATION = re.compile(r"CREATE\s+(CONSTRAINT|INDEX)\s+(\w+)\s+IF\s+NOT\s+EXISTS", re.I)


@dataclass(frozen=True)
class SchemaItem:
    """One constraint or index: the statement creating it, and the name it gets."""

    statement_name: str
    placeholders: tuple[tuple[str, str], ...] = ()

    @property
    def text(self) -> str:
        """The Cypher that creates it."""
        return statement(self.statement_name, **dict(self.placeholders))

    @property
    def kind(self) -> str:
        """``constraint`` or ``index``."""
        return self._declaration()[0]

    @property
    def name(self) -> str:
        """The name Neo4j lists it under."""
        return self._declaration()[1]

    def _declaration(self) -> tuple[str, str]:
        match = _DECLARATION.search(self.text)
        if match is None:
            raise ValueError(f"cypher/{self.statement_name}.cypher does not name what it creates")
        return match.group(1).lower(), match.group(2)

    def describe(self) -> str:
        """The line ``graphsvc migrate`` prints for it."""
        return f"{self.kind} {self.name}"


def _per_label(name: str) -> list[SchemaItem]:
    return [SchemaItem(name, (("label", label),)) for label in ENTITY_LABELS]


SCHEMA: tuple[SchemaItem, ...] = (
    *_per_label("create_constraint_entity_id"),
    SchemaItem("create_constraint_person_ref"),
    SchemaItem("create_constraint_workspace"),
    SchemaItem("create_constraint_decision_right_key"),
    SchemaItem("create_constraint_token_id"),
    SchemaItem("create_constraint_token_hash"),
    SchemaItem("create_constraint_review_id"),
    *[
        item
        for item in _per_label("create_index_entity_organization")
        if dict(item.placeholders)["label"] != "Organization"
    ],
    SchemaItem("create_index_decision_right_scope"),
    SchemaItem("create_index_token_workspace"),
    SchemaItem("create_index_change_log"),
)
"""Everything ``migrate`` creates, in order (constraints first: they carry the id indexes)."""


def missing_items(
    constraints: Iterable[str], indexes: Iterable[tuple[str, str]]
) -> tuple[list[SchemaItem], list[str]]:
    """(items absent from the database, names of indexes that failed to build).

    ``constraints`` are the names ``SHOW CONSTRAINTS`` lists; ``indexes`` the (name, state)
    pairs of ``SHOW INDEXES``. An index still ``POPULATING`` counts as present: it is correct,
    only not yet fast.
    """
    constraint_names = set(constraints)
    index_states = dict(indexes)
    missing = []
    for item in SCHEMA:
        present = constraint_names if item.kind == "constraint" else index_states
        if item.name not in present:
            missing.append(item)
    failed = sorted(name for name, state in index_states.items() if state == "FAILED")
    return missing, [n for n in failed if n.startswith("graphsvc_")]

"""The catalog of Cypher statements: one ``cypher/NAME.cypher`` file per statement.

Statements are data, not code: the Neo4j store runs only what is in these files, and the
test suite lints every one of them with Neo4j's own parser
(``tests/store/test_cypher_lint.py``). Values are always ``$parameters``. The only text ever
formatted into a statement are *placeholders* written ``<<name>>`` (``<<label>>``,
``<<type>>`` …), and each is filled only from the fixed allowlist ``PLACEHOLDERS`` below: a
value outside it is refused, so no user value can reach the Cypher text.

Where the files are: the repository's ``cypher/`` directory is the source of truth. A
source checkout (editable install, tests, ``make demo``) finds it next to the package;
any other installation (a built wheel, the Docker image) names it with the environment
variable ``GRAPHSVC_CYPHER_DIR``. Shipping the files as package data would need a copy
inside ``graphsvc/``, i.e. two sources of truth; one directory plus one variable is simpler.
"""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path

from graphsvc.errors import StoreUnavailable

__all__ = [
    "COMBINATIONS",
    "ENTITY_LABELS",
    "LINKS",
    "PLACEHOLDERS",
    "STRUCTURE_TYPES",
    "cypher_dir",
    "expand",
    "statement",
    "statement_names",
]

ENTITY_LABELS: tuple[str, ...] = ("Organization", "Department", "Person", "System", "Opportunity")
"""Node labels of the id-keyed kinds (``rows.LABELS`` maps ``EntityKind`` to these)."""

STRUCTURE_TYPES: tuple[str, ...] = (
    "OWNED_BY",
    "PART_OF",
    "SUB_UNIT_OF",
    "WORKS_AT",
    "WORKS_IN",
    "INSTALLED_AT",
    "USED_BY",
    "FOR_ORGANIZATION",
    "FOR_DEPARTMENT",
)
"""Relationship types of the structural edges drawn from records' reference fields."""

PLACEHOLDERS: dict[str, tuple[str, ...]] = {
    "label": ENTITY_LABELS,
    "target": ("Organization", "Department"),
    "type": ("KNOWS", "INFLUENCES", "REPORTS_TO"),
    "rel": STRUCTURE_TYPES,
    "node": (
        *ENTITY_LABELS,
        "PersonRef",
        "DecisionRight",
        "ApiToken",
        "Review",
        "ProjectionSnapshot",
    ),
}
"""Every value each ``<<placeholder>>`` may take: labels and relationship types, nothing else."""

LINKS: tuple[tuple[str, str, str], ...] = (
    ("Organization", "OWNED_BY", "Organization"),
    ("Department", "PART_OF", "Organization"),
    ("Department", "SUB_UNIT_OF", "Department"),
    ("Person", "WORKS_AT", "Organization"),
    ("Person", "WORKS_IN", "Department"),
    ("System", "INSTALLED_AT", "Organization"),
    ("System", "USED_BY", "Department"),
    ("Opportunity", "FOR_ORGANIZATION", "Organization"),
    ("Opportunity", "FOR_DEPARTMENT", "Department"),
)
"""The structural edges: (label, rel, target). A statement using all three placeholders
may take only these combinations, which is also all the Cypher gate needs to lint."""

COMBINATIONS: dict[tuple[str, ...], tuple[tuple[str, ...], ...]] = {
    ("label", "rel", "target"): LINKS,
}
"""Placeholders whose values are coupled: when a statement uses exactly these names, only
the listed combinations are allowed (each value still has to be in ``PLACEHOLDERS``)."""

_PLACEHOLDER = re.compile(r"<<(\w+)>>")
_NAME = re.compile(r"[a-z][a-z0-9_]*")
_ENV = "GRAPHSVC_CYPHER_DIR"


def cypher_dir() -> Path:
    """The directory holding the ``.cypher`` files (see the module docstring)."""
    configured = os.environ.get(_ENV)
    path = Path(configured) if configured else Path(__file__).resolve().parents[3] / "cypher"
    if not path.is_dir():
        raise StoreUnavailable(
            f"the Cypher statements of the Neo4j store are not at {path}: run graphsvc from "
            f"a source checkout, or set {_ENV} to the repository's cypher/ directory"
        )
    return path


@cache
def _template(name: str) -> str:
    if not _NAME.fullmatch(name):
        raise LookupError(f"invalid Cypher statement name {name!r}")
    path = cypher_dir() / f"{name}.cypher"
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LookupError(
            f"no Cypher statement {name!r}: expected the file {path} "
            f"(known: {', '.join(statement_names())})"
        ) from None


def expand(template: str, values: dict[str, str]) -> str:
    """``template`` with each ``<<placeholder>>`` replaced by its allowlisted value.

    Raises ``ValueError`` for a placeholder without a value, an unknown placeholder, or a
    value outside its allowlist: formatting is the one place a mistake could inject Cypher.
    """

    def fill(match: re.Match[str]) -> str:
        key = match.group(1)
        allowed = PLACEHOLDERS.get(key)
        if allowed is None:
            raise ValueError(f"unknown Cypher placeholder <<{key}>>")
        if key not in values:
            raise ValueError(f"no value for Cypher placeholder <<{key}>>")
        value = values[key]
        if value not in allowed:
            raise ValueError(f"{value!r} is not an allowed <<{key}>> (allowed: {allowed})")
        return value

    return _PLACEHOLDER.sub(fill, template)


@cache
def statement(name: str, **values: str) -> str:
    """The text of ``cypher/NAME.cypher`` with its placeholders filled (cached).

    ``statement("get_entities", label="Person")``. An unknown name raises ``LookupError``
    naming the expected file; a missing or disallowed placeholder value, ``ValueError``.
    """
    template = _template(name)
    used = set(_PLACEHOLDER.findall(template))
    unused = set(values) - used
    if unused:
        raise ValueError(f"statement {name!r} has no placeholder(s) {sorted(unused)}")
    for names, allowed in COMBINATIONS.items():
        if set(names) == used and tuple(values.get(n, "") for n in names) not in allowed:
            raise ValueError(f"statement {name!r}: {values} is not an allowed combination")
    return expand(template, values)


def statement_names() -> list[str]:
    """Every statement in the catalog, sorted."""
    return sorted(p.stem for p in cypher_dir().glob("*.cypher"))

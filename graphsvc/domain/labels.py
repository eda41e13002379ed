"""How records are named in messages: the ``record`` of an ``Issue`` and of service errors.

Id-keyed records are named by their id. Relationships and decision rights have composite
keys, so they are named by those keys in a form a user recognises from the document:
``KNOWS ae-1→p-itdir`` and ``p-cio/kaito/IT/ECONOMIC_BUYER`` (person/scope/area/role).
The parser names records it could not even build, so every function here also accepts
raw values of any type and never raises.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from graphsvc.domain.enums import EntityKind
from graphsvc.domain.models import CONTROL_CHARACTER, DecisionRight, Relationship

__all__ = [
    "KIND_NOUN",
    "bounded_list",
    "decision_right_label",
    "id_list",
    "raw_label",
    "relationship_label",
]

KIND_NOUN: dict[EntityKind, str] = {
    EntityKind.ORGANIZATION: "organization",
    EntityKind.DEPARTMENT: "department",
    EntityKind.PERSON: "person",
    EntityKind.SYSTEM: "system",
    EntityKind.OPPORTUNITY: "opportunity",
}
"""The singular noun of each kind, for messages ("person 'p-cio' already exists")."""


def _text(value: Any) -> str:
    """A raw value as text, control characters escaped (``p-1\\n``) to keep messages one line."""
    text = value if isinstance(value, str) else "?" if value is None else str(value)
    return CONTROL_CHARACTER.sub(lambda m: m[0].encode("unicode_escape").decode(), text)


def relationship_label(relationship: Relationship) -> str:
    """``KNOWS ae-1→p-itdir``: type, then from → to as written."""
    return f"{relationship.type.value} {relationship.from_id}→{relationship.to_id}"


def decision_right_label(right: DecisionRight) -> str:
    """``p-cio/kaito/IT/ECONOMIC_BUYER``: person, scope, area, role."""
    return f"{right.person_id}/{right.scope_id}/{right.area}/{right.role.value}"


def raw_label(list_name: str, raw: Any) -> str:
    """The label of a record as found in a raw document (before or despite validation).

    ``list_name`` is the document list the record sits in (``people``, ``relationships``…).
    Returns ``""`` when the record is not an object or carries nothing to name it by.
    """
    if not isinstance(raw, dict):
        return ""
    if list_name == "relationships":
        return f"{_text(raw.get('type'))} {_text(raw.get('from'))}→{_text(raw.get('to'))}"
    if list_name == "decisionRights":
        parts = (raw.get(k) for k in ("personId", "scopeId", "area", "role"))
        return "/".join(_text(p) for p in parts)
    record_id = raw.get("id")
    return _text(record_id) if record_id is not None else ""


def bounded_list(items: Iterable[str], limit: int = 5) -> str:
    """``a, b, c and 4 more``: at most ``limit`` items, so that messages stay one line."""
    shown: list[str] = []
    rest = 0
    for item in items:
        if len(shown) < limit:
            shown.append(item)
        else:
            rest += 1
    text = ", ".join(shown)
    return f"{text} and {rest} more" if rest else text


def id_list(ids: Iterable[str], limit: int = 5) -> str:
    """``'a', 'b', 'c' and 4 more``: a bounded, readable list of ids for messages."""
    return bounded_list((repr(i) for i in ids), limit)

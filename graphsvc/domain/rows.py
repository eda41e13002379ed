"""Lean rows of people and relationships that stores stream to analytics.

Named tuples, not pydantic models: a 100k-person projection spent longer validating a model
per row than reading it, for fields the store validated on write.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from graphsvc.domain.enums import RelationshipType, Seniority, Stance


class RelationshipRow(NamedTuple):
    """A stored relationship's fields that analytics read (``stream_relationship_rows``).

    ``from_id``/``to_id`` are the key's ends: for KNOWS, the sorted pair (it is unordered).
    ``strength`` is the recorded one (None: the type's default applies).
    """

    type: RelationshipType
    from_id: str
    to_id: str
    strength: float | None
    dotted: bool
    last_contact_on: date | None


class PersonRow(NamedTuple):
    """A stored person's fields that analytics read (``stream_person_rows``).

    Exactly the fields of the projection's ``PersonNode``: a 100k-person build spent longer
    validating a pydantic ``Person`` per row than inserting it, for fields the store already
    validated on write.
    """

    id: str
    name: str
    organization_id: str
    title: str | None
    department_id: str | None
    seniority: Seniority | None
    stance: Stance


class ProjectionSnapshot(NamedTuple):
    """A saved analytic projection of a workspace, as a store keeps it (one per workspace).

    ``version`` is the workspace version it reflects; ``format`` names the encoding (and the
    code that wrote it), so a reader can refuse one it does not understand; ``data`` is the
    encoded projection (``analytics.snapshot``), opaque to the store.
    """

    version: int
    format: str
    data: bytes

"""``Compared``: which of the records a write gives the store already holds as given, and the
stored versions of the others (``GraphReader.compare`` and ``compare_relationships``).

A re-import gives back, record for record, what the store holds. Reading every stored
record back as a model only to find it equal cost a no-op re-import of 100k people ~0.5 s
of its people and ~0.5 s of its relationships, and at a million people held a second copy
of the graph (a 4.8 GB process). A store that can tell equal records apart more cheaply does
so (the SQLite store compares the JSON texts it would write with those it holds, in SQL);
the others read and compare here. Either way the answer is the one defined here.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from graphsvc.domain.models import Entity, Relationship, RelationshipKey
from graphsvc.domain.rows import RelationshipRow

__all__ = ["Compared", "compared_records", "compared_relationships", "same_relationship"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
G = TypeVar("G")


@dataclass
class Compared(Generic[K, V]):
    """What the store holds of the records a comparison was given."""

    same: set[K] = field(default_factory=set)
    """Ids (keys) the store holds equal to every given record with that id (key): an id given
    twice, once as stored and once not (an invalid document, which validation refuses), is
    not the same."""
    stored: dict[K, V] = field(default_factory=dict)
    """The stored versions of the other given records the store holds (not stored: absent)."""


def same_relationship(given: Relationship, stored: Relationship | RelationshipRow | None) -> bool:
    """``given`` is stored as it is: ``stored`` (the stored relationship with its key, so a
    KNOWS written b–a is the one stored a–b, or its row) has the same fields besides the key."""
    return (
        stored is not None
        and given.strength == stored.strength
        and given.last_contact_on == stored.last_contact_on
        and given.dotted == stored.dotted
    )


def compared_records(
    records: Iterable[Entity], stored: Mapping[str, Entity]
) -> Compared[str, Entity]:
    """``records`` (each of its kind's own model, as stored) against ``stored``, the stored
    records with their ids: pydantic's equality (same model, every field equal)."""
    return _compared(((record.id, record) for record in records), stored, operator.eq)


def compared_relationships(
    relationships: Iterable[Relationship], stored: Mapping[RelationshipKey, Relationship]
) -> Compared[RelationshipKey, Relationship]:
    """``relationships`` against ``stored``, the stored relationships by key
    (``same_relationship``)."""
    given = ((relationship.key, relationship) for relationship in relationships)
    return _compared(given, stored, same_relationship)


def _compared(
    given: Iterable[tuple[K, G]], stored: Mapping[K, V], same: Callable[[G, V], bool]
) -> Compared[K, V]:
    """The ``given`` records, each with its id (key), against ``stored`` by ``same``."""
    compared: Compared[K, V] = Compared()
    differ: set[K] = set()
    for key, record in given:
        found = stored.get(key)
        if found is None:
            continue
        if same(record, found):
            compared.same.add(key)
        else:
            differ.add(key)
            compared.stored[key] = found
    compared.same -= differ  # an id given twice, once as stored (see ``Compared.same``)
    return compared

"""Records held by the hundred thousand, kept small: what an import holds per record.

pydantic gives every validated model a ``__pydantic_fields_set__`` of its own: the names of
the fields its input gave. For a person (eight names) that set takes 728 bytes, more than the
record's ``__dict__`` (272); an import of a million people held four million of them. Records
of one document are written alike, so their sets are a handful of distinct values:
``with_shared_fields_set`` makes the records with equal sets hold one set object between them.

That is safe because every record is frozen: pydantic changes a model's fields set in place
only when a field is assigned (refused on a frozen model before anything changes), and
``model_copy`` copies the set before adding the updated names, so a record made from another
gets a set of its own. ``built`` makes a record from values that a record of the same shape
already passed validation with (a document's person as stored, without ``reportsToId``).
``share_values`` makes equal strings of a document one object (an organization's id is
written in each of its people; a person's id in each of their relationships).

No I/O; the write path and the reading of documents call these.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from pydantic import BaseModel

__all__ = ["built", "share_values", "shared_fields_set", "with_shared_fields_set"]

M = TypeVar("M", bound=BaseModel)

_SHARED: dict[frozenset[str], set[str]] = {}
"""The one set object kept for each distinct set of field names seen. It grows only with new
combinations of fields (a few dozen in practice; bounded by the subsets of each model's
fields), never with records."""

_set_slot = object.__setattr__
"""pydantic's own way (``BaseModel.__copy__``) of filling a frozen model's slots."""


def with_shared_fields_set(record: M) -> M:
    """``record``, its fields set replaced by the equal one shared by other records.

    Called by validation on each record of a document (``domain.models.GraphDocument``), so
    that the record's own set is freed at once rather than held until the whole document is
    read. Only for frozen models (every graph record is): see the module's docstring for why
    a shared set then never changes under another record.
    """
    own = record.__pydantic_fields_set__
    kept = _SHARED.setdefault(frozenset(own), own)
    if kept is not own:
        _set_slot(record, "__pydantic_fields_set__", kept)
    return record


def shared_fields_set(names: Iterable[str]) -> set[str]:
    """The shared fields set of exactly ``names`` (for records made with ``built``)."""
    own = set(names)
    return _SHARED.setdefault(frozenset(own), own)


def built(model: type[M], values: dict[str, Any], fields_set: set[str]) -> M:
    """A ``model`` holding ``values`` as its fields, with ``fields_set`` as its fields set.

    ``values`` must hold every field of ``model`` with values a record of the same fields
    already passed validation with (validating them again would check nothing new: a
    document's person becomes its stored form ~4x faster). ``values`` becomes the record's
    ``__dict__`` (not copied, so it may be a frozen record's own); keys beside the fields are
    not part of the record, since pydantic compares, hashes and serializes by the fields (as
    it ignores a ``cached_property`` kept there). ``fields_set`` may be shared
    (``shared_fields_set``).
    This is pydantic's ``model_construct`` without its per-field defaults and aliases,
    which the values already settled; ``BaseModel.__copy__`` fills the same slots.
    """
    record = model.__new__(model)
    _set_slot(record, "__dict__", values)
    _set_slot(record, "__pydantic_fields_set__", fields_set)
    _set_slot(record, "__pydantic_extra__", None)
    _set_slot(record, "__pydantic_private__", None)
    return record


def share_values(
    records: Iterable[BaseModel], names: tuple[str, ...], kept: dict[str, str]
) -> None:
    """Make equal strings in the fields ``names`` of ``records`` one object: the one in
    ``kept`` (the first seen, kept for the next calls).

    Each field keeps an equal ``str``: a record reads, compares, hashes and serializes the
    same. The value is replaced in the record's ``__dict__``, where pydantic keeps it (the
    record is frozen to its users, not to the reading that made it). A JSON decoder makes a
    new string for each occurrence of a value: an organization id in each of its people, a
    person's id in each of their relationships and reports' ``reportsToId``.
    """
    for record in records:
        values = record.__dict__
        for name in names:
            value = values[name]
            if value is not None:
                values[name] = kept.setdefault(value, value)

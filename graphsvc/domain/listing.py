"""How a list of records is asked for and answered: the filterable fields, their checks, a
page query, and a page.

Shared by the API (which builds a ``ListQuery`` and maps a ``Page`` to a connection), the
services and every store (which read the checked ``FieldFilter``s), so that all of them
refuse the same filters with the same words.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Generic, NamedTuple, TypeVar

from graphsvc.domain.enums import EntityKind
from graphsvc.errors import InvalidInput

FILTER_FIELDS: dict[EntityKind, frozenset[str]] = {
    EntityKind.ORGANIZATION: frozenset({"kind", "parentId", "industry"}),
    EntityKind.DEPARTMENT: frozenset({"organizationId", "parentId", "function"}),
    EntityKind.PERSON: frozenset({"organizationId", "departmentId", "seniority", "stance"}),
    EntityKind.SYSTEM: frozenset(
        {"organizationId", "category", "vendor", "ours", "status", "departmentIds"}
    ),
    EntityKind.OPPORTUNITY: frozenset(
        {"organizationId", "departmentId", "category", "stage", "status"}
    ),
}
"""The camelCase fields a ``ListQuery`` or ``find`` may match on, per kind.

``departmentIds`` on systems matches when *any* of the system's departments is among the
values. ``ours`` takes ``True``/``False``. A missing value (``None``) in the values matches a
record whose field is null (``parentId: [None]`` lists the top-level organizations).
"""

FilterValue = str | bool | None

T = TypeVar("T")


class FieldFilter(NamedTuple):
    """One checked field of a ``where`` filter, as every store reads it.

    ``values`` are the present values (booleans for ``ours``, strings otherwise) and
    ``match_null`` says whether ``None`` was among them. No values and no null: nothing matches.
    """

    field: str
    values: list[str | bool]
    match_null: bool


def field_filters(
    kind: EntityKind, where: Mapping[str, Sequence[FilterValue]]
) -> list[FieldFilter]:
    """``where`` checked against ``FILTER_FIELDS`` and split into values and match-null.

    One function for every store, so that they refuse the same filters with the same words:
    an unknown field names the filterable ones, a value of the wrong type names the field.
    """
    allowed = FILTER_FIELDS[kind]
    checked = []
    for name, raw in where.items():
        if name not in allowed:
            raise InvalidInput(
                f"cannot filter {kind} on {name!r}; filterable fields: {', '.join(sorted(allowed))}"
            )
        values = list(raw)
        boolean = name == "ours"
        present: list[str | bool] = []
        for value in values:
            if value is None:
                continue
            if boolean != isinstance(value, bool) or not isinstance(value, bool | str):
                expected = "true or false" if boolean else "a string"
                raise InvalidInput(f"filter {kind}.{name} takes {expected}, not {value!r}")
            present.append(value)
        checked.append(FieldFilter(name, present, None in values))
    return checked


@dataclass(frozen=True)
class ListQuery:
    """A page of records of one kind, in id order (keyset pagination).

    ``where`` maps a field of ``FILTER_FIELDS`` to the values it may take (OR within a field,
    AND across fields); ``search`` is a case-insensitive substring of ``name`` (and of
    ``title`` for people); ``after`` is the id the previous page ended with.
    """

    where: Mapping[str, Sequence[FilterValue]] = field(default_factory=dict)
    search: str | None = None
    after: str | None = None
    limit: int = 50

    def __post_init__(self) -> None:
        """Refuse a negative ``limit`` here, once, so that every store treats it the same."""
        if self.limit < 0:
            raise InvalidInput(f"a page limit cannot be negative (got {self.limit})")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list in its stable order (ids, or keys for relationships and rights).

    ``items`` holds at most the page size asked for; ``has_next`` says whether more follow.
    ``total`` counts the whole list on all pages; it is a call, because counting costs a
    store query that a client asking only for nodes should not pay.
    """

    items: Sequence[T]
    has_next: bool
    total: Callable[[], Awaitable[int]]

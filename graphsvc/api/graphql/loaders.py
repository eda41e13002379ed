"""Per-request DataLoaders: every navigation field is batched into one store read per level.

A query listing 50 people with their department and organization makes one ``page`` call,
one ``get`` for the departments and one for the organizations, however many people there
are. Loaders live for one request only (``context.create_context``), so a request never sees
another request's cached reads.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, fields
from typing import TypeVar, cast

from strawberry.dataloader import DataLoader

from graphsvc.domain.enums import EntityKind
from graphsvc.domain.models import (
    DecisionRight,
    Department,
    Entity,
    InstalledSystem,
    Opportunity,
    Organization,
    Person,
    Relationship,
)
from graphsvc.services.graph import GraphService

__all__ = ["MAX_BATCH", "NOT_LOADED", "Loaders", "create_loaders", "loaded"]

MAX_BATCH = 500
"""Keys per store call: keeps SQLite's bound-parameter lists and Neo4j's lists modest."""

E = TypeVar("E", bound=Entity)
V = TypeVar("V")


@dataclass(frozen=True)
class Loaders:
    """The DataLoaders of one request, by what they load and from which key."""

    organization: DataLoader[str, Organization | None]
    department: DataLoader[str, Department | None]
    person: DataLoader[str, Person | None]
    system: DataLoader[str, InstalledSystem | None]
    opportunity: DataLoader[str, Opportunity | None]
    subsidiaries: DataLoader[str, list[Organization]]
    """Organizations whose ``parentId`` is the key."""
    departments_of_organization: DataLoader[str, list[Department]]
    children_of_department: DataLoader[str, list[Department]]
    people_of_organization: DataLoader[str, list[Person]]
    people_of_department: DataLoader[str, list[Person]]
    systems_of_organization: DataLoader[str, list[InstalledSystem]]
    systems_of_department: DataLoader[str, list[InstalledSystem]]
    opportunities_of_organization: DataLoader[str, list[Opportunity]]
    opportunities_of_department: DataLoader[str, list[Opportunity]]
    relationships_of_person: DataLoader[str, list[Relationship]]
    """Relationships with the key at either end, any type."""
    rights_of_person: DataLoader[str, list[DecisionRight]]
    rights_in_scope: DataLoader[str, list[DecisionRight]]
    """Decision rights whose ``scopeId`` is the key (an organization or a department)."""

    def clear_all(self) -> None:
        """Forget every cached read: after a write, later fields must see the new state."""
        for field in fields(self):
            loader: DataLoader[str, object] = getattr(self, field.name)
            loader.clear_all()


def create_loaders(service: GraphService, workspace: str) -> Loaders:
    """Fresh loaders reading ``workspace`` through ``service``."""

    def by_id(kind: EntityKind, model: type[E]) -> DataLoader[str, E | None]:
        async def load(ids: list[str]) -> list[E | None]:
            found = await service.get(workspace, kind, ids)
            return [_as(found.get(id_), model) for id_ in ids]

        return DataLoader(load_fn=load, max_batch_size=MAX_BATCH)

    def by_field(
        kind: EntityKind, field: str, model: type[E], keys_of: Callable[[E], Iterable[str | None]]
    ) -> DataLoader[str, list[E]]:
        async def load(keys: list[str]) -> list[list[E]]:
            found = await service.find(workspace, kind, {field: keys})
            records = [cast(E, r) for r in found if isinstance(r, model)]
            return _group(keys, records, keys_of)

        return DataLoader(load_fn=load, max_batch_size=MAX_BATCH)

    async def relationships(keys: list[str]) -> list[list[Relationship]]:
        found = await service.relationships(workspace, person_ids=keys)
        return _group(keys, found, lambda r: {r.from_id, r.to_id})

    async def rights_of(keys: list[str]) -> list[list[DecisionRight]]:
        found = await service.decision_rights(workspace, person_ids=keys)
        return _group(keys, found, lambda r: (r.person_id,))

    async def rights_in(keys: list[str]) -> list[list[DecisionRight]]:
        found = await service.decision_rights(workspace, scope_ids=keys)
        return _group(keys, found, lambda r: (r.scope_id,))

    def loader(load: Callable[[list[str]], Awaitable[list[list[V]]]]) -> DataLoader[str, list[V]]:
        return DataLoader(load_fn=load, max_batch_size=MAX_BATCH)

    org, dept, sys_, opp = (
        EntityKind.ORGANIZATION,
        EntityKind.DEPARTMENT,
        EntityKind.SYSTEM,
        EntityKind.OPPORTUNITY,
    )
    return Loaders(
        organization=by_id(org, Organization),
        department=by_id(dept, Department),
        person=by_id(EntityKind.PERSON, Person),
        system=by_id(sys_, InstalledSystem),
        opportunity=by_id(opp, Opportunity),
        subsidiaries=by_field(org, "parentId", Organization, lambda o: (o.parent_id,)),
        departments_of_organization=by_field(
            dept, "organizationId", Department, lambda d: (d.organization_id,)
        ),
        children_of_department=by_field(dept, "parentId", Department, lambda d: (d.parent_id,)),
        people_of_organization=by_field(
            EntityKind.PERSON, "organizationId", Person, lambda p: (p.organization_id,)
        ),
        people_of_department=by_field(
            EntityKind.PERSON, "departmentId", Person, lambda p: (p.department_id,)
        ),
        systems_of_organization=by_field(
            sys_, "organizationId", InstalledSystem, lambda s: (s.organization_id,)
        ),
        systems_of_department=by_field(
            sys_, "departmentIds", InstalledSystem, lambda s: s.department_ids
        ),
        opportunities_of_organization=by_field(
            opp, "organizationId", Opportunity, lambda o: (o.organization_id,)
        ),
        opportunities_of_department=by_field(
            opp, "departmentId", Opportunity, lambda o: (o.department_id,)
        ),
        relationships_of_person=loader(relationships),
        rights_of_person=loader(rights_of),
        rights_in_scope=loader(rights_in),
    )


def _as(record: Entity | None, model: type[E]) -> E | None:
    """The record when it is of ``model`` (a store returns the kind it was asked for)."""
    return record if isinstance(record, model) else None


def _group(
    keys: Sequence[str], records: Iterable[V], keys_of: Callable[[V], Iterable[str | None]]
) -> list[list[V]]:
    """Records grouped under each requested key, in the store's order, one list per key."""
    groups: dict[str, list[V]] = {key: [] for key in keys}
    for record in records:
        for key in keys_of(record):
            if key is not None and key in groups:
                groups[key].append(record)
    return [groups[key] for key in keys]


NOT_LOADED = object()
"""What ``loaded`` returns for a key its loader has not read (yet)."""


def loaded(loader: DataLoader[str, V], key: str) -> V | object:
    """The value ``loader`` already read for ``key``, without awaiting; ``NOT_LOADED`` if it
    has not (or its read failed: the caller then awaits ``load`` and sees the error).

    Lets a field resolve synchronously when a list read its rows' neighbours beforehand: a
    graphql-core field that returns an awaitable costs a task and a future per row.
    """
    future = loader.cache_map.get(key)
    if future is None or not future.done() or future.cancelled() or future.exception():
        return NOT_LOADED
    return future.result()

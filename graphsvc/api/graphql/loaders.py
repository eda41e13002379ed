"""Per-request DataLoaders: every navigation field is batched into one store read per level.

A query listing 50 people with their department and organization makes one ``page`` call,
one ``get`` for the departments and one for the organizations, however many people there
are. Loaders live for one request only (``context.create_context``), so a request never sees
another request's cached reads.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import cached_property
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


class Loaders:
    """The DataLoaders of one request, by what they load and from which key.

    Each loader is made when a field first asks for it: a request uses one or two of the
    seventeen, and making them all for every request was a measurable part of a small
    query's time (bench/README.md, "Request overhead").
    """

    def __init__(self, service: GraphService, workspace: str) -> None:
        self._service = service
        self._workspace = workspace
        self._made: list[DataLoader[str, object]] = []

    def _by_id(self, kind: EntityKind, model: type[E]) -> DataLoader[str, E | None]:
        service, workspace = self._service, self._workspace

        async def load(ids: list[str]) -> list[E | None]:
            found = await service.get(workspace, kind, ids)
            return [_as(found.get(id_), model) for id_ in ids]

        return self._made_now(DataLoader(load_fn=load, max_batch_size=MAX_BATCH))

    def _by_field(
        self,
        kind: EntityKind,
        field: str,
        model: type[E],
        keys_of: Callable[[E], Iterable[str | None]],
    ) -> DataLoader[str, list[E]]:
        service, workspace = self._service, self._workspace

        async def load(keys: list[str]) -> list[list[E]]:
            found = await service.find(workspace, kind, {field: keys})
            records = [cast(E, r) for r in found if isinstance(r, model)]
            return _group(keys, records, keys_of)

        return self._made_now(DataLoader(load_fn=load, max_batch_size=MAX_BATCH))

    def _made_now(self, loader: DataLoader[str, V]) -> DataLoader[str, V]:
        self._made.append(cast(DataLoader[str, object], loader))
        return loader

    @cached_property
    def organization(self) -> DataLoader[str, Organization | None]:
        return self._by_id(EntityKind.ORGANIZATION, Organization)

    @cached_property
    def department(self) -> DataLoader[str, Department | None]:
        return self._by_id(EntityKind.DEPARTMENT, Department)

    @cached_property
    def person(self) -> DataLoader[str, Person | None]:
        return self._by_id(EntityKind.PERSON, Person)

    @cached_property
    def system(self) -> DataLoader[str, InstalledSystem | None]:
        return self._by_id(EntityKind.SYSTEM, InstalledSystem)

    @cached_property
    def opportunity(self) -> DataLoader[str, Opportunity | None]:
        return self._by_id(EntityKind.OPPORTUNITY, Opportunity)

    @cached_property
    def subsidiaries(self) -> DataLoader[str, list[Organization]]:
        """Organizations whose ``parentId`` is the key."""
        return self._by_field(
            EntityKind.ORGANIZATION, "parentId", Organization, lambda o: (o.parent_id,)
        )

    @cached_property
    def departments_of_organization(self) -> DataLoader[str, list[Department]]:
        return self._by_field(
            EntityKind.DEPARTMENT, "organizationId", Department, lambda d: (d.organization_id,)
        )

    @cached_property
    def children_of_department(self) -> DataLoader[str, list[Department]]:
        return self._by_field(
            EntityKind.DEPARTMENT, "parentId", Department, lambda d: (d.parent_id,)
        )

    @cached_property
    def people_of_organization(self) -> DataLoader[str, list[Person]]:
        return self._by_field(
            EntityKind.PERSON, "organizationId", Person, lambda p: (p.organization_id,)
        )

    @cached_property
    def people_of_department(self) -> DataLoader[str, list[Person]]:
        return self._by_field(
            EntityKind.PERSON, "departmentId", Person, lambda p: (p.department_id,)
        )

    @cached_property
    def systems_of_organization(self) -> DataLoader[str, list[InstalledSystem]]:
        return self._by_field(
            EntityKind.SYSTEM, "organizationId", InstalledSystem, lambda s: (s.organization_id,)
        )

    @cached_property
    def systems_of_department(self) -> DataLoader[str, list[InstalledSystem]]:
        return self._by_field(
            EntityKind.SYSTEM, "departmentIds", InstalledSystem, lambda s: s.department_ids
        )

    @cached_property
    def opportunities_of_organization(self) -> DataLoader[str, list[Opportunity]]:
        return self._by_field(
            EntityKind.OPPORTUNITY, "organizationId", Opportunity, lambda o: (o.organization_id,)
        )

    @cached_property
    def opportunities_of_department(self) -> DataLoader[str, list[Opportunity]]:
        return self._by_field(
            EntityKind.OPPORTUNITY, "departmentId", Opportunity, lambda o: (o.department_id,)
        )

    @cached_property
    def relationships_of_person(self) -> DataLoader[str, list[Relationship]]:
        """Relationships with the key at either end, any type."""
        service, workspace = self._service, self._workspace

        async def load(keys: list[str]) -> list[list[Relationship]]:
            found = await service.relationships(workspace, person_ids=keys)
            return _group(keys, found, lambda r: {r.from_id, r.to_id})

        return self._made_now(DataLoader(load_fn=load, max_batch_size=MAX_BATCH))

    @cached_property
    def rights_of_person(self) -> DataLoader[str, list[DecisionRight]]:
        service, workspace = self._service, self._workspace

        async def load(keys: list[str]) -> list[list[DecisionRight]]:
            found = await service.decision_rights(workspace, person_ids=keys)
            return _group(keys, found, lambda r: (r.person_id,))

        return self._made_now(DataLoader(load_fn=load, max_batch_size=MAX_BATCH))

    @cached_property
    def rights_in_scope(self) -> DataLoader[str, list[DecisionRight]]:
        """Decision rights whose ``scopeId`` is the key (an organization or a department)."""
        service, workspace = self._service, self._workspace

        async def load(keys: list[str]) -> list[list[DecisionRight]]:
            found = await service.decision_rights(workspace, scope_ids=keys)
            return _group(keys, found, lambda r: (r.scope_id,))

        return self._made_now(DataLoader(load_fn=load, max_batch_size=MAX_BATCH))

    def clear_all(self) -> None:
        """Forget every cached read: after a write, later fields must see the new state."""
        for loader in self._made:
            loader.clear_all()


def create_loaders(service: GraphService, workspace: str) -> Loaders:
    """Fresh loaders reading ``workspace`` through ``service`` (each made on first use)."""
    return Loaders(service, workspace)


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

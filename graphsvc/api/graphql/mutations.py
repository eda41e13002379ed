"""Create, update and delete of the id-keyed kinds, each through ``GraphService``.

Every write is validated in full against the workspace (references, cycles, the one SELF
organization) and applied atomically; a failure changes nothing and comes back typed.
"""

# strawberry.mutation(description=...) is typed as returning Any; the resolvers stay typed.
# mypy: disable-error-code="untyped-decorator"

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import strawberry

from graphsvc.api.graphql.context import Info
from graphsvc.api.graphql.inputs import (
    DepartmentCreateInput,
    DepartmentUpdateInput,
    OpportunityCreateInput,
    OpportunityUpdateInput,
    OrganizationCreateInput,
    OrganizationUpdateInput,
    PersonCreateInput,
    PersonUpdateInput,
    SystemCreateInput,
    SystemUpdateInput,
    document_fields,
)
from graphsvc.api.graphql.payloads import (
    Deleted,
    DeleteResult,
    DepartmentPayload,
    DepartmentResult,
    OpportunityPayload,
    OpportunityResult,
    OrganizationPayload,
    OrganizationResult,
    PersonPayload,
    PersonResult,
    SystemPayload,
    SystemResult,
)
from graphsvc.api.graphql.results import WriteError
from graphsvc.api.graphql.types import (
    Department,
    InstalledSystem,
    Opportunity,
    Organization,
    Person,
)
from graphsvc.api.graphql.write import perform
from graphsvc.domain import models
from graphsvc.domain.enums import EntityKind

E = TypeVar("E", bound=models.Entity)
P = TypeVar("P")

_UPDATE = "Change the given fields of the {} with this id (null clears an optional field)."
_DELETE = "Delete the {} with this id; CONFLICT while other records still reference it."


async def _create(
    info: Info, kind: EntityKind, model: type[E], data: dict[str, Any], wrap: Callable[[E], P]
) -> P | WriteError:
    ctx = info.context
    record = str(data.get("id", ""))
    return await perform(
        info,
        lambda: ctx.services.graph.create(ctx.workspace, kind, data, actor=ctx.actor),
        lambda written: _wrapped(written, model, wrap),
        record=record,
    )


async def _update(
    info: Info,
    kind: EntityKind,
    model: type[E],
    id: str,
    patch: dict[str, Any],
    wrap: Callable[[E], P],
) -> P | WriteError:
    ctx = info.context
    return await perform(
        info,
        lambda: ctx.services.graph.update(ctx.workspace, kind, id, patch, actor=ctx.actor),
        lambda written: _wrapped(written, model, wrap),
        record=id,
    )


async def _delete(info: Info, kind: EntityKind, id: str) -> Deleted | WriteError:
    ctx = info.context
    return await perform(
        info,
        lambda: ctx.services.graph.delete(ctx.workspace, kind, id, actor=ctx.actor),
        lambda _: Deleted(id=strawberry.ID(id)),
        record=id,
    )


def _wrapped(result: models.Entity, model: type[E], wrap: Callable[[E], P]) -> P:
    """The payload of a written record."""
    if not isinstance(result, model):
        raise TypeError(f"the service wrote a {type(result).__name__}, not a {model.__name__}")
    return wrap(result)


@strawberry.type
class EntityMutation:
    """Create, update and delete organizations, departments, people, systems, opportunities."""

    @strawberry.mutation(description="Create an organization; CONFLICT if the id is taken.")
    async def create_organization(
        self, info: Info, input: OrganizationCreateInput
    ) -> OrganizationResult:
        return await _create(
            info, EntityKind.ORGANIZATION, models.Organization,
            document_fields(input, keep_null=False),
            lambda r: OrganizationPayload(organization=Organization.from_record(r)),
        )  # fmt: skip

    @strawberry.mutation(description=_UPDATE.format("organization"))
    async def update_organization(
        self, info: Info, id: strawberry.ID, input: OrganizationUpdateInput
    ) -> OrganizationResult:
        return await _update(
            info, EntityKind.ORGANIZATION, models.Organization, id,
            document_fields(input, keep_null=True),
            lambda r: OrganizationPayload(organization=Organization.from_record(r)),
        )  # fmt: skip

    @strawberry.mutation(description=_DELETE.format("organization"))
    async def delete_organization(self, info: Info, id: strawberry.ID) -> DeleteResult:
        return await _delete(info, EntityKind.ORGANIZATION, id)

    @strawberry.mutation(description="Create a department; CONFLICT if the id is taken.")
    async def create_department(self, info: Info, input: DepartmentCreateInput) -> DepartmentResult:
        return await _create(
            info, EntityKind.DEPARTMENT, models.Department,
            document_fields(input, keep_null=False),
            lambda r: DepartmentPayload(department=Department.from_record(r)),
        )  # fmt: skip

    @strawberry.mutation(description=_UPDATE.format("department"))
    async def update_department(
        self, info: Info, id: strawberry.ID, input: DepartmentUpdateInput
    ) -> DepartmentResult:
        return await _update(
            info, EntityKind.DEPARTMENT, models.Department, id,
            document_fields(input, keep_null=True),
            lambda r: DepartmentPayload(department=Department.from_record(r)),
        )  # fmt: skip

    @strawberry.mutation(description=_DELETE.format("department"))
    async def delete_department(self, info: Info, id: strawberry.ID) -> DeleteResult:
        return await _delete(info, EntityKind.DEPARTMENT, id)

    @strawberry.mutation(description="Create a person; CONFLICT if the id is taken.")
    async def create_person(self, info: Info, input: PersonCreateInput) -> PersonResult:
        return await _create(
            info, EntityKind.PERSON, models.Person,
            document_fields(input, keep_null=False),
            lambda r: PersonPayload(person=Person.from_record(r)),
        )  # fmt: skip

    @strawberry.mutation(description=_UPDATE.format("person"))
    async def update_person(
        self, info: Info, id: strawberry.ID, input: PersonUpdateInput
    ) -> PersonResult:
        return await _update(
            info, EntityKind.PERSON, models.Person, id,
            document_fields(input, keep_null=True),
            lambda r: PersonPayload(person=Person.from_record(r)),
        )  # fmt: skip

    @strawberry.mutation(description=_DELETE.format("person"))
    async def delete_person(self, info: Info, id: strawberry.ID) -> DeleteResult:
        return await _delete(info, EntityKind.PERSON, id)

    @strawberry.mutation(description="Create an installed system; CONFLICT if the id is taken.")
    async def create_system(self, info: Info, input: SystemCreateInput) -> SystemResult:
        return await _create(
            info, EntityKind.SYSTEM, models.InstalledSystem,
            document_fields(input, keep_null=False),
            lambda r: SystemPayload(system=InstalledSystem.from_record(r)),
        )  # fmt: skip

    @strawberry.mutation(description=_UPDATE.format("installed system"))
    async def update_system(
        self, info: Info, id: strawberry.ID, input: SystemUpdateInput
    ) -> SystemResult:
        return await _update(
            info, EntityKind.SYSTEM, models.InstalledSystem, id,
            document_fields(input, keep_null=True),
            lambda r: SystemPayload(system=InstalledSystem.from_record(r)),
        )  # fmt: skip

    @strawberry.mutation(description=_DELETE.format("installed system"))
    async def delete_system(self, info: Info, id: strawberry.ID) -> DeleteResult:
        return await _delete(info, EntityKind.SYSTEM, id)

    @strawberry.mutation(description="Create an opportunity; CONFLICT if the id is taken.")
    async def create_opportunity(
        self, info: Info, input: OpportunityCreateInput
    ) -> OpportunityResult:
        return await _create(
            info, EntityKind.OPPORTUNITY, models.Opportunity,
            document_fields(input, keep_null=False),
            lambda r: OpportunityPayload(opportunity=Opportunity.from_record(r)),
        )  # fmt: skip

    @strawberry.mutation(description=_UPDATE.format("opportunity"))
    async def update_opportunity(
        self, info: Info, id: strawberry.ID, input: OpportunityUpdateInput
    ) -> OpportunityResult:
        return await _update(
            info, EntityKind.OPPORTUNITY, models.Opportunity, id,
            document_fields(input, keep_null=True),
            lambda r: OpportunityPayload(opportunity=Opportunity.from_record(r)),
        )  # fmt: skip

    @strawberry.mutation(description=_DELETE.format("opportunity"))
    async def delete_opportunity(self, info: Info, id: strawberry.ID) -> DeleteResult:
        return await _delete(info, EntityKind.OPPORTUNITY, id)

"""``Person``: someone at an organization, with formal position and informal ties."""

# strawberry.field(description=...) is typed as returning Any; the resolvers stay typed.
# mypy: disable-error-code="untyped-decorator"

from __future__ import annotations

from typing import Any

import strawberry

from graphsvc.api.graphql.context import Info
from graphsvc.api.graphql.loaders import NOT_LOADED, loaded
from graphsvc.api.graphql.types import department as _department
from graphsvc.api.graphql.types import links as _links
from graphsvc.api.graphql.types import organization as _organization
from graphsvc.api.graphql.types.refs import (
    DecisionRightRef,
    DepartmentRef,
    OrganizationRef,
    RelationshipRef,
)
from graphsvc.domain import models
from graphsvc.domain.enums import RelationshipType, Seniority, Stance


@strawberry.type(
    description="Someone at an organization (ours or an account): formal level, stance "
    "towards us, reporting lines, acquaintances and decision rights."
)
class Person:
    id: strawberry.ID
    name: str
    organization_id: strawberry.ID
    title: str | None
    department_id: strawberry.ID | None
    seniority: Seniority | None = strawberry.field(description="Formal level; null when unknown.")
    stance: Stance = strawberry.field(description="Attitude to us (UNKNOWN unless recorded).")
    record: strawberry.Private[models.Person]

    @classmethod
    def from_record(cls, record: models.Person) -> Person:
        """The GraphQL view of a stored person."""
        return cls(
            id=strawberry.ID(record.id),
            name=record.name,
            organization_id=strawberry.ID(record.organization_id),
            title=record.title,
            department_id=strawberry.ID(record.department_id) if record.department_id else None,
            seniority=record.seniority,
            stance=record.stance,
            record=record,
        )

    @strawberry.field(
        description="The organization employing this person.", graphql_type=OrganizationRef
    )
    def organization(self, info: Info) -> Any:
        # Synchronous when a list already read the page's organizations (``loaded``): an
        # awaited resolver per row cost most of a 500-person page's time.
        key = self.record.organization_id
        found = loaded(info.context.loaders.organization, key)
        if found is NOT_LOADED:
            return self._organization(info)
        return self._organization_of(found)

    async def _organization(self, info: Info) -> OrganizationRef:
        return self._organization_of(
            await info.context.loaders.organization.load(self.record.organization_id)
        )

    def _organization_of(self, found: object) -> OrganizationRef:
        if not isinstance(found, models.Organization):
            raise LookupError(
                f"person {self.record.id}: organization {self.record.organization_id} is missing"
            )
        return _organization.Organization.from_record(found)

    @strawberry.field(
        description="The person's department; null when not assigned to one.",
        graphql_type=DepartmentRef | None,
    )
    def department(self, info: Info) -> Any:
        # Synchronous when a list already read the page's departments, as organization.
        key = self.record.department_id
        if key is None:
            return None
        found = loaded(info.context.loaders.department, key)
        if found is NOT_LOADED:
            return self._department(info, key)
        return self._department_of(found)

    async def _department(self, info: Info, key: str) -> DepartmentRef | None:
        return self._department_of(await info.context.loaders.department.load(key))

    @staticmethod
    def _department_of(found: object) -> DepartmentRef | None:
        if not isinstance(found, models.Department):
            return None
        return _department.Department.from_record(found)

    @strawberry.field(description="The solid-line manager: target of this person's REPORTS_TO.")
    async def manager(self, info: Info) -> Person | None:
        ties = await info.context.loaders.relationships_of_person.load(self.record.id)
        ids = [r.to_id for r in ties if _reports(r, from_id=self.record.id, dotted=False)]
        return await _first_person(info, ids)

    @strawberry.field(description="People with a solid REPORTS_TO line to this person.")
    async def reports(self, info: Info) -> list[Person]:
        ties = await info.context.loaders.relationships_of_person.load(self.record.id)
        ids = [r.from_id for r in ties if _reports(r, to_id=self.record.id, dotted=False)]
        return await _people(info, ids)

    @strawberry.field(description="Targets of this person's dotted-line REPORTS_TO relationships.")
    async def dotted_managers(self, info: Info) -> list[Person]:
        ties = await info.context.loaders.relationships_of_person.load(self.record.id)
        ids = [r.to_id for r in ties if _reports(r, from_id=self.record.id, dotted=True)]
        return await _people(info, ids)

    @strawberry.field(
        description="Relationships with this person at either end, optionally of one type."
    )
    async def relationships(
        self, info: Info, type: RelationshipType | None = None
    ) -> list[RelationshipRef]:
        ties = await info.context.loaders.relationships_of_person.load(self.record.id)
        return [_links.Relationship.from_record(r) for r in ties if type in (None, r.type)]

    @strawberry.field(description="The decision rights this person holds.")
    async def decision_rights(self, info: Info) -> list[DecisionRightRef]:
        found = await info.context.loaders.rights_of_person.load(self.record.id)
        return [_links.DecisionRight.from_record(r) for r in found]


def _reports(
    tie: models.Relationship,
    *,
    dotted: bool,
    from_id: str | None = None,
    to_id: str | None = None,
) -> bool:
    """Is ``tie`` a REPORTS_TO line of this kind (solid/dotted) with the given end?"""
    return (
        tie.type is RelationshipType.REPORTS_TO
        and tie.dotted is dotted
        and (from_id is None or tie.from_id == from_id)
        and (to_id is None or tie.to_id == to_id)
    )


async def _people(info: Info, ids: list[str]) -> list[Person]:
    found = await info.context.loaders.person.load_many(ids)
    return [Person.from_record(p) for p in found if p is not None]


async def _first_person(info: Info, ids: list[str]) -> Person | None:
    people = await _people(info, ids[:1])
    return people[0] if people else None


async def person_named(info: Info, person_id: str, by: str) -> Person:
    """The person ``by`` names; ``LookupError`` if missing (the store keeps them, so a bug)."""
    found = await info.context.loaders.person.load(person_id)
    if found is None:
        raise LookupError(f"{by} names a missing person {person_id}")
    return Person.from_record(found)

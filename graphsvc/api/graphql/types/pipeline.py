"""``InstalledSystem`` and ``Opportunity``: what runs at an account today, and our deals.

An opportunity's pipeline fields (CONTRACT §7) come with it: ``StageEntry`` (its
``stageHistory``) and ``Criterion`` (the exit criteria of its stage).
"""

# strawberry.field(description=...) is typed as returning Any; the resolvers stay typed.
# mypy: disable-error-code="untyped-decorator"

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry

from graphsvc.api.graphql.context import Info
from graphsvc.api.graphql.types import department as _department
from graphsvc.api.graphql.types import organization as _organization
from graphsvc.api.graphql.types import person as _person
from graphsvc.api.graphql.types.refs import DepartmentRef, OrganizationRef, PersonRef
from graphsvc.api.graphql.types.rounding import rounded_or_none
from graphsvc.domain import models
from graphsvc.domain.enums import OpportunityStatus, SystemStatus
from graphsvc.services import analytics


@strawberry.type(
    description="A product running in departments of an organization, ours or a competitor's; "
    "contractEndsOn marks when a replacement can be proposed."
)
class InstalledSystem:
    id: strawberry.ID
    name: str
    organization_id: strawberry.ID
    category: str = strawberry.field(description="What kind of product: CRM, ERP, HR ...")
    vendor: str | None
    ours: bool = strawberry.field(description="True when the product is ours.")
    department_ids: list[strawberry.ID]
    contract_ends_on: date | None
    annual_value: float | None
    status: SystemStatus
    record: strawberry.Private[models.InstalledSystem]
    as_of: strawberry.Private[date | None] = None

    @classmethod
    def from_record(
        cls, record: models.InstalledSystem, *, as_of: date | None = None
    ) -> InstalledSystem:
        """The GraphQL view of a stored system; ``as_of`` is the day of the analytic query
        that returned it (displacementWindows, whitespace), which ``daysLeft`` counts from."""
        return cls(
            id=strawberry.ID(record.id),
            name=record.name,
            organization_id=strawberry.ID(record.organization_id),
            category=record.category,
            vendor=record.vendor,
            ours=record.ours,
            department_ids=[strawberry.ID(d) for d in record.department_ids],
            contract_ends_on=record.contract_ends_on,
            annual_value=record.annual_value,
            status=record.status,
            record=record,
            as_of=as_of,
        )

    @strawberry.field(
        description="Days from asOf to contractEndsOn: 0 on the day, negative once the "
        "contract has ended; null without contractEndsOn. asOf defaults to the asOf of the "
        "displacementWindows or whitespace query that returned the system, else today."
    )
    def days_left(
        self,
        info: Info,
        as_of: Annotated[
            date | None,
            strawberry.argument(description="The day to count from (see the field)."),
        ] = strawberry.UNSET,
    ) -> int | None:
        day = as_of or self.as_of or info.context.services.analytics.clock()
        return analytics.days_left(self.record, day)

    @strawberry.field(description="The organization the system is installed at.")
    async def organization(self, info: Info) -> OrganizationRef:
        found = await info.context.loaders.organization.load(self.record.organization_id)
        if found is None:
            raise LookupError(
                f"system {self.record.id}: organization {self.record.organization_id} is missing"
            )
        return _organization.Organization.from_record(found)

    @strawberry.field(description="The departments using the system.")
    async def departments(self, info: Info) -> list[DepartmentRef]:
        found = await info.context.loaders.department.load_many(list(self.record.department_ids))
        return [_department.Department.from_record(d) for d in found if d is not None]


@strawberry.type(description="A stage an opportunity entered, and the day it did.")
class StageEntry:
    stage: str = strawberry.field(description="A stage of the workspace's stage model.")
    entered_on: date = strawberry.field(description="The day the deal entered the stage.")


@strawberry.type(description="An exit criterion of an opportunity's current stage.")
class Criterion:
    name: str = strawberry.field(description="What must be true to leave the stage.")
    met: bool = strawberry.field(description="Whether it is true now.")


@strawberry.type(description="A deal in our pipeline at an organization, usually for a department.")
class Opportunity:
    id: strawberry.ID
    name: str
    organization_id: strawberry.ID
    category: str = strawberry.field(description="The product category the deal is about.")
    department_id: strawberry.ID | None
    stage: str | None = strawberry.field(
        description="The current sales stage: a stage of the workspace's stage model "
        "(pipelineStages) counts in the pipeline query; other names are kept as written but "
        "not counted."
    )
    amount: float | None
    status: OpportunityStatus = strawberry.field(
        description="OPEN, WON or LOST. A won or lost deal keeps the stage it ended in."
    )
    close_date: date | None = strawberry.field(description="The expected (or actual) close day.")
    owner_id: strawberry.ID | None = strawberry.field(
        description="The deal's owner: a person of our own (SELF) organization."
    )
    probability: float | None = strawberry.field(
        description="The chance to win, 0 to 1; null: the stage's default probability applies "
        "(pipeline's weightedAmount)."
    )
    stage_history: list[StageEntry] = strawberry.field(
        description="The stages the deal entered, oldest first. A write that sets a stage of "
        "the model the history does not end with appends {stage, enteredOn: the day of the "
        "write (UTC)}; a write that gives no stageHistory keeps the stored one."
    )
    criteria: list[Criterion] = strawberry.field(
        description="The exit criteria of the current stage."
    )
    record: strawberry.Private[models.Opportunity]

    @classmethod
    def from_record(cls, record: models.Opportunity) -> Opportunity:
        """The GraphQL view of a stored opportunity."""
        return cls(
            id=strawberry.ID(record.id),
            name=record.name,
            organization_id=strawberry.ID(record.organization_id),
            category=record.category,
            department_id=strawberry.ID(record.department_id) if record.department_id else None,
            stage=record.stage,
            amount=record.amount,
            status=record.status,
            close_date=record.close_date,
            owner_id=strawberry.ID(record.owner_id) if record.owner_id else None,
            probability=record.probability,
            stage_history=[
                StageEntry(stage=e.stage, entered_on=e.entered_on) for e in record.stage_history
            ],
            criteria=[Criterion(name=c.name, met=c.met) for c in record.criteria],
            record=record,
        )

    @strawberry.field(
        description="The share of the criteria met, 0 to 1 (rounded to 6 places); null "
        "without criteria."
    )
    def criteria_met(self) -> float | None:
        return rounded_or_none(self.record.criteria_met)

    @strawberry.field(description="The deal's owner (one of our people), when there is one.")
    async def owner(self, info: Info) -> PersonRef | None:
        if self.record.owner_id is None:
            return None
        found = await info.context.loaders.person.load(self.record.owner_id)
        return _person.Person.from_record(found) if found else None

    @strawberry.field(description="The organization the deal is with.")
    async def organization(self, info: Info) -> OrganizationRef:
        found = await info.context.loaders.organization.load(self.record.organization_id)
        if found is None:
            raise LookupError(
                f"opportunity {self.record.id}: "
                f"organization {self.record.organization_id} is missing"
            )
        return _organization.Organization.from_record(found)

    @strawberry.field(description="The department the deal is for, when there is one.")
    async def department(self, info: Info) -> DepartmentRef | None:
        if self.record.department_id is None:
            return None
        found = await info.context.loaders.department.load(self.record.department_id)
        return _department.Department.from_record(found) if found else None

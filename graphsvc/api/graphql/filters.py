"""Filter inputs of the list queries; each turns into the store's ``where`` mapping.

Within one filter all given conditions must hold; a list-valued condition (``stance:
[CHAMPION, SUPPORTER]``) matches any of its values. ``organizationId`` with
``includeSubsidiaries`` is widened to the whole group by the list service
(``services.listing``).
"""

from __future__ import annotations

from collections.abc import Sequence

import strawberry

from graphsvc.domain.enums import (
    BuyingRole,
    OpportunityStatus,
    OrganizationKind,
    RelationshipType,
    Seniority,
    Stance,
    SystemStatus,
)
from graphsvc.domain.listing import FilterValue

Where = dict[str, list[FilterValue]]

_SEARCH = "Case-insensitive substring of the name."
_SUBS = (
    "With organizationId: also match records of every organization below it "
    "(subsidiaries and affiliates, recursively)."
)


def _put(where: Where, field: str, value: FilterValue) -> None:
    if value is not None:
        where[field] = [value]


def _put_all(where: Where, field: str, values: Sequence[str] | None) -> None:
    if values is not None:
        where[field] = list(values)


@strawberry.input(description="Conditions on organizations; all given ones must hold.")
class OrganizationFilter:
    kind: list[OrganizationKind] | None = None
    parent_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only organizations directly below this one."
    )
    top_level: bool | None = strawberry.field(
        default=None, description="true: only organizations without a parent."
    )
    industry: str | None = None
    search: str | None = strawberry.field(default=None, description=_SEARCH)

    def where(self) -> Where:
        """The store filter of these conditions."""
        where: Where = {}
        _put_all(where, "kind", self.kind)
        _put(where, "parentId", self.parent_id)
        if self.top_level:
            where["parentId"] = [None]
        _put(where, "industry", self.industry)
        return where


@strawberry.input(description="Conditions on departments; all given ones must hold.")
class DepartmentFilter:
    organization_id: strawberry.ID | None = None
    include_subsidiaries: bool = strawberry.field(default=False, description=_SUBS)
    parent_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only departments directly inside this one."
    )
    top_level: bool | None = strawberry.field(
        default=None, description="true: only departments without a parent department."
    )
    function: str | None = None
    search: str | None = strawberry.field(default=None, description=_SEARCH)

    def where(self) -> Where:
        """The store filter of these conditions (the organization is added by the query)."""
        where: Where = {}
        _put(where, "parentId", self.parent_id)
        if self.top_level:
            where["parentId"] = [None]
        _put(where, "function", self.function)
        return where


@strawberry.input(description="Conditions on people; all given ones must hold.")
class PersonFilter:
    organization_id: strawberry.ID | None = None
    include_subsidiaries: bool = strawberry.field(default=False, description=_SUBS)
    department_id: strawberry.ID | None = None
    seniority: list[Seniority] | None = None
    stance: list[Stance] | None = None
    search: str | None = strawberry.field(
        default=None, description="Case-insensitive substring of the name or the title."
    )

    def where(self) -> Where:
        """The store filter of these conditions (the organization is added by the query)."""
        where: Where = {}
        _put(where, "departmentId", self.department_id)
        _put_all(where, "seniority", self.seniority)
        _put_all(where, "stance", self.stance)
        return where


@strawberry.input(description="Conditions on installed systems; all given ones must hold.")
class SystemFilter:
    organization_id: strawberry.ID | None = None
    include_subsidiaries: bool = strawberry.field(default=False, description=_SUBS)
    department_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only systems this department uses."
    )
    category: str | None = None
    vendor: str | None = None
    ours: bool | None = strawberry.field(
        default=None, description="true: only ours; false: only others'."
    )
    status: list[SystemStatus] | None = None
    search: str | None = strawberry.field(default=None, description=_SEARCH)

    def where(self) -> Where:
        """The store filter of these conditions (the organization is added by the query)."""
        where: Where = {}
        _put(where, "departmentIds", self.department_id)
        _put(where, "category", self.category)
        _put(where, "vendor", self.vendor)
        _put(where, "ours", self.ours)
        _put_all(where, "status", self.status)
        return where


@strawberry.input(description="Conditions on opportunities; all given ones must hold.")
class OpportunityFilter:
    organization_id: strawberry.ID | None = None
    include_subsidiaries: bool = strawberry.field(default=False, description=_SUBS)
    department_id: strawberry.ID | None = None
    category: str | None = None
    stage: str | None = None
    status: list[OpportunityStatus] | None = None
    search: str | None = strawberry.field(default=None, description=_SEARCH)

    def where(self) -> Where:
        """The store filter of these conditions (the organization is added by the query)."""
        where: Where = {}
        _put(where, "departmentId", self.department_id)
        _put(where, "category", self.category)
        _put(where, "stage", self.stage)
        _put_all(where, "status", self.status)
        return where


@strawberry.input(description="Conditions on relationships; all given ones must hold.")
class RelationshipFilter:
    person_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only relationships with this person at either end."
    )
    type: list[RelationshipType] | None = None
    organization_id: strawberry.ID | None = strawberry.field(
        default=None,
        description=(
            "Only relationships with BOTH ends among the people of this organization's scope"
            " (a line to anyone outside, such as our own account team, is left out): every"
            " line of a power map in a few pages, not one request per person. An unknown"
            " organization is NOT_FOUND."
        ),
    )
    include_subsidiaries: bool = strawberry.field(
        default=True,
        description=(
            "With organizationId: the scope includes its subsidiaries (not affiliates), as"
            " powerMap's does. Default true."
        ),
    )


@strawberry.input(description="Conditions on decision rights; all given ones must hold.")
class DecisionRightFilter:
    person_id: strawberry.ID | None = None
    scope_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only rights scoped to this organization or department."
    )
    area: str | None = strawberry.field(
        default=None,
        description="Compared ignoring case and spaces at either end, as decisionMakers does.",
    )
    role: list[BuyingRole] | None = None

"""Success payloads and the result union of each mutation (see ``results`` for the errors)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from graphsvc.api.graphql.results import (
    ConflictError,
    ForbiddenError,
    NotFoundError,
    ValidationError,
)
from graphsvc.api.graphql.types import (
    DecisionRight,
    Department,
    InstalledSystem,
    Opportunity,
    Organization,
    Person,
    Relationship,
)
from graphsvc.domain.enums import BuyingRole, RelationshipType

_ERRORS = "or the failure: NotFoundError, ValidationError, ConflictError or ForbiddenError."


@strawberry.type(description="The organization as written.")
class OrganizationPayload:
    organization: Organization


@strawberry.type(description="The department as written.")
class DepartmentPayload:
    department: Department


@strawberry.type(description="The person as written.")
class PersonPayload:
    person: Person


@strawberry.type(description="The installed system as written.")
class SystemPayload:
    system: InstalledSystem


@strawberry.type(description="The opportunity as written.")
class OpportunityPayload:
    opportunity: Opportunity


@strawberry.type(description="The relationship as stored.")
class RelationshipPayload:
    relationship: Relationship


@strawberry.type(description="The decision right as stored.")
class DecisionRightPayload:
    decision_right: DecisionRight


@strawberry.type(description="The record with this id was deleted.")
class Deleted:
    id: strawberry.ID


@strawberry.type(description="The relationship was removed.")
class Unlinked:
    type: RelationshipType
    from_: strawberry.ID = strawberry.field(name="from")
    to: strawberry.ID


@strawberry.type(description="The decision right was revoked.")
class Revoked:
    person_id: strawberry.ID
    scope_id: strawberry.ID
    area: str
    role: BuyingRole


def _union(name: str, what: str) -> object:
    return strawberry.union(name, description=f"{what}, {_ERRORS}")


_Failures = NotFoundError | ValidationError | ConflictError | ForbiddenError

OrganizationResult = Annotated[
    OrganizationPayload | _Failures, _union("OrganizationResult", "The written organization")
]
DepartmentResult = Annotated[
    DepartmentPayload | _Failures, _union("DepartmentResult", "The written department")
]
PersonResult = Annotated[PersonPayload | _Failures, _union("PersonResult", "The written person")]
SystemResult = Annotated[SystemPayload | _Failures, _union("SystemResult", "The written system")]
OpportunityResult = Annotated[
    OpportunityPayload | _Failures, _union("OpportunityResult", "The written opportunity")
]
DeleteResult = Annotated[Deleted | _Failures, _union("DeleteResult", "The deleted id")]
RelationshipResult = Annotated[
    RelationshipPayload | _Failures, _union("RelationshipResult", "The stored relationship")
]
UnlinkResult = Annotated[Unlinked | _Failures, _union("UnlinkResult", "The removed relationship")]
DecisionRightResult = Annotated[
    DecisionRightPayload | _Failures, _union("DecisionRightResult", "The stored decision right")
]
RevokeResult = Annotated[Revoked | _Failures, _union("RevokeResult", "The revoked right")]

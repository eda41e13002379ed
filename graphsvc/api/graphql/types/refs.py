"""Lazy references between the entity types, which navigate to each other in cycles.

An Organization lists its Departments, a Department names its Organization: the modules
cannot import each other's classes at import time, so fields are annotated with these
aliases and Strawberry resolves them when the schema is built. Constructors are reached
through ``nodes`` at call time for the same reason.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, TypeAlias

import strawberry

if TYPE_CHECKING:
    from graphsvc.api.graphql.types.department import Department
    from graphsvc.api.graphql.types.links import DecisionRight, Relationship
    from graphsvc.api.graphql.types.organization import Organization
    from graphsvc.api.graphql.types.person import Person
    from graphsvc.api.graphql.types.pipeline import InstalledSystem, Opportunity

_PACKAGE = "graphsvc.api.graphql.types"

OrganizationRef: TypeAlias = Annotated["Organization", strawberry.lazy(f"{_PACKAGE}.organization")]
DepartmentRef: TypeAlias = Annotated["Department", strawberry.lazy(f"{_PACKAGE}.department")]
PersonRef: TypeAlias = Annotated["Person", strawberry.lazy(f"{_PACKAGE}.person")]
InstalledSystemRef: TypeAlias = Annotated[
    "InstalledSystem", strawberry.lazy(f"{_PACKAGE}.pipeline")
]
OpportunityRef: TypeAlias = Annotated["Opportunity", strawberry.lazy(f"{_PACKAGE}.pipeline")]
RelationshipRef: TypeAlias = Annotated["Relationship", strawberry.lazy(f"{_PACKAGE}.links")]
DecisionRightRef: TypeAlias = Annotated["DecisionRight", strawberry.lazy(f"{_PACKAGE}.links")]

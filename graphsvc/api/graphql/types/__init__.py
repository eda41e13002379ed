"""The GraphQL object types of the stakeholder graph, one module per part of it.

Each type wraps a domain record (``record``, private) and copies its plain fields; navigation
fields resolve through the request's DataLoaders.
"""

from graphsvc.api.graphql.types.department import Department
from graphsvc.api.graphql.types.links import DecisionRight, Relationship, Scope
from graphsvc.api.graphql.types.organization import Organization
from graphsvc.api.graphql.types.person import Person
from graphsvc.api.graphql.types.pipeline import InstalledSystem, Opportunity

__all__ = [
    "DecisionRight",
    "Department",
    "InstalledSystem",
    "Opportunity",
    "Organization",
    "Person",
    "Relationship",
    "Scope",
]

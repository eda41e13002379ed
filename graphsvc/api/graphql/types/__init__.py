"""The GraphQL object types of the stakeholder graph, one module per part of it.

Each entity type wraps a domain record (``record``, private) and copies its plain fields;
navigation fields resolve through the request's DataLoaders. The analytic queries' types
(``routes``, ``whitespace``, ``power``, ``coverage``) wrap the analytics service's results
the same way (``of``), their scores rounded (``rounding``).
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

"""Organization scope (CONTRACT §5): an organization, and optionally everything below it.

Every analytic query over "an organization" reads this scope: the organization itself and,
with ``include_subsidiaries``, every organization below it through ``parentId``
(subsidiaries and affiliates alike, recursively).

Example:
    >>> from graphsvc.domain.models import Organization
    >>> from graphsvc.analytics.projection import Projection
    >>> p = Projection.build(organizations=[
    ...     Organization(id="k", name="Kaito", kind="CUSTOMER"),
    ...     Organization(id="kl", name="Kaito Log", kind="CUSTOMER", parent_id="k"),
    ... ])
    >>> organization_scope(p, "k").organizations
    ('k', 'kl')
    >>> organization_scope(p, "k", include_subsidiaries=False).organizations
    ('k',)
"""

from __future__ import annotations

from dataclasses import dataclass

from graphsvc.analytics.projection import Projection
from graphsvc.domain.scope import organizations_in_scope

__all__ = ["DEFAULT_INCLUDE_SUBSIDIARIES", "Scope", "organization_scope"]

DEFAULT_INCLUDE_SUBSIDIARIES = True
"""An analytic query over an organization covers everything below it unless told otherwise."""


@dataclass(frozen=True)
class Scope:
    """The organizations of a scope (sorted ids) and, derived, their departments and people."""

    organizations: tuple[str, ...]
    departments: frozenset[str]
    people: frozenset[str]


def organization_scope(
    projection: Projection,
    organization_id: str,
    *,
    include_subsidiaries: bool = DEFAULT_INCLUDE_SUBSIDIARIES,
) -> Scope:
    """The scope of ``organization_id``; ``NotFound`` when no such organization exists."""
    orgs = organizations_in_scope(
        organization_id,
        projection.org_children,
        known=projection.organizations,
        include_subsidiaries=include_subsidiaries,
    )
    departments: set[str] = set()
    people: set[str] = set()
    for o in orgs:
        departments.update(projection.org_departments.get(o, ()))
        people.update(projection.org_people.get(o, ()))
    return Scope(orgs, frozenset(departments), frozenset(people))

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
from graphsvc.errors import NotFound

__all__ = ["Scope", "organization_scope"]


@dataclass(frozen=True)
class Scope:
    """The organizations of a scope (sorted ids) and, derived, their departments and people."""

    organizations: tuple[str, ...]
    departments: frozenset[str]
    people: frozenset[str]


def organization_scope(
    projection: Projection, organization_id: str, *, include_subsidiaries: bool = True
) -> Scope:
    """The scope of ``organization_id``; ``NotFound`` when no such organization exists."""
    if organization_id not in projection.organizations:
        raise NotFound(f"organization {organization_id!r} does not exist")
    found = [organization_id]
    if include_subsidiaries:
        seen = {organization_id}
        stack = [organization_id]
        while stack:
            for child in projection.org_children.get(stack.pop(), ()):
                # Document validation forbids parent cycles; ``seen`` keeps this finite anyway.
                if child not in seen:
                    seen.add(child)
                    found.append(child)
                    stack.append(child)
    orgs = tuple(sorted(found))
    departments: set[str] = set()
    people: set[str] = set()
    for o in orgs:
        departments.update(projection.org_departments.get(o, ()))
        people.update(projection.org_people.get(o, ()))
    return Scope(orgs, frozenset(departments), frozenset(people))

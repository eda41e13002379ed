"""decisionMakers (CONTRACT §5): who decides what in an organization scope, in rank order.

Every decision right whose scope is an organization of the scope or a department in it,
filtered by ``area`` (case-insensitive) when given, ordered by role (ECONOMIC_BUYER,
DECISION_MAKER, APPROVER, TECHNICAL_EVALUATOR, PROCUREMENT, GATEKEEPER, INFLUENCER, USER),
then seniority (highest first, unknown last), then name. Beyond the contract, equal rows
are ordered by person id, scope id and area, so the order never depends on storage order.

Example (the Kaito group of CONTRACT §3):
    decision_makers(p, "kaito", area="it") lists 佐藤 健 (ECONOMIC_BUYER), 高橋 誠
    (DECISION_MAKER, scoped to the department k-it), 鈴木 花子 (APPROVER), 伊藤 翔
    (TECHNICAL_EVALUATOR, scoped to k-infra).
"""

from __future__ import annotations

from collections.abc import Iterator

from graphsvc.analytics.projection import Projection
from graphsvc.analytics.scope import DEFAULT_INCLUDE_SUBSIDIARIES, Scope, organization_scope
from graphsvc.domain.enums import formal_rank
from graphsvc.domain.models import DecisionRight

__all__ = ["decision_makers", "ordered_rights", "rights_in_scope"]


def decision_makers(
    projection: Projection,
    organization_id: str,
    *,
    area: str | None = None,
    include_subsidiaries: bool = DEFAULT_INCLUDE_SUBSIDIARIES,
) -> list[DecisionRight]:
    """The decision rights of the organization scope, in the contract's order."""
    scope = organization_scope(
        projection, organization_id, include_subsidiaries=include_subsidiaries
    )
    return ordered_rights(projection, scope, area=area)


def ordered_rights(
    projection: Projection, scope: Scope, *, area: str | None = None
) -> list[DecisionRight]:
    """The decision rights of an already computed ``scope``, in the contract's order.

    Callers that need the scope for more than the rights (coverage) compute it once and
    pass it here instead of letting ``decision_makers`` compute it again.
    """
    return sorted(
        rights_in_scope(projection, scope, area=area), key=lambda r: _order(projection, r)
    )


def rights_in_scope(
    projection: Projection, scope: Scope, *, area: str | None = None
) -> Iterator[DecisionRight]:
    """Every decision right scoped to an organization or department of ``scope``, unordered;
    with ``area``, only that area (compared case-insensitively)."""
    wanted = area.casefold() if area is not None else None
    for scope_id in (*scope.organizations, *scope.departments):
        for key in projection.rights_by_scope.get(scope_id, ()):
            if wanted is None or key[2] == wanted:
                yield projection.decision_rights[key]


def _order(projection: Projection, right: DecisionRight) -> tuple[int, int, str, str, str, str]:
    holder = projection.people.get(right.person_id)
    rank = formal_rank(holder.seniority) if holder is not None else 0
    name = holder.name if holder is not None else ""
    return (right.role.order, -rank, name, right.person_id, right.scope_id, right.area)

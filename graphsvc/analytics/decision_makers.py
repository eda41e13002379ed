"""decisionMakers (CONTRACT §5): who decides what in an organization scope, in rank order.

Every decision right whose scope is an organization of the scope or a department in it,
filtered by ``area`` when given (ignoring case and spaces at either end, on both sides: " it"
finds a right stored as "IT " — ``vocabulary.normalized``; a blank area is no filter), ordered
by role (ECONOMIC_BUYER,
DECISION_MAKER, APPROVER, TECHNICAL_EVALUATOR, PROCUREMENT, GATEKEEPER, INFLUENCER, USER),
then seniority (highest first, unknown last), then name. Beyond the contract, equal rows
are ordered by person id, scope id and area, so the order never depends on storage order.

Example (the Kaito group of CONTRACT §3):
    decision_makers(p, "kaito", area="it") lists 佐藤 健 (ECONOMIC_BUYER), 高橋 誠
    (DECISION_MAKER, scoped to the department k-it), 鈴木 花子 (APPROVER), 伊藤 翔
    (TECHNICAL_EVALUATOR, scoped to k-infra).

``decision_areas`` lists the areas that exist in a scope, so a user can pick one instead of
guessing its spelling: one entry per area (as compared), with how many rights and how many
distinct people hold it; e.g. for the Kaito group Finance (1, 1), HR (1, 1), IT (4, 4),
Logistics (1, 1).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from graphsvc.analytics.projection import Projection
from graphsvc.analytics.scope import DEFAULT_INCLUDE_SUBSIDIARIES, Scope, organization_scope
from graphsvc.analytics.vocabulary import normalized, normalized_filter
from graphsvc.domain.enums import formal_rank
from graphsvc.domain.models import DecisionRight
from graphsvc.errors import InvalidInput

__all__ = [
    "DecisionAreaSummary",
    "decision_areas",
    "decision_makers",
    "ordered_rights",
    "rights_in_scope",
]


@dataclass(frozen=True)
class DecisionAreaSummary:
    """One decision area of a scope: its spelling, its rights and the people holding them."""

    area: str
    rights: int
    holders: int


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
    return ordered_rights(projection, scope, area=normalized_filter(area))


def decision_areas(
    projection: Projection,
    organization_id: str,
    *,
    include_subsidiaries: bool = DEFAULT_INCLUDE_SUBSIDIARIES,
) -> list[DecisionAreaSummary]:
    """The decision areas of the organization scope, sorted ignoring case.

    Areas that differ only in case or surrounding spaces are one area; it is spelled the way
    most of its rights spell it (trimmed; ties: the first in sort order).
    """
    scope = organization_scope(
        projection, organization_id, include_subsidiaries=include_subsidiaries
    )
    spellings: dict[str, Counter[str]] = {}
    rights: Counter[str] = Counter()
    holders: dict[str, set[str]] = {}
    for right in rights_in_scope(projection, scope):
        key = normalized(right.area)
        spellings.setdefault(key, Counter())[right.area.strip()] += 1
        rights[key] += 1
        holders.setdefault(key, set()).add(right.person_id)
    return [
        DecisionAreaSummary(
            min(spellings[key].items(), key=lambda s: (-s[1], s[0]))[0],
            rights[key],
            len(holders[key]),
        )
        for key in sorted(spellings)
    ]


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
    with ``area``, only that area (ignoring case and surrounding spaces); a blank ``area``
    is ``InvalidInput`` (callers for which blank means "any" say so before calling)."""
    wanted = normalized(area) if area is not None else None
    if wanted == "":
        raise InvalidInput("area must not be blank")
    for scope_id in (*scope.organizations, *scope.departments):
        for key in projection.rights_by_scope.get(scope_id, ()):
            if wanted is None or key[2].strip() == wanted:
                yield projection.decision_rights[key]


def _order(projection: Projection, right: DecisionRight) -> tuple[int, int, str, str, str, str]:
    holder = projection.people.get(right.person_id)
    rank = formal_rank(holder.seniority) if holder is not None else 0
    name = holder.name if holder is not None else ""
    return (right.role.order, -rank, name, right.person_id, right.scope_id, right.area)

"""whitespace (CONTRACT §5): departments of an organization scope where we have no footprint.

A department has a footprint when an ACTIVE or PILOT system of ours is used by it, or an
OPEN or WON opportunity is on it; with ``category`` only systems and opportunities of that
category count (compared ignoring case and spaces at either end; a category that no system
or opportunity of the workspace has is refused, see ``vocabulary``). Each department is
judged by its own footprint, not its children's. ``has_contact``: some person of the
department KNOWS a person of the SELF organization. ``competitor_systems``: the non-ours
systems the department uses, any status (with ``category``, of that category), soonest
contract end first.

Priority (higher first), the sum of three parts, each a number a seller can read:

    priority = log10(1 + headcount)                       # size: 10 → 1.04, 100 → 2.0, 1000 → 3.0
             + Σ over competitor contracts ending within 365 days of ``as_of`` (inclusive):
                   1 + (365 − days_left) / 365           # ends today: 2, in a year: 1
             + 2 if has_contact                           # a warm contact is worth a big team

An unknown headcount counts 0. Contracts already ended or without an end date add nothing.
Ties are ordered by organization id, then department name and id. ``reasons`` states each
part that contributed, in words, after the finding itself: "no system or open/won
opportunity of ours", or, when a system of ours is there but does not count (RETIRING), "our
system Nexa ERP is RETIRING; no open or won opportunity", never "no system" when there is one.

Our own (SELF) organization has no whitespace: asking for it is refused (``InvalidInput``),
and a SELF organization below the one asked about contributes no departments (its people
would otherwise show up as our "warm contacts" to ourselves).

Example (the Kaito group, ``as_of`` 2026-01-01): kl-ops (800 staff, Rival WMS ending
2026-06-30, 小林 大輔 known to Mika Tanaka) comes first with priority
log10(801) + (1 + 185/365) + 2 ≈ 6.41.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from graphsvc.analytics.projection import Projection
from graphsvc.analytics.scope import DEFAULT_INCLUDE_SUBSIDIARIES, organization_scope
from graphsvc.analytics.vocabulary import normalized, require_category
from graphsvc.domain.enums import OpportunityStatus, RelationshipType, SystemStatus
from graphsvc.domain.models import InstalledSystem
from graphsvc.errors import InvalidInput

__all__ = [
    "EXPIRY_HORIZON_DAYS",
    "FOOTPRINT_SYSTEM",
    "WARM_CONTACT_BONUS",
    "WhitespaceDepartment",
    "department_has_footprint",
    "whitespace",
]

EXPIRY_HORIZON_DAYS = 365
WARM_CONTACT_BONUS = 2.0
FOOTPRINT_SYSTEM = frozenset({SystemStatus.ACTIVE, SystemStatus.PILOT})
_FOOTPRINT_OPPORTUNITY = frozenset({OpportunityStatus.OPEN, OpportunityStatus.WON})


@dataclass(frozen=True)
class WhitespaceDepartment:
    """A department without our footprint, with why it is worth pursuing."""

    department_id: str
    organization_id: str
    has_contact: bool
    competitor_systems: tuple[InstalledSystem, ...]
    priority: float
    reasons: tuple[str, ...]


def whitespace(
    projection: Projection,
    organization_id: str,
    *,
    as_of: date,
    category: str | None = None,
    include_subsidiaries: bool = DEFAULT_INCLUDE_SUBSIDIARIES,
) -> list[WhitespaceDepartment]:
    """The departments of the scope without footprint, highest priority first.

    ``NotFound`` for an unknown organization; ``InvalidInput`` for our own (SELF) one and
    for a ``category`` that no system or opportunity of the workspace has.
    """
    scope = organization_scope(
        projection, organization_id, include_subsidiaries=include_subsidiaries
    )
    if organization_id == projection.self_organization:
        org = projection.organizations[organization_id]
        raise InvalidInput(
            f"organization {organization_id} ({org.name}) is our own (SELF) organization: "
            "whitespace is found in customers' and prospects' departments"
        )
    wanted = require_category(projection, category)
    contacts = _department_contacts(projection)
    found: list[WhitespaceDepartment] = []
    for dept_id in scope.departments:
        dept = projection.departments[dept_id]
        if dept.organization_id == projection.self_organization:
            continue
        if department_has_footprint(projection, dept_id, wanted):
            continue
        found.append(_judge(projection, dept_id, wanted, contacts, as_of, category))
    found.sort(
        key=lambda w: (
            -w.priority,
            w.organization_id,
            projection.departments[w.department_id].name,
            w.department_id,
        )
    )
    return found


def department_has_footprint(projection: Projection, dept_id: str, category: str | None) -> bool:
    """Whether the department has a footprint of ours (of the normalized ``category``, when
    given): an ACTIVE or PILOT system of ours it uses, or an OPEN or WON deal on it."""
    for system_id in projection.dept_systems.get(dept_id, ()):
        s = projection.systems[system_id]
        if s.ours and s.status in FOOTPRINT_SYSTEM and _matches(s.category, category):
            return True
    for opportunity_id in projection.dept_opportunities.get(dept_id, ()):
        o = projection.opportunities[opportunity_id]
        if o.status in _FOOTPRINT_OPPORTUNITY and _matches(o.category, category):
            return True
    return False


def _matches(value: str, category: str | None) -> bool:
    return category is None or normalized(value) == category


def _finding(projection: Projection, dept_id: str, category: str | None, label: str | None) -> str:
    """Why the department counts as whitespace, naming any system of ours that is there but
    does not count (RETIRING), so the reason never says "no system" when there is one."""
    where = f" in {label.strip()}" if label and label.strip() else ""
    idle = sorted(
        (s.name, s.status.value)
        for s in (projection.systems[i] for i in projection.dept_systems.get(dept_id, ()))
        if s.ours and _matches(s.category, category)
    )
    if not idle:
        return "no system or open/won opportunity of ours" + where
    systems = ", ".join(f"our system {name} is {status}" for name, status in idle)
    return f"{systems}; no open or won opportunity{where}"


def _department_contacts(projection: Projection) -> dict[str, tuple[str, str, float]]:
    """Each department's warmest contact: (SELF person, their person, strength).

    Walks the KNOWS links of our people once (a few hundred), rather than every person of
    every department in scope (tens of thousands): the strongest link wins, ties go to the
    smaller person id on their side and, on ours, to the smaller id too.
    """
    known: dict[str, tuple[str, float]] = {}
    for ours in sorted(projection.self_people()):
        for other in projection.walk.get(ours, ()):
            link = projection.link(RelationshipType.KNOWS, ours, other)
            if link is None:
                continue
            best = known.get(other)
            if best is None or link.strength > best[1]:
                known[other] = (ours, link.strength)
    by_department: dict[str, tuple[str, str, float]] = {}
    for theirs, (ours, strength) in known.items():
        node = projection.people.get(theirs)
        if node is None or node.department_id is None:
            continue
        best_here = by_department.get(node.department_id)
        if best_here is None or (-strength, theirs) < (-best_here[2], best_here[1]):
            by_department[node.department_id] = (ours, theirs, strength)
    return by_department


def _judge(
    projection: Projection,
    dept_id: str,
    category: str | None,
    contacts: dict[str, tuple[str, str, float]],
    as_of: date,
    category_label: str | None,
) -> WhitespaceDepartment:
    dept = projection.departments[dept_id]
    reasons = [_finding(projection, dept_id, category, category_label)]
    priority = 0.0
    if dept.headcount:
        priority += math.log10(1 + dept.headcount)
        reasons.append(f"headcount {dept.headcount}")
    competitors = sorted(
        (
            projection.systems[s]
            for s in projection.dept_systems.get(dept_id, ())
            if not projection.systems[s].ours and _matches(projection.systems[s].category, category)
        ),
        key=lambda s: (s.contract_ends_on or date.max, s.id),
    )
    for s in competitors:
        if s.contract_ends_on is None:
            continue
        days_left = (s.contract_ends_on - as_of).days
        if 0 <= days_left <= EXPIRY_HORIZON_DAYS:
            priority += 1 + (EXPIRY_HORIZON_DAYS - days_left) / EXPIRY_HORIZON_DAYS
            vendor = f" ({s.vendor})" if s.vendor else ""
            reasons.append(
                f"competitor contract {s.name}{vendor} ends {s.contract_ends_on.isoformat()},"
                f" in {days_left} days"
            )
    warm = contacts.get(dept_id)
    if warm is not None:
        priority += WARM_CONTACT_BONUS
        ours, theirs, strength = warm
        reasons.append(
            f"warm contact: {projection.people[ours].name} knows "
            f"{projection.people[theirs].name} ({strength:.2f})"
        )
    else:
        reasons.append("no warm contact yet")
    return WhitespaceDepartment(
        dept_id,
        dept.organization_id,
        warm is not None,
        tuple(competitors),
        priority,
        tuple(reasons),
    )

"""displacementWindows (CONTRACT §5): competitors' contracts ending soon in a scope.

Every non-ours system of an organization of the scope (any status: a RETIRING competitor
system is still a window) whose ``contractEndsOn`` falls between ``as_of`` and
``as_of + within_days``, both inclusive, soonest first; equal dates by system id.
Systems without an end date never qualify.

Example (the Kaito group, ``as_of`` 2026-01-01, 365 days): Rival WMS (2026-06-30,
kaito-log) then Legacy HR (2026-12-31); the ERP ends 2027-03-31, past the window.
"""

from __future__ import annotations

from datetime import date, timedelta

from graphsvc.analytics.projection import Projection
from graphsvc.analytics.scope import DEFAULT_INCLUDE_SUBSIDIARIES, organization_scope
from graphsvc.domain.models import InstalledSystem
from graphsvc.errors import InvalidInput

__all__ = ["DEFAULT_WITHIN_DAYS", "displacement_windows"]

DEFAULT_WITHIN_DAYS = 365
"""How many days after ``as_of`` a contract end still opens a window, when not given."""


def displacement_windows(
    projection: Projection,
    organization_id: str,
    *,
    as_of: date,
    within_days: int = DEFAULT_WITHIN_DAYS,
    include_subsidiaries: bool = DEFAULT_INCLUDE_SUBSIDIARIES,
) -> list[InstalledSystem]:
    """The competitor systems of the scope whose contracts end in the window, soonest first."""
    if within_days < 0:
        raise InvalidInput(f"withinDays must not be negative, got {within_days}")
    scope = organization_scope(
        projection, organization_id, include_subsidiaries=include_subsidiaries
    )
    try:
        until = as_of + timedelta(days=within_days)
    except OverflowError:  # a window past year 9999 holds every later date
        until = date.max
    found = [
        s
        for org in scope.organizations
        for s in (projection.systems[i] for i in projection.org_systems.get(org, ()))
        if not s.ours and s.contract_ends_on is not None and as_of <= s.contract_ends_on <= until
    ]
    found.sort(key=lambda s: (s.contract_ends_on, s.id))
    return found

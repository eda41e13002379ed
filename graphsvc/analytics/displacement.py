"""displacementWindows (CONTRACT §5): competitors' contracts ending soon in a scope.

Every non-ours system of an organization of the scope (any status: a RETIRING competitor
system is still a window) whose ``contractEndsOn`` falls between ``as_of`` and
``as_of + within_days``, both inclusive, soonest first; equal dates by system id.
Systems without an end date never qualify. Beyond the contract, ``category`` and ``vendor``
keep only the systems of that category and that vendor (ignoring case and surrounding spaces;
a value that no system of the workspace has is refused, see ``vocabulary``). ``days_left``
is what a seller reads next to each window: the days from ``as_of`` to the contract's end.

Example (the Kaito group, ``as_of`` 2026-01-01, 365 days): Rival WMS (2026-06-30,
kaito-log, 180 days left) then Legacy HR (2026-12-31, 364 days); the ERP ends 2027-03-31,
past the window. With ``vendor="rival corp"`` only Rival WMS remains.
"""

from __future__ import annotations

from datetime import date, timedelta

from graphsvc.analytics.projection import Projection
from graphsvc.analytics.scope import DEFAULT_INCLUDE_SUBSIDIARIES, organization_scope
from graphsvc.analytics.vocabulary import normalized, require_category, require_vendor
from graphsvc.domain.models import InstalledSystem
from graphsvc.errors import InvalidInput

__all__ = ["DEFAULT_WITHIN_DAYS", "days_left", "displacement_windows"]

DEFAULT_WITHIN_DAYS = 365
"""How many days after ``as_of`` a contract end still opens a window, when not given."""


def displacement_windows(
    projection: Projection,
    organization_id: str,
    *,
    as_of: date,
    within_days: int = DEFAULT_WITHIN_DAYS,
    include_subsidiaries: bool = DEFAULT_INCLUDE_SUBSIDIARIES,
    category: str | None = None,
    vendor: str | None = None,
) -> list[InstalledSystem]:
    """The competitor systems of the scope whose contracts end in the window, soonest first;
    with ``category`` / ``vendor``, only those of that category / vendor (blank: no filter)."""
    if within_days < 0:
        raise InvalidInput(f"withinDays must not be negative, got {within_days}")
    scope = organization_scope(
        projection, organization_id, include_subsidiaries=include_subsidiaries
    )
    wanted_category = require_category(projection, category)
    wanted_vendor = require_vendor(projection, vendor)
    try:
        until = as_of + timedelta(days=within_days)
    except OverflowError:  # a window past year 9999 holds every later date
        until = date.max
    found = [
        s
        for org in scope.organizations
        for s in (projection.systems[i] for i in projection.org_systems.get(org, ()))
        if not s.ours and s.contract_ends_on is not None and as_of <= s.contract_ends_on <= until
        if wanted_category is None or normalized(s.category) == wanted_category
        if wanted_vendor is None or normalized(s.vendor or "") == wanted_vendor
    ]
    found.sort(key=lambda s: (s.contract_ends_on, s.id))
    return found


def days_left(system: InstalledSystem, as_of: date) -> int | None:
    """Days from ``as_of`` to the system's contract end (0 on the day, negative once it has
    ended); None without an end date."""
    if system.contract_ends_on is None:
        return None
    return (system.contract_ends_on - as_of).days

"""The free-text filters of the analytic queries: categories, vendors, decision areas.

A filter matches a stored value when both are equal after trimming spaces at either end and
ignoring case (``normalized``). A filter naming a value that nothing in the workspace has is
almost always a typo ("CMR"), and answering it with every department or no system at all
would read as a finding; so ``require_known`` refuses it with ``InvalidInput``, naming the
values that do exist. Known means anywhere in the workspace, not only in the scope asked
about: "which Kaito departments have no Payroll system" is a fair question when some other
customer has one.

Example:
    >>> normalized("  IT ")
    'it'
    >>> require_known("category", "crm ", ["CRM", "ERP"], "of any system")
    'crm'
"""

from __future__ import annotations

from collections.abc import Iterable

from graphsvc.analytics.projection import Projection
from graphsvc.errors import InvalidInput

__all__ = [
    "KNOWN_SHOWN",
    "normalized",
    "normalized_filter",
    "require_category",
    "require_known",
    "require_vendor",
]

KNOWN_SHOWN = 20
"""How many known values an error lists before saying how many more there are."""


def normalized(value: str) -> str:
    """``value`` as filters compare it: trimmed at both ends, case-folded."""
    return value.strip().casefold()


def normalized_filter(value: str | None) -> str | None:
    """A filter argument normalized; None (no filter) when absent or blank."""
    if value is None:
        return None
    return normalized(value) or None


def require_known(name: str, value: str, known: Iterable[str], where: str) -> str:
    """``value`` normalized, or ``InvalidInput`` when no ``known`` value matches it.

    The message echoes the value and lists the known ones (one spelling each, sorted
    ignoring case, at most ``KNOWN_SHOWN``), e.g. ``category "CMR" is not the category of
    any system or opportunity in this workspace; known: CRM, ERP``.
    """
    wanted = normalized(value)
    spellings: dict[str, str] = {}
    for k in known:
        key = normalized(k)
        if key and (key not in spellings or k.strip() < spellings[key]):
            spellings[key] = k.strip()
    if wanted in spellings:
        return wanted
    listed = [spellings[k] for k in sorted(spellings)]
    shown = ", ".join(listed[:KNOWN_SHOWN]) or "none"
    more = f" and {len(listed) - KNOWN_SHOWN} more" if len(listed) > KNOWN_SHOWN else ""
    raise InvalidInput(
        f'{name} "{value}" is not the {name} {where} in this workspace; known: {shown}{more}'
    )


def require_category(projection: Projection, category: str | None) -> str | None:
    """The normalized ``category`` filter (None when not given), checked against the
    categories of every system and opportunity of the workspace."""
    if normalized_filter(category) is None:
        return None
    assert category is not None
    known = [s.category for s in projection.systems.values()]
    known += [o.category for o in projection.opportunities.values()]
    return require_known("category", category, known, "of any system or opportunity")


def require_vendor(projection: Projection, vendor: str | None) -> str | None:
    """The normalized ``vendor`` filter (None when not given), checked against the vendors
    of every system of the workspace."""
    if normalized_filter(vendor) is None:
        return None
    assert vendor is not None
    known = [s.vendor for s in projection.systems.values() if s.vendor]
    return require_known("vendor", vendor, known, "of any system")

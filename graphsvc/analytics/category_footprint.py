"""categoryFootprint: an organization scope's companies × the workspace's product categories.

The analyst's question "where across this group do we sell next?" read as a table: one row
per organization of the scope (ids sorted; our own SELF organization never has a row), one
column per category that any system or opportunity of the workspace has (the values
``whitespace`` and ``displacementWindows`` accept as ``category``; categories differing only
in case or surrounding spaces are one, spelled as most of their records spell it; sorted
ignoring case). Each cell says what is there, company-wide:

- ``our_systems``: our ACTIVE or PILOT systems of the category at the company;
- ``competitor_systems``: non-ours systems of the category (any status), soonest contract end
  first (no end date last), then id;
- ``open_opportunities`` / ``won_opportunities``: deals of the category there, by id;
- ``departments`` and ``whitespace_departments``: the company's departments, and how many of
  them ``whitespace`` with this category lists (no footprint of ours of the category, each
  judged on its own, by the same rule);

and ``state``, the first that holds: OURS (a system of ours or a WON deal), OPEN_OPPORTUNITY
(an OPEN deal), COMPETITOR (a competitor's system), WHITESPACE (none of these).

Example (the Kaito group of CONTRACT §3): kaito's row has CRM OURS (Nexa CRM and the WON
rollout, in k-it; its 3 other departments are CRM whitespace), HR OPEN_OPPORTUNITY (the HR
suite deal, though OldSoft's Legacy HR is there), ERP COMPETITOR (Rival Corp) and WMS
WHITESPACE; kaito-log's WMS is COMPETITOR (Rival WMS; the LOST deal does not count).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from graphsvc.analytics.projection import Projection
from graphsvc.analytics.scope import DEFAULT_INCLUDE_SUBSIDIARIES, organization_scope
from graphsvc.analytics.vocabulary import normalized
from graphsvc.analytics.whitespace import FOOTPRINT_SYSTEM, department_has_footprint
from graphsvc.domain.enums import OpportunityStatus
from graphsvc.domain.models import InstalledSystem, Opportunity
from graphsvc.errors import InvalidInput

__all__ = [
    "CategoryFootprint",
    "FootprintCell",
    "FootprintState",
    "category_footprint",
    "workspace_categories",
]


class FootprintState(StrEnum):
    """What a company has of a category, the first that holds (see the module docstring)."""

    OURS = "OURS"
    OPEN_OPPORTUNITY = "OPEN_OPPORTUNITY"
    COMPETITOR = "COMPETITOR"
    WHITESPACE = "WHITESPACE"


@dataclass(frozen=True)
class FootprintCell:
    """One company × one category."""

    organization_id: str
    category: str
    state: FootprintState
    our_systems: tuple[InstalledSystem, ...]
    competitor_systems: tuple[InstalledSystem, ...]
    open_opportunities: tuple[Opportunity, ...]
    won_opportunities: tuple[Opportunity, ...]
    departments: int
    whitespace_departments: int


@dataclass(frozen=True)
class CategoryFootprint:
    """The table: its columns, its rows and its cells (row by row, columns in order)."""

    categories: tuple[str, ...]
    organization_ids: tuple[str, ...]
    cells: tuple[FootprintCell, ...]


def workspace_categories(projection: Projection) -> list[str]:
    """Every category of the workspace's systems and opportunities, one spelling each (the
    most common, trimmed; ties: the first in sort order), sorted ignoring case."""
    spellings: dict[str, Counter[str]] = {}
    values = [s.category for s in projection.systems.values()]
    values += [o.category for o in projection.opportunities.values()]
    for value in values:
        key = normalized(value)
        if key:
            spellings.setdefault(key, Counter())[value.strip()] += 1
    return [
        min(spellings[key].items(), key=lambda s: (-s[1], s[0]))[0] for key in sorted(spellings)
    ]


def category_footprint(
    projection: Projection,
    organization_id: str,
    *,
    include_subsidiaries: bool = DEFAULT_INCLUDE_SUBSIDIARIES,
) -> CategoryFootprint:
    """The footprint table of the scope; ``NotFound`` for an unknown organization,
    ``InvalidInput`` for our own (SELF) one."""
    scope = organization_scope(
        projection, organization_id, include_subsidiaries=include_subsidiaries
    )
    if organization_id == projection.self_organization:
        org = projection.organizations[organization_id]
        raise InvalidInput(
            f"organization {organization_id} ({org.name}) is our own (SELF) organization: "
            "the footprint is read at customers and prospects"
        )
    categories = workspace_categories(projection)
    rows = tuple(o for o in scope.organizations if o != projection.self_organization)
    in_rows = set(rows)
    deals: dict[str, list[Opportunity]] = {o: [] for o in rows}
    for deal in sorted(projection.opportunities.values(), key=lambda d: d.id):
        if deal.organization_id in in_rows:
            deals[deal.organization_id].append(deal)
    cells = tuple(
        _cell(projection, org_id, category, deals[org_id])
        for org_id in rows
        for category in categories
    )
    return CategoryFootprint(tuple(categories), rows, cells)


def _cell(
    projection: Projection, org_id: str, category: str, deals: list[Opportunity]
) -> FootprintCell:
    wanted = normalized(category)
    systems = [
        s
        for s in (projection.systems[i] for i in projection.org_systems.get(org_id, ()))
        if normalized(s.category) == wanted
    ]
    ours = sorted(
        (s for s in systems if s.ours and s.status in FOOTPRINT_SYSTEM), key=lambda s: s.id
    )
    theirs = sorted(
        (s for s in systems if not s.ours), key=lambda s: (s.contract_ends_on or date.max, s.id)
    )
    of_category = [d for d in deals if normalized(d.category) == wanted]
    open_deals = [d for d in of_category if d.status is OpportunityStatus.OPEN]
    won = [d for d in of_category if d.status is OpportunityStatus.WON]
    departments = projection.org_departments.get(org_id, set())
    bare = sum(1 for d in departments if not department_has_footprint(projection, d, wanted))
    if ours or won:
        state = FootprintState.OURS
    elif open_deals:
        state = FootprintState.OPEN_OPPORTUNITY
    elif theirs:
        state = FootprintState.COMPETITOR
    else:
        state = FootprintState.WHITESPACE
    return FootprintCell(
        org_id,
        category,
        state,
        tuple(ours),
        tuple(theirs),
        tuple(open_deals),
        tuple(won),
        len(departments),
        bare,
    )

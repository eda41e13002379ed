"""category_footprint and workspace_categories: the companies × categories table, pure."""

from __future__ import annotations

import pytest

from graphsvc.analytics import FootprintState, category_footprint, workspace_categories
from graphsvc.domain.enums import OrganizationKind
from graphsvc.errors import InvalidInput
from tests.analytics.conftest import project
from tests.factories import dept, document, opportunity, org, system


def test_categories_merge_spellings_and_sort_ignoring_case() -> None:
    # given one category spelled three ways and two others
    graph = project(
        document(
            organizations=[org("o", "O")],
            systems=[
                system("a", "o", "crm"),
                system("b", "o", " CRM "),
                system("c", "o", "CRM"),
                system("d", "o", "erp"),
            ],
            opportunities=[opportunity("x", "o", "Analytics")],
        )
    )
    # then each is listed once, spelled as most of its records spell it, sorted ignoring case
    assert workspace_categories(graph) == ["Analytics", "CRM", "erp"]


def test_a_cell_is_the_first_state_that_holds() -> None:
    # given one company with, per category: a PILOT of ours beside a competitor (CRM), a
    # RETIRING system of ours and an OPEN deal (HR), a LOST deal beside a competitor (ERP), and
    # only a LOST deal (BI); our own organization below it
    graph = project(
        document(
            organizations=[
                org("o", "O"),
                org("us", "Us", OrganizationKind.SELF, parent_id="o"),
            ],
            departments=[dept("d1", "o"), dept("d2", "o"), dept("u1", "us")],
            systems=[
                system("ours", "o", "CRM", ours=True, status="PILOT", department_ids=["d1"]),
                system("rival", "o", "CRM", vendor="Rival"),
                system("old", "o", "HR", ours=True, status="RETIRING", department_ids=["d1"]),
                system("erp", "o", "ERP", vendor="Big", department_ids=["d2"]),
            ],
            opportunities=[
                opportunity("hr", "o", "HR", department_id="d2"),
                opportunity("lost-erp", "o", "ERP", status="LOST", department_id="d2"),
                opportunity("lost-bi", "o", "BI", status="LOST"),
            ],
        )
    )

    # when the table is read
    table = category_footprint(graph, "o")

    # then our own organization has no row, and each cell is the first state that holds
    assert table.organization_ids == ("o",)
    assert table.categories == ("BI", "CRM", "ERP", "HR")
    cells = {c.category: c for c in table.cells}
    assert {k: c.state for k, c in cells.items()} == {
        "BI": FootprintState.WHITESPACE,
        "CRM": FootprintState.OURS,
        "ERP": FootprintState.COMPETITOR,
        "HR": FootprintState.OPEN_OPPORTUNITY,
    }
    assert [s.id for s in cells["CRM"].our_systems] == ["ours"]
    assert [s.id for s in cells["CRM"].competitor_systems] == ["rival"]
    assert cells["HR"].our_systems == ()  # RETIRING is no footprint
    # and the whitespace departments are judged one by one, as whitespace judges them
    assert (cells["CRM"].departments, cells["CRM"].whitespace_departments) == (2, 1)
    assert cells["HR"].whitespace_departments == 1
    assert cells["BI"].whitespace_departments == 2


def test_our_own_organization_has_no_footprint_table() -> None:
    graph = project(document(organizations=[org("us", "Us", OrganizationKind.SELF)]))
    with pytest.raises(InvalidInput, match="our own"):
        category_footprint(graph, "us")

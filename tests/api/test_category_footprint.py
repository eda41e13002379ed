"""categories and categoryFootprint over HTTP: the values whitespace's category accepts, and
the organization × category table of the console's whitespace page, on the Kaito group."""

from __future__ import annotations

from collections import Counter

from tests.api.conftest import Api

FOOTPRINT = """
query($org: ID!, $subsidiaries: Boolean) {
  categoryFootprint(organizationId: $org, includeSubsidiaries: $subsidiaries) {
    categories
    organizations { id }
    cells {
      organization { id } category state departments whitespaceDepartments
      ourSystems { id } competitorSystems { id vendor }
      openOpportunities { id } wonOpportunities { id }
    }
  }
}
"""

WHITESPACE = """
query($org: ID!, $category: String) {
  whitespace(organizationId: $org, category: $category) { organization { id } }
}
"""


async def test_categories_lists_every_category_of_systems_and_opportunities(kaito: Api) -> None:
    # given the Kaito group (systems of CRM, ERP, HR, Collaboration, WMS; deals of CRM, HR, WMS)
    # when the categories are asked for
    data = await kaito.data("{ categories }")

    # then each is listed once, sorted ignoring case
    assert data["categories"] == ["Collaboration", "CRM", "ERP", "HR", "WMS"]


async def test_the_footprint_has_a_cell_per_company_and_category(kaito: Api) -> None:
    # when the footprint of the Kaito group is asked for
    table = (await kaito.data(FOOTPRINT, org="kaito"))["categoryFootprint"]

    # then its rows are the group's companies, its columns the workspace's categories
    assert table["categories"] == ["Collaboration", "CRM", "ERP", "HR", "WMS"]
    assert [o["id"] for o in table["organizations"]] == ["kaito", "kaito-fs", "kaito-log"]
    cells = {(c["organization"]["id"], c["category"]): c for c in table["cells"]}
    assert [(c["organization"]["id"], c["category"]) for c in table["cells"]] == [
        (org, category)
        for org in ["kaito", "kaito-fs", "kaito-log"]
        for category in table["categories"]
    ]
    # and each cell says what is there, the first that holds: ours, an open deal, a competitor
    crm = cells["kaito", "CRM"]
    assert crm["state"] == "OURS"
    assert [s["id"] for s in crm["ourSystems"]] == ["s-crm"]
    assert [o["id"] for o in crm["wonOpportunities"]] == ["o-crm"]
    assert (crm["departments"], crm["whitespaceDepartments"]) == (4, 3)
    hr = cells["kaito", "HR"]
    assert hr["state"] == "OPEN_OPPORTUNITY"
    assert [o["id"] for o in hr["openOpportunities"]] == ["o-hr"]
    assert [(s["id"], s["vendor"]) for s in hr["competitorSystems"]] == [("s-hr", "OldSoft")]
    assert cells["kaito", "ERP"]["state"] == "COMPETITOR"
    assert cells["kaito", "WMS"]["state"] == "WHITESPACE"
    wms = cells["kaito-log", "WMS"]  # the LOST deal leaves a competitor's system alone
    assert wms["state"] == "COMPETITOR"
    assert [(s["id"], s["vendor"]) for s in wms["competitorSystems"]] == [("s-wms", "Rival Corp")]
    assert wms["openOpportunities"] == wms["wonOpportunities"] == []
    assert cells["kaito-fs", "CRM"]["departments"] == 0


async def test_whitespace_departments_are_those_whitespace_lists(kaito: Api) -> None:
    # given the footprint of the group
    table = (await kaito.data(FOOTPRINT, org="kaito"))["categoryFootprint"]

    # then per category, each company's whitespace departments are whitespace(category)'s
    for category in table["categories"]:
        listed = await kaito.data(WHITESPACE, org="kaito", category=category)
        per_org = Counter(w["organization"]["id"] for w in listed["whitespace"])
        for cell in (c for c in table["cells"] if c["category"] == category):
            assert cell["whitespaceDepartments"] == per_org[cell["organization"]["id"]], cell


async def test_the_footprint_without_subsidiaries_and_of_our_own_organization(kaito: Api) -> None:
    # when the footprint is asked for without subsidiaries, then only the company has a row
    alone = await kaito.data(FOOTPRINT, org="kaito", subsidiaries=False)
    assert [o["id"] for o in alone["categoryFootprint"]["organizations"]] == ["kaito"]
    # and our own organization, or an unknown one, is refused in words
    ours = await kaito.errors(FOOTPRINT, org="us")
    assert ours[0]["extensions"]["code"] == "INVALID"
    assert "our own (SELF) organization" in ours[0]["message"]
    unknown = await kaito.errors(FOOTPRINT, org="nobody")
    assert unknown[0]["extensions"]["code"] == "NOT_FOUND"

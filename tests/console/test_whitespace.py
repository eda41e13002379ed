"""The whitespace and displacement page in headless Chromium (``console/e2e/whitespace.mjs``)
against the API: the ranked departments, the category filter, the companies × categories
table, the time line of contract ends, the window and scope options, Japanese, an unknown
organization and an API error, all for the demo's day (``DEMO_TODAY``, passed as ``asOf`` to
both the page and the API)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from graphsvc.demo import DEMO_TODAY
from tests.console.conftest import ConsoleDemo

pytestmark = pytest.mark.slow

AS_OF = DEMO_TODAY.isoformat()
LATER = (DEMO_TODAY + timedelta(days=120)).isoformat()
CATEGORY = "CRM"

WHITESPACE = """query($id: ID!, $category: String, $subs: Boolean!, $asOf: Date!) {
  whitespace(organizationId: $id, category: $category, includeSubsidiaries: $subs, asOf: $asOf) {
    priority hasContact reasons department { id name } organization { id name }
    competitorSystems { id } } }"""

WINDOWS = """query($id: ID!, $within: Int!, $subs: Boolean!, $asOf: Date!) {
  displacementWindows(organizationId: $id, withinDays: $within, includeSubsidiaries: $subs,
                      asOf: $asOf) {
    id name vendor contractEndsOn annualValue organization { id name } } }"""

SCOPE = """query($id: ID!, $subs: Boolean!) {
  systems(filter: {organizationId: $id, includeSubsidiaries: $subs}, first: 500) {
    pageInfo { hasNextPage } edges { node { organizationId category vendor name ours status } } }
  opportunities(filter: {organizationId: $id, includeSubsidiaries: $subs}, first: 500) {
    pageInfo { hasNextPage } edges { node { organizationId category status } } }
  departments(filter: {organizationId: $id, includeSubsidiaries: $subs}, first: 500) {
    pageInfo { hasNextPage } edges { node { id organizationId } } }
  organization(id: $id) { id }
  categories
}"""


def expected_rows(
    console: ConsoleDemo, category: str | None, subs: bool, as_of: str = AS_OF
) -> list[dict[str, Any]]:
    """whitespace's answer as the page's ranked rows."""
    found = console.graphql(WHITESPACE, id=console.org_id, category=category, subs=subs, asOf=as_of)
    return [
        {
            "department": w["department"]["id"],
            "org": w["organization"]["id"],
            "rank": rank,
            "name": w["department"]["name"],
            "company": w["organization"]["name"],
            "priority": w["priority"],
            "hasContact": w["hasContact"],
            "reasons": w["reasons"],
            "systems": [s["id"] for s in w["competitorSystems"]],
        }
        for rank, w in enumerate(found["whitespace"], start=1)
    ]


def windows(
    console: ConsoleDemo, within: int, subs: bool = True, as_of: str = AS_OF
) -> list[dict[str, Any]]:
    found = console.graphql(WINDOWS, id=console.org_id, within=within, subs=subs, asOf=as_of)
    return list(found["displacementWindows"])


def footprint_by_hand(console: ConsoleDemo) -> dict[tuple[str, str], dict[str, Any]]:
    """Each company × category of the group, judged from the systems, deals and whitespace
    lists of the API (not from categoryFootprint, the query the page draws)."""
    scope = console.graphql(SCOPE, id=console.org_id, subs=True)
    for part in ("systems", "opportunities", "departments"):
        assert not scope[part]["pageInfo"]["hasNextPage"]
    systems = [e["node"] for e in scope["systems"]["edges"]]
    deals = [e["node"] for e in scope["opportunities"]["edges"]]
    departments = [e["node"] for e in scope["departments"]["edges"]]
    orgs = sorted(
        {d["organizationId"] for d in departments} | {s["organizationId"] for s in systems}
    )
    cells: dict[tuple[str, str], dict[str, Any]] = {}
    for category in scope["categories"]:
        bare = [
            w["organization"]["id"]
            for w in console.graphql(
                WHITESPACE, id=console.org_id, category=category, subs=True, asOf=AS_OF
            )["whitespace"]
        ]
        for org in orgs:
            here = [s for s in systems if s["organizationId"] == org and s["category"] == category]
            ours = [s for s in here if s["ours"] and s["status"] in ("ACTIVE", "PILOT")]
            rivals = [s for s in here if not s["ours"]]
            status = {
                d["status"]
                for d in deals
                if d["organizationId"] == org and d["category"] == category
            }
            if ours or "WON" in status:
                state = "OURS"
            elif "OPEN" in status:
                state = "OPEN_OPPORTUNITY"
            elif rivals:
                state = "COMPETITOR"
            else:
                state = "WHITESPACE"
            cells[org, category] = {
                "state": state,
                "vendors": sorted({s["vendor"] or s["name"] for s in rivals}),
                "departments": sum(d["organizationId"] == org for d in departments),
                "whitespaceDepartments": bare.count(org),
            }
    return cells


def test_the_whitespace_page_shows_what_the_api_returns(console: ConsoleDemo) -> None:
    # given the API's answers for the demo's day
    all_rows = expected_rows(console, None, True)
    category_rows = expected_rows(console, CATEGORY, True)
    alone_rows = expected_rows(console, CATEGORY, False)
    within_365, within_730 = windows(console, 365), windows(console, 730)
    alone_730 = windows(console, 730, subs=False)
    later_rows, later_windows = (
        expected_rows(console, None, True, LATER),
        windows(console, 365, as_of=LATER),
    )
    cells = footprint_by_hand(console)
    categories = console.graphql("{ categories }")["categories"]
    ours = console.graphql("{ organizations(filter: {kind: [SELF]}) { edges { node { id } } } }")[
        "organizations"
    ]["edges"][0]["node"]["id"]
    assert all_rows
    assert category_rows != all_rows
    assert within_365
    assert within_730 != within_365
    assert later_windows != within_365

    # when the browser script uses the page
    seen = console.browse(
        "whitespace.mjs", AS_OF=AS_OF, LATER=LATER, CATEGORY=CATEGORY, SELF_ID=ours
    )

    # then the page used and shows the day it was given
    assert seen["asOfShown"]["day"] == seen["asOfInput"] == AS_OF
    assert AS_OF in seen["asOfShown"]["text"]
    # the ranked list is whitespace's answer: same departments in the same order, the top one
    # named as the API names it, with its company, priority, contact, reasons and systems
    assert seen["ranked"] == all_rows
    assert seen["ranked"][0]["name"] == all_rows[0]["name"]
    # the category filter offers the API's categories and narrows the list as the API does
    assert seen["categoryOptions"] == ["", *categories]
    assert seen["categoryRanked"] == category_rows
    assert str(len(category_rows)) in seen["categoryCount"]
    # every cell of the companies × categories table says what systems, deals and whitespace
    # of the API say
    drawn = seen["matrix"]
    assert drawn["columns"] == categories
    assert drawn["rows"] == sorted({org for org, _ in cells})
    assert len(drawn["cells"]) == len(cells)
    for cell in drawn["cells"]:
        want = cells[cell["org"], cell["category"]]
        got = {k: cell[k] for k in want} | {"vendors": sorted(cell["vendors"])}
        assert got == want, (cell, want)
    # the time line draws exactly the windows, in date order, and the twin table lists them
    for drawn_line, expected in ((seen["timeline"], within_365), (seen["timeline730"], within_730)):
        ids = [w["id"] for w in expected]
        assert [m["id"] for m in drawn_line["marks"]] == ids
        assert [m["endsOn"] for m in drawn_line["marks"]] == [w["contractEndsOn"] for w in expected]
        assert [m["endsOn"] for m in drawn_line["marks"]] == sorted(
            m["endsOn"] for m in drawn_line["marks"]
        )
        assert [r["id"] for r in drawn_line["rows"]] == ids
        assert all(
            m["label"].find(w["name"]) >= 0 and w["organization"]["name"] in m["label"]
            for m, w in zip(drawn_line["marks"], expected, strict=True)
        )
    assert seen["timeline"]["svg"]["withinDays"] == "365"
    assert seen["timeline730"]["svg"]["withinDays"] == "730"
    assert seen["timeline730"]["months"] >= seen["timeline"]["months"]
    # the options are kept in the address, and without subsidiaries only the company is read
    query = parse_qs(urlparse(seen["addressAlone"]).query)
    assert query == {
        "asOf": [AS_OF],
        "category": [CATEGORY],
        "within": ["730"],
        "subsidiaries": ["false"],
    }
    assert seen["aloneRanked"] == alone_rows
    assert seen["aloneMatrixRows"] == [console.org_id]
    assert [m["id"] for m in seen["aloneTimeline"]] == [w["id"] for w in alone_730]
    # in Japanese, with the same options
    assert seen["japaneseHeading"] == "ホワイトスペースの部署（優先度の高い順）"
    assert seen["japaneseTitle"].startswith("ホワイトスペースとリプレース機会")
    assert seen["japaneseRanked"] == alone_rows
    assert (seen["japaneseCategory"], seen["japaneseWithin"]) == (CATEGORY, "730")
    # another day typed into the as-of field: the list and the time line are the API's for it
    later = seen["later"]
    assert later["shown"] == LATER
    assert parse_qs(urlparse(later["address"]).query) == {"asOf": [LATER]}
    assert later["ranked"] == later_rows
    assert [m["id"] for m in later["timeline"]] == [w["id"] for w in later_windows]
    # an unknown organization is not found; the API's refusal is shown in words
    assert "no-such-organization" in seen["notFoundText"]
    assert "our own (SELF) organization" in seen["selfErrorText"]
    assert "INVALID" in seen["selfErrorText"]
    assert set(seen["axe"]) == {"whitespace", "whitespace-ja", "whitespace-error"}
    print(
        f"whitespace of {console.org_id} as of {AS_OF}: {len(all_rows)} departments "
        f"({len(category_rows)} in {CATEGORY}), {len(drawn['cells'])} cells, "
        f"{len(within_365)} contracts ending within 365 days ({len(within_730)} within 730); "
        f"page shown {seen['millisToShown']} ms after navigation; script {seen['seconds']:.1f} s"
    )

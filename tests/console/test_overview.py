"""The console's shell and overview in headless Chromium (``console/e2e/overview.mjs``).

The script signs in from the demo's console link, reads the overview of the demo's holding
company, switches the language by keyboard, follows the navigation, opens an unknown
organization, tries a wrong token, pastes the right one and meets an API error; this test
compares what the pages showed with what the API returns.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest

from graphsvc.demo import DEMO_TODAY
from tests.console.conftest import ConsoleDemo, wait_for

pytestmark = pytest.mark.slow

ORG = """query($id: ID!) { organization(id: $id) {
  id name parentRelation ownership
  systems { ours } opportunities { status }
  subsidiaries { id } } }"""


def group_rows(console: ConsoleDemo, root: str) -> list[dict[str, Any]]:
    """The group below ``root``, depth first in the API's order, with the footprint."""
    rows: list[dict[str, Any]] = []

    def visit(org_id: str, level: int) -> None:
        org = console.graphql(ORG, id=org_id)["organization"]
        rows.append(
            {
                "id": org["id"],
                "level": level,
                "name": org["name"],
                "ourSystems": sum(s["ours"] for s in org["systems"]),
                "competitorSystems": sum(not s["ours"] for s in org["systems"]),
                "openOpportunities": sum(o["status"] == "OPEN" for o in org["opportunities"]),
            }
        )
        for child in org["subsidiaries"]:
            visit(child["id"], level + 1)

    visit(root, 0)
    return rows


def test_the_demo_prints_the_console_link_with_its_token_and_today(
    console: ConsoleDemo,
) -> None:
    assert demo_link(console)


def test_the_console_signs_in_from_the_demo_link_and_shows_what_the_api_returns(
    console: ConsoleDemo,
) -> None:
    # given the group, its people and the changes since the last review, from the API
    base, org_id = console.base, console.org_id
    expected = group_rows(console, org_id)
    people = console.graphql(
        """query($id: ID!) { people(filter: {organizationId: $id, includeSubsidiaries: true},
           first: 0) { totalCount } }""",
        id=org_id,
    )["people"]["totalCount"]
    changes = console.graphql(
        "query($id: ID!) { accountChanges(organizationId: $id) { changeCount } }", id=org_id
    )["accountChanges"]

    # and the console link the demo printed
    link = demo_link(console)

    # when the browser script signs in from that link and walks through the console
    seen = console.browse("overview.mjs", DEMO_LINK=link)

    # then the token was taken from the link, stored, and removed from the address
    assert seen["storedToken"] == console.token
    assert seen["addressAfterSignIn"] == f"{base}/app/organizations/{org_id}?asOf={DEMO_TODAY}"
    # the overview lists exactly the group and footprint the API returns, in tree order
    assert [{k: row[k] for k in expected[0]} for row in seen["rows"]] == expected
    assert seen["rows"][0]["cells"][0] in ("Top of the group",)
    assert seen["heading"] == expected[0]["name"]
    figures = seen["figures"]
    assert figures["companies"] == f"{len(expected):,}"
    assert figures["people"] == f"{people:,}"
    assert figures["ourSystems"] == f"{sum(r['ourSystems'] for r in expected):,}"
    assert figures["competitorSystems"] == f"{sum(r['competitorSystems'] for r in expected):,}"
    assert figures["openOpportunities"] == f"{sum(r['openOpportunities'] for r in expected):,}"
    assert seen["changes"]["changeCount"] == f"{changes['changeCount']:,}"
    # the language switch turns the interface Japanese
    assert seen["japaneseHeadline"].startswith("主な数値")
    assert seen["htmlLang"] == "ja"
    assert seen["japaneseFont"] is True
    assert seen["fontFiles"], "no piece of the bundled Japanese font was fetched"
    # the navigation leads to the other pages; unknown ids and wrong tokens get their own
    # (keeping the demo's day: the demo's deals are dated around it)
    assert seen["whitespaceAsOf"] == DEMO_TODAY.isoformat()
    assert seen["whitespaceAddress"] == (
        f"{base}/app/organizations/{org_id}/whitespace?asOf={DEMO_TODAY}"
    )
    assert "no-such-organization" in seen["notFoundText"]
    assert "refused" in seen["signInMessage"]
    assert seen["tokenAfterRefusal"] is None
    assert seen["rowsAfterPaste"] == len(expected)
    assert seen["rateLimitRefusals"] == 1  # a 429 with Retry-After is waited out and resent
    assert seen["rowsAfterRateLimit"] == len(expected)
    assert "the store did not answer (STORE_UNAVAILABLE)" in seen["apiErrorText"]
    # the account plan downloaded is the document accountPlan writes, in English, as of the
    # demo link's day
    plan = console.graphql(
        """query($id: ID!, $asOf: Date!) {
             accountPlan(organizationId: $id, format: HTML, lang: EN, asOf: $asOf) }""",
        id=org_id,
        asOf=DEMO_TODAY.isoformat(),
    )["accountPlan"]
    assert seen["plan"]["file"] == f"account-plan-{org_id}-{DEMO_TODAY}.html"
    assert seen["plan"]["text"] == plan
    assert seen["plan"]["status"] == f"Downloaded {seen['plan']['file']}."
    assert set(seen["axe"]) == {"overview", "overview-ja", "not-found", "sign-in"}
    print(f"overview browser script: {seen['seconds']:.1f} s (one chromium launch)")


def demo_link(console: ConsoleDemo) -> str:
    """The console link the demo printed: its holding company, its today and its token."""
    link = f"{console.base}/app/organizations/{console.org_id}?asOf={DEMO_TODAY}#token="
    link += quote(console.token, safe="")
    wait_for(lambda: any(link in line for line in console.stderr))
    return link

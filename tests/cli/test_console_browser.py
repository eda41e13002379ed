"""The console end to end: ``graphsvc demo`` served for real, driven in headless Chromium.

One browser launch (``console/e2e/run.mjs``, playwright-core on Debian's chromium) signs in
from the demo's console link, reads the overview of the demo's holding company, switches
the language, opens an unknown organization and tries a wrong token; this test compares what
the page showed with what the API returns. Screenshots go to ``test-artifacts/console/``.

Without chromium, node or the console's node_modules the test skips, unless ``CI=true``
(``make test`` installs the node side; CI must fail rather than skip when a browser is missing).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import unicodedata
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from graphsvc.demo import DEMO_HOLDING
from tests.cli.conftest import REPO, Cli, wait_healthy
from tests.cli.test_serving import interrupt
from tests.console_tools import CHROMIUM, CONSOLE, require_node
from tests.processes import free_port

pytestmark = pytest.mark.slow

ARTIFACTS = REPO / "test-artifacts" / "console"


def _graphql(port: int, token: str, query: str, **variables: Any) -> dict[str, Any]:
    response = httpx.post(
        f"http://127.0.0.1:{port}/graphql",
        json={"query": query, "variables": variables},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    body = response.json()
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


ORG = """query($id: ID!) { organization(id: $id) {
  id name parentRelation ownership
  systems { ours } opportunities { status }
  subsidiaries { id } } }"""


def _group_rows(port: int, token: str, root: str) -> list[dict[str, Any]]:
    """The group below ``root``, depth first in the API's order, with the footprint."""
    rows: list[dict[str, Any]] = []

    def visit(org_id: str, level: int) -> None:
        org = _graphql(port, token, ORG, id=org_id)["organization"]
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


LINES = """query($id: ID!, $after: String) {
  relationships(filter: {organizationId: $id}, first: 500, after: $after) {
    pageInfo { hasNextPage endCursor } edges { node { type from { id } to { id } } } } }"""


def _scope_lines(port: int, token: str, org_id: str) -> list[str]:
    """The relationships between the people of ``org_id``'s scope, as the map's edge ids."""
    found: list[str] = []
    after = None
    while True:
        page = _graphql(port, token, LINES, id=org_id, after=after)["relationships"]
        found += [
            f"{e['node']['type']}|{e['node']['from']['id']}|{e['node']['to']['id']}"
            for e in page["edges"]
        ]
        if not page["pageInfo"]["hasNextPage"]:
            return found
        after = page["pageInfo"]["endCursor"]


def test_the_console_signs_in_from_the_demo_link_and_shows_what_the_api_returns(
    cli: Cli, stop: list[subprocess.Popen[bytes]]
) -> None:
    node = require_node(browser=True)
    # given the demo, served on a free port, and the token it printed
    port = free_port()
    demo = cli.start("demo", "--port", str(port))
    stop.append(demo)
    wait_healthy(demo, port, within=120)
    assert demo.stdout is not None
    token = demo.stdout.readline().decode().strip()
    base = f"http://127.0.0.1:{port}"
    expected = _group_rows(port, token, DEMO_HOLDING)
    people = _graphql(
        port,
        token,
        """query($id: ID!) { people(filter: {organizationId: $id, includeSubsidiaries: true},
           first: 0) { totalCount } }""",
        id=DEMO_HOLDING,
    )["people"]["totalCount"]
    scores = _graphql(
        port,
        token,
        """query($id: ID!) { powerMap(organizationId: $id) { person { id name title stance } } }""",
        id=DEMO_HOLDING,
    )["powerMap"]
    map_people = {s["person"]["id"]: s["person"] for s in scores}
    lines = _scope_lines(port, token, DEMO_HOLDING)
    changes = _graphql(
        port,
        token,
        "query($id: ID!) { accountChanges(organizationId: $id) { changeCount } }",
        id=DEMO_HOLDING,
    )["accountChanges"]

    # when the browser script walks through the console
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    began = time.monotonic()
    run = subprocess.run(
        [node, "e2e/run.mjs"],
        cwd=CONSOLE,
        env={
            **os.environ,
            "BASE_URL": base,
            "TOKEN": token,
            "ORG_ID": DEMO_HOLDING,
            "CHROMIUM": CHROMIUM,
            "ARTIFACTS": str(ARTIFACTS),
        },
        capture_output=True,
        timeout=120,
        check=False,
    )
    browser_seconds = time.monotonic() - began
    assert run.returncode == 0, run.stderr.decode()
    seen = json.loads(run.stdout)

    # then the token was taken from the link, stored, and removed from the address
    assert seen["storedToken"] == token
    assert seen["addressAfterSignIn"] == f"{base}/app/organizations/{DEMO_HOLDING}"
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
    # later pages say they are coming; unknown ids and wrong tokens get their own pages
    assert seen["whitespaceAddress"] == f"{base}/app/organizations/{DEMO_HOLDING}/whitespace"
    # the power map drew exactly the people powerMap returns and the lines between them that
    # the relationships list returns, laid out; its twin table lists the same people
    drawn = seen["map"]
    assert drawn["nodeCount"] == len(map_people)
    assert drawn["nodeIds"] == sorted(map_people)
    assert drawn["edgeCount"] == len(lines)
    assert drawn["edgeIds"] == sorted(lines)
    assert drawn["visibleCount"] == len(map_people)
    assert sorted(row["id"] for row in drawn["rows"]) == sorted(map_people)
    assert all(row["name"] == map_people[row["id"]]["name"] for row in drawn["rows"])
    # search is a case-insensitive substring match on the name, in the table and the graph
    term = unicodedata.normalize("NFKC", drawn["searchTerm"]).casefold()
    found = [
        i
        for i, p in map_people.items()
        if term in unicodedata.normalize("NFKC", p["name"]).casefold()
    ]
    assert sorted(drawn["searchRows"]) == sorted(found)
    assert sorted(drawn["searchNodes"]) == sorted(found)
    assert drawn["rows"][0]["id"] in found
    champions = [i for i, p in map_people.items() if p["stance"] == "CHAMPION"]
    assert sorted(drawn["championRows"]) == sorted(champions)
    # a click on a node, and Enter on a table row, open the person's panel
    clicked = map_people[drawn["clicked"]]
    assert drawn["panelName"] == clicked["name"]
    assert drawn["panelTitle"] == (clicked["title"] or "–")
    assert drawn["keyboardPanelName"] == drawn["rows"][-1]["name"]
    # the force layout waits for filters to narrow a map this size, then runs to the end
    assert drawn["forceOfferedForAll"] is (len(map_people) <= 300)
    assert drawn["forceOfferedFiltered"] is (len(found) <= 300)
    assert drawn["forceMillis"] >= 0
    print(
        f"power map of {DEMO_HOLDING} with subsidiaries: {len(map_people)} people, "
        f"{len(lines)} lines, {drawn['millisToInteractive']} ms from navigation to laid out "
        f"({drawn['pageMillis']} ms inside the page; force layout {drawn['forceMillis']} ms)"
    )
    assert "no-such-organization" in seen["notFoundText"]
    assert "refused" in seen["signInMessage"]
    assert seen["tokenAfterRefusal"] is None
    assert seen["rowsAfterPaste"] == len(expected)
    assert "the store did not answer (UNAVAILABLE)" in seen["apiErrorText"]
    # no request left the server, the CSP was never violated, and axe finds nothing serious
    assert seen["requests"], "the script recorded no requests"
    assert [url for url in seen["requests"] if not url.startswith(base + "/")] == []
    assert seen["cspViolations"] == []
    serious = {
        page: [v for v in violations if v["impact"] in ("serious", "critical")]
        for page, violations in seen["axe"].items()
    }
    assert serious == {page: [] for page in seen["axe"]}, serious
    assert set(seen["axe"]) == {
        "overview",
        "overview-ja",
        "power-map",
        "not-found",
        "sign-in",
    }
    for path in seen["screenshots"]:
        assert os.path.getsize(path) > 0, path
    assert browser_seconds < 60, f"browser tests took {browser_seconds:.1f} s"
    print(f"console browser tests: {browser_seconds:.1f} s (one chromium launch)")

    # and the demo printed the console link with its token
    code, stderr = interrupt(demo)
    assert code == 0, stderr
    assert f"{base}/app/organizations/{DEMO_HOLDING}#token={quote(token, safe='')}" in stderr

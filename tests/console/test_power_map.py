"""The power map page in headless Chromium (``console/e2e/powermap.mjs``) against the API."""

from __future__ import annotations

import unicodedata

import pytest

from tests.console.conftest import ConsoleDemo

pytestmark = pytest.mark.slow

LINES = """query($id: ID!, $after: String) {
  relationships(filter: {organizationId: $id}, first: 500, after: $after) {
    pageInfo { hasNextPage endCursor } edges { node { type from { id } to { id } } } } }"""


def scope_lines(console: ConsoleDemo, org_id: str) -> list[str]:
    """The relationships between the people of ``org_id``'s scope, as the map's edge ids."""
    found: list[str] = []
    after = None
    while True:
        page = console.graphql(LINES, id=org_id, after=after)["relationships"]
        found += [
            f"{e['node']['type']}|{e['node']['from']['id']}|{e['node']['to']['id']}"
            for e in page["edges"]
        ]
        if not page["pageInfo"]["hasNextPage"]:
            return found
        after = page["pageInfo"]["endCursor"]


def test_the_power_map_draws_and_lists_what_the_api_returns(console: ConsoleDemo) -> None:
    # given the people powerMap scores and the lines between them
    scores = console.graphql(
        "query($id: ID!) { powerMap(organizationId: $id) { person { id name title stance } } }",
        id=console.org_id,
    )["powerMap"]
    map_people = {s["person"]["id"]: s["person"] for s in scores}
    lines = scope_lines(console, console.org_id)

    # when the browser script opens the map and uses it
    seen = console.browse("powermap.mjs")

    # then the power map drew exactly the people powerMap returns and the lines between them that
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
        f"power map of {console.org_id} with subsidiaries: {len(map_people)} people, "
        f"{len(lines)} lines, {drawn['millisToInteractive']} ms from navigation to laid out "
        f"({drawn['pageMillis']} ms inside the page; force layout {drawn['forceMillis']} ms)"
    )
    assert set(seen["axe"]) == {"power-map"}

"""The person and routes page in headless Chromium (``console/e2e/person.mjs``) against the API."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from tests.console.conftest import ConsoleDemo

pytestmark = pytest.mark.slow

ROUTES = """query($to: ID!, $from: [ID!], $avoid: [ID!], $lang: ExplanationLanguage!, $k: Int!) {
  contactRoutes(to: $to, from: $from, avoid: $avoid, k: $k, maxHops: 6, distinctEntry: true) {
    people { id } hops { type from { id } to { id } } entryPoint { id }
    weakestLink { from { id } to { id } } explanation(language: $lang) } }"""


def api_routes(
    console: ConsoleDemo,
    to: str,
    *,
    avoid: list[str] | None = None,
    from_: list[str] | None = None,
    lang: str = "EN",
    k: int = 3,
) -> list[dict[str, Any]]:
    """contactRoutes as the page asks for it (its defaults: k 3, at most 6 links), in the
    shape the browser script reads the written routes in."""
    found = console.graphql(ROUTES, to=to, avoid=avoid, lang=lang, k=k, **{"from": from_})
    return [
        {
            "people": [p["id"] for p in route["people"]],
            "hops": [hop["type"] for hop in route["hops"]],
            "entryPoint": route["entryPoint"]["id"] if route["entryPoint"] else None,
            "weakestLink": [route["weakestLink"]["from"]["id"], route["weakestLink"]["to"]["id"]],
            "explanation": route["explanation"],
        }
        for route in found["contactRoutes"]
    ]


def written(view: dict[str, Any]) -> list[dict[str, Any]]:
    """The routes the page wrote out, without what the API has no field for."""
    return [
        {k: v for k, v in r.items() if k not in ("names", "avoidButtons")} for r in view["routes"]
    ]


def drawing_of(routes: list[dict[str, Any]]) -> tuple[list[str], list[str]]:
    """The people and links (ids joined by |, smaller first) the drawing must hold."""
    people = sorted({p for route in routes for p in route["people"]})
    links = sorted(
        {
            "|".join(sorted(pair))
            for r in routes
            for pair in zip(r["people"], r["people"][1:], strict=False)
        }
    )
    return people, links


def assert_shows(view: dict[str, Any], routes: list[dict[str, Any]]) -> None:
    """The page wrote exactly ``routes`` out and drew exactly their people and links, the
    first route highlighted."""
    assert routes, "the comparison needs at least one route"
    assert written(view) == routes
    people, links = drawing_of(routes)
    assert view["nodes"] == people
    assert view["edges"] == links
    assert view["highlightedNodes"] == sorted(routes[0]["people"])


def our_people(console: ConsoleDemo) -> list[str]:
    orgs = console.graphql("{ organizations(filter: {kind: [SELF]}) { edges { node { id } } } }")
    ids: list[str] = []
    for edge in orgs["organizations"]["edges"]:
        page = console.graphql(
            """query($org: ID!) {
              people(filter: {organizationId: $org}, first: 500) { edges { node { id } } } }""",
            org=edge["node"]["id"],
        )
        ids += [e["node"]["id"] for e in page["people"]["edges"]]
    return ids


def test_the_person_page_writes_and_draws_the_routes_the_api_returns(console: ConsoleDemo) -> None:
    # given the first decision-maker of the holding company whose best route has a person
    # between our person and them (someone to avoid)
    rights = console.graphql(
        """query($id: ID!) {
          decisionMakers(organizationId: $id) { person { id name stance } role } }""",
        id=console.org_id,
    )["decisionMakers"]
    target = next(
        r["person"]
        for r in rights
        if (found := api_routes(console, r["person"]["id"])) and len(found[0]["people"]) > 2
    )
    first = api_routes(console, target["id"])
    ours = our_people(console)

    # (and a company of the group without subsidiaries, for a small power map)
    orgs = console.graphql(
        "{ organizations(first: 100) { edges { node { id kind subsidiaries { id } } } } }"
    )["organizations"]["edges"]
    small = next(
        o["node"]["id"]
        for o in orgs
        if o["node"]["kind"] != "SELF" and not o["node"]["subsidiaries"]
    )
    person = console.graphql(
        """query($id: ID!) { person(id: $id) {
             relationships { lastContactOn from { id } to { id } } } }""",
        id=target["id"],
    )["person"]

    # when the browser script opens their page and uses it
    seen = console.browse("person.mjs", PERSON_ID=target["id"], SMALL_ORG_ID=small)

    # then the header names them, with their organization's pages and their decision rights
    assert seen["heading"] == target["name"]
    assert seen["stance"] == target["stance"]
    assert seen["orgLinks"] == [
        f"/app/organizations/{console.org_id}",
        f"/app/organizations/{console.org_id}/power-map",
    ]
    assert [role for _, role in seen["rights"]] == [
        r["role"] for r in rights if r["person"]["id"] == target["id"]
    ]
    # and their relationships with the last contact
    assert seen["relationships"] == [
        [
            r["to"]["id"] if r["from"]["id"] == target["id"] else r["from"]["id"],
            r["lastContactOn"] or "no contact logged",
        ]
        for r in person["relationships"]
    ]
    # the routes written out and drawn are contactRoutes' answer, the first highlighted;
    # everyone but the target can be avoided from the list
    assert_shows(seen["first"], first)
    assert seen["first"]["avoided"] == []
    assert sorted(seen["first"]["from"]) == sorted(ours)
    for route in seen["first"]["routes"]:
        assert route["avoidButtons"] == route["people"][:-1]
    # "Show on the drawing" highlights that route
    assert seen["lastHighlighted"]["highlightedNodes"] == sorted(first[-1]["people"])
    assert seen["lastPressed"] == "true"

    # a click on the first route's second person on the drawing avoids them: the routes are
    # contactRoutes' with that avoid, and the address says so
    avoided = first[0]["people"][1]
    assert seen["avoidedPerson"] == avoided
    after_avoid = api_routes(console, target["id"], avoid=[avoided])
    assert after_avoid != first
    assert_shows(seen["afterAvoid"], after_avoid)
    assert all(avoided not in r["people"] for r in seen["afterAvoid"]["routes"])
    assert seen["afterAvoid"]["avoided"] == [avoided]
    assert seen["afterAvoid"]["search"] == f"?avoid={avoided}"

    # leaving out the first route's starting person: the routes start from the others
    left_out = after_avoid[0]["people"][0]
    assert seen["leftOut"] == left_out
    others = [p for p in ours if p != left_out]
    after_from = api_routes(console, target["id"], avoid=[avoided], from_=others)
    assert after_from != after_avoid
    assert_shows(seen["afterFrom"], after_from)
    assert sorted(seen["afterFrom"]["from"]) == sorted(others)
    query = dict(part.split("=", 1) for part in urlsplit(seen["sharedAddress"]).query.split("&"))
    assert sorted(unquote(p) for p in query["from"].split(",")) == sorted(others)
    assert query["avoid"] == avoided

    # the address reproduces the view
    assert seen["reopened"] == seen["afterFrom"]

    # letting the avoided person back (keyboard) asks again without the avoid
    after_unavoid = api_routes(console, target["id"], from_=others)
    assert_shows(seen["afterUnavoid"], after_unavoid)
    assert seen["afterUnavoid"]["avoided"] == []
    assert "avoid=" not in seen["afterUnavoid"]["search"]

    # back and forward go through the same views
    assert seen["back"] == seen["afterFrom"]
    assert seen["forward"] == seen["afterUnavoid"]
    # a click on the target changes nothing (the routes lead to them)
    assert seen["targetClicked"]["routes"] == seen["afterUnavoid"]["routes"]
    assert seen["targetClicked"]["avoided"] == []
    assert seen["targetClicked"]["status"] == (
        "This is the person the routes lead to: it cannot be avoided."
    )
    # more routes, then at most one link: the routes, then the reason there is none, in words
    assert_shows(seen["fiveRoutes"], api_routes(console, target["id"], from_=others, k=5))
    assert seen["fiveRoutes"]["search"].endswith("&k=5")
    none = console.graphql(
        """query($to: ID!, $from: [ID!]) {
             contactRouteSearch(to: $to, from: $from, k: 5, maxHops: 1, distinctEntry: true) {
               emptyReason routes { score } } }""",
        to=target["id"],
        **{"from": others},
    )["contactRouteSearch"]
    assert none["routes"] == []
    assert seen["oneHop"]["reason"] == none["emptyReason"]
    assert seen["oneHop"]["routes"] == []
    assert seen["oneHop"]["nodes"] == []
    assert seen["oneHop"]["search"].endswith("&k=5&maxHops=1")

    # in Japanese: the heading, the same routes, explained in Japanese
    assert seen["japaneseHeading"] == "この人へのルート"
    assert_shows(seen["japanese"], api_routes(console, target["id"], from_=others, lang="JA"))

    # an unknown person shows the not-found page; an API error is shown in words
    assert "no-such-person" in seen["notFound"]
    assert seen["error"]["reason"] == "ERROR"
    assert "no person with id 'no-such-person'" in seen["error"]["status"]
    assert seen["error"]["routes"] == []
    assert set(seen["axe"]) == {"person", "person-avoided", "person-ja"}
    assert len(seen["screenshots"]) == 8
    # the power map's panel links to the page of the person it shows
    assert seen["fromPanel"]["path"] == f"/app/people/{seen['panelPerson']}"
    print(
        f"person page of {target['id']}: {seen['millisToRoutes']} ms from navigation to the "
        f"routes written and drawn; whole script {seen['seconds']:.1f} s"
    )

"""The coverage page in headless Chromium (``console/e2e/coverage.mjs``) against the API.

The page is opened on the demo world's today (``?asOf=``), as the API is asked here; its
red / amber / green status is computed here from the API's answer by the rule the page and
the README state.
"""

from __future__ import annotations

from typing import Any

import pytest

from graphsvc.demo import DEMO_TODAY
from tests.console.conftest import ConsoleDemo

pytestmark = pytest.mark.slow

COVERAGE = """query($id: ID!, $subs: Boolean!, $asOf: Date!) {
  coverage(organizationId: $id, includeSubsidiaries: $subs, asOf: $asOf) {
    status contacts staleRelationships singleThread { id name }
    decisionMakers { directContact bestRouteScore right { role area person { id stance } } }
    staleContacts { lastContactOn daysSinceContact ours { id } theirs { id } } } }"""

GROUP = """query($id: ID!) { organization(id: $id) { subsidiaries { id subsidiaries { id } } } }"""

KEY_ROLES = {"ECONOMIC_BUYER", "DECISION_MAKER"}
ROLE_ORDER = [
    "ECONOMIC_BUYER",
    "DECISION_MAKER",
    "APPROVER",
    "TECHNICAL_EVALUATOR",
    "PROCUREMENT",
    "GATEKEEPER",
    "INFLUENCER",
    "USER",
]
SUPPORTIVE = {"CHAMPION", "SUPPORTER"}


def rag(coverage: dict[str, Any]) -> tuple[str, dict[str, bool]]:
    """The page's rule: RED without contact or without a supportive key player in direct
    contact; else AMBER when single-threaded, a key player is unreachable, or more than a
    quarter of the contacts are stale; else GREEN. Returns the status and each condition."""
    keys = [d for d in coverage["decisionMakers"] if d["right"]["role"] in KEY_ROLES]
    checks = {
        "contact": coverage["status"] != "NO_CONTACT",
        "supportive-key-player": any(
            d["directContact"] and d["right"]["person"]["stance"] in SUPPORTIVE for d in keys
        ),
        "multi-threaded": coverage["status"] == "MULTI_THREADED",
        "key-players-reachable": all(
            d["directContact"] or d["bestRouteScore"] is not None for d in keys
        ),
        "fresh-contacts": coverage["staleRelationships"] * 4 <= coverage["contacts"],
    }
    if not (checks["contact"] and checks["supportive-key-player"]):
        return "RED", checks
    return ("GREEN" if all(checks.values()) else "AMBER"), checks


def by_role(coverage: dict[str, Any]) -> list[dict[str, Any]]:
    """Per buying role present, in role order: its rights reached directly, by a route only,
    or not at all."""
    rows = []
    for role in ROLE_ORDER:
        rights = [d for d in coverage["decisionMakers"] if d["right"]["role"] == role]
        if not rights:
            continue
        direct = sum(d["directContact"] for d in rights)
        none = sum(not d["directContact"] and d["bestRouteScore"] is None for d in rights)
        rows.append(
            {
                "role": role,
                "rights": len(rights),
                "direct": direct,
                "route": len(rights) - direct - none,
                "none": none,
            }
        )
    return rows


def expected_view(coverage: dict[str, Any]) -> dict[str, Any]:
    """What the page must show of ``coverage``: status, rows in the API's order."""
    status, checks = rag(coverage)
    return {
        "rag": status,
        "checks": checks,
        "roles": by_role(coverage),
        "decisionMakers": [
            {
                "personId": d["right"]["person"]["id"],
                "role": d["right"]["role"],
                "area": d["right"]["area"],
                "directContact": d["directContact"],
                "bestRouteScore": d["bestRouteScore"],
                "link": f"/app/people/{d['right']['person']['id']}",
            }
            for d in coverage["decisionMakers"]
        ],
        "stale": [
            {
                "theirs": s["theirs"]["id"],
                "ours": s["ours"]["id"],
                "lastContactOn": s["lastContactOn"],
                "days": s["daysSinceContact"],
            }
            for s in coverage["staleContacts"]
        ],
        "figures": {
            "contacts": f"{coverage['contacts']:,}",
            "threads": {
                "NO_CONTACT": "No contact",
                "SINGLE_THREADED": "Single-threaded",
                "MULTI_THREADED": "Multi-threaded",
            }[coverage["status"]],
            "staleRelationships": f"{coverage['staleRelationships']:,}",
        },
        "singleThread": (
            f"through {coverage['singleThread']['name']}" if coverage["singleThread"] else None
        ),
    }


def shown_view(seen: dict[str, Any]) -> dict[str, Any]:
    """The same, as the page showed it."""
    rows = ("personId", "role", "area", "directContact", "bestRouteScore", "link")
    return {
        "rag": seen["rag"],
        "checks": {c["id"]: c["met"] for c in seen["checks"]},
        "roles": seen["roles"],
        "decisionMakers": [{k: d[k] for k in rows} for d in seen["decisionMakers"]],
        "stale": [
            {k: s[k] for k in ("theirs", "ours", "lastContactOn", "days")} for s in seen["stale"]
        ],
        "figures": {k: seen["figures"][k] for k in ("contacts", "threads", "staleRelationships")},
        "singleThread": seen["singleThread"],
    }


def test_the_coverage_page_shows_the_status_decision_makers_and_stale_ties_the_api_returns(
    console: ConsoleDemo,
) -> None:
    # given the coverage of the holding company with and without its subsidiaries on the
    # demo's today, and of one company of the group we have no contact in and one we reach
    # through a single person
    day = DEMO_TODAY.isoformat()

    def coverage(org_id: str, subs: bool = True) -> dict[str, Any]:
        answer: dict[str, Any] = console.graphql(COVERAGE, id=org_id, subs=subs, asOf=day)
        return answer["coverage"]

    with_subs = coverage(console.org_id)
    without = coverage(console.org_id, subs=False)
    assert with_subs["staleContacts"], "the demo should have stale relationships"
    assert without != with_subs, "the demo's group should differ from its holding company"
    group = console.graphql(GROUP, id=console.org_id)["organization"]["subsidiaries"]
    members = [o["id"] for o in group] + [s["id"] for o in group for s in o["subsidiaries"]]
    by_status = {}
    for org_id in members:
        by_status.setdefault(coverage(org_id)["status"], org_id)
    others = [by_status["NO_CONTACT"], by_status["SINGLE_THREADED"]]

    # when the browser script opens the page and uses its controls
    seen = console.browse("coverage.mjs", AS_OF=day, OTHER_ORGS=",".join(others))

    # then the page shows the API's decision rights (people, roles, areas, direct contact,
    # best route score) and stale relationships in the API's order, each decision-maker
    # linking to their person page, and the status the rule gives for the API's answer
    page = seen["withSubsidiaries"]
    assert page["asOfInput"] == day
    assert shown_view(page) == expected_view(with_subs)
    assert page["ragText"] == {"RED": "✖ Red", "AMBER": "▲ Amber", "GREEN": "✔ Green"}[page["rag"]]
    assert page["rule"].startswith("The rule: key players are the economic buyers")
    # the switch (pressed from the keyboard) shows the API's answer without subsidiaries
    page = seen["withoutSubsidiaries"]
    assert page["area"]["subsidiaries"] == "false"
    assert shown_view(page) == expected_view(without)
    assert seen["focusAfterSwitch"] == "subsidiaries"
    assert seen["addressWithout"].endswith(f"/coverage?asOf={day}&subsidiaries=false")
    # an account we do not reach at all is red, and a single-threaded one names the person
    # every thread goes through
    for org_id in others:
        assert shown_view(seen["others"][org_id]) == expected_view(coverage(org_id))
    assert seen["others"][others[0]]["rag"] == "RED"
    assert seen["others"][others[1]]["singleThread"].startswith("through ")
    # a decision-maker's name leads to their person page
    assert seen["personAddress"] == f"{console.base}/app/people/{seen['firstPersonId']}"
    # Japanese headings; the API's refusal in words; an unknown organization is not found
    assert seen["japanese"]["heading"].startswith("カバレッジ：")
    assert seen["japanese"]["statusTitle"] == "カバレッジの状態"
    assert seen["errorText"] == (
        "Coverage could not be loaded: staleAfterDays must not be negative, got -5 (INVALID)"
    )
    assert "no-such-organization" in seen["notFoundText"]
    print(f"coverage browser script: {seen['seconds']:.1f} s (one chromium launch)")
    assert set(seen["axe"]) == {"coverage", "coverage-ja"}
    assert len(seen["screenshots"]) == 7

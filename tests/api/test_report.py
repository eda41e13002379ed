"""CONTRACT §9's account plan through the real HTTP API (``accountPlan``): each section says
what the API's own queries answer, on the hand-worked Kaito group and on the demo group;
the HTML is well formed and self-contained, in Japanese and English; user text is escaped.

``check_plan`` is the specification: it asks the API each section's query (with the plan's
asOf) and finds the answer in the section, value by value, as the plan formats it.
"""

from __future__ import annotations

import base64
import re
from datetime import date
from typing import Any

import pytest

from graphsvc.demo import DEMO_HOLDING, DEMO_TODAY, demo_document
from graphsvc.services.parsing import parse_document
from tests.api.conftest import Api, Served
from tests.api.report_page import Page, external_addresses, markdown_sections, read_page
from tests.factories import document, kaito_document, org, person

AS_OF = date(2026, 11, 1)
SECTIONS = [
    "company",
    "people",
    "systems",
    "competition",
    "whitespace",
    "approach",
    "pipeline",
    "coverage",
    "changes",
]

PLAN = """query($org: ID!, $format: ReportFormat, $lang: ReportLanguage, $asOf: Date) {
  accountPlan(organizationId: $org, format: $format, lang: $lang, asOf: $asOf) }"""

GROUP = """query($org: ID!) { organization(id: $org) { name
  subsidiaries { name ownership subsidiaries { name ownership subsidiaries { name } } } } }"""

ANSWERS = """query($org: ID!, $asOf: Date) {
  powerMap(organizationId: $org) { person { id name } influence formalRank hiddenInfluencer }
  decisionMakers(organizationId: $org) { person { id name } role area }
  whitespace(organizationId: $org, asOf: $asOf) { department { name } organization { name }
    priority hasContact }
  displacementWindows(organizationId: $org, asOf: $asOf) { name vendor contractEndsOn }
  coverage(organizationId: $org, asOf: $asOf) { staleRelationships singleThreaded
    decisionMakers { right { person { name } role } directContact bestRouteScore } }
  pipeline(organizationId: $org, asOf: $asOf) { stages { stage count } bottleneck
    stalled { opportunity { name } } }
  accountChanges(organizationId: $org) { changeCount peopleAdded { personId }
    stanceChanges { personId } sinceReview { title } } }"""

ROUTES = """query($to: ID!) { contactRoutes(to: $to, k: 3, distinctEntry: true) {
  score explanation(language: EN) weakestLink { from { name } to { name } strength } } }"""


async def plan(api: Api, org: str, **options: Any) -> str:
    """The plan as the API returns it."""
    data = await api.data(PLAN, org=org, **options)
    text: str = data["accountPlan"]
    return text


async def check_plan(api: Api, org: str, as_of: date) -> Page:
    """Every section of ``org``'s English plan against the API's answers; returns the page."""
    page = read_page(await plan(api, org, lang="EN", asOf=as_of.isoformat()))
    assert list(page.sections) == SECTIONS
    assert external_addresses(page) == []
    answers = await api.data(ANSWERS, org=org, asOf=as_of.isoformat())
    sections = page.sections

    # Company information: the account and every company below it.
    group = (await api.data(GROUP, org=org))["organization"]
    companies = [row[0].strip("\u3000 ") for row in sections["company"].rows[1:]]
    below = _names_below(group)
    assert companies[0] == group["name"]
    assert sorted(companies[1:]) == sorted(below)

    # Key persons: the powerMap's values for each one shown, every decider shown, and the
    # same people named in the picture.
    power = {p["person"]["id"]: p for p in answers["powerMap"]}
    key_rows = {row[0]: row for row in sections["people"].rows[1:]}
    shown_power = [(row[0], row[5], row[6], row[9] != "") for row in sections["people"].rows[1:]]
    answered_power = iter(
        (p["person"]["name"], f"{p['influence']:.2f}", str(p["formalRank"]), p["hiddenInfluencer"])
        for p in answers["powerMap"]
    )
    # The key persons are powerMap's entries, with its values, in its order (a subsequence).
    assert all(entry in answered_power for entry in shown_power), shown_power
    deciders = [
        d for d in answers["decisionMakers"] if d["role"] in ("ECONOMIC_BUYER", "DECISION_MAKER")
    ]
    targets = list(dict.fromkeys(d["person"]["id"] for d in deciders))[:12]
    for target in targets:
        assert power[target]["person"]["name"] in key_rows
    top = [p["person"]["name"] for p in answers["powerMap"][:10]]
    assert all(name in key_rows for name in top[: max(0, 24 - len(targets))][:10])
    picture = " ".join(sections["people"].picture_texts)
    for name in key_rows:
        assert name[:15] in picture

    # Displacement windows, in the API's order.
    windows = [row[0] for row in _table_after(sections["competition"], "System")]
    assert windows == [w["name"] for w in answers["displacementWindows"]]

    # Whitespace, best first (the first 25).
    shown = [(row[0], row[1], row[4]) for row in sections["whitespace"].rows[1:]]
    expected = [
        (w["department"]["name"], w["organization"]["name"], f"{w['priority']:.2f}")
        for w in answers["whitespace"][:25]
    ]
    assert shown == expected

    # Approach scenario: for each target, the distinct routes contactRoutes gives, in order.
    items = sections["approach"].items
    answered = 0
    for target in targets:
        routes = (await api.data(ROUTES, to=target))["contactRoutes"]
        answered += len(routes)
        for route in routes:
            weakest = route["weakestLink"]
            said = (
                f"Route (score {route['score']:.2f}): {route['explanation']}. Weakest link: "
                f"{weakest['from']['name']} – {weakest['to']['name']} "
                f"(strength {weakest['strength']:.2f})."
            )
            assert any(said in item for item in items), said
    route_items = [i for i in items if "Route (score" in i]
    assert len(route_items) == answered

    # Pipeline: the stages and counts, the bottleneck.
    pipeline = answers["pipeline"]
    if sections["pipeline"].rows:
        stages = [(row[0], row[1]) for row in sections["pipeline"].rows[1:]]
        assert stages == [(s["stage"], str(s["count"])) for s in pipeline["stages"]]
        if pipeline["bottleneck"]:
            assert f"Bottleneck: {pipeline['bottleneck']}." in sections["pipeline"].paragraphs
    else:
        assert all(s["count"] == 0 for s in pipeline["stages"])

    # Coverage risks: unreached deciders, the thread, the stale count.
    coverage = answers["coverage"]
    text = sections["coverage"].text()
    unreached = [
        c["right"]["person"]["name"]
        for c in coverage["decisionMakers"]
        if not c["directContact"]
        and c["right"]["role"] in ("ECONOMIC_BUYER", "DECISION_MAKER", "APPROVER")
    ]
    for name in unreached[:25]:
        assert name in text
    if coverage["staleRelationships"]:
        assert f"{coverage['staleRelationships']} stale relationships" in text
    assert ("Single-threaded" in text) == coverage["singleThreaded"]

    # Changes since the last review: the counts of accountChanges.
    changes = answers["accountChanges"]
    counted = {row[0]: row[1] for row in sections["changes"].rows[1:]}
    assert counted["People added"] == str(len(changes["peopleAdded"]))
    assert counted["Stance changes"] == str(len(changes["stanceChanges"]))
    assert f"{changes['changeCount']} changes in the scope" in sections["changes"].text()
    return page


def _names_below(organization: dict[str, Any]) -> list[str]:
    found = []
    for child in organization.get("subsidiaries") or ():
        found.append(child["name"])
        found += _names_below(child)
    return found


def _table_after(section: Any, header: str) -> list[list[str]]:
    """The rows of the section's table whose first header is ``header``."""
    rows: list[list[str]] = []
    taking = False
    for row in section.rows:
        if row and row[0] == header:
            taking = True
            continue
        if taking and row and row[0] in ("Vendor",):
            break
        if taking:
            rows.append(row)
    return rows


async def test_kaito_plan_says_what_the_api_answers(kaito: Api) -> None:
    page = await check_plan(kaito, "kaito", AS_OF)
    # By hand: the ERP and the retiring HR system end within a year of 2026-11-01; the WMS
    # contract ended before it.
    competition = page.sections["competition"].text()
    assert "Legacy HR | OldSoft | HR | 海塔ホールディングス | 2026-12-31 | 60" in competition
    assert "Rival WMS" not in " ".join(
        r[0] for r in _table_after(page.sections["competition"], "System")
    )
    company = page.sections["company"].text()
    assert "海塔ロジスティクス | subsidiary of 海塔ホールディングス | 80%" in company
    assert "海塔フィナンシャル | affiliate of 海塔ホールディングス | 30%" in company
    approach = "\n".join(page.sections["approach"].items)
    assert "Ask Ken Ueda to introduce you to 高橋 誠." in approach
    assert "Ken Ueda knows 高橋 誠 directly" in approach
    systems = page.sections["systems"].text()
    assert "情報システム部 | Nexa CRM (Nexa Systems, CRM, ends 2027-12-31)" in systems


async def test_the_plan_says_what_the_api_answers_on_every_store(
    kaito_api: Api,
) -> None:
    page = await check_plan(kaito_api, "kaito", AS_OF)
    assert "Ask Ken Ueda to introduce you to 高橋 誠." in "\n".join(page.sections["approach"].items)


@pytest.mark.slow
async def test_demo_plan_says_what_the_api_answers(api: Api) -> None:
    await api.service.import_document(api.workspace, parse_document(demo_document()))
    page = await check_plan(api, DEMO_HOLDING, DEMO_TODAY)
    assert page.sections["approach"].items
    assert len(page.sections["people"].rows) > 10


@pytest.mark.parametrize(("lang", "title"), [("JA", "アカウントプラン"), ("EN", "Account plan")])
async def test_html_is_well_formed_self_contained_and_printable(
    kaito: Api, lang: str, title: str
) -> None:
    html = await plan(kaito, "kaito", lang=lang, asOf=AS_OF.isoformat())
    page = read_page(html)
    assert page.lang == lang.lower()
    assert page.title.startswith(title)
    assert list(page.sections) == SECTIONS
    assert external_addresses(page) == []
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "@media print" in html
    assert "break-before: page" in html
    assert "script" not in page.elements
    assert "link" not in page.elements
    assert "svg" in page.elements


async def test_language_defaults_to_the_organization_names_script(kaito: Api) -> None:
    assert read_page(await plan(kaito, "kaito")).lang == "ja"
    assert read_page(await plan(kaito, "rival")).lang == "en"


async def test_markdown_has_the_same_sections_and_the_picture_inline(kaito: Api) -> None:
    html = read_page(await plan(kaito, "kaito", lang="JA", asOf=AS_OF.isoformat()))
    markdown = await plan(kaito, "kaito", format="MD", lang="JA", asOf=AS_OF.isoformat())
    assert markdown_sections(markdown) == [s.title for s in html.sections.values()]
    found = re.search(r"\(data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)\)", markdown)
    assert found is not None
    svg = base64.b64decode(found.group(1)).decode()
    assert svg.startswith("<svg")
    assert "佐藤 健" in svg
    assert "http" not in markdown.replace("http://www.w3.org/2000/svg", "")


async def test_user_text_is_escaped_in_html_svg_and_markdown(api: Api) -> None:
    evil = "<script>alert(1)</script> & <b>"
    await api.service.import_document(
        api.workspace,
        document(
            organizations=[org("us", "Us", "SELF"), org("acme", f"Acme {evil}")],
            people=[person("p1", "acme", f"Eve {evil}", title="CEO | *boss*")],
        ),
    )
    html = await plan(api, "acme")
    page = read_page(html)
    assert "script" not in page.elements
    assert "b" not in page.elements
    assert page.title == f"Account plan: Acme {evil}"
    assert f"Eve {evil}"[:15] in " ".join(page.sections["people"].picture_texts)
    markdown = await plan(api, "acme", format="MD")
    assert "<script>" not in markdown
    assert "&lt;script&gt;" in markdown
    assert r"CEO \| \*boss\*" in markdown


async def test_unknown_and_own_organizations_are_refused(kaito: Api) -> None:
    errors = await kaito.errors(PLAN, org="nope")
    assert errors[0]["extensions"]["code"] == "NOT_FOUND"
    assert "nope" in errors[0]["message"]
    errors = await kaito.errors(PLAN, org="us")
    assert errors[0]["extensions"]["code"] == "INVALID"
    assert "our own" in errors[0]["message"]


async def test_changes_since_the_latest_review(kaito: Api) -> None:
    await kaito.data(
        """mutation { createReview(organizationId: "kaito", title: "Q3 <review>") {
        __typename } }"""
    )
    await kaito.data(
        """mutation { updatePerson(id: "p-cfo", input: {stance: SUPPORTER}) { __typename } }"""
    )
    page = await check_plan(kaito, "kaito", AS_OF)
    changes = page.sections["changes"]
    assert any(p.startswith("Since the review Q3 <review> of ") for p in changes.paragraphs)
    assert "鈴木 花子: skeptic → supporter" in changes.items


async def test_japanese_plan_says_the_api_answers_in_japanese(kaito: Api) -> None:
    page = read_page(await plan(kaito, "kaito", lang="JA", asOf=AS_OF.isoformat()))
    titles = [s.title for s in page.sections.values()]
    assert titles[0] == "1. 企業情報"
    assert titles[1] == "2. 組織図・キーマン・パワーストラクチャー"
    routes = (
        await kaito.data(
            """{ contactRoutes(to: "p-cio", k: 3, distinctEntry: true) {
            score explanation(language: JA) } }"""
        )
    )["contactRoutes"]
    items = page.sections["approach"].items
    for route in routes:
        said = f"ルート（スコア {route['score']:.2f}）：{route['explanation']}"
        assert any(said in item for item in items), said
    assert any(i.startswith("Ken Ueda に依頼して 高橋 誠 を紹介してもらう。") for i in items)
    assert "Legacy HR | OldSoft | HR | 海塔ホールディングス | 2026-12-31 | 60" in (
        page.sections["competition"].text()
    )


@pytest.mark.security
async def test_the_plan_needs_a_token_and_stays_in_its_workspace(served: Served) -> None:
    # given the Kaito group in one workspace and a viewer token of another
    await served.seed("default", kaito_document())
    other = await served.token("elsewhere")
    # when the plan is asked for without a token, then with the other workspace's token
    anonymous = await served.graphql(PLAN, {"org": "kaito"})
    foreign = await served.graphql(PLAN, {"org": "kaito"}, token=other)
    # then the first is refused, the second finds no such organization, and neither leaks
    assert anonymous.status_code == 401
    assert "海塔" not in anonymous.text
    assert foreign.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert "海塔" not in foreign.text
    # and a viewer of the workspace gets the plan
    viewer = await served.token("default")
    allowed = await served.graphql(PLAN, {"org": "kaito"}, token=viewer)
    assert allowed.json()["data"]["accountPlan"].startswith("<!DOCTYPE html>")

"""Analytics that do not mislead (issue 10), over real HTTP on both stores.

The Kaito group plus one system of ours being retired in 経理部 (k-fin): whitespace must not
call that department one with "no system of ours", must refuse a category nobody uses and
our own organization; coverage must say when there is no contact at all, name the single
thread and list the stale relationships; decision areas match whatever the spaces around
them, and can be listed; displacement windows filter by category and vendor and count the
days left.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from graphsvc.domain.enums import SystemStatus
from tests.api.conftest import Api, api_settings, running_api
from tests.factories import kaito_document, system


@pytest.fixture
async def kaito_plus(
    tmp_path: Path, workspace: str, store_settings: dict[str, str]
) -> AsyncIterator[Api]:
    """The app on each store, with the Kaito group and our retiring ERP in k-fin."""
    doc = kaito_document()
    retiring = system(
        "s-nexa-erp",
        "kaito",
        "ERP",
        name="Nexa ERP",
        vendor="Nexa Systems",
        ours=True,
        department_ids=["k-fin"],
        status=SystemStatus.RETIRING,
    )
    doc = doc.model_copy(update={"systems": [*doc.systems, retiring]})
    async with running_api(api_settings(tmp_path, workspace, store_settings), doc) as api:
        yield api


WHITESPACE = """
query($org: ID!, $category: String) {
  whitespace(organizationId: $org, category: $category, asOf: "2026-01-01") {
    department { id } reasons hasContact
  }
}
"""


async def test_whitespace_names_our_retiring_system(kaito_plus: Api) -> None:
    data = await kaito_plus.data(WHITESPACE, org="kaito")

    fin = next(w for w in data["whitespace"] if w["department"]["id"] == "k-fin")
    assert fin["reasons"][0] == "our system Nexa ERP is RETIRING; no open or won opportunity"
    assert not any("no system" in r for r in fin["reasons"])


async def test_whitespace_refuses_an_unknown_category(kaito_plus: Api) -> None:
    [error] = await kaito_plus.errors(WHITESPACE, org="kaito", category="CMR")

    assert error["extensions"]["code"] == "INVALID"
    assert error["message"] == (
        'category "CMR" is not the category of any system or opportunity in this workspace; '
        "known: Collaboration, CRM, ERP, HR, WMS"
    )
    # A known category in any case and with spaces around it is fine.
    data = await kaito_plus.data(WHITESPACE, org="kaito", category=" crm ")
    assert {w["department"]["id"] for w in data["whitespace"]} == {
        "k-infra",
        "k-fin",
        "k-hr",
        "kl-ops",
    }


async def test_whitespace_of_our_own_organization_is_refused(kaito_plus: Api) -> None:
    [error] = await kaito_plus.errors(WHITESPACE, org="us")

    assert error["extensions"]["code"] == "INVALID"
    assert error["message"] == (
        "organization us (Nexa Systems) is our own (SELF) organization: whitespace is found "
        "in customers' and prospects' departments"
    )


COVERAGE = """
query($org: ID!, $subsidiaries: Boolean) {
  coverage(organizationId: $org, includeSubsidiaries: $subsidiaries, asOf: "2026-11-01") {
    singleThreaded staleRelationships contacts status
    singleThread { id name }
    staleContacts { ours { id } theirs { id name } lastContactOn daysSinceContact }
  }
}
"""


async def test_coverage_says_when_there_is_no_contact_at_all(kaito_plus: Api) -> None:
    data = await kaito_plus.data(COVERAGE, org="kaito-fs")

    assert data["coverage"] == {
        "singleThreaded": False,
        "staleRelationships": 0,
        "contacts": 0,
        "status": "NO_CONTACT",
        "singleThread": None,
        "staleContacts": [],
    }


async def test_coverage_names_the_single_thread_and_the_stale_contacts(kaito_plus: Api) -> None:
    single = (await kaito_plus.data(COVERAGE, org="kaito", subsidiaries=False))["coverage"]
    group = (await kaito_plus.data(COVERAGE, org="kaito"))["coverage"]

    assert single["status"] == "SINGLE_THREADED"
    assert single["singleThreaded"]
    assert single["contacts"] == 2
    assert single["singleThread"] == {"id": "ae-1", "name": "Ken Ueda"}
    assert single["staleContacts"] == [
        {
            "ours": {"id": "ae-1"},
            "theirs": {"id": "p-hr", "name": "中村 優"},
            "lastContactOn": None,
            "daysSinceContact": None,
        }
    ]
    assert group["status"] == "MULTI_THREADED"
    assert group["singleThread"] is None
    assert group["contacts"] == 3
    # Never contacted first, then the oldest contact: Mika met 小林 大輔 on 2025-01-15.
    assert [(s["ours"]["id"], s["theirs"]["id"]) for s in group["staleContacts"]] == [
        ("ae-1", "p-hr"),
        ("ae-2", "p-log"),
    ]
    assert group["staleContacts"][1]["lastContactOn"] == "2025-01-15"
    assert group["staleContacts"][1]["daysSinceContact"] == 655
    assert group["staleRelationships"] == len(group["staleContacts"])


DECISION_MAKERS = """
query($area: String) {
  decisionMakers(organizationId: "kaito", area: $area) { person { id } area }
}
"""

DECISION_AREAS = """
query($org: ID!, $subsidiaries: Boolean) {
  decisionAreas(organizationId: $org, includeSubsidiaries: $subsidiaries) {
    area rights holders
  }
}
"""


async def test_decision_areas_match_after_trimming_and_can_be_listed(kaito_plus: Api) -> None:
    padded = await kaito_plus.data(DECISION_MAKERS, area="  it ")
    routes = await kaito_plus.data(
        'query { contactRoutes(decisionArea: {organizationId: "kaito", area: " IT "}, k: 1)'
        " { people { id } } }"
    )
    areas = await kaito_plus.data(DECISION_AREAS, org="kaito")
    parent_only = await kaito_plus.data(DECISION_AREAS, org="kaito", subsidiaries=False)

    assert [r["person"]["id"] for r in padded["decisionMakers"]] == [
        "p-cio",
        "p-itdir",
        "p-cfo",
        "p-eng",
    ]
    assert routes["contactRoutes"][0]["people"][-1]["id"] in {"p-cio", "p-itdir"}
    assert areas["decisionAreas"] == [
        {"area": "Finance", "rights": 1, "holders": 1},
        {"area": "HR", "rights": 1, "holders": 1},
        {"area": "IT", "rights": 4, "holders": 4},
        {"area": "Logistics", "rights": 1, "holders": 1},
    ]
    assert [a["area"] for a in parent_only["decisionAreas"]] == ["Finance", "HR", "IT"]


WINDOWS = """
query($category: String, $vendor: String) {
  displacementWindows(organizationId: "kaito", asOf: "2026-01-01", category: $category,
                      vendor: $vendor) {
    id daysLeft
  }
}
"""


async def test_displacement_windows_filter_and_count_days_left(kaito_plus: Api) -> None:
    everything = await kaito_plus.data(WINDOWS)
    wms = await kaito_plus.data(WINDOWS, category="wms")
    rival = await kaito_plus.data(WINDOWS, vendor=" rival corp")
    none = await kaito_plus.data(WINDOWS, category="HR", vendor="Rival Corp")

    assert everything["displacementWindows"] == [
        {"id": "s-wms", "daysLeft": 180},
        {"id": "s-hr", "daysLeft": 364},
    ]
    assert wms["displacementWindows"] == [{"id": "s-wms", "daysLeft": 180}]
    assert rival["displacementWindows"] == [{"id": "s-wms", "daysLeft": 180}]
    assert none["displacementWindows"] == []


async def test_displacement_windows_refuse_unknown_category_and_vendor(kaito_plus: Api) -> None:
    [category] = await kaito_plus.errors(WINDOWS, category="Payroll")
    [vendor] = await kaito_plus.errors(WINDOWS, vendor="Rivall")

    assert category["extensions"]["code"] == "INVALID"
    assert category["message"].startswith('category "Payroll" is not the category of any')
    assert vendor["extensions"]["code"] == "INVALID"
    assert vendor["message"] == (
        'vendor "Rivall" is not the vendor of any system in this workspace; '
        "known: Nexa Systems, OldSoft, Rival Corp"
    )


async def test_days_left_elsewhere_counts_from_today_or_the_given_day(kaito_plus: Api) -> None:
    data = await kaito_plus.data(
        'query { system(id: "s-wms") { daysLeft(asOf: "2026-06-01") } '
        'nexa: system(id: "s-nexa-erp") { daysLeft(asOf: "2026-06-01") } }'
    )

    assert data == {"system": {"daysLeft": 29}, "nexa": {"daysLeft": None}}

"""The generator writes valid, deterministic and realistic graph documents.

Validity is judged by the real parser and validator (``services.parsing``,
``domain.validation``); realism by the shapes an account plan needs: one SELF team wired
into the accounts, a group with subsidiaries and affiliates, reporting trees, a seniority
pyramid, hidden influencers, stale and fresh contacts, competitors' contracts ending soon.
"""

from __future__ import annotations

import io
from collections import Counter
from datetime import date, timedelta
from functools import cache
from typing import Any

import orjson
import pytest

from graphsvc.domain.models import GraphDocument
from graphsvc.domain.validation import validate_document
from graphsvc.errors import InvalidInput
from graphsvc.generator import MIN_PEOPLE, SECTIONS, base_date, write_generated
from graphsvc.services.parsing import parse_document


def generate(people: int, seed: int, locale: str = "ja") -> bytes:
    buffer = io.BytesIO()
    write_generated(buffer, people, seed, locale)
    return buffer.getvalue()


@cache
def sample(people: int = 3000, seed: int = 11, locale: str = "ja") -> dict[str, Any]:
    decoded: dict[str, Any] = orjson.loads(generate(people, seed, locale))
    return decoded


def test_same_seed_gives_byte_identical_output() -> None:
    # given two runs with the same arguments / when generating / then the bytes are equal
    assert generate(800, 42) == generate(800, 42)
    assert generate(800, 42, "en") == generate(800, 42, "en")


def test_another_seed_gives_another_group() -> None:
    assert generate(800, 1) != generate(800, 2)


@pytest.mark.parametrize(("people", "locale"), [(MIN_PEOPLE, "ja"), (400, "ja"), (2500, "en")])
def test_output_parses_and_validates_without_issues(people: int, locale: str) -> None:
    # given a generated document / when the real parser and validator read it
    document = parse_document(generate(people, 7, locale))
    # then it is accepted whole
    assert isinstance(document, GraphDocument)
    assert validate_document(document) == []


def test_lists_come_in_contract_order_one_record_per_line() -> None:
    text = generate(300, 3).decode()
    assert list(orjson.loads(text))[1:] == list(SECTIONS)
    record_lines = [line for line in text.splitlines() if line.startswith('{"id"')]
    assert all(line.rstrip(",").endswith("}") for line in record_lines)


def test_about_the_requested_number_of_people() -> None:
    for people in (MIN_PEOPLE, 1000, 3000):
        document = orjson.loads(generate(people, 5))
        assert abs(len(document["people"]) - people) <= max(2, people // 100)


def test_one_self_organization_with_an_account_team() -> None:
    doc = sample()
    selves = [o for o in doc["organizations"] if o["kind"] == "SELF"]
    assert [o["id"] for o in selves] == ["nexa"]
    titles = {p["title"] for p in doc["people"] if p["organizationId"] == "nexa"}
    assert {"アカウントエグゼクティブ", "インサイドセールス（BDR）", "セールスエンジニア"} <= titles


def test_group_has_a_holding_subsidiaries_and_affiliates() -> None:
    doc = sample(people=20_000, seed=4)
    orgs = {o["id"]: o for o in doc["organizations"]}
    relations = Counter(o.get("parentRelation") for o in orgs.values())
    assert relations["SUBSIDIARY"] > relations["AFFILIATE"] > 0
    assert all(
        o["ownership"] < 0.5 for o in orgs.values() if o.get("parentRelation") == "AFFILIATE"
    )
    assert all(
        o["ownership"] > 0.5 for o in orgs.values() if o.get("parentRelation") == "SUBSIDIARY"
    )

    def depth(org_id: str) -> int:
        parent = orgs[org_id].get("parentId")
        return 0 if parent is None else 1 + depth(parent)

    assert max(depth(o) for o in orgs) >= 2


def test_people_have_japanese_names_and_fitting_titles() -> None:
    people = {p["id"]: p for p in sample()["people"]}
    cio = people["org1-cio"]
    assert cio["seniority"] == "EXECUTIVE"
    assert "CIO" in cio["title"]
    family, given = cio["name"].split(" ")
    assert family
    assert given
    assert not cio["name"].isascii()
    it_heads = [
        p["title"]
        for p in people.values()
        if p["title"].endswith("部長") and "情報システム" in p["title"]
    ]
    assert it_heads or any("情報システム本部" in p["title"] for p in people.values())


def test_english_locale_writes_english_names() -> None:
    doc = sample(people=1000, seed=3, locale="en")
    assert all(p["name"].isascii() for p in doc["people"])
    assert doc["organizations"][0]["name"] == "Nexa Systems"


def test_seniority_forms_a_pyramid() -> None:
    counts = Counter(p["seniority"] for p in sample()["people"])
    assert counts["STAFF"] > counts["MANAGER"] > counts["DIRECTOR"] > 0
    assert counts["DIRECTOR"] > counts["VP"] > 0
    assert counts["EXECUTIVE"] > 0


def test_solid_lines_form_one_tree_per_organization() -> None:
    people = {p["id"]: p for p in sample()["people"]}
    for person in people.values():
        seen = {person["id"]}
        manager = person.get("reportsToId")
        while manager is not None:
            assert people[manager]["organizationId"] == person["organizationId"]
            assert manager not in seen
            seen.add(manager)
            manager = people[manager].get("reportsToId")
        assert person["id"].endswith("-ceo") or seen != {person["id"]}


def test_stances_are_mostly_unknown_or_neutral_with_few_blockers() -> None:
    counts = Counter(p["stance"] for p in sample()["people"] if p["organizationId"] != "nexa")
    total = sum(counts.values())
    assert (counts["UNKNOWN"] + counts["NEUTRAL"]) / total > 0.6
    assert 0 < counts["BLOCKER"] < counts["CHAMPION"]


def test_hidden_influencers_influence_executives() -> None:
    doc = sample()
    seniority = {p["id"]: p["seniority"] for p in doc["people"]}
    strong_upward = [
        r
        for r in doc["relationships"]
        if r["type"] == "INFLUENCES"
        and seniority[r["from"]] in ("STAFF", "MANAGER")
        and seniority[r["to"]] == "EXECUTIVE"
        and r.get("strength", 0) >= 0.8
    ]
    assert strong_upward


def test_our_people_know_accounts_with_varied_strength_and_recency() -> None:
    doc = sample()
    ours = [
        r
        for r in doc["relationships"]
        if r["type"] == "KNOWS"
        and r["from"].startswith("nexa-")
        and not r["to"].startswith("nexa-")
    ]
    assert len(ours) > 20
    today = base_date(11)
    dates = [date.fromisoformat(r["lastContactOn"]) for r in ours if "lastContactOn" in r]
    assert len(dates) < len(ours), "some contacts have no recorded last contact"
    assert any(today - d > timedelta(days=90) for d in dates), "some contacts are stale"
    assert any(today - d <= timedelta(days=90) for d in dates), "some contacts are fresh"
    assert len({r.get("strength") for r in ours}) > 10


def test_dotted_lines_exist() -> None:
    dotted = [r for r in sample()["relationships"] if r.get("dotted")]
    assert dotted
    assert all(r["type"] == "REPORTS_TO" for r in dotted)


def test_systems_mix_ours_and_competitors_with_contracts_over_four_years() -> None:
    doc = sample()
    systems = doc["systems"]
    ours = [s for s in systems if s["ours"]]
    assert ours
    assert len(ours) < len(systems) / 2
    assert {s["vendor"] for s in ours} == {"Nexa Systems"}
    assert {"ERP", "SFA", "HR", "Security", "Collaboration"} <= {s["category"] for s in systems}
    today = base_date(11)
    ends = [date.fromisoformat(s["contractEndsOn"]) for s in systems if "contractEndsOn" in s]
    assert min(ends) >= today
    assert max(ends) <= today + timedelta(days=4 * 365)
    assert any(e <= today + timedelta(days=365) for e in ends)
    assert {s["status"] for s in systems} == {"ACTIVE", "PILOT", "RETIRING"}


def test_decision_rights_cover_several_areas_at_org_and_department_scope() -> None:
    doc = sample()
    rights = doc["decisionRights"]
    areas = {r["area"] for r in rights}
    assert {"IT", "SFA", "HR", "Finance"} <= areas
    org_ids = {o["id"] for o in doc["organizations"]}
    scopes = Counter("org" if r["scopeId"] in org_ids else "department" for r in rights)
    assert scopes["org"] > 0
    assert scopes["department"] > 0
    assert any(r["role"] == "ECONOMIC_BUYER" and "budgetLimit" in r for r in rights)


def test_base_date_comes_from_the_seed_not_from_today() -> None:
    assert base_date(1) == base_date(1)
    assert date(2026, 1, 1) <= base_date(123) <= date(2026, 6, 30)


def test_too_few_people_or_an_unknown_locale_is_refused() -> None:
    with pytest.raises(InvalidInput, match="at least"):
        write_generated(io.BytesIO(), MIN_PEOPLE - 1, 1)
    with pytest.raises(InvalidInput, match="unknown locale"):
        write_generated(io.BytesIO(), 100, 1, "fr")


def test_opportunities_have_realistic_histories() -> None:
    # given a generated group
    doc = sample()
    today = base_date(11)
    stages = ["PROSPECTING", "QUALIFICATION", "DISCOVERY", "PROPOSAL", "NEGOTIATION"]
    ours = {p["id"] for p in doc["people"] if p["organizationId"] == "nexa"}
    deals = doc["opportunities"]
    per_account = Counter(o["organizationId"] for o in deals)
    # then accounts hold several deals, in every status and across the stages
    assert max(per_account.values()) >= 3
    statuses = Counter(o["status"] for o in deals)
    assert statuses["OPEN"] > statuses["WON"] > 0
    assert statuses["LOST"] > 0
    assert len({o["stage"] for o in deals if o["status"] == "OPEN"}) >= 4
    stalled = 0
    for o in deals:
        history = o["stageHistory"]
        days = [date.fromisoformat(e["enteredOn"]) for e in history]
        # each history: model stages, moving forward, oldest first, ending in the deal's stage
        assert [stages.index(e["stage"]) for e in history] == sorted(
            stages.index(e["stage"]) for e in history
        )
        assert days == sorted(days)
        assert days[-1] <= today
        assert history[-1]["stage"] == o["stage"]
        assert o["ownerId"] in ours
        close = date.fromisoformat(o["closeDate"])
        assert (close > today) == (o["status"] == "OPEN")
        if o["status"] == "OPEN":
            assert o["criteria"]
            stalled += (today - days[-1]).days > 30
        assert 0 <= o.get("probability", 0.5) <= 1
    # and some open deals have sat in their stage for more than a month
    assert stalled > 0

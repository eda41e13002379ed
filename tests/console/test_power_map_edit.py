"""Editing from the power map's panel (``console/e2e/powermap-edit.mjs``) against the API."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.console.conftest import ConsoleDemo

pytestmark = pytest.mark.slow

CHAMPION_FILL = "#1a7f37"
"""The map's fill for a champion (console/src/pages/powermap-graph.ts STANCE)."""

SCOPE = """query($id: ID!) {
  powerMap(organizationId: $id) { person { id name stance } }
  powerMapLines(organizationId: $id) { type fromId toId effectiveStrength } }"""

PERSON = """query($id: ID!) { person(id: $id) { stance
  relationships { type strength effectiveStrength lastContactOn from { id } to { id } } } }"""


ALONE = """query($id: ID!) {
  powerMap(organizationId: $id, includeSubsidiaries: false) { person { id } }
  powerMapLines(organizationId: $id, includeSubsidiaries: false) { type fromId toId } }"""


def _pick(console: ConsoleDemo) -> dict[str, str]:
    """A person who is no champion yet with a KNOWS or INFLUENCES line inside the map, that
    line's other end, and someone of the map they have no KNOWS line with."""
    data = console.graphql(SCOPE, id=console.org_id)
    people = [s["person"] for s in data["powerMap"]]
    lines = data["powerMapLines"]
    for person in people:
        if person["stance"] == "CHAMPION":
            continue
        mine = [
            line
            for line in lines
            if person["id"] in (line["fromId"], line["toId"])
            and line["type"] in ("KNOWS", "INFLUENCES")
        ]
        if not mine:
            continue
        linked = {line["fromId"] for line in mine} | {line["toId"] for line in mine}
        other = next(p for p in reversed(people) if p["id"] not in linked)
        line = mine[0]
        return {
            "PERSON_ID": person["id"],
            "OTHER_ID": other["id"],
            "LINE_TYPE": line["type"],
            "LINE_OTHER": line["toId"] if line["fromId"] == person["id"] else line["fromId"],
            "LINE_STRENGTH": str(line["effectiveStrength"]),
        }
    raise AssertionError("no person to edit in the demo")


def _people_departments(console: ConsoleDemo) -> list[dict[str, Any]]:
    """The departments of the map's people (before the edits), with their companies."""
    found = console.graphql(
        """query($id: ID!) { powerMap(organizationId: $id) { person {
             department { id name organization { name } } } } }""",
        id=console.org_id,
    )["powerMap"]
    return [s["person"]["department"] for s in found if s["person"]["department"] is not None]


def _line(relationships: list[dict[str, Any]], kind: str, a: str, b: str) -> dict[str, Any]:
    [found] = [
        r for r in relationships if r["type"] == kind and {r["from"]["id"], r["to"]["id"]} == {a, b}
    ]
    return found


def test_editing_from_the_panel_changes_the_map_and_the_api(console: ConsoleDemo) -> None:
    # given a person of the holding's map, one of their lines and someone they do not know
    picked = _pick(console)
    person, other = picked["PERSON_ID"], picked["OTHER_ID"]
    kind, line_other = picked["LINE_TYPE"], picked["LINE_OTHER"]

    # when an editor changes their stance, adds a KNOWS line, re-weights the existing line and
    # tries a strength out of range, from the panel
    seen = console.browse("powermap-edit.mjs", within=240, **picked)

    # then the department filter names each department with its company (the group's
    # companies share department names)
    departments = {
        d["id"]: f"{d['name']} — {d['organization']['name']}" for d in _people_departments(console)
    }
    assert {o["id"]: o["text"] for o in seen["departmentOptions"]} == departments
    companies_of: dict[str, set[str]] = {}
    for label in departments.values():
        name, company = label.split(" — ")
        companies_of.setdefault(name, set()).add(company)
    assert any(len(companies) > 1 for companies in companies_of.values())
    # the node's fill and label and the table's stance changed without a reload, and the
    # API holds the new stance
    assert seen["before"]["rowStance"] != "CHAMPION"
    assert seen["after"]["fill"] == CHAMPION_FILL != seen["before"]["fill"]
    assert seen["after"]["label"].startswith("++ ")
    assert seen["after"]["rowStance"] == "CHAMPION"
    assert seen["after"]["rowText"] == "++ Champion"
    assert seen["panelStance"] == "CHAMPION"
    stored = console.graphql(PERSON, id=person)["person"]
    assert stored["stance"] == "CHAMPION"
    # the new line is drawn with its strength as width, and stored with its last contact
    assert seen["lineBefore"] is None
    assert seen["lineAdded"] is not None
    assert seen["lineAdded"]["width"] == pytest.approx(1 + 4 * 0.8)
    assert seen["edgeCountAfter"] == seen["edgeCountBefore"] + 1
    added = _line(stored["relationships"], "KNOWS", person, other)
    assert (added["strength"], added["lastContactOn"]) == (0.8, "2026-11-20")
    # the re-weighted line kept its place and changed width; the API has the new strength
    before = float(picked["LINE_STRENGTH"])
    assert seen["reweightBefore"]["width"] == pytest.approx(1 + 4 * before)
    assert seen["reweightAfter"]["id"] == seen["reweightBefore"]["id"]
    assert seen["reweightAfter"]["width"] == pytest.approx(1 + 4 * 0.15)
    assert seen["prefilled"].endswith(f" · {line_other}")
    assert _line(stored["relationships"], kind, person, line_other)["strength"] == 0.15
    # a refused write is said in words and leaves the map as it was
    assert seen["refusal"].startswith("Not saved: ")
    assert "strength" in seen["refusal"].lower()
    assert seen["afterRefusal"] == seen["reweightAfter"]
    # without subsidiaries the map and its table hold the holding's own people and lines
    alone = console.graphql(ALONE, id=console.org_id)
    alone_people = sorted(s["person"]["id"] for s in alone["powerMap"])
    assert seen["alone"]["checked"] is False
    assert sorted(seen["alone"]["nodes"]) == alone_people == sorted(seen["alone"]["rows"])
    group = console.graphql(SCOPE, id=console.org_id)["powerMap"]
    assert set(alone_people) < {s["person"]["id"] for s in group}
    assert sorted(seen["alone"]["edges"]) == sorted(
        f"{r['type']}|{r['fromId']}|{r['toId']}" for r in alone["powerMapLines"]
    )
    # the reloaded map (in Japanese) shows what the API now holds
    assert seen["jaHeading"].startswith("パワーマップ：")
    assert seen["jaAfterReload"]["rowStance"] == "CHAMPION"
    assert seen["jaSave"] == "スタンスを保存"
    # an unknown organization shows the not-found page
    assert "no-such-org" in seen["notFound"]
    assert set(seen["axe"]) == {"power-map-edit", "power-map-ja"}


def test_a_viewer_token_gets_no_editing_controls_in_the_panel(console: ConsoleDemo) -> None:
    # given a read-only token, which the API says may not write
    viewer = console.new_token("viewer")
    who = httpx.post(
        f"{console.base}/graphql",
        json={"query": "{ viewer { role canWrite } }"},
        headers={"Authorization": f"Bearer {viewer}"},
        timeout=30,
    ).json()["data"]["viewer"]
    assert who == {"role": "VIEWER", "canWrite": False}

    # when it opens a person's panel on the power map
    seen = console.browse("viewer.mjs", TOKEN=viewer)

    # then the panel says it is read-only and offers no stance select, save or line form
    assert seen["readOnly"].startswith("Your token may read only")
    assert seen["editingControls"] == 0

"""Streaming the generated graph document: one section at a time, one record per line.

The output is a single JSON object in CONTRACT §3 form whose lists hold one record per
line, written through a small buffer, so memory stays flat however many people are asked
for: only the group plan, our team and one company at a time are ever held.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, BinaryIO

import orjson

from graphsvc.domain.models import DOCUMENT_LISTS
from graphsvc.errors import InvalidInput
from graphsvc.generator.assets import opportunities, systems
from graphsvc.generator.group import MIN_PEOPLE, GroupPlan, OrgPlan, money, plan_group
from graphsvc.generator.links import account_relationships, decision_rights, team_relationships
from graphsvc.generator.locales import LOCALES
from graphsvc.generator.ours import Team, build_team, self_plan
from graphsvc.generator.roster import Roster, build_people, build_units

__all__ = ["SECTIONS", "Progress", "write_generated"]

Progress = Callable[[str, int, int], None]
"""``progress(section, companies_done, companies_total)``."""

SECTIONS = DOCUMENT_LISTS
"""The document's lists, in the order they are written."""


class _ListWriter:
    """Writes ``"name":[record,\\nrecord…]`` with records buffered into large writes."""

    def __init__(self, out: BinaryIO) -> None:
        self.out = out
        self.buffer: list[bytes] = []
        self.count = 0
        self.written = 0

    def begin(self, name: str, first: bool) -> None:
        self.out.write(b"" if first else b"\n],\n")
        self.out.write(orjson.dumps(name) + b":[\n")
        self.written = 0

    def emit(self, record: dict[str, Any]) -> None:
        self.buffer.append(orjson.dumps(record))
        if len(self.buffer) >= 4096:
            self.flush()

    def flush(self) -> None:
        if self.buffer:
            self.out.write((b",\n" if self.written else b"") + b",\n".join(self.buffer))
            self.written += len(self.buffer)
            self.count += len(self.buffer)
            self.buffer.clear()


def _organization(
    org: OrgPlan, roster: Roster, plan: GroupPlan, parent_id: str | None
) -> dict[str, Any]:
    record: dict[str, Any] = {"id": org.id, "name": org.name, "kind": org.kind}
    record["industry"] = org.industry
    record["employees"] = roster.employees
    if org.kind != "SELF":
        record["revenue"] = money(roster.employees * (35_000_000 + org.size % 7 * 5_000_000), plan)
    if parent_id is not None:
        record.update(parentId=parent_id, parentRelation=org.relation, ownership=org.ownership)
    return record


def _departments(org_id: str, roster: Roster, emit: Callable[[dict[str, Any]], None]) -> None:
    for unit in roster.units:
        record: dict[str, Any] = {"id": unit.id, "organizationId": org_id, "name": unit.name}
        record.update(function=unit.function.key, headcount=unit.headcount)
        if unit.parent is not None:
            record["parentId"] = unit.parent.id
        emit(record)


def _people(org_id: str, roster: Roster, emit: Callable[[dict[str, Any]], None]) -> None:
    people = roster.people
    for p in people:
        record: dict[str, Any] = {"id": p.id, "name": p.name, "title": p.title}
        record["organizationId"] = org_id
        if p.unit is not None:
            record["departmentId"] = p.unit.id
        record.update(seniority=p.seniority, stance=p.stance)
        if p.manager >= 0:
            record["reportsToId"] = people[p.manager].id
        emit(record)


def write_generated(
    out: BinaryIO,
    people: int,
    seed: int,
    locale: str = "ja",
    progress: Progress | None = None,
) -> dict[str, int]:
    """Write a generated document of about ``people`` people to ``out``; return list sizes.

    The same arguments always produce the same bytes.
    """
    if people < MIN_PEOPLE:
        raise InvalidInput(f"--people must be at least {MIN_PEOPLE} (got {people})")
    if locale not in LOCALES:
        raise InvalidInput(f"unknown locale {locale!r}: use one of {', '.join(sorted(LOCALES))}")
    plan = plan_group(people, seed, LOCALES[locale])
    team = build_team(plan)
    orgs = plan.orgs
    ours = self_plan(plan)
    parent_id = {o.index: orgs[o.parent].id for o in orgs if o.parent is not None}

    def units(org: OrgPlan) -> Roster:
        return build_units(plan, org)

    def staffed(org: OrgPlan) -> Roster:
        return build_people(plan, org, build_units(plan, org))

    writer = _ListWriter(out)
    emit = writer.emit
    out.write(b'{"format":"graphsvc/v1",\n')
    counts: dict[str, int] = {}
    for number, section in enumerate(SECTIONS):
        writer.begin(section, first=number == 0)
        before = writer.count
        if section == "organizations":
            emit(_organization(ours, team.roster, plan, None))
        elif section == "departments":
            _departments(ours.id, team.roster, emit)
        elif section == "people":
            _people(ours.id, team.roster, emit)
        elif section == "relationships":
            team_relationships(plan, team, emit)
        for done, org in enumerate(orgs, start=1):
            _section(section, plan, team, org, parent_id.get(org.index), units, staffed, emit)
            if progress is not None:
                progress(section, done, len(orgs))
        writer.flush()
        counts[section] = writer.count - before
    out.write(b"\n]}\n")
    out.flush()
    return counts


def _section(
    section: str,
    plan: GroupPlan,
    team: Team,
    org: OrgPlan,
    parent_id: str | None,
    units: Callable[[OrgPlan], Roster],
    staffed: Callable[[OrgPlan], Roster],
    emit: Callable[[dict[str, Any]], None],
) -> None:
    """Write ``org``'s records of one section."""
    if section == "organizations":
        emit(_organization(org, units(org), plan, parent_id))
    elif section == "departments":
        _departments(org.id, units(org), emit)
    elif section == "people":
        _people(org.id, staffed(org), emit)
    elif section == "systems":
        systems(plan, org, units(org), emit)
    elif section == "relationships":
        parent = units(plan.orgs[org.parent]) if org.parent is not None else None
        account_relationships(plan, team, org, staffed(org), parent, emit)
    elif section == "decisionRights":
        decision_rights(plan, org, staffed(org), emit)
    else:
        opportunities(plan, team, org, units(org), emit)

"""The plan's first sections, about the account as it is: the group, its people and power,
its systems, the competition and the whitespace."""

from __future__ import annotations

from collections import defaultdict

from graphsvc.domain.models import InstalledSystem
from graphsvc.services.analytics import DEFAULT_WITHIN_DAYS
from graphsvc.services.report.document import Block, Paragraph, Picture, Section, Table
from graphsvc.services.report.facts import AccountFacts
from graphsvc.services.report.power_picture import key_people, power_picture
from graphsvc.services.report.texts import relation_word
from graphsvc.services.report.wording import Say, number, score

__all__ = [
    "SHOWN_NAMES",
    "SHOWN_ROWS",
    "company_section",
    "competition_section",
    "group_order",
    "people_section",
    "systems_section",
    "whitespace_section",
]

SHOWN_ROWS = 25
"""Rows of a long table (whitespace) shown in the plan; the rest are counted."""
SHOWN_NAMES = 10
"""Hidden influencers named (the most influential first); the rest are counted."""


def group_order(facts: AccountFacts) -> list[tuple[str, int]]:
    """The scope's organizations from the account down, each with its depth, siblings by
    name: the order every per-company table of the plan uses."""
    organizations = facts.projection.organizations
    inside = set(facts.scope.organizations)
    found: list[tuple[str, int]] = []

    def visit(organization_id: str, depth: int) -> None:
        found.append((organization_id, depth))
        children = [
            c for c in facts.projection.org_children.get(organization_id, ()) if c in inside
        ]
        for child in sorted(children, key=lambda c: (organizations[c].name, c)):
            visit(child, depth + 1)

    visit(facts.organization.id, 0)
    return found


def company_section(say: Say) -> Section:
    """The account, its parent, and every group company below it with ownership and size."""
    facts = say.facts
    account = facts.organization
    blocks: list[Block] = [
        Paragraph(
            say(
                "org_line",
                name=account.name,
                industry=say.or_unknown(account.industry or ""),
                employees=say.or_unknown(number(account.employees)),
                revenue=say.or_unknown(number(account.revenue)),
            )
        )
    ]
    if account.parent_id is not None:
        blocks.append(
            Paragraph(
                say(
                    "parent_line",
                    name=say.organization(account.parent_id),
                    relation=relation_word(say.lang, account.parent_relation),
                    ownership=_percent(account.ownership, prefix=", "),
                )
            )
        )
    rows = []
    for organization_id, depth in group_order(facts):
        o = facts.projection.organizations[organization_id]
        relation = (
            say("this_company")
            if depth == 0 or o.parent_id is None
            else say(
                "under",
                relation=relation_word(say.lang, o.parent_relation),
                name=say.organization(o.parent_id),
            )
        )
        rows.append(
            (
                "\u3000" * depth + o.name,
                relation,
                _percent(o.ownership) if depth else "",
                o.industry or "",
                number(o.employees),
                number(o.revenue),
            )
        )
    headers = ("company", "relation", "ownership", "industry", "employees", "revenue")
    blocks.append(Table(tuple(say(h) for h in headers), tuple(rows), numeric=frozenset({2, 4, 5})))
    return Section("company", say("s_company"), tuple(blocks))


def people_section(say: Say) -> Section:
    """Key persons: the power map's answer drawn as a reporting tree, and as a table."""
    facts = say.facts
    if not facts.power:
        return Section("people", say("s_people"), (Paragraph(say("no_people")),))
    chosen = key_people(facts)
    scores = {s.person_id: s for s in facts.power}
    hidden = [say.person(s.person_id) for s in facts.power if s.hidden_influencer]
    named = ", ".join(hidden[:SHOWN_NAMES])
    if len(hidden) > SHOWN_NAMES:
        named += " " + say("and_more", count=len(hidden) - SHOWN_NAMES)
    roles: dict[str, list[str]] = defaultdict(list)
    for right in facts.deciders:
        roles[right.person_id].append(say("role_area", role=say.role(right.role), area=right.area))
    blocks: list[Block] = [
        Paragraph(say("people_line", people=len(facts.power), shown=len(chosen))),
        Paragraph(say("hidden_line", names=named) if hidden else say("no_hidden")),
        Picture(power_picture(say, chosen), say("picture_alt", name=facts.organization.name)),
    ]
    rows = []
    for person_id in chosen:
        node = facts.projection.people[person_id]
        power = scores[person_id]
        rows.append(
            (
                node.name,
                node.title or "",
                say.organization(node.organization_id),
                say.department(node.department_id),
                say.stance(node.stance),
                score(power.influence),
                str(power.formal_rank),
                score(power.brokerage),
                "; ".join(roles.get(person_id, ())),
                "★ " + say("yes") if power.hidden_influencer else "",
            )
        )
    headers = (
        "name",
        "title_col",
        "company",
        "department",
        "stance",
        "influence",
        "rank",
        "brokerage",
        "roles",
        "hidden",
    )
    blocks.append(Table(tuple(say(h) for h in headers), tuple(rows), numeric=frozenset({5, 6, 7})))
    return Section("people", say("s_people"), tuple(blocks))


def systems_section(say: Say) -> Section:
    """Per department (and per company for systems used company-wide): ours and theirs."""
    facts = say.facts
    projection = facts.projection
    rows = []
    for organization_id, _ in group_order(facts):
        systems = [projection.systems[s] for s in projection.org_systems.get(organization_id, ())]
        by_department: dict[str | None, list[InstalledSystem]] = defaultdict(list)
        for system in systems:
            for department in system.department_ids or (None,):
                by_department[department].append(system)
        ordered = sorted(
            by_department, key=lambda d: ("" if d is None else say.department(d), d or "")
        )
        for department in ordered:
            used = sorted(by_department[department], key=lambda s: (s.name, s.id))
            rows.append(
                (
                    say.organization(organization_id),
                    say("whole_org") if department is None else say.department(department),
                    "; ".join(_system(say, s) for s in used if s.ours),
                    "; ".join(_system(say, s) for s in used if not s.ours),
                )
            )
    if not rows:
        return Section("systems", say("s_systems"), (Paragraph(say("no_systems")),))
    headers = (say("company"), say("department"), say("ours"), say("theirs"))
    return Section("systems", say("s_systems"), (Table(headers, tuple(rows)),))


def competition_section(say: Say) -> Section:
    """Competitors by vendor (systems, departments, annual value, next contract end), then
    displacementWindows' answer."""
    facts = say.facts
    projection = facts.projection
    theirs = [
        projection.systems[s]
        for o in facts.scope.organizations
        for s in projection.org_systems.get(o, ())
        if not projection.systems[s].ours
    ]
    blocks: list[Block] = []
    if not theirs:
        blocks.append(Paragraph(say("no_competitors")))
    else:
        by_vendor: dict[str, list[InstalledSystem]] = defaultdict(list)
        for system in theirs:
            by_vendor[system.vendor or say("unknown")].append(system)
        rows = []
        for vendor in sorted(by_vendor, key=lambda v: (-len(by_vendor[v]), v)):
            systems = by_vendor[vendor]
            upcoming = [
                s.contract_ends_on
                for s in systems
                if s.contract_ends_on is not None and s.contract_ends_on >= facts.as_of
            ]
            values = [s.annual_value for s in systems if s.annual_value is not None]
            rows.append(
                (
                    vendor,
                    str(len(systems)),
                    str(len({d for s in systems for d in s.department_ids})),
                    number(sum(values)) if values else "",
                    say.day(min(upcoming)) if upcoming else "",
                )
            )
        headers = ("vendor", "systems", "departments", "annual_value", "next_end")
        blocks.append(
            Table(tuple(say(h) for h in headers), tuple(rows), numeric=frozenset({1, 2, 3}))
        )
    day = say.day(facts.as_of)
    if not facts.windows:
        blocks.append(Paragraph(say("no_windows", date=day, days=DEFAULT_WITHIN_DAYS)))
        return Section("competition", say("s_competition"), tuple(blocks))
    blocks.append(Paragraph(say("windows_line", date=day, days=DEFAULT_WITHIN_DAYS)))
    windows = [
        (
            s.name,
            s.vendor or "",
            s.category,
            say.organization(s.organization_id),
            say.day(s.contract_ends_on),
            str((s.contract_ends_on - facts.as_of).days) if s.contract_ends_on else "",
        )
        for s in facts.windows
    ]
    columns = ("system", "vendor", "category", "company", "contract_ends", "days_left")
    blocks.append(Table(tuple(say(h) for h in columns), tuple(windows), numeric=frozenset({5})))
    return Section("competition", say("s_competition"), tuple(blocks))


def whitespace_section(say: Say) -> Section:
    """whitespace's answer, best first: department, company, contact, competitors, why."""
    facts = say.facts
    if not facts.whitespace:
        return Section("whitespace", say("s_whitespace"), (Paragraph(say("no_whitespace")),))
    rows = [
        (
            say.department(w.department_id),
            say.organization(w.organization_id),
            say("yes") if w.has_contact else "",
            "; ".join(
                f"{s.name} ({s.vendor})" if s.vendor else s.name for s in w.competitor_systems
            ),
            score(w.priority),
            "; ".join(w.reasons),
        )
        for w in facts.whitespace[:SHOWN_ROWS]
    ]
    headers = ("department", "company", "contact", "theirs", "priority", "reasons")
    blocks: list[Block] = [
        Table(tuple(say(h) for h in headers), tuple(rows), numeric=frozenset({4}))
    ]
    rest = len(facts.whitespace) - SHOWN_ROWS
    if rest > 0:
        blocks.append(Paragraph(say("more", count=rest)))
    return Section("whitespace", say("s_whitespace"), tuple(blocks))


def _system(say: Say, system: InstalledSystem) -> str:
    details = [d for d in (system.vendor, system.category) if d]
    if system.contract_ends_on is not None:
        details.append(say("ends", date=say.day(system.contract_ends_on)))
    return f"{system.name} ({', '.join(details)})" if details else system.name


def _percent(fraction: float | None, prefix: str = "") -> str:
    return "" if fraction is None else f"{prefix}{fraction * 100:.0f}%"
